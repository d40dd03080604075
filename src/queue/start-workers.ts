import { DelayedError, Worker, type Job } from 'bullmq';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Config } from '../config/config.js';
import { PermanentError, RetryableError } from '../errors.js';
import { FetchErrorCode } from '../fetch/fetch-error-codes.js';
import { IsolatedPages } from '../pipeline/isolated-pages.js';
import type { PipelineDeps } from '../pipeline/process-page.js';
import { FsRawStore } from '../raw/raw-store.js';
import { assertLocalSourceAllowed } from '../sources/local-source-policy.js';
import { createSinks } from '../sinks/create-sinks.js';
import { appendsInClaim } from '../delivery/redis-stream-sink.js';
import { createErrorLog } from '../ops/repeat-throttle.js';
import { assertNoEviction } from './assert-no-eviction.js';
import { seenUrlMarks } from '../jobs/enqueue-urls.js';
import { expandSource, type ReadFeed } from '../jobs/expand-source.js';
import { runFetchJob, type FetchRaw } from '../jobs/fetch-job.js';
import { createFetchStage } from '../jobs/fetch-stage.js';
import { FetchJobData, ProcessJobData, SourceJobData } from '../jobs/job-data.js';
import { closeQueues, openQueues } from './open-queues.js';
import { runProcessJob, type ProcessJobDeps } from '../jobs/process-job.js';
import type { QueueName } from './queue-names.js';
import { recordKeys } from '../delivery/record-keys.js';
import { connectRedis } from './redis-connection.js';
import { RedisRevisionStore } from '../delivery/redis-revision-store.js';
import { retryDelayMs, type BackoffSettings } from './retry-delay.js';
import { toJobError } from './to-job-error.js';

export interface StartWorkersOptions {
  config: Config;
  queues: QueueName[];
  /** Overrides the configured concurrency of every queue. */
  concurrency?: number;
  logger: Logger;
  pipeline: PipelineDeps;
  /** Replaces the fetch layer (tests); by default fetchPage with the Redis host gate. */
  fetchRaw?: FetchRaw;
  /** Replaces the feed reader (tests); by default pollSource with the Redis seen-URL set. */
  readFeed?: ReadFeed;
  /**
   * Replaces runProcessJob (benchmarks that measure the queue layer without parts of the
   * stage); it gets the same data and dependencies.
   */
  processJob?: (data: ProcessJobData, deps: ProcessJobDeps) => Promise<unknown>;
  /**
   * Cleans pages in a thread of their own (config `page`), so no page holds the event loop.
   * @default false (in this thread, on `pipeline`)
   */
  isolatePages?: boolean;
}

export interface WorkerRuntime {
  /** Stops taking jobs and waits for held ones, at most `timeoutMs`; true when all finished. */
  close(timeoutMs: number): Promise<boolean>;
  /** The workers, queues and connection, for the operations layer (metrics, readiness). */
  workers: Worker[];
  queues: ReturnType<typeof openQueues>;
  connection: Awaited<ReturnType<typeof connectRedis>>;
}

/**
 * Starts one BullMQ worker per queue in this process, on one connection, after checking that
 * Redis will not evict keys. The queue is bound to its stage functions and sinks here; the
 * stages know nothing about BullMQ.
 */
