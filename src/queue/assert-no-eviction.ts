import type { Redis } from 'ioredis';
import { PermanentError } from '../errors.js';

/**
 * Refuses a Redis that may evict keys: an evicted job, lock or revision ledger entry is a
 * lost page or a duplicate record. BullMQ only warns; newsnorm stops.
 */
export async function assertNoEviction(redis: Redis): Promise<void> {
  const info = await redis.info('memory');
  const policy = /^maxmemory_policy:(\S+)/m.exec(info)?.[1];
  if (policy !== undefined && policy !== 'noeviction') {
    throw new PermanentError(
      'REDIS_EVICTION_POLICY',
      `Redis maxmemory-policy is "${policy}": queues need "noeviction", or jobs and revisions ` +
        `are silently lost when memory fills. Set it with ` +
        `\`redis-cli CONFIG SET maxmemory-policy noeviction\` (and in redis.conf).`,
    );
  }
}
