import type { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { OpsConfig } from '../config/ops-config.js';
import { instrumentWorkers, refreshQueueDepth } from './instrument-workers.js';
import { startOpsServer, type ExtraRoute, type OpsServer } from './ops-server.js';
import { checkReadiness } from './readiness.js';
import { watchRedisWrites, type WriteWatchDeps } from './watch-redis-writes.js';
import { createWorkerMetrics, type WorkerMetrics } from './worker-metrics.js';

export interface WorkerOpsDeps {
  ops: OpsConfig;
  logger: Logger;
  /** The workers' Redis connection. */
  redis: Redis;
  workers: readonly Worker[];
  /** Queues whose depth `/metrics` reports. */
  queues: readonly Queue[];
  /** Overrides `ops.port` (0 = a free port, for tests); absent, `ops.port` 0 means no server. */
  listenPort?: number;
  /**
   * Watches for a Redis that refuses writes (probe key, and the failed jobs to re-queue once it
   * takes them again); absent, not watched.
   */
  writes?: Pick<WriteWatchDeps, 'probeKey' | 'onWritesBack'>;
  /** Builds the dashboard route (optional package); absent, no dashboard. */
  dashboard?: (queues: readonly Queue[]) => Promise<ExtraRoute | null>;
}

export interface WorkerOps {
  metrics: WorkerMetrics;
  /** The operations server, or null when turned off. */
  server: OpsServer | null;
  /** From now on `/readyz` answers 503 (SIGTERM received: draining). */
  markDraining(): void;
  close(): Promise<void>;
}

/**
 * Metrics, health and readiness for a worker process: counts job outcomes from the workers'
 * events, tracks the Redis connection, and serves `/metrics`, `/healthz`, `/readyz` on
 * `ops.host:ops.port` when a port is set.
 */
export async function startWorkerOps(deps: WorkerOpsDeps): Promise<WorkerOps> {
  const { ops, logger, redis } = deps;
  const metrics = createWorkerMetrics();
  const stopCounting = instrumentWorkers(deps.workers, metrics);
  const setUp = () => metrics.redisUp.set(redis.status === 'ready' ? 1 : 0);
  setUp();
  const redisEvents = ['ready', 'close', 'end', 'reconnecting'] as const;
  for (const event of redisEvents) redis.on(event, setUp);

  const writes = deps.writes
    ? watchRedisWrites({
        ...deps.writes,
        redis,
        logger,
        metrics,
        workers: deps.workers,
        timeoutMs: ops.readyTimeoutMs,
      })
    : null;

  let draining = false;
  const port = deps.listenPort ?? (ops.port > 0 ? ops.port : null);
  let server: OpsServer | null = null;
  if (port !== null) {
    const extraRoutes: ExtraRoute[] = [];
    if (ops.dashboard && deps.dashboard) {
      const route = await deps.dashboard(deps.queues);
      if (route) extraRoutes.push(route);
      else logger.warn('dashboard asked for, but @bull-board is not installed: serving without it');
    }
    server = await startOpsServer({
      port,
      host: ops.host,
      registry: metrics.registry,
      beforeScrape: () => refreshQueueDepth(deps.queues, metrics, ops.readyTimeoutMs),
      readiness: () =>
        checkReadiness({
          redis,
          timeoutMs: ops.readyTimeoutMs,
          queuesOpen: () => !draining && deps.workers.every((w) => w.isRunning()),
          ...(writes ? { writeRefusal: () => writes.probe() } : {}),
        }),
      extraRoutes,
    });
    logger.info(
      { metrics: `${server.url}/metrics`, dashboard: extraRoutes.length > 0 },
      'operations server listening',
    );
  }

  return {
    metrics,
    server,
    markDraining() {
      draining = true;
    },
    async close() {
      stopCounting();
      writes?.close();
      for (const event of redisEvents) redis.off(event, setUp);
      await server?.close();
    },
  };
}
