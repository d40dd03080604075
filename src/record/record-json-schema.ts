import { z } from 'zod';
import { CanonicalRecord, SCHEMA_VERSION } from './canonical-record.js';

/** The record contract as JSON Schema text, for downstream consumers (schema/record.schema.json). */
export function recordJsonSchema(): string {
  const schema = z.toJSONSchema(CanonicalRecord, { target: 'draft-2020-12', io: 'output' });
  const document = {
    title: `newsnorm canonical record, schema version ${SCHEMA_VERSION}`,
    ...schema,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
