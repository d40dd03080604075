import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { RecordDraft } from '../record/build-record.js';
import { withRevision } from '../record/build-record.js';
import { CanonicalRecord } from '../record/canonical-record.js';

export type UpsertStatus = 'new' | 'revised' | 'unchanged';

/**
 * The in-process driver's record file: JSON Lines, one line per record id, upserted by id.
 * A record whose contentHash is unchanged keeps its line as it was (revision, processedAt),
 * so running the same pages twice leaves the same file; a changed one gets revision + 1.
 * Saved through a temporary file and a rename, so readers never see half a file.
 */
export class JsonlRecordFile {
  private constructor(
    readonly path: string,
    private readonly records: Map<string, CanonicalRecord>,
  ) {}

  static async open(path: string): Promise<JsonlRecordFile> {
    const records = new Map<string, CanonicalRecord>();
    let text = '';
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    text.split('\n').forEach((line, i) => {
      if (line.trim() === '') return;
      const parsed = CanonicalRecord.safeParse(JSON.parse(line));
      if (!parsed.success) {
        throw new Error(
          `${path}:${i + 1}: not a canonical record (${parsed.error.issues[0]?.message})`,
        );
      }
      records.set(parsed.data.id, parsed.data);
    });
    return new JsonlRecordFile(path, records);
  }

  get size(): number {
    return this.records.size;
  }

  upsert(draft: RecordDraft): { record: CanonicalRecord; status: UpsertStatus } {
    const previous = this.records.get(draft.id);
    if (previous && previous.contentHash === draft.contentHash) {
      return { record: previous, status: 'unchanged' };
    }
    const record = withRevision(draft, previous ? previous.revision + 1 : 1);
    this.records.set(record.id, record);
    return { record, status: previous ? 'revised' : 'new' };
  }

  async save(): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.${process.pid}.tmp`;
    const lines = [...this.records.values()].map((r) => `${JSON.stringify(r)}\n`);
    await writeFile(tmp, lines.join(''));
    await rename(tmp, this.path);
  }
}
