import { hostname } from 'node:os';
import type { Command } from 'commander';
import type { Redis } from 'ioredis';
import { withQueueSession } from '../../queue/queue-session.js';
import { connectRedis } from '../../queue/redis-connection.js';
import { configFor } from '../cli-config.js';

/** Entries read per XREADGROUP call. */
const READ_BATCH = 100;
/** How long one XREADGROUP blocks before the loop checks for a stop signal. */
const BLOCK_MS = 1000;

type StreamReply = [string, [string, string[]][]][] | null;

export function registerTailCommand(program: Command): void {
  program
    .command('tail')
    .description(
      'Reference downstream consumer: read the records stream with a consumer group, print ' +
        'each record as a JSON line on stdout and acknowledge it (XREADGROUP / XACK).',
    )
    .option('--group <name>', 'consumer group (created at the start of the stream if new)', 'tail')
    .option('--consumer <name>', 'consumer name within the group', `${hostname()}-${process.pid}`)
    .option('--count <n>', 'exit after this many records')
    .option('--idle-exit <ms>', 'exit after this long without a new record')
    .addHelpText(
      'after',
      '\nOn start it first re-reads entries it was given but did not acknowledge (a crash), so\n' +
        'every record is printed at least once per group. Stops on SIGINT/SIGTERM.',
    )
    .action(
      async (options: { group: string; consumer: string; count?: string; idleExit?: string }) => {
        const config = configFor();
        await withQueueSession('tail', config, async ({ config: c, keys }) => {
          // A blocking reader gets its own connection: the session's one fails fast by design.
          const reader = await connectRedis(c.queue.redisUrl, 'worker');
          try {
            await tailStream(reader, keys.stream, {
              group: options.group,
              consumer: options.consumer,
              max: positiveOption('--count', options.count),
              idleExitMs: positiveOption('--idle-exit', options.idleExit),
            });
          } finally {
            reader.disconnect();
          }
        });
      },
    );
}

/** A positive integer option, or Infinity when absent. */
function positiveOption(name: string, value: string | undefined): number {
  if (value === undefined) return Infinity;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer`);
  return n;
}

interface TailOptions {
  group: string;
  consumer: string;
  max: number;
  idleExitMs: number;
}

async function tailStream(redis: Redis, stream: string, options: TailOptions): Promise<void> {
  try {
    await redis.xgroup('CREATE', stream, options.group, '0', 'MKSTREAM');
  } catch (error) {
    if (!String((error as Error).message).includes('BUSYGROUP')) throw error;
  }
  let stopping = false;
  const stop = () => {
    stopping = true;
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  let printed = 0;
  let lastRecordAt = Date.now();
  // "0" replays this consumer's unacknowledged entries first, then ">" reads new ones.
  let cursor = '0';
  try {
    while (!stopping && printed < options.max) {
      const reply = (await redis.xreadgroup(
        'GROUP',
        options.group,
        options.consumer,
        'COUNT',
        Math.min(READ_BATCH, options.max - printed),
        'BLOCK',
        BLOCK_MS,
        'STREAMS',
        stream,
        cursor,
      )) as StreamReply;
      const entries = reply?.[0]?.[1] ?? [];
      if (cursor === '0' && entries.length === 0) {
        cursor = '>';
        continue;
      }
      if (entries.length === 0) {
        if (Date.now() - lastRecordAt >= options.idleExitMs) break;
        continue;
      }
      for (const [entryId, fields] of entries) {
        const record = fieldValue(fields, 'record');
        if (record !== undefined) process.stdout.write(`${record}\n`);
        await redis.xack(stream, options.group, entryId);
        printed++;
        lastRecordAt = Date.now();
      }
    }
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

function fieldValue(fields: string[], name: string): string | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1];
  return undefined;
}
