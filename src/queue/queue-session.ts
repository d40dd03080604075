import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { createLogger } from '../ops/create-logger.js';
import type { Config } from '../config/config.js';
import { redactUrl } from '../config/config.js';
import { PipelineError } from '../errors.js';
import { assertNoEviction } from './assert-no-eviction.js';
import { closeQueues, openQueues, type Queues } from './open-queues.js';
import { recordKeys, type RecordKeys } from '../delivery/record-keys.js';
import { connectRedis } from './redis-connection.js';

/** What an operator command (enqueue, status, schedule…) works with. */
export interface QueueSession {
  config: Config;
  redis: Redis;
  queues: Queues;
  keys: RecordKeys;
}

/** Exit status of a queue command that failed (Redis unreachable, bad source, unknown id). */
export const EXIT_FAILED = 1;

/**
 * Runs an operator command against Redis: connects (failing fast when Redis is unreachable),
 * refuses an evicting Redis, and always disconnects. Any error is printed as one line
 * `newsnorm <command>: <reason>` on stderr and sets exit status 1, for crontabs and scripts.
 */
export async function withQueueSession(
  command: string,
  config: Config,
  fn: (session: QueueSession) => Promise<number | void>,
): Promise<void> {
  let redis: Redis | undefined;
  let queues: Queues | undefined;
  try {
    try {
      redis = await connectRedis(config.queue.redisUrl, 'command');
    } catch (cause) {
      throw new Error(
        `cannot reach Redis at ${redactUrl(config.queue.redisUrl)} (${(cause as Error).message})`,
      );
    }
    await assertNoEviction(redis);
    queues = openQueues(config.queue, redis);
    for (const queue of Object.values(queues)) {
      // A connection error also rejects the call that met it, which is reported below.
      queue.on('error', () => {});
    }
    const keys = recordKeys(config.queue.prefix, config.sinks.streamName);
    const code = await fn({ config, redis, queues, keys });
    process.exitCode = code ?? 0;
  } catch (error) {
    const reason =
      error instanceof PipelineError
        ? `${error.message} [${error.code}]`
        : (error as Error).message;
    process.stderr.write(`newsnorm ${command}: ${reason}\n`);
    process.exitCode = EXIT_FAILED;
  } finally {
    if (queues) await closeQueues(queues).catch(() => {});
    if (redis) await redis.quit().catch(() => redis?.disconnect());
  }
}

/** The logger of worker processes: JSON lines on stderr, level from the config, secrets redacted. */
export function createWorkerLogger(config: Config): Logger {
  return createLogger(config);
}
