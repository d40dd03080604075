import { randomUUID } from 'node:crypto';
import { PermanentError, RetryableError } from '../errors.js';
import { processPage, type PipelineDeps } from '../pipeline/process-page.js';
import type { FsRawStore } from '../raw/raw-store.js';
import type { RawPage } from '../raw/raw-page.js';
import { withRevision, type RecordDraft } from '../record/build-record.js';
import { recordJson, recordText, type RecordJson } from '../record/record-json.js';
import type { RecordSink } from '../sinks/record-sink.js';
import { appendsInClaim } from '../sinks/redis-stream-sink.js';
import { marksOwnDelivery } from '../sinks/self-marking-sink.js';
import type { ProcessJobData } from './job-data.js';
import type { RevisionLedger } from './revision-ledger.js';

export interface ProcessJobDeps {
  rawStore: Pick<FsRawStore, 'get'>;
  pipeline: PipelineDeps;
  ledger: RevisionLedger;
  sinks: RecordSink[];
  /**
   * How long a job may hold the right to write a record revision to a sink. Another job for
   * the same record waits (retries) meanwhile; after it, a crashed writer's turn passes on.
   */
  sinkLeaseMs: number;
  /**
   * Runs processPage elsewhere (a thread of its own), with the record's JSON made there too;
   * by default here, on `pipeline`.
   */
  processPage?: (raw: RawPage) => Promise<{ draft: RecordDraft; json: RecordJson }>;
}

export interface ProcessJobResult {
  id: string;
  revision: number;
  /** Sinks written by this run; empty when every sink already had the revision. */
  written: string[];
}

/**
 * Raw page → record → sinks, safe to run any number of times, at once or one after another:
 * the ledger gives the content its revision atomically, and each sink is written only when it
 * lacks that revision and no other job is writing it. The stream sink is written by the claim
 * itself, marked in the same step (exactly once, one round trip); the others are marked right
 * after their write, so only a crash between the two repeats a write (at least once, with the
 * (id, revision) pair for the receiver to drop a repeat). The record is serialized once, for
 * every sink.
 */
export async function runProcessJob(
  data: ProcessJobData,
  deps: ProcessJobDeps,
): Promise<ProcessJobResult> {
  const raw = await loadRaw(data.rawHash, deps.rawStore);
  const elsewhere = deps.processPage ? await deps.processPage(raw) : undefined;
  const draft = elsewhere?.draft ?? processPage(raw, deps.pipeline).record;
  const json = elsewhere?.json ?? recordJson(draft);
  const stream = deps.sinks.find(appendsInClaim);
  const token = randomUUID();
  const { revision, status } = await deps.ledger.claim(
    draft.id,
    draft.contentHash,
    deps.sinks.map((s) => ({ name: s.name, atomic: marksOwnDelivery(s) })),
    { token, ms: deps.sinkLeaseMs },
    stream ? { sink: stream.name, ...stream.target, json } : undefined,
  );
  const written = deps.sinks.filter((s) => status.get(s.name) === 'written').map((s) => s.name);
  const pending = deps.sinks.filter((sink) => status.get(sink.name) === 'go');
  const busy = deps.sinks.filter((sink) => status.get(sink.name) === 'busy').map((s) => s.name);
  if (pending.length > 0) {
    const record = withRevision(draft, revision);
    const text = recordText(json, revision);
    const outcomes = await Promise.allSettled(
      pending.map(async (sink) => {
        await sink.write(record, text);
        if (!marksOwnDelivery(sink))
          await deps.ledger.markDelivered(record.id, revision, [sink.name]);
        written.push(sink.name);
      }),
    );
    const failed = pending.filter((_, i) => outcomes[i]!.status === 'rejected').map((s) => s.name);
    if (failed.length > 0) {
      await deps.ledger.release(record.id, token, failed).catch(() => {});
      // The sinks that succeeded are marked: the retry writes only the ones that failed.
      throw (outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult).reason;
    }
  }
  if (busy.length > 0) {
    throw new RetryableError(
      'SINK_BUSY',
      `record ${draft.id} revision ${revision} is being written to ${busy.join(', ')} by another job`,
    );
  }
  return { id: draft.id, revision, written };
}

async function loadRaw(hash: string, store: Pick<FsRawStore, 'get'>) {
  try {
    return await store.get(hash);
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new PermanentError('RAW_MISSING', `raw page ${hash} is not in the raw store`, {
        cause,
      });
    }
    throw cause;
  }
}
