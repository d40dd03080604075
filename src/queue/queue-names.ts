/**
 * The queues, one per change of retry or rate rules: `fetch` (network, polite, retried),
 * `process` (CPU stages and sinks) and `schedule` (a source to expand into fetch or process
 * jobs, fired by Job Schedulers or `newsnorm enqueue --feed`).
 */
export const QUEUE_NAMES = ['fetch', 'process', 'schedule'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

/** Parses a comma-separated list of queue names; throws naming the unknown ones. */
export function parseQueueNames(list: string): QueueName[] {
  const names = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !(QUEUE_NAMES as readonly string[]).includes(n));
  if (unknown.length > 0 || names.length === 0) {
    throw new Error(
      `unknown queue ${unknown.map((n) => `"${n}"`).join(', ') || '(none given)'}; expected ${QUEUE_NAMES.join(', ')}`,
    );
  }
  return [...new Set(names)] as QueueName[];
}
