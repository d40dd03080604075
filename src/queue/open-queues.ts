import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { QueueConfig } from '../config/queue-config.js';
import { QUEUE_NAMES, type QueueName } from './queue-names.js';
import { BACKOFF_TYPE } from './retry-delay.js';

/**
 * Job options every newsnorm job gets: retries with jittered exponential backoff that honours
 * Retry-After (retry-delay.ts), bounded retention.
 */
export function defaultJobOptions(config: QueueConfig): JobsOptions {
  return {
    attempts: config.attempts,
    backoff: { type: BACKOFF_TYPE, delay: config.backoffDelayMs, jitter: config.backoffJitter },
    removeOnComplete: { count: config.keepCompletedCount, age: config.keepCompletedAgeSec },
    removeOnFail: { count: config.keepFailedCount, age: config.keepFailedAgeSec },
  };
}

export type Queues = Record<QueueName, Queue>;

/** The queues on one shared connection (producers and admin commands). */
export function openQueues(config: QueueConfig, connection: Redis): Queues {
  const entries = QUEUE_NAMES.map((name) => {
    const queue = new Queue(name, {
      connection,
      prefix: config.prefix,
      defaultJobOptions: defaultJobOptions(config),
    });
    return [name, queue] as const;
  });
  return Object.fromEntries(entries) as Queues;
}

/** Closes every queue (the shared connection stays open: its owner closes it). */
export async function closeQueues(queues: Queues): Promise<void> {
  await Promise.all(Object.values(queues).map((q) => q.close()));
}
