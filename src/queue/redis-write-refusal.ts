import type { Queue } from 'bullmq';

/** The stable code of a job that failed because Redis refused a write. */
export const WRITE_REFUSED_CODE = 'REDIS_WRITE_REFUSED';

/**
 * Redis's replies when it takes no writes: out of memory under `maxmemory` with noeviction
 * ("OOM command not allowed when used memory > 'maxmemory'"), or a read-only replica
 * ("READONLY You can't write against a read only replica").
 */
const REFUSAL = /\bOOM command not allowed\b|\bREADONLY\b/;

/** Why Redis refused a write, when this error says it did; null for any other error. */
export function writeRefusal(error: unknown): string | null {
  const message = error instanceof Error ? error.message : String(error);
  const match = REFUSAL.exec(message);
  if (!match) return null;
  return match[0].startsWith('OOM') ? 'out of memory (maxmemory)' : 'read-only replica';
}

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
