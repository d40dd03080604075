import { describe, expect, it } from 'vitest';
import { backoffDelayMs } from '../../src/fetch/backoff.js';
import { MAX_RETRY_AFTER_MS, parseRetryAfter } from '../../src/fetch/retry-after.js';

describe('backoffDelayMs', () => {
  it('draws uniformly below an exponentially growing ceiling (full jitter)', () => {
    const top = () => 0.999999;
    expect(backoffDelayMs(1, { baseMs: 100, random: top })).toBe(99);
    expect(backoffDelayMs(2, { baseMs: 100, random: top })).toBe(199);
    expect(backoffDelayMs(5, { baseMs: 100, random: top })).toBe(1_599);
    expect(backoffDelayMs(5, { baseMs: 100, random: () => 0 })).toBe(0);
  });

  it('caps the ceiling at maxMs, even for absurd attempt numbers', () => {
    expect(backoffDelayMs(1_000, { baseMs: 100, maxMs: 5_000, random: () => 0.5 })).toBe(2_500);
  });

  it('never goes below a Retry-After', () => {
    expect(backoffDelayMs(1, { baseMs: 100, random: () => 0.5, retryAfterMs: 7_000 })).toBe(7_000);
  });

  it('spreads many workers out instead of retrying together', () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelayMs(4, { baseMs: 1_000 })));
    expect(delays.size).toBeGreaterThan(40);
    for (const d of delays) expect(d).toBeLessThan(8_000);
  });
});

describe('parseRetryAfter', () => {
  const now = new Date('2026-01-01T00:00:00Z');
  it('reads delay-seconds and HTTP dates', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
  });
  it('ignores what it cannot read and clamps the rest', () => {
    expect(parseRetryAfter(undefined, now)).toBeNull();
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('99999999', now)).toBe(MAX_RETRY_AFTER_MS);
  });
});
