import type { Command } from 'commander';
import { parseQueueNames, QUEUE_NAMES } from '../../queue/queue-names.js';

export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description(
      'Run BullMQ workers on the shared Redis (REDIS_URL) until SIGTERM or SIGINT, then drain: ' +
        'stop taking jobs, finish held ones (at most queue.shutdownTimeoutMs) and exit 0.',
    )
    .option('--queues <list>', `queues to work, comma-separated`, QUEUE_NAMES.join(','))
    .option('--concurrency <n>', 'jobs at once per queue (default: config queue.*Concurrency)')
    .addHelpText(
      'after',
      '\nExamples:\n  REDIS_URL=redis://127.0.0.1:6379 newsnorm worker\n' +
        '  newsnorm worker --queues process --concurrency 32\n' +
        'Logs are JSON lines on stderr. Exit status: 0 after a drain, 1 when start-up fails\n' +
        '(Redis unreachable, an eviction policy other than noeviction), 2 on bad configuration.',
    )
    .action(async (options: { queues: string; concurrency?: string }) => {
      const [{ configFor }, { runWorkerMain }] = await Promise.all([
        import('../../config/config-for.js'),
        import('../../queue/worker-main.js'),
      ]);
      const config = configFor();
      let queues;
      let concurrency: number | undefined;
      try {
        queues = parseQueueNames(options.queues);
        if (options.concurrency !== undefined) {
          concurrency = Number(options.concurrency);
          if (!Number.isInteger(concurrency) || concurrency < 1) {
            throw new Error(
              `--concurrency must be a positive integer, got "${options.concurrency}"`,
            );
          }
        }
      } catch (error) {
        process.stderr.write(`newsnorm worker: ${(error as Error).message}\n`);
        process.exit(2);
      }
      await runWorkerMain(config, {
        queues,
        ...(concurrency !== undefined ? { concurrency } : {}),
      });
    });
}