export async function startWorkers(options: StartWorkersOptions): Promise<WorkerRuntime> {
  const { config, logger } = options;
  const q = config.queue;
  const connection = await connectRedis(q.redisUrl, 'worker');
  // An outage makes every connection, queue and worker report each reconnect attempt: one line
  // per kind a minute, with a count, and one line when Redis is back.
  const errorLog = createErrorLog(logger);
  connection.on('error', (error) => errorLog.error({}, error, 'redis connection error'));
  connection.on('ready', () => errorLog.recovered('redis connection restored'));
  try {
    await assertNoEviction(connection);
  } catch (error) {
    connection.disconnect();
    throw error;
  }
  const queues = openQueues(q, connection);
  for (const queue of Object.values(queues)) {
    queue.on('error', (error) => errorLog.error({ queue: queue.name }, error, 'queue error'));
  }
  const keys = recordKeys(q.prefix, config.sinks.streamName);
  // Ledger and stream writes of concurrent jobs share a pipelined connection of their own.
  const recordsConnection = await connectRedis(q.redisUrl, 'worker', { autoPipelining: true });
  recordsConnection.on('error', (error) => errorLog.error({}, error, 'redis connection error'));
  const sinks = await createSinks(config.sinks, recordsConnection, keys, (error) =>
    errorLog.error({}, error, 'postgres connection error'),
  );
  const rawStore = new FsRawStore(config.paths.rawDir);
  const stream = sinks.find(appendsInClaim);
  const store = new RedisRevisionStore(
    recordsConnection,
    keys,
    stream ? { sink: stream.name, ...stream.target } : null,
  );
  const fetchStage = options.queues.some((name) => name === 'fetch' || name === 'schedule')
    ? createFetchStage(config.fetch, connection, seenUrlMarks(config), { sourceThread: true })
    : null;
  const fetchRaw: FetchRaw =
    options.fetchRaw ??
    fetchStage?.fetchRaw ??
    (() => {
      throw new PermanentError('FETCH_DISABLED', 'fetching is not available in this build');
    });
  const readFeed = options.readFeed ?? fetchStage?.readFeed;
  const processJob = options.processJob ?? runProcessJob;
  const isolated =
    options.isolatePages && options.queues.includes('process')
      ? new IsolatedPages({
          paths: config.paths,
          timeoutMs: config.page.timeoutMs,
          maxHeapMb: config.page.maxHeapMb,
        })
      : null;
  await isolated?.start();

  const handlers: Record<QueueName, (job: Job, signal?: AbortSignal) => Promise<unknown>> = {
    fetch: (job, signal) =>
      runFetchJob(
        parseJobData(FetchJobData, job),
        {
          fetchRaw,
          rawStore,
          processQueue: queues.process,
          ...(fetchStage ? { afterStore: fetchStage.afterStore } : {}),
        },
        signal,
      ),
    process: (job) =>
      processJob(parseJobData(ProcessJobData, job), {
        rawStore,
        pipeline: options.pipeline,
        store,
        sinks,
        sinkLeaseMs: q.lockDurationMs,
        ...(isolated
          ? { processStored: (rawHash: string) => isolated.processStored(rawHash) }
          : {}),
      }),
    schedule: async (job) => {
      const source = parseJobData(SourceJobData, job);
      if (source.kind !== 'feed') {
        const path = source.kind === 'seeds' ? source.dir : source.file;
        await assertLocalSourceAllowed(path, [config.paths.seedsDir, ...config.sources.localDirs]);
      }
      const result = await expandSource(source, {
        fetchQueue: queues.fetch,
        processQueue: queues.process,
        seen: seenUrlMarks(config),
        rawStore,
        ...(readFeed ? { readFeed } : {}),
      });
      if (result.warnings) {
        logger.warn(
          { queue: 'schedule', jobId: job.id, warnings: result.warnings },
          'source read in part',
        );
      }
      return result;
    },
  };

  const workers = options.queues.map((name) => {
    const concurrency =
      options.concurrency ?? (name === 'process' ? q.processConcurrency : q.fetchConcurrency);
    const run = async (job: Job, token: string | undefined, signal?: AbortSignal) => {
      try {
        return await handlers[name](job, signal);
      } catch (error) {
        const waitMs = hostTurnWait(error);
        if (waitMs !== null && token !== undefined) {
          // Waiting for a host's turn is politeness, not a failure: the job comes back when
          // the turn is due, with its attempts untouched.
          await job.moveToDelayed(Date.now() + waitMs, token);
          throw new DelayedError();
        }
        throw toJobError(error);
      }
    };
    // BullMQ makes an AbortController for every job of a processor that takes a signal (three
    // parameters); only fetch jobs use it.
    const processor =
      name === 'fetch'
        ? (job: Job, token?: string, signal?: AbortSignal) => run(job, token, signal)
        : (job: Job, token?: string) => run(job, token);
    const worker = new Worker(name, processor, {
      connection,
      prefix: q.prefix,
      concurrency,
      lockDuration: q.lockDurationMs,
      stalledInterval: q.stalledIntervalMs,
      maxStalledCount: q.maxStalledCount,
      removeOnComplete: { count: q.keepCompletedCount, age: q.keepCompletedAgeSec },
      removeOnFail: { count: q.keepFailedCount, age: q.keepFailedAgeSec },
      settings: {
        backoffStrategy: (attemptsMade, _type, error, job) =>
          retryDelayMs(attemptsMade, backoffOf(job?.opts.backoff, q), error),
      },
    });
    worker.on('error', (error) => errorLog.error({ queue: name }, error, 'worker error'));
    worker.on('failed', (job, error) => {
      const log = logger.child({ queue: name, jobId: job?.id, url: jobUri(job) });
      log.warn({ attemptsMade: job?.attemptsMade, reason: error.message }, 'job failed');
    });
    worker.on('stalled', (jobId) => logger.warn({ queue: name, jobId }, 'job stalled, requeued'));
    if (logger.isLevelEnabled('debug')) {
      worker.on('completed', (job, result) =>
        logger.debug({ queue: name, jobId: job.id, url: jobUri(job), result }, 'job done'),
      );
    }
    return worker;
  });
  await Promise.all(workers.map((w) => w.waitUntilReady()));
  logger.info(
    { queues: options.queues, prefix: q.prefix, sinks: sinks.map((s) => s.name) },
    'worker ready',
  );

  return {
    workers,
    queues,
    connection,
    async close(timeoutMs) {
      const closing = Promise.all(workers.map((w) => w.close())).then(() => true);
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      });
      const drained = await Promise.race([closing, timedOut]);
      clearTimeout(timer);
      if (drained) {
        await Promise.all(sinks.map((s) => s.close()));
        await isolated?.close();
        await fetchStage?.close();
        await closeQueues(queues);
        await connection.quit().catch(() => connection.disconnect());
        await recordsConnection.quit().catch(() => recordsConnection.disconnect());
      } else {
        // Held jobs are abandoned: their locks expire and another worker takes them as stalled.
        connection.disconnect();
        recordsConnection.disconnect();
        void isolated?.close();
      }
      return drained;
    },
  };
}

