import { isErrorCode, type ErrorCode } from '../error-codes.js';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Job duration buckets, in seconds: a seed-sized page is processed in a few milliseconds, a
 * slow fetch takes up to the whole-request timeout (60 s by default).
 */
const DURATION_BUCKETS_S = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** Job states reported as queue depth: the ones an operator acts on. */
export const DEPTH_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'failed'] as const;
export type DepthState = (typeof DEPTH_STATES)[number];

/** The metrics of one worker process, on their own registry (never the global one). */
export interface WorkerMetrics {
  registry: Registry;
  /** Fetch jobs that stored a page (`result="stored"`) or found it unchanged (`"not_modified"`). */
  pagesFetched: Counter<'result'>;
  /** Process jobs that produced a record. */
  pagesProcessed: Counter;
  /** Jobs that ended failed (no retry left), by queue and stable reason code. */
  pagesFailed: Counter<'queue' | 'code'>;
  /** Failed attempts that will be retried, by queue and reason code. */
  attemptsRetried: Counter<'queue' | 'code'>;
  /** Jobs whose lock expired (their worker died or hung) and went back to the queue. */
  jobsStalled: Counter<'queue'>;
  /** Time from a job becoming active to its end, by stage (the queue) and outcome. */
  stageDuration: Histogram<'stage' | 'outcome'>;
  /** Jobs per queue and state, read from Redis at each scrape. */
  queueDepth: Gauge<'queue' | 'state'>;
  /** 1 while this worker's Redis connection is ready. */
  redisUp: Gauge;
  /** 1 while Redis answers but refuses writes (out of memory, read-only replica). */
  redisWritesRefused: Gauge;
}

/** Creates the registry with Node's default process metrics and newsnorm's own. */
export function createWorkerMetrics(): WorkerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    pagesFetched: new Counter({
      name: 'newsnorm_pages_fetched_total',
      help: 'Pages fetched by fetch jobs, by result (stored, not_modified)',
      labelNames: ['result'],
      registers,
    }),
    pagesProcessed: new Counter({
      name: 'newsnorm_pages_processed_total',
      help: 'Pages turned into records by process jobs',
      registers,
    }),
    pagesFailed: new Counter({
      name: 'newsnorm_pages_failed_total',
      help: 'Jobs failed for good (no retry left), by queue and reason code',
      labelNames: ['queue', 'code'],
      registers,
    }),
    attemptsRetried: new Counter({
      name: 'newsnorm_job_attempts_retried_total',
      help: 'Failed job attempts that will be retried, by queue and reason code',
      labelNames: ['queue', 'code'],
      registers,
    }),
    jobsStalled: new Counter({
      name: 'newsnorm_jobs_stalled_total',
      help: 'Jobs whose lock expired and that went back to the queue',
      labelNames: ['queue'],
      registers,
    }),
    stageDuration: new Histogram({
      name: 'newsnorm_stage_duration_seconds',
      help: 'Job duration from active to finished, by stage (queue) and outcome',
      labelNames: ['stage', 'outcome'],
      buckets: DURATION_BUCKETS_S,
      registers,
    }),
    queueDepth: new Gauge({
      name: 'newsnorm_queue_depth',
      help: 'Jobs in each queue by state, read from Redis when scraped',
      labelNames: ['queue', 'state'],
      registers,
    }),
    redisUp: new Gauge({
      name: 'newsnorm_redis_up',
      help: '1 while the worker connection to Redis is ready',
      registers,
    }),
    redisWritesRefused: new Gauge({
      name: 'newsnorm_redis_writes_refused',
      help: '1 while Redis answers but refuses writes (out of memory, read-only replica)',
      registers,
    }),
  };
}

/** The stable reason code a job error message starts with (`CODE: message`), else INTERNAL. */
export function reasonCode(message: string | undefined): ErrorCode {
  const match = /^([A-Z][A-Z0-9_]{1,63}):/.exec(message ?? '');
  if (match && isErrorCode(match[1]!)) return match[1];
  // BullMQ's own failures (a job stalled too often, a lock lost) carry no code of ours.
  if (message && /stalled more than allowable limit/i.test(message)) return 'JOB_STALLED';
  if (message && /lock/i.test(message)) return 'JOB_LOCK_LOST';
  return 'INTERNAL';
}
