import { readFileSync } from 'node:fs';
import { CanonicalRecord } from '../../src/record/canonical-record.js';

/** The records of a JSON Lines file, each checked against the record contract. */
export function readRecords(file: string): CanonicalRecord[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => CanonicalRecord.parse(JSON.parse(l)));
}
