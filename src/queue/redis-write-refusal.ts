import type { Queue } from 'bullmq';
import { WRITE_REFUSED_CODE, writeRefusal } from '../ops/write-refusal.js';

/** Failed jobs read per page when looking for the ones Redis's refusal failed. */
const FAILED_PAGE = 500;

/**
 * Moves back to waiting every failed job of these queues that failed because Redis refused a
 * write (its reason starts with REDIS_WRITE_REFUSED, or carries Redis's refusal), with its
 * attempts reset: nothing was wrong with the job. Safe to run from several workers at once (a
 * job another one moved already is passed over). Returns how many it moved.
 */
export async function requeueWriteRefused(queues: readonly Queue[]): Promise<number> {
  let moved = 0;
  for (const queue of queues) {
    const total = await queue.getJobCountByTypes('failed');
    // Read first, then move: moving shifts the failed list under a paging reader.
    const refused = [];
    for (let start = 0; start < total; start += FAILED_PAGE) {
      for (const job of await queue.getFailed(start, start + FAILED_PAGE - 1)) {
        const reason = job.failedReason ?? '';
        if (reason.startsWith(`${WRITE_REFUSED_CODE}:`) || writeRefusal(reason) !== null) {
          refused.push(job);
        }
      }
    }
    for (const job of refused) {
      try {
        await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
        moved++;
      } catch {
        // Moved by another worker meanwhile, or removed: nothing to do.
      }
    }
  }
  return moved;
}
