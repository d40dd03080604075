import { createDashboardRoute } from '../ops/dashboard-route.js';
import { startWorkerOps } from '../ops/start-worker-ops.js';
import { requeueWriteRefused } from './redis-write-refusal.js';
import { startWorkers, type StartWorkersOptions } from './start-workers.js';

const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * Runs workers until SIGTERM or SIGINT, then drains: stops taking jobs, lets held ones finish
 * for at most `queue.shutdownTimeoutMs`, and resolves with exit code 0. A second signal exits
 * at once (held jobs come back to the queue as stalled).
 */
export async function runWorkerProcess(options: StartWorkersOptions): Promise<number> {
  const { logger } = options;
  // Listen before the workers start: a signal during start-up must drain too, not kill.
  const signalled = new Promise<NodeJS.Signals>((resolve) => {
    for (const s of SHUTDOWN_SIGNALS) process.once(s, () => resolve(s));
  });
  const runtime = await startWorkers(options);
  const ops = await startWorkerOps({
    ops: options.config.ops,
    logger,
    redis: runtime.connection,
    workers: runtime.workers,
    queues: Object.values(runtime.queues),
    writes: {
      probeKey: `${options.config.queue.prefix}:write-probe`,
      onWritesBack: () => requeueWriteRefused(Object.values(runtime.queues)),
    },
    dashboard: createDashboardRoute,
  });
  const signal = await signalled;
  const timeoutMs = options.config.queue.shutdownTimeoutMs;
  ops.markDraining();
  logger.info({ signal, timeoutMs }, 'draining: no new jobs, finishing held ones');
  for (const s of SHUTDOWN_SIGNALS) {
    process.once(s, () => {
      logger.warn(
        { signal: s },
        'second signal: exiting now, held jobs will be retried as stalled',
      );
      process.exit(1);
    });
  }
  const drained = await runtime.close(timeoutMs);
  await ops.close();
  if (drained) logger.info('drained, exiting');
  else logger.warn({ timeoutMs }, 'shutdown timeout: held jobs will be retried as stalled');
  return 0;
}
