import { expect, test } from 'vitest';
import { PermanentError, RetryableError } from '../../src/errors.js';
import { retryDelayMs } from '../../src/queue/retry-delay.js';

const backoff = { delay: 1000, jitter: 0.5 };

test('the delay doubles each attempt, within its jitter band', () => {
  expect(retryDelayMs(1, backoff, new Error('x'), () => 1)).toBe(1000);
  expect(retryDelayMs(1, backoff, new Error('x'), () => 0)).toBe(500);
  expect(retryDelayMs(3, backoff, new Error('x'), () => 1)).toBe(4000);
  expect(retryDelayMs(3, backoff, new Error('x'), () => 0)).toBe(2000);
  expect(retryDelayMs(2, { delay: 1000, jitter: 0 }, new Error('x'), () => 0.3)).toBe(2000);
});

test("a server's Retry-After is never undercut", () => {
  const limited = new RetryableError('FETCH_RATE_LIMITED', 'slow down');
  limited.retryAfterMs = 60_000;
  expect(retryDelayMs(1, backoff, limited, () => 1)).toBe(60_000);
  limited.retryAfterMs = 10;
  expect(retryDelayMs(1, backoff, limited, () => 1)).toBe(1000);
  const permanent = Object.assign(new PermanentError('FETCH_NOT_FOUND', 'x'), {
    retryAfterMs: 60_000,
  });
  expect(retryDelayMs(1, backoff, permanent, () => 1)).toBe(1000);
});
