import { RetryableError } from '../errors.js';

/**
 * The backoff type of newsnorm jobs: exponential with jitter like BullMQ's own, but never
 * sooner than a server's Retry-After (RetryableError.retryAfterMs). BullMQ asks the workers'
 * `settings.backoffStrategy` for it.
 */
export const BACKOFF_TYPE = 'newsnorm-exponential';

export interface BackoffSettings {
  /** First delay; doubles each attempt. */
  delay: number;
  /** Share of the delay randomized (0..1). */
  jitter: number;
}

/**
 * Delay before retry number `attemptsMade` (1 = first retry): a random value in
 * [(1 - jitter) · d, d] with d = delay · 2^(attemptsMade - 1), raised to the error's
 * Retry-After when it has one.
 */
export function retryDelayMs(
  attemptsMade: number,
  backoff: BackoffSettings,
  error: unknown,
  random: () => number = Math.random,
): number {
  const max = Math.round(2 ** Math.max(0, attemptsMade - 1) * backoff.delay);
  const delay = Math.floor(max * (1 - backoff.jitter) + random() * max * backoff.jitter);
  const retryAfterMs = error instanceof RetryableError ? (error.retryAfterMs ?? 0) : 0;
  return Math.max(delay, retryAfterMs);
}
