import { PermanentError } from '../errors.js';
import { processPage, type PipelineDeps } from '../pipeline/process-page.js';
import type { FsRawStore } from '../raw/raw-store.js';
import { withRevision } from '../record/build-record.js';
import type { RecordSink } from '../sinks/record-sink.js';
import type { ProcessJobData } from './job-data.js';
import type { RevisionLedger } from './revision-ledger.js';

export interface ProcessJobDeps {
  rawStore: Pick<FsRawStore, 'get'>;
  pipeline: PipelineDeps;
  ledger: RevisionLedger;
  sinks: RecordSink[];
}

export interface ProcessJobResult {
  id: string;
  revision: number;
  /** Sinks written by this run; empty when every sink already had the revision. */
  written: string[];
}

/**
 * Raw page → record → sinks, safe to run any number of times: the ledger gives the content its
 * revision atomically, and only sinks that have not received that revision are written.
 */
export async function runProcessJob(
  data: ProcessJobData,
  deps: ProcessJobDeps,
): Promise<ProcessJobResult> {
  const raw = await loadRaw(data.rawHash, deps.rawStore);
  const { record: draft } = processPage(raw, deps.pipeline);
  const { revision, delivered } = await deps.ledger.claim(draft.id, draft.contentHash);
  const pending = deps.sinks.filter((sink) => (delivered.get(sink.name) ?? 0) < revision);
  if (pending.length === 0) return { id: draft.id, revision, written: [] };
  const record = withRevision(draft, revision);
  const outcomes = await Promise.allSettled(pending.map((sink) => sink.write(record)));
  const written = pending.filter((_, i) => outcomes[i]!.status === 'fulfilled').map((s) => s.name);
  await deps.ledger.markDelivered(record.id, revision, written);
  const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  // The sinks that succeeded are marked: the retry writes only the ones that failed.
  if (failure) throw failure.reason;
  return { id: record.id, revision, written };
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