/** The delay and jitter a job was enqueued with (its own options win over today's config). */
function backoffOf(
  backoff: number | { delay?: number; jitter?: number } | undefined,
  q: Config['queue'],
): BackoffSettings {
  if (typeof backoff === 'object') {
    return { delay: backoff.delay ?? q.backoffDelayMs, jitter: backoff.jitter ?? q.backoffJitter };
  }
  return { delay: q.backoffDelayMs, jitter: q.backoffJitter };
}

function parseJobData<T>(schema: z.ZodType<T>, job: Job): T {
  const parsed = schema.safeParse(job.data);
  if (!parsed.success) {
    throw new PermanentError(
      'JOB_DATA_INVALID',
      `job data does not match the ${job.queueName} schema\n${z.prettifyError(parsed.error)}`,
    );
  }
  return parsed.data;
}

/** The wait a HOST_BUSY error asks for (ms), or null for any other error. */
function hostTurnWait(error: unknown): number | null {
  if (!(error instanceof RetryableError) || error.code !== FetchErrorCode.HOST_BUSY) return null;
  return Math.max(HOST_TURN_MIN_DELAY_MS, error.retryAfterMs ?? 0);
}

/** A job put off for a host's turn waits at least this long (a turn freed early is not lost). */
const HOST_TURN_MIN_DELAY_MS = 100;

function jobUri(job: Job | undefined): string | undefined {
  const data = job?.data as { url?: string; uri?: string } | undefined;
  return data?.url ?? data?.uri;
}
