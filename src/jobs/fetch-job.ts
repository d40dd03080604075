import type { Queue } from 'bullmq';
import type { RawPage } from '../raw/raw-page.js';
import type { FsRawStore } from '../raw/raw-store.js';
import { processJobId, type FetchJobData, type ProcessJobData } from './job-data.js';

/** Fetches one URL into a RawPage; null when the server said it has not changed (304). */
export type FetchRaw = (url: string, signal: AbortSignal | undefined) => Promise<RawPage | null>;

export interface FetchJobDeps {
  fetchRaw: FetchRaw;
  rawStore: Pick<FsRawStore, 'put'>;
  processQueue: Pick<Queue, 'add'>;
  /** Called once the page is stored (the fetch layer keeps its validators then). */
  afterStore?: (page: RawPage) => Promise<void>;
}

export interface FetchJobResult {
  /** The stored page, or null when it had not changed. */
  rawHash: string | null;
}

/** Fetches a URL, stores the page raw and hands it to the process queue. */
export async function runFetchJob(
  data: FetchJobData,
  deps: FetchJobDeps,
  signal?: AbortSignal,
): Promise<FetchJobResult> {
  const raw = await deps.fetchRaw(data.url, signal);
  if (raw === null) return { rawHash: null };
  const rawHash = await deps.rawStore.put(raw);
  await deps.afterStore?.(raw);
  const job: ProcessJobData = {
    rawHash,
    uri: data.url,
    ...(raw.retrievedAt ? { readAt: raw.retrievedAt } : {}),
  };
  await deps.processQueue.add('process', job, { jobId: processJobId(rawHash) });
  return { rawHash };
}
