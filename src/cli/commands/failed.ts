import type { Command } from 'commander';
import { onQueues } from '../queue-command.js';
import { parseQueueNames, QUEUE_NAMES } from '../../queue/queue-names.js';

/** Failed jobs listed per queue unless --limit says otherwise: a screenful, not the whole dead-letter set. */
const DEFAULT_FAILED_LIMIT = 50;

export function registerFailedCommand(program: Command): void {
  program
    .command('failed')
    .description('List failed jobs (the dead-letter view) with their reasons, newest first.')
    .option('--queues <list>', 'queues to list, comma-separated', QUEUE_NAMES.join(','))
    .option('--limit <n>', 'jobs per queue', String(DEFAULT_FAILED_LIMIT))
    .addHelpText(
      'after',
      '\nPrints one JSON line per failed job:\n' +
        '  {"queue","jobId","source","attempts","failedAt","reason"}\n' +
        'reason starts with the stable error code (e.g. "CONTENT_EMPTY: empty page (0 bytes)").\n' +
        'Re-queue them with `newsnorm retry`.',
    )
    .action(async (options: { queues: string; limit: string }) => {
      await onQueues('failed', async ({ queues }) => {
        const names = parseQueueNames(options.queues);
        const limit = Number(options.limit);
        if (!Number.isInteger(limit) || limit < 1)
          throw new Error('--limit must be a positive integer');
        for (const name of names) {
          for (const job of await queues[name].getFailed(0, limit - 1)) {
            const data = job.data as { url?: string; uri?: string; kind?: string };
            const line = {
              queue: name,
              jobId: job.id ?? null,
              source: data.url ?? data.uri ?? null,
              attempts: job.attemptsMade,
              failedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
              reason: job.failedReason,
            };
            process.stdout.write(`${JSON.stringify(line)}\n`);
          }
        }
      });
    });
}
