import type { Command } from 'commander';
import { onQueues } from '../queue-command.js';
import type { Redis } from 'ioredis';
import { QUEUE_NAMES } from '../../queue/queue-names.js';

/** Job states shown, in a job's life order. */
export const STATUS_STATES = [
  'waiting',
  'prioritized',
  'delayed',
  'active',
  'completed',
  'failed',
] as const;

export function registerStatusCommand(program: Command): void {
  program
    .command('status')
    .description('Show the number of jobs per queue and state, and the stream length.')
    .option('--json', 'one JSON object instead of a table')
    .addHelpText(
      'after',
      '\nPrints a table: one row per queue (fetch, process, schedule), one column per state,\n' +
        'then the records stream length and its consumer groups.',
    )
    .action(async (options: { json?: boolean }) => {
      await onQueues('status', async ({ queues, redis, keys }) => {
        const counts: Record<string, Record<string, number>> = {};
        for (const name of QUEUE_NAMES) {
          counts[name] = await queues[name].getJobCounts(...STATUS_STATES);
        }
        const streamLength = await redis.xlen(keys.stream);
        const groups = streamLength > 0 ? await streamGroups(redis, keys.stream) : [];
        if (options.json) {
          process.stdout.write(
            `${JSON.stringify({ queues: counts, stream: { key: keys.stream, length: streamLength, groups } })}\n`,
          );
          return;
        }
        const rows = [
          ['queue', ...STATUS_STATES],
          ...QUEUE_NAMES.map((name) => [
            name,
            ...STATUS_STATES.map((s) => String(counts[name]![s] ?? 0)),
          ]),
        ];
        const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
        for (const row of rows) {
          process.stdout.write(`${row.map((cell, c) => cell.padEnd(widths[c]!)).join('  ')}\n`);
        }
        process.stdout.write(`\nstream ${keys.stream}: ${streamLength} entries\n`);
        for (const g of groups) {
          process.stdout.write(`  group ${g.name}: ${g.pending} pending, ${g.lag ?? '?'} unread\n`);
        }
      });
    });
}

interface GroupInfo {
  name: string;
  pending: number;
  lag: number | null;
}

async function streamGroups(redis: Redis, stream: string): Promise<GroupInfo[]> {
  const raw = (await redis.xinfo('GROUPS', stream)) as unknown[][];
  return raw.map((fields) => {
    const info = new Map<string, unknown>();
    for (let i = 0; i + 1 < fields.length; i += 2) info.set(String(fields[i]), fields[i + 1]);
    const lag = info.get('lag');
    return {
      name: String(info.get('name')),
      pending: Number(info.get('pending')),
      lag: lag === null || lag === undefined ? null : Number(lag),
    };
  });
}
