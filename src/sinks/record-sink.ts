import type { CanonicalRecord } from '../record/canonical-record.js';

/** Where records go: a file, a Redis Stream, a webhook. */
export interface RecordSink {
  readonly name: string;
  /**
   * Writes one record revision. Called once per (id, revision) by the revision store's owner.
   * `json` is the record's JSON text when the caller has it already, so sinks share one
   * serialization.
   */
  write(record: CanonicalRecord, json?: string): Promise<void>;
  close(): Promise<void>;
}

/** What a store knows of the latest revision of a record. */
export interface RevisionState {
  revision: number;
  contentHash: string;
}
