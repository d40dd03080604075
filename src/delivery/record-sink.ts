import type { CanonicalRecord } from '../record/canonical-record.js';

/**
 * Where records go: a file, a Redis Stream, a webhook (and any store that takes a forward-only
 * upsert). A sink only writes: which revision it gets, and whether it needs it at all, is
 * decided by a RevisionStore (src/delivery/revision-store.ts) before `write` is called.
 */
export interface RecordSink {
  readonly name: string;
  /**
   * Writes one record revision. Called once per (id, revision) by the revision store's owner;
   * at least once after a crash between the write and its delivery mark, unless the sink
   * marks its own delivery (SelfMarkingSink) or can check for the write (CheckableSink).
   * Revisions of one id reach it in increasing order: a sink may keep the highest it has seen.
   * `json` is the record's JSON text when the caller has it already, so sinks share one
   * serialization.
   */
  write(record: CanonicalRecord, json?: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * A sink that can tell whether a write landed, so a crash between the write and its delivery
 * mark repeats nothing (the worker's JSONL file): the revision store keeps the position the
 * sink gave at the start of an attempt, and hands it back to the next attempt.
 */
export interface CheckableSink extends RecordSink {
  /** Where the sink stands now: an opaque text without ":" (a file's size). */
  position(): Promise<string>;
  /** Whether the revision was written (whole) since `position`. */
  wrote(id: string, revision: number, since: string): Promise<boolean>;
}

export function isCheckable(sink: RecordSink): sink is CheckableSink {
  return typeof (sink as Partial<CheckableSink>).wrote === 'function';
}
