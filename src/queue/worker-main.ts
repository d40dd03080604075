import type { Config } from '../config/config.js';
import { loadPipelineDeps } from '../pipeline/load-pipeline-deps.js';
import { createWorkerLogger } from './queue-session.js';
import { runWorkerProcess } from './run-worker-process.js';
import type { StartWorkersOptions } from './start-workers.js';

/** Exit status when a worker cannot start (Redis unreachable or evicting, rules unreadable). */
export const EXIT_START_FAILED = 1;

/**
 * The whole life of a worker process: load the pipeline's rules and gazetteer, run workers on
 * `queues` until SIGTERM/SIGINT, drain, exit 0. Shared by `newsnorm worker` and `workers/*`.
 */
export async function runWorkerMain(
  config: Config,
  options: Pick<StartWorkersOptions, 'queues' | 'concurrency' | 'processJob'>,
): Promise<never> {
  const logger = createWorkerLogger(config);
  try {
    const pipeline = await loadPipelineDeps(config);
    const code = await runWorkerProcess({
      config,
      logger,
      pipeline,
      isolatePages: config.page.thread,
      ...options,
    });
    logger.flush();
    process.exit(code);
  } catch (error) {
    logger.fatal({ err: error }, 'worker start-up failed');
    logger.flush();
    process.stderr.write(`newsnorm worker: ${(error as Error).message}\n`);
    process.exit(EXIT_START_FAILED);
  }
}
