import { hostname } from 'node:os';
import type { Command } from 'commander';
import type { Redis } from 'ioredis';
import { onQueues } from '../queue-command.js';

/** Entries read per XREADGROUP call. */
const READ_BATCH = 100;
/** How long one XREADGROUP blocks before the loop checks for a stop signal. */
const BLOCK_MS = 1000;
/**
 * Entries another consumer of the group was given and has not acknowledged for this long are
 * taken over (XAUTOCLAIM): that consumer crashed or was renamed. Longer than any record takes
 * to handle, so a live consumer keeps its own.
 */
const DEFAULT_CLAIM_IDLE_MS = 60_000;

type StreamReply = [string, [string, string[]][]][] | null;

export function registerTailCommand(program: Command): void {
  program
    .command('tail')
    .description(
      'Reference downstream consumer: read the records stream with a consumer group, print ' +
        'each record as a JSON line on stdout and acknowledge it (XREADGROUP / XACK).',
    )
    .option('--group <name>', 'consumer group (created at the start of the stream if new)', 'tail')
    .option(
      '--consumer <name>',
      'consumer name within the group; the same after a restart (default: this host name)',
      hostname(),
    )
    .option('--count <n>', 'exit after this many records')
    .option('--idle-exit <ms>', 'exit after this long without a new record')
    .option(
      '--claim-idle <ms>',
      'take over entries other consumers left unacknowledged this long (XAUTOCLAIM)',
      String(DEFAULT_CLAIM_IDLE_MS),
    )
    .addHelpText(
      'after',
      '\nOn start it first re-reads entries it was given but did not acknowledge (a crash): its\n' +
        'name is the same after a restart. Entries another consumer of the group left pending for\n' +
        '--claim-idle ms (a consumer that crashed, or ran under another name) are taken over, at\n' +
        'start and then as it runs. So every record is printed at least once per group.\n' +
        'Stops on SIGINT/SIGTERM.\n\nExamples:\n  newsnorm tail --group indexer\n' +
        '  newsnorm tail --group indexer --consumer indexer-1 --claim-idle 30000',
    )
    .action(
      async (options: {
        group: string;
        consumer: string;
        count?: string;
        idleExit?: string;
        claimIdle: string;
      }) => {
        await onQueues('tail', async ({ config: c, keys }) => {
          const { connectRedis } = await import('../../queue/redis-connection.js');
          // A blocking reader gets its own connection: the session's one fails fast by design.
          const reader = await connectRedis(c.queue.redisUrl, 'worker');
          try {
            await tailStream(reader, keys.stream, {
              group: options.group,
              consumer: options.consumer,
              max: positiveOption('--count', options.count),
              idleExitMs: positiveOption('--idle-exit', options.idleExit),
              claimIdleMs: positiveOption('--claim-idle', options.claimIdle),
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
  claimIdleMs: number;
}

type AutoClaimReply = [string, ([string, string[]] | null)[], string[]?];

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
  const handle = async (entries: ([string, string[]] | null)[]) => {
    for (const entry of entries) {
      if (!entry || printed >= options.max) continue;
      const [entryId, fields] = entry;
      const record = fieldValue(fields, 'record');
      if (record !== undefined) process.stdout.write(`${record}\n`);
      await redis.xack(stream, options.group, entryId);
      printed++;
      lastRecordAt = Date.now();
    }
  };
  // Other consumers' stale entries, swept at start and then every half claim period.
  let nextSweepAt = 0;
  const sweep = async () => {
    nextSweepAt = Date.now() + Math.max(BLOCK_MS, options.claimIdleMs / 2);
    let start = '0-0';
    do {
      const [next, entries] = (await redis.xautoclaim(
        stream,
        options.group,
        options.consumer,
        options.claimIdleMs,
        start,
        'COUNT',
        Math.min(READ_BATCH, Math.max(1, options.max - printed)),
      )) as AutoClaimReply;
      await handle(entries);
      start = next;
    } while (start !== '0-0' && !stopping && printed < options.max);
  };
  // "0" replays this consumer's unacknowledged entries first, then ">" reads new ones.
  let cursor = '0';
  try {
    while (!stopping && printed < options.max) {
      if (cursor === '>' && Date.now() >= nextSweepAt) {
        await sweep();
        continue;
      }
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
      await handle(entries);
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
