import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { RetryableError } from '../errors.js';
import type { CanonicalRecord } from '../record/canonical-record.js';
import type { RecordSink } from './record-sink.js';

/**
 * A JSONL file that any number of worker processes append to at once: the file is opened with
 * O_APPEND and each record is one write call of one whole line, so lines never interleave.
 */
export class AppendJsonlSink implements RecordSink {
  readonly name = 'file';
  private handle: Promise<FileHandle> | null = null;

  constructor(readonly path: string) {}

  async write(record: CanonicalRecord, json = JSON.stringify(record)): Promise<void> {
    this.handle ??= mkdir(dirname(this.path), { recursive: true }).then(() => open(this.path, 'a'));
    const handle = await this.handle;
    const line = Buffer.from(`${json}\n`);
    const { bytesWritten } = await handle.write(line);
    if (bytesWritten !== line.length) {
      // A short write (disk full) left part of a line: retrying appends a whole one after it.
      throw new RetryableError(
        'SINK_FILE_SHORT_WRITE',
        `${this.path}: wrote ${bytesWritten} of ${line.length} bytes`,
      );
    }
  }

  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = null;
    if (handle) await (await handle).close();
  }
}
