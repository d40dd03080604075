import type { QueueSession } from '../queue/queue-session.js';

/**
 * Runs an operator command on the queues (see withQueueSession): the configuration, bullmq and
 * ioredis are loaded when such a command runs, not when the program starts.
 */
export async function onQueues(
  command: string,
  fn: (session: QueueSession) => Promise<number | void>,
): Promise<void> {
  const [{ configFor }, { withQueueSession }] = await Promise.all([
    import('../config/config-for.js'),
    import('../queue/queue-session.js'),
  ]);
  await withQueueSession(command, configFor(), fn);
}
