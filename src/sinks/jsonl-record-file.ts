import {
  closeSync,
  fstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CanonicalRecord } from '../record/canonical-record.js';
import type { RecordSink } from '../delivery/record-sink.js';
import type { RevisionState } from '../delivery/revision-store.js';

/** What the file knows of a record, and where its line is (without the newline). */
interface Entry {
  contentHash: string;
  revision: number;
  /** The record's source.retrievedAt, in ms: when its content was read (null for files). */
  readAtMs: number | null;
  /** The record's source.uri: which source pages belong to this file. */
  uri: string;
  /** In the spill file of this run (written by upsert), else in the file as it was opened. */
  spilled: boolean;
  at: number;
  length: number;
}

/** The records file cannot be used as asked; the message names the file and what is wrong. */
export class RecordsFileError extends Error {
  override readonly name = 'RecordsFileError';
}

/** Bytes read or written at a time. */
const CHUNK_BYTES = 1 << 20;
const NEWLINE = 0x0a;
const LINE_END = Buffer.from('\n');

/**
 * The in-process driver's record file: JSON Lines, one line per record id. It only writes: a
 * FileRevisionStore built from `revisions()` decides which records it gets, and a record it
 * is given replaces the line of its id (an unchanged record is never given, so it keeps its
 * line as it was, and running the same pages twice leaves the same file).
 *
 * Only an id's hash, revision and the place of its line are held in memory: the lines of new
 * and revised records go to a spill file beside the output as they come, and `save` writes
 * the file anew from the two files, through a temporary file and a rename, so readers never
 * see half a file. Lines keep their order; new records come after the ones already there.
 */
export class JsonlRecordFile implements RecordSink {
  readonly name = 'file';

  /** This run's lines: `size` bytes once `pending` (`pendingBytes` of them) is written. */
  private spill: {
    fd: number;
    path: string;
    size: number;
    pending: string[];
    pendingBytes: number;
  } | null = null;

  private constructor(
    readonly path: string,
    private readonly entries: Map<string, Entry>,
    /** The opened file's size and modification time, to tell when it changed under us. */
    private readonly opened: { size: number; mtimeMs: number } | null,
    /**
     * Spill files that earlier runs left beside the file (their process is gone, killed or
     * refused at save): new and revised records that never reached it, kept for the operator.
     */
    readonly leftovers: string[],
  ) {}

