import type { StoredPageRecord } from '../pipeline/isolated-pages.js';
import { processPage, type PipelineDeps } from '../pipeline/process-page.js';
import { loadRawPage, type FsRawStore } from '../raw/raw-store.js';
import { deliverRecord, type Delivery } from '../delivery/deliver-record.js';
import type { RecordSink } from '../delivery/record-sink.js';
import type { RevisionStore } from '../delivery/revision-store.js';
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
   * Reads the stored page and runs processPage elsewhere (a thread of its own), where the
   * record's JSON is made too; by default here, on `rawStore` and `pipeline`.
   */
  processStored?: (rawHash: string) => Promise<StoredPageRecord>;
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
  const { record, retrievedAt } = deps.processStored
    ? await deps.processStored(data.rawHash)
    : await processHere(data.rawHash, deps);
  const readAt = data.readAt ?? retrievedAt;
  return deliverRecord(record, readAt === null ? null : Date.parse(readAt), {
    store: deps.store,
    sinks: deps.sinks,
    leaseMs: deps.sinkLeaseMs,
  });
}

async function processHere(rawHash: string, deps: ProcessJobDeps) {
  const raw = await loadRawPage(deps.rawStore, rawHash);
  return { record: processPage(raw, deps.pipeline).record, retrievedAt: raw.retrievedAt };
}
