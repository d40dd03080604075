import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { RetryableError } from '../errors.js';
import type { CanonicalRecord } from '../record/canonical-record.js';
import type { CheckableSink } from '../delivery/record-sink.js';

/** Bytes read at a time when looking for a line an earlier attempt may have written. */
const SCAN_CHUNK_BYTES = 1 << 20;
const NEWLINE = 0x0a;

/**
 * A JSONL file that any number of worker processes append to at once: the file is opened with
 * O_APPEND and each record is one write call of one whole line, so lines never interleave.
 *
 * Its own exactly-once marker is the file itself: before each attempt the revision store keeps
 * the file's size, and an attempt that finds an earlier one unfinished (its worker died between
 * the write and the mark, or Redis refused the mark) looks for the record's line after that
 * size before writing it again. Only a line cut short by the crash is written twice.
 */
export class AppendJsonlSink implements CheckableSink {
  readonly name = 'file';
  private handle: Promise<FileHandle> | null = null;

  constructor(readonly path: string) {}

  private file(): Promise<FileHandle> {
    this.handle ??= mkdir(dirname(this.path), { recursive: true }).then(() =>
      open(this.path, 'a+'),
    );
    return this.handle;
  }

  async write(record: CanonicalRecord, json = JSON.stringify(record)): Promise<void> {
    const handle = await this.file();
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

  async position(): Promise<string> {
    const { size } = await (await this.file()).stat();
    return String(size);
  }

  async wrote(id: string, revision: number, since: string): Promise<boolean> {
    const handle = await this.file();
    const needle = Buffer.from(`"id":${JSON.stringify(id)},"revision":${revision},`);
    let offset = Number(since);
    if (!Number.isSafeInteger(offset) || offset < 0) offset = 0;
    // Lines whole from `offset`: it was the file's size, and only whole lines are appended.
    let carry = Buffer.alloc(0);
    for (;;) {
      const chunk = Buffer.alloc(SCAN_CHUNK_BYTES);
      const { bytesRead } = await handle.read(chunk, 0, SCAN_CHUNK_BYTES, offset);
      if (bytesRead === 0) return false;
      offset += bytesRead;
      const data = Buffer.concat([carry, chunk.subarray(0, bytesRead)]);
      let start = 0;
      for (let nl = data.indexOf(NEWLINE); nl >= 0; nl = data.indexOf(NEWLINE, start)) {
        const line = data.subarray(start, nl);
        start = nl + 1;
        if (line.indexOf(needle) >= 0 && isWholeRecord(line, id, revision)) return true;
      }
      carry = data.subarray(start);
    }
  }

  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = null;
    if (handle) await (await handle).close();
  }
}

/** The line is the record's whole JSON (not a line a crash cut short, glued to the next). */
function isWholeRecord(line: Buffer, id: string, revision: number): boolean {
  try {
    const record = JSON.parse(line.toString('utf8')) as { id?: unknown; revision?: unknown };
    return record.id === id && record.revision === revision;
  } catch {
    return false;
  }
}
