import type { Job, Queue, Worker } from 'bullmq';
import { reasonCode, DEPTH_STATES, type WorkerMetrics } from './worker-metrics.js';

/** Milliseconds in a second, for Prometheus' seconds. */
const MS_PER_S = 1000;

/**
 * Counts what the workers do, from BullMQ's own events: nothing in the stage functions or the
 * job handlers knows about metrics. Returns a function that removes the listeners.
 */
export function instrumentWorkers(workers: readonly Worker[], metrics: WorkerMetrics): () => void {
  const removers = workers.map((worker) => {
    const stage = worker.name;
    const onCompleted = (job: Job, result: unknown) => {
      metrics.stageDuration.observe({ stage, outcome: 'completed' }, jobSeconds(job));
      if (stage === 'process') metrics.pagesProcessed.inc();
      if (stage === 'fetch') {
        const stored = (result as { rawHash?: string | null } | undefined)?.rawHash;
        metrics.pagesFetched.inc({ result: stored ? 'stored' : 'not_modified' });
      }
    };
    const onFailed = (job: Job | undefined, error: Error) => {
      const code = reasonCode(error.message);
      // BullMQ sets finishedOn only when the job moves to failed for good, not on a retry.
      const final = job === undefined || typeof job.finishedOn === 'number';
      if (final) metrics.pagesFailed.inc({ queue: stage, code });
      else metrics.attemptsRetried.inc({ queue: stage, code });
      if (job) metrics.stageDuration.observe({ stage, outcome: 'failed' }, jobSeconds(job));
    };
    const onStalled = () => metrics.jobsStalled.inc({ queue: stage });
    worker.on('completed', onCompleted);
    worker.on('failed', onFailed);
    worker.on('stalled', onStalled);
    return () => {
      worker.off('completed', onCompleted);
      worker.off('failed', onFailed);
      worker.off('stalled', onStalled);
    };
  });
  return () => removers.forEach((remove) => remove());
}

/**
 * Reads each queue's job counts into the depth gauge; gives up after `timeoutMs` (Redis away)
 * and leaves the last values, so a scrape never hangs on Redis.
 */
export async function refreshQueueDepth(
  queues: readonly Pick<Queue, 'name' | 'getJobCounts'>[],
  metrics: WorkerMetrics,
  timeoutMs: number,
): Promise<boolean> {
  const read = Promise.all(
    queues.map(async (queue) => {
      const counts = await queue.getJobCounts(...DEPTH_STATES);
      for (const state of DEPTH_STATES) {
        metrics.queueDepth.set({ queue: queue.name, state }, counts[state] ?? 0);
      }
    }),
  ).then(() => true);
  return withDeadline(read, timeoutMs, false);
}

/** Resolves with the promise's value, or `fallback` once `ms` have passed. */
export async function withDeadline<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), ms);
  });
  try {
    return await Promise.race([promise.catch(() => fallback), late]);
  } finally {
    clearTimeout(timer);
  }
}

function jobSeconds(job: Job): number {
  const start = job.processedOn ?? job.timestamp;
  const end = typeof job.finishedOn === 'number' ? job.finishedOn : Date.now();
  return Math.max(0, end - start) / MS_PER_S;
}