  /**
   * Reads the ids, hashes and revisions of an existing file (none when there is no file yet),
   * and makes its folder. RecordsFileError when the file cannot be read or is not a records
   * file, or the folder cannot be made: before any page is run.
   */
  static async open(path: string): Promise<JsonlRecordFile> {
    const entries = new Map<string, Entry>();
    ioStep(path, 'cannot make its folder', () => mkdirSync(dirname(path), { recursive: true }));
    const leftovers = clearLeftovers(path);
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
        throw ioError(path, 'cannot read', error);
      return new JsonlRecordFile(path, entries, null, leftovers);
    }
    try {
      const { size, mtimeMs } = fstatSync(fd);
      let lineNumber = 0;
      forEachLine(fd, (line, at) => {
        lineNumber++;
        const text = line.toString('utf8');
        if (text.trim() === '') return;
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch (error) {
          throw new RecordsFileError(
            `${path}:${lineNumber}: not JSON (${(error as Error).message})`,
          );
        }
        const parsed = CanonicalRecord.safeParse(json);
        if (!parsed.success) {
          throw new RecordsFileError(
            `${path}:${lineNumber}: not a canonical record (${parsed.error.issues[0]?.message})`,
          );
        }
        const { id, contentHash, revision, source } = parsed.data;
        const readAtMs = source.retrievedAt === null ? null : Date.parse(source.retrievedAt);
        entries.set(id, {
          contentHash,
          revision,
          readAtMs,
          uri: source.uri,
          spilled: false,
          at,
          length: line.length,
        });
      });
      return new JsonlRecordFile(path, entries, { size, mtimeMs }, leftovers);
    } catch (error) {
      throw ioError(path, 'cannot read', error);
    } finally {
      closeSync(fd);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  /** The revision of every record in the file as opened, for its FileRevisionStore. */
  *revisions(): Generator<[string, RevisionState]> {
    for (const [id, { contentHash, revision, readAtMs }] of this.entries) {
      yield [id, { contentHash, revision, readAtMs }];
    }
  }

  /** The sources (seed paths, URLs) of the records in the file. */
  sourceUris(): Set<string> {
    return new Set([...this.entries.values()].map((e) => e.uri));
  }

  /** Puts a record's line in place of its id's (spilled until `save`). */
  async write(record: CanonicalRecord, json = JSON.stringify(record)): Promise<void> {
    const { at, length } = this.spillLine(json);
    // A known id keeps its place in the Map, and so its line's place in the file.
    this.entries.set(record.id, {
      contentHash: record.contentHash,
      revision: record.revision,
      readAtMs: record.source.retrievedAt === null ? null : Date.parse(record.source.retrievedAt),
      uri: record.source.uri,
      spilled: true,
      at,
      length,
    });
  }

  /** Nothing to close: `save` writes the file and drops the spill file. */
  async close(): Promise<void> {}

  async save(): Promise<void> {
    this.flushSpill();
    const old = this.opened ? this.openUnchanged() : null;
    const tmp = `${this.path}.${process.pid}.tmp`;
    try {
      const out = openSync(tmp, 'w');
      try {
        const writer = new LineWriter(out);
        for (const entry of this.entries.values()) {
          writer.copyLine(entry.spilled ? this.spill!.fd : old!, entry.at, entry.length);
        }
        writer.flush();
      } finally {
        closeSync(out);
      }
      renameSync(tmp, this.path);
    } catch (error) {
      removeQuietly(tmp);
      throw ioError(
        this.path,
        `cannot write it: it is left as it is, ${this.whereRecordsAre()}`,
        error,
      );
    } finally {
      if (old !== null) closeSync(old);
    }
    if (this.spill) {
      closeSync(this.spill.fd);
      rmSync(this.spill.path, { force: true });
      this.spill = null;
    }
  }

  /** Appends a line to the spill file (buffered), and says where it will be. */
  private spillLine(line: string): { at: number; length: number } {
    if (this.spill === null) {
      const path = `${this.path}.${process.pid}.spill`;
      const fd = ioStep(path, "cannot hold this run's records", () => openSync(path, 'w+'));
      this.spill = { fd, path, size: 0, pending: [], pendingBytes: 0 };
    }
    const length = Buffer.byteLength(line);
    const at = this.spill.size;
    this.spill.pending.push(line, '\n');
    this.spill.size += length + 1;
    this.spill.pendingBytes += length + 1;
    if (this.spill.pendingBytes >= CHUNK_BYTES) this.flushSpill();
    return { at, length };
  }

  private flushSpill(): void {
    if (this.spill === null || this.spill.pending.length === 0) return;
    const { fd, path, pending } = this.spill;
    ioStep(path, "cannot hold this run's records", () =>
      writeAll(fd, Buffer.from(pending.join(''))),
    );
    this.spill.pending = [];
    this.spill.pendingBytes = 0;
  }

  /**
   * The file as it was opened, to copy its lines from. Another writer (a second run on the same
   * file) would be overwritten: refuse instead, and keep this run's lines.
   */
  private openUnchanged(): number {
    let fd: number | null = null;
    try {
      fd = openSync(this.path, 'r');
      const { size, mtimeMs } = fstatSync(fd);
      if (size === this.opened!.size && mtimeMs === this.opened!.mtimeMs) return fd;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
        throw ioError(
          this.path,
          `cannot read it again: it is left as it is, ${this.whereRecordsAre()}`,
          error,
        );
    }
    if (fd !== null) closeSync(fd);
    throw new RecordsFileError(
      `${this.path} changed while this run was writing it (another run on the same file?): ` +
        `it is left as it is, ${this.whereRecordsAre()}`,
    );
  }

  private whereRecordsAre(): string {
    return this.spill
      ? `and this run's new and revised records are in ${this.spill.path}`
      : 'and this run had no new or revised records';
  }
}

/**
 * The RecordsFileError for a failed file operation: the file, what could not be done, and the
 * system's reason without the path Node repeats ("ENOSPC: no space left on device").
 */
function ioError(path: string, what: string, error: unknown): RecordsFileError {
  if (error instanceof RecordsFileError) return error;
  const reason = (error as Error).message.replace(/, \w+ '[^']*'(?: -> '[^']*')?$/, '');
  return new RecordsFileError(`${path}: ${what} (${reason})`, { cause: error });
}

/** This run's spill and temporary files are `<file>.<pid>.spill` and `<file>.<pid>.tmp`. */
const OWN_FILE = /^\.(\d+)\.(spill|tmp)$/;

/**
 * Files that runs on `path` which are no longer running left beside it (killed, out of
 * memory): their half-written temporary files are removed once they are stale; their spill
 * files, the only copy of that run's new and revised records, are kept and returned.
 */
