import type { Command } from 'commander';
import { onQueues } from '../queue-command.js';
import { parseQueueNames, QUEUE_NAMES } from '../../queue/queue-names.js';

export function registerRetryCommand(program: Command): void {
  program
    .command('retry')
    .description('Move failed jobs back to waiting, with their attempts reset.')
    .option('--queues <list>', 'queues to retry, comma-separated', QUEUE_NAMES.join(','))
    .option('--job <id>', 'retry this one job only (ids as `newsnorm failed` prints them)')
    .addHelpText(
      'after',
      '\nPrints "re-queued N failed jobs (fetch: a, process: b, schedule: c)".\n' +
        'Exit status: 1 when --job names no failed job.',
    )
    .action(async (options: { queues: string; job?: string }) => {
      await onQueues('retry', async ({ queues }) => {
        const names = parseQueueNames(options.queues);
        const counts: string[] = [];
        let total = 0;
        for (const name of names) {
          const queue = queues[name];
          let n: number;
          if (options.job !== undefined) {
            const job = await queue.getJob(options.job);
            n = job && (await job.isFailed()) ? 1 : 0;
            if (job && n === 1) await job.retry('failed');
          } else {
            n = await queue.getJobCountByTypes('failed');
            if (n > 0) await queue.retryJobs({ state: 'failed' });
          }
          counts.push(`${name}: ${n}`);
          total += n;
        }
        if (options.job !== undefined && total === 0) {
          throw new Error(`no failed job "${options.job}" in ${names.join(', ')}`);
        }
        process.stdout.write(`re-queued ${total} failed jobs (${counts.join(', ')})\n`);
      });
    });
}
