export interface BackoffOptions {
  /** Delay scale of the first retry. @default 1000 */
  baseMs?: number;
  /** Ceiling of any one delay. @default 300000 */
  maxMs?: number;
  /** Random number in [0, 1), injectable for tests. @default Math.random */
  random?: () => number;
  /** A server-given minimum (Retry-After); the result is never below it. */
  retryAfterMs?: number | undefined;
}

/** First retry waits up to a second: most resets and 503s are over by then. */
const DEFAULT_BASE_MS = 1_000;
/** Five minutes: beyond that, retrying faster than a scheduled poll buys nothing. */
const DEFAULT_MAX_MS = 5 * 60 * 1000;

/**
 * Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff And
 * Jitter"): a uniform delay in [0, min(max, base * 2^(attempt-1))], so many workers that
 * failed together do not retry together. `attempt` counts from 1. A Retry-After wins when
 * it is longer.
 */
export function backoffDelayMs(attempt: number, options: BackoffOptions = {}): number {
  const base = options.baseMs ?? DEFAULT_BASE_MS;
  const max = options.maxMs ?? DEFAULT_MAX_MS;
  const random = options.random ?? Math.random;
  const exponent = Math.min(Math.max(attempt, 1) - 1, 30);
  const ceiling = Math.min(max, base * 2 ** exponent);
  const jittered = Math.floor(random() * ceiling);
  return Math.max(jittered, options.retryAfterMs ?? 0);
}
