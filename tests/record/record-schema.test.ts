import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { recordJsonSchema } from '../../src/record/record-json-schema.js';
import { SCHEMA_FILE, recordSchemaValidator } from '../helpers/record-schema.js';

describe('schema/record.schema.json', () => {
  it('is what the zod record exports (run `npm run schema` after changing the record)', () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(recordJsonSchema());
  });

  it('rejects a record that breaks the contract', () => {
    const validate = recordSchemaValidator();
    expect(validate({ schemaVersion: 1, id: 'x' })).toBe(false);
    expect(validate.errors?.map((e) => e.message).join(' ')).toContain(
      'must have required property',
    );
  });
});