function clearLeftovers(path: string): string[] {
  const folder = dirname(path);
  const prefix = basename(path);
  const spills: string[] = [];
  for (const name of ioStep(path, 'cannot list its folder', () => readdirSync(folder))) {
    if (!name.startsWith(prefix)) continue;
    const own = OWN_FILE.exec(name.slice(prefix.length));
    if (!own || isRunning(Number(own[1]))) continue;
    const file = join(folder, name);
    if (own[2] === 'spill') spills.push(file);
    // A process id only tells within one PID namespace: a run in another container on a shared
    // folder may be writing this file now. A temporary file untouched for a while is not.
    else if (isOlderThan(file, STALE_TMP_MS)) removeQuietly(file);
  }
  return spills.sort();
}

/** A temporary file lives for one save (seconds); one this old belongs to no running save. */
const STALE_TMP_MS = 10 * 60_000;

function isOlderThan(path: string, ms: number): boolean {
  try {
    return Date.now() - statSync(path).mtimeMs > ms;
  } catch {
    return false;
  }
}

/** Whether a process runs under this id; this process's id counts as free (its files are not made yet). */
export function isRunning(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes a file if it can: a cleanup that fails must not hide the error being reported. */
function removeQuietly(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // The error being reported says what went wrong; a leftover file is the lesser harm.
  }
}

function ioStep<T>(path: string, what: string, step: () => T): T {
  try {
    return step();
  } catch (error) {
    throw ioError(path, what, error);
  }
}

/** Calls `onLine` with each line of a file (without its newline) and the line's byte offset. */
function forEachLine(fd: number, onLine: (line: Buffer, at: number) => void): void {
  let buffer = Buffer.alloc(CHUNK_BYTES);
  let filled = 0;
  let fileOffset = 0;
  for (;;) {
    if (filled === buffer.length) {
      // A line longer than the buffer: grow it.
      const bigger = Buffer.alloc(buffer.length * 2);
      buffer.copy(bigger, 0, 0, filled);
      buffer = bigger;
    }
    const read = readSync(fd, buffer, filled, buffer.length - filled, fileOffset + filled);
    const end = filled + read;
    const data = buffer.subarray(0, end);
    let start = 0;
    // The bytes carried over from the last read hold no newline: the search starts after them.
    for (let nl = data.indexOf(NEWLINE, filled); nl >= 0; nl = data.indexOf(NEWLINE, start)) {
      onLine(data.subarray(start, nl), fileOffset + start);
      start = nl + 1;
    }
    if (read === 0) {
      if (start < end) onLine(buffer.subarray(start, end), fileOffset + start);
      return;
    }
    buffer.copy(buffer, 0, start, end);
    fileOffset += start;
    filled = end - start;
  }
}

/**
 * Writes lines copied from other files. Lines that follow one another in their file (a fresh
 * run's spill, the untouched stretches of the old file) are copied as one range.
 */
class LineWriter {
  private readonly buffer = Buffer.alloc(CHUNK_BYTES);
  private range: { fd: number; start: number; end: number } | null = null;

  constructor(private readonly fd: number) {}

  copyLine(from: number, at: number, length: number): void {
    const range = this.range;
    // Lines are separated by one newline in both files, so the next line starts one byte on.
    if (range !== null && range.fd === from && range.end + 1 === at) {
      range.end = at + length;
      return;
    }
    this.flush();
    this.range = { fd: from, start: at, end: at + length };
  }

  /** Writes the pending range and its final newline. */
  flush(): void {
    if (this.range === null) return;
    const { fd, start, end } = this.range;
    for (let at = start; at < end; at += CHUNK_BYTES) {
      const length = Math.min(CHUNK_BYTES, end - at);
      readExactly(fd, this.buffer, 0, length, at);
      writeAll(this.fd, this.buffer.subarray(0, length));
    }
    writeAll(this.fd, LINE_END);
    this.range = null;
  }
}

/** writeSync until every byte is written: a write may take fewer bytes than it was given. */
function writeAll(fd: number, bytes: Buffer): void {
  for (let written = 0; written < bytes.length;) {
    written += writeSync(fd, bytes, written, bytes.length - written);
  }
}

function readExactly(fd: number, into: Buffer, offset: number, length: number, at: number): void {
  let done = 0;
  while (done < length) {
    const read = readSync(fd, into, offset + done, length - done, at + done);
    if (read === 0) throw new Error(`record file ended early: ${length} bytes wanted at ${at}`);
    done += read;
  }
}
