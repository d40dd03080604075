import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { recordJsonSchema } from '../src/record/record-json-schema.js';

/** Writes schema/record.schema.json from the zod definition of the record. */
const target = join(import.meta.dirname, '..', '..', 'schema', 'record.schema.json');
writeFileSync(target, recordJsonSchema());
process.stdout.write(`wrote ${target}\n`);
