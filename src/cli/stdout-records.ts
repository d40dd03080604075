import { withRevision, type RecordDraft } from '../record/build-record.js';
import type { UpsertStatus } from '../sinks/jsonl-record-file.js';

/** The `--out` value that sends records to standard output. */
export const STDOUT_PATH = '-';

/**
 * Records written as JSON Lines to standard output (`--out -`), in input order, as `clean` writes
 * them: there is no earlier file to compare with, so every record is new at revision 1. The
 * same page twice in one run is written once.
 */
export class StdoutRecords {
  private readonly written = new Set<string>();

  upsert(draft: RecordDraft): { revision: number; status: UpsertStatus } {
    if (this.written.has(draft.id)) return { revision: 1, status: 'unchanged' };
    this.written.add(draft.id);
    process.stdout.write(`${JSON.stringify(withRevision(draft, 1))}\n`);
    return { revision: 1, status: 'new' };
  }

  async save(): Promise<void> {}
}
