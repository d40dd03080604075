import type { ErrorCode } from '../error-codes.js';
import { errorCode } from '../errors.js';
import type { CanonicalRecord } from '../record/canonical-record.js';
import type { RecordSink } from '../delivery/record-sink.js';

/** A record some sink could not take: the page it came from, the sink, and why. */
export interface SinkFailure {
  label: string;
  sink: string;
  code: ErrorCode;
  message: string;
}

/**
 * Writes records to sinks beside the in-process driver's records file, a few at a time: the
 * sinks used so (postgres) keep revisions forward-only themselves, so the order of the writes
 * does not matter. A failed write is kept for `takeFailures`; the others go on.
 */
export class SinkWriter {
  private readonly inFlight = new Set<Promise<void>>();
  private failures: SinkFailure[] = [];

  constructor(
    readonly sinks: RecordSink[],
    private readonly maxInFlight: number,
  ) {}

  /** Starts writing a record to every sink; waits first while `maxInFlight` writes are pending. */
  async write(record: CanonicalRecord, label: string): Promise<void> {
    while (this.inFlight.size >= this.maxInFlight) await Promise.race(this.inFlight);
    const json = JSON.stringify(record);
    for (const sink of this.sinks) {
      const tracked: Promise<void> = sink
        .write(record, json)
        .catch((error: unknown) => {
          this.failures.push({
            label,
            sink: sink.name,
            code: errorCode(error),
            message: (error as Error).message,
          });
        })
        .finally(() => this.inFlight.delete(tracked));
      this.inFlight.add(tracked);
    }
  }

  /** The failures since the last call. */
  takeFailures(): SinkFailure[] {
    return this.failures.splice(0);
  }

  /** Waits for every pending write. */
  async flush(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
  }

  async close(): Promise<void> {
    await this.flush();
    await Promise.all(this.sinks.map((s) => s.close()));
  }
}
