import type { CanonicalRecord } from '../record/canonical-record.js';
import type { LocalRecords } from '../pipeline/run-local.js';
import type { RevisionState } from '../delivery/revision-store.js';

/** The `--out` value that sends records to standard output. */
export const STDOUT_PATH = '-';

/**
 * Records written as JSON Lines to standard output (`--out -`), in input order, as `clean` writes
 * them: there is no earlier file to compare with, so every record is new at revision 1.
 */
export class StdoutRecords implements LocalRecords {
  readonly name = 'stdout';
  readonly path = 'stdout';

  revisions(): Iterable<[string, RevisionState]> {
    return [];
  }

  sourceUris(): null {
    return null;
  }

  async write(record: CanonicalRecord, json = JSON.stringify(record)): Promise<void> {
    process.stdout.write(`${json}\n`);
  }

  async save(): Promise<void> {}

  async close(): Promise<void> {}
}
