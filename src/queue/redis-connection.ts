import { Redis, type RedisOptions } from 'ioredis';

/**
 * Who holds a connection. Workers block on Redis and must ride out a restart
 * (`maxRetriesPerRequest: null`, as BullMQ requires); commands run from a terminal or a
 * crontab must fail fast with a reason instead of waiting for ever.
 */
export type ConnectionRole = 'worker' | 'command';

/** Reconnect delay cap for workers: long enough not to hammer a restarting Redis. */
const MAX_RECONNECT_DELAY_MS = 2_000;
/** Time a command waits for Redis before it reports it unreachable. */
const COMMAND_CONNECT_TIMEOUT_MS = 5_000;

export interface ConnectOptions {
  /**
   * Send the commands issued in one event-loop tick in one write (ioredis auto-pipelining):
   * many concurrent jobs then cost a few system calls instead of one per command. Only for
   * connections that never block (not BullMQ's).
   * @default false
   */
  autoPipelining?: boolean;
}

/** Opens a Redis connection for a role and waits until it is ready. */
export async function connectRedis(
  url: string,
  role: ConnectionRole,
  connectOptions: ConnectOptions = {},
): Promise<Redis> {
  const options: RedisOptions =
    role === 'worker'
      ? {
          maxRetriesPerRequest: null,
          enableReadyCheck: true,
          lazyConnect: true,
          retryStrategy: (times) => Math.min(times * 100, MAX_RECONNECT_DELAY_MS),
        }
      : {
          maxRetriesPerRequest: 1,
          enableOfflineQueue: false,
          lazyConnect: true,
          connectTimeout: COMMAND_CONNECT_TIMEOUT_MS,
          retryStrategy: () => null,
        };
  const redis = new Redis(url, {
    ...options,
    enableAutoPipelining: connectOptions.autoPipelining ?? false,
  });
  // Without a listener ioredis prints every reconnect error as unhandled; callers add their own.
  redis.on('error', () => {});
  await redis.connect();
  return redis;
}
