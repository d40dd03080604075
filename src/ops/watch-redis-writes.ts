import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { writeRefusal } from './write-refusal.js';
import { withDeadline } from './instrument-workers.js';
import type { WorkerMetrics } from './worker-metrics.js';

/** While Redis refuses writes, a probe write is tried this often. */
const PROBE_INTERVAL_MS = 1_000;
/** The probe key lives this long: it marks nothing, it only asks whether a write is taken. */
const PROBE_TTL_MS = 5_000;

export interface WriteWatchDeps {
  redis: Pick<Redis, 'set' | 'status'>;
  /** A key of this deployment the probe may write (under the queue prefix). */
  probeKey: string;
  logger: Logger;
  metrics: WorkerMetrics;
  workers: readonly Worker[];
  /** A probe slower than this answers nothing (Redis hung: readiness says so already). */
  timeoutMs: number;
  /** Called once Redis takes writes again; returns how many failed jobs it re-queued. */
  onWritesBack: () => Promise<number>;
}

export interface WriteWatch {
  /** Why Redis refuses writes now (out of memory, read-only), or null while it takes them. */
  refusal(): string | null;
  /** Tries a write now; returns the refusal, or null when Redis took it (or did not answer). */
  probe(): Promise<string | null>;
  close(): void;
}

/**
 * Notices a Redis that answers but takes no writes (maxmemory reached with noeviction, a
 * read-only replica): from a job or a worker that met the refusal, or from a probe write at
 * each `/readyz`. While it lasts `/readyz` is 503, `newsnorm_redis_writes_refused` is 1 and
 * one warning is logged; a probe each second then waits for writes to be taken again, logs
 * it, and re-queues the jobs that failed for that reason.
 */
export function watchRedisWrites(deps: WriteWatchDeps): WriteWatch {
  const { logger, metrics } = deps;
  let refused: string | null = null;
  let timer: NodeJS.Timeout | null = null;
  let recovering = false;

  const markRefused = (reason: string) => {
    if (refused !== null) return;
    refused = reason;
    metrics.redisWritesRefused.set(1);
    logger.warn(
      { reason },
      'redis refuses writes: jobs that need a write fail and are re-queued once it takes them again',
    );
    timer = setInterval(() => void probe(), PROBE_INTERVAL_MS);
    timer.unref();
  };

  const markAccepted = async () => {
    if (refused === null || recovering) return;
    recovering = true;
    try {
      const requeued = await deps.onWritesBack();
      logger.info(
        { requeued, was: refused },
        'redis takes writes again: re-queued the jobs it failed',
      );
      refused = null;
      metrics.redisWritesRefused.set(0);
      if (timer) clearInterval(timer);
      timer = null;
    } catch (error) {
      // Not yet: the next probe tries again.
      const reason = writeRefusal(error);
      if (reason === null)
        logger.warn({ err: error }, 're-queueing jobs failed by a write refusal');
    } finally {
      recovering = false;
    }
  };

  const probe = async (): Promise<string | null> => {
    if (deps.redis.status !== 'ready') return refused;
    const outcome = await withDeadline(
      deps.redis.set(deps.probeKey, String(process.pid), 'PX', PROBE_TTL_MS).then(
        () => 'ok' as const,
        (error: unknown) => writeRefusal(error) ?? ('other' as const),
      ),
      deps.timeoutMs,
      'other' as const,
    );
    if (outcome === 'ok') await markAccepted();
    else if (outcome !== 'other') markRefused(outcome);
    return refused;
  };

  const onError = (error: Error) => {
    const reason = writeRefusal(error);
    if (reason !== null) markRefused(reason);
  };
  const onFailed = (_job: unknown, error: Error) => onError(error);
  for (const worker of deps.workers) {
    worker.on('failed', onFailed);
    worker.on('error', onError);
  }
  metrics.redisWritesRefused.set(0);

  return {
    refusal: () => refused,
    probe,
    close() {
      if (timer) clearInterval(timer);
      for (const worker of deps.workers) {
        worker.off('failed', onFailed);
        worker.off('error', onError);
      }
    },
  };
}
