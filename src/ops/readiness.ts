import type { Redis } from 'ioredis';
import { withDeadline } from './instrument-workers.js';

/** What `/readyz` looks at in a worker process. */
export interface ReadinessDeps {
  /** The worker's Redis connection. */
  redis: Pick<Redis, 'status' | 'ping'>;
  /** True while every worker of the process is taking jobs (not closed, not draining). */
  queuesOpen: () => boolean;
  /** A PING slower than this counts as Redis unreachable. */
  timeoutMs: number;
  /** Tries a write; why Redis refuses writes, or null when it takes them. Absent: not checked. */
  writeRefusal?: () => Promise<string | null>;
}

export interface Readiness {
  ready: boolean;
  /**
   * `ok`, or why not: `redis <status>`, `redis ping timeout`, `redis refuses writes (out of
   * memory (maxmemory))`.
   */
  redis: string;
  queues: 'open' | 'closed';
}

/**
 * Whether the worker can do work now: its Redis connection is ready and answers a PING in
 * time, and its queues are open. A dead Redis shows at once in the connection status
 * (ioredis turns it to "reconnecting" on the socket close); a hung one through the PING.
 */
export async function checkReadiness(deps: ReadinessDeps): Promise<Readiness> {
  const queues = deps.queuesOpen() ? 'open' : 'closed';
  let redis: string;
  if (deps.redis.status !== 'ready') {
    // A PING now would wait in ioredis' offline queue for the reconnect: answer at once instead.
    redis = `redis ${deps.redis.status}`;
  } else {
    const pong = await withDeadline(
      deps.redis.ping().then((r) => r === 'PONG'),
      deps.timeoutMs,
      false,
    );
    redis = pong ? 'ok' : 'redis ping timeout';
    const refusal = pong ? await deps.writeRefusal?.() : null;
    if (refusal) redis = `redis refuses writes (${refusal})`;
  }
  return { ready: redis === 'ok' && queues === 'open', redis, queues };
}
