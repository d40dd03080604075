import { PermanentError } from '../errors.js';
import { processPage, type PipelineDeps } from '../pipeline/process-page.js';
import type { FsRawStore } from '../raw/raw-store.js';
import type { RawPage } from '../raw/raw-page.js';
import type { RecordDraft } from '../record/build-record.js';
import type { RecordJson } from '../record/record-json.js';
import { deliverRecord, type Delivery } from '../sinks/deliver-record.js';
import type { RecordSink } from '../sinks/record-sink.js';
import type { RevisionStore } from '../sinks/revision-store.js';
import type { ProcessJobData } from './job-data.js';

export interface ProcessJobDeps {
  rawStore: Pick<FsRawStore, 'get'>;
  pipeline: PipelineDeps;
  store: RevisionStore;
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

export type ProcessJobResult = Delivery;

/**
 * Raw page → record → sinks, safe to run any number of times, at once or one after another,
 * and late: the revision store gives the content its revision atomically (none when the page
 * was read before the record's current revision: a retried or late job delivers nothing), and
 * each sink is written only when it lacks that revision and no other job is writing it
 * (deliverRecord). The stream sink is written by the claim itself, marked in the same step
 * (exactly once, one round trip); the file sink checks after a crash whether its line landed;
 * the webhook is at least once, with the (id, revision) pair for the receiver to drop a repeat.
 */
export async function runProcessJob(
  data: ProcessJobData,
  deps: ProcessJobDeps,
): Promise<ProcessJobResult> {
  const raw = await loadRaw(data.rawHash, deps.rawStore);
  const elsewhere = deps.processPage ? await deps.processPage(raw) : undefined;
  const draft = elsewhere?.draft ?? processPage(raw, deps.pipeline).record;
  const readAt = data.readAt ?? raw.retrievedAt;
  return deliverRecord(draft, readAt === null ? null : Date.parse(readAt), {
    store: deps.store,
    sinks: deps.sinks,
    leaseMs: deps.sinkLeaseMs,
    ...(elsewhere ? { json: elsewhere.json } : {}),
  });
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
