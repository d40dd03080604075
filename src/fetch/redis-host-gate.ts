import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { hostBusy, type HostGate, type HostLease, type HostRules } from './host-gate.js';
import type { RedisClient } from './redis-client.js';

/**
 * Reserves the next start slot of a host, spaced by the interval from the last one reserved.
 * Returns the wait until that slot (>= 0), or -wait without reserving anything when the
 * wait exceeds the caller's limit. Time is Redis's own clock, shared by every worker.
 * KEYS[1] host state hash; ARGV interval, maxWait, stateTtl.
 */
const RESERVE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local interval = tonumber(ARGV[1])
local nextSlot = tonumber(redis.call('HGET', KEYS[1], 'next') or '0')
local slot = math.max(now, nextSlot)
if slot - now > tonumber(ARGV[2]) then return -math.ceil(slot - now) end
redis.call('HSET', KEYS[1], 'next', slot + interval)
redis.call('PEXPIRE', KEYS[1], math.ceil(slot + interval - now + tonumber(ARGV[3])))
return math.ceil(slot - now)
`;

/**
 * Starts a request if the host allows it now: the host's last activity (the last request
 * start, or the last response end, whichever is later) is at least the interval ago (so a
 * reserved slot whose owner woke late pushes the next one back) and fewer than
 * maxConcurrency leases are alive. Expired leases (a crashed worker) are dropped first.
 * Returns 0 when started (the lease is taken), else the milliseconds to wait before asking again.
 * KEYS[1] host state hash, KEYS[2] lease sorted set; ARGV interval, maxConcurrency, leaseTtl,
 * leaseId, stateTtl, pollMs.
 */
const START_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local interval = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
local hold = tonumber(redis.call('HGET', KEYS[1], 'hold') or '0')
if hold > now then return math.ceil(hold - now) end
local last = tonumber(redis.call('HGET', KEYS[1], 'last') or '-1')
if last >= 0 and last + interval > now then return math.ceil(last + interval - now) end
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[2]) then
  local first = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
  return math.max(1, math.ceil(math.min(tonumber(ARGV[6]), tonumber(first[2]) - now)))
end
local nextSlot = tonumber(redis.call('HGET', KEYS[1], 'next') or '0')
redis.call('HSET', KEYS[1], 'last', now, 'next', math.max(nextSlot, now + interval))
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[3]), ARGV[4])
redis.call('PEXPIRE', KEYS[1], math.ceil(interval + tonumber(ARGV[5])))
redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[3]))
return 0
`;

/**
 * Ends a request: drops its lease and counts its end as the host's last activity, so the
 * next request starts at least the interval after this response was read. The request
 * reached the host before its response ended, so with one request in flight per host,
 * arrivals at the host are at least the interval apart whatever the network latency.
 * KEYS[1] host state hash, KEYS[2] lease sorted set; ARGV leaseId, interval, stateTtl.
 */
const RELEASE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local interval = tonumber(ARGV[2])
redis.call('ZREM', KEYS[2], ARGV[1])
local last = tonumber(redis.call('HGET', KEYS[1], 'last') or '-1')
local nextSlot = tonumber(redis.call('HGET', KEYS[1], 'next') or '0')
redis.call('HSET', KEYS[1], 'last', math.max(last, now), 'next', math.max(nextSlot, now + interval))
redis.call('PEXPIRE', KEYS[1], math.ceil(interval + tonumber(ARGV[3])))
return 0
`;

/**
 * Holds a host back for a while (it said Retry-After): no request starts before then, and
 * slots are reserved after it. KEYS[1] host state hash; ARGV delay, stateTtl.
 */
const DEFER_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local untilMs = now + tonumber(ARGV[1])
local hold = tonumber(redis.call('HGET', KEYS[1], 'hold') or '0')
local nextSlot = tonumber(redis.call('HGET', KEYS[1], 'next') or '0')
redis.call('HSET', KEYS[1], 'hold', math.max(hold, untilMs), 'next', math.max(nextSlot, untilMs))
local ttl = redis.call('PTTL', KEYS[1])
redis.call('PEXPIRE', KEYS[1], math.max(ttl, math.ceil(untilMs - now + tonumber(ARGV[2]))))
return 0
`;

/**
 * Added to a non-zero interval for overlapping requests (maxConcurrency > 1), where only
 * start times space them: between a grant and the request reaching the host lie a promise
 * resolution and a socket write, a few ms that vary between processes.
 */
const SEND_JITTER_MARGIN_MS = 5;
/** Host state outlives its last slot by this much, then Redis forgets the host. */
const STATE_TTL_MS = 60_000;
/** With every slot taken, a waiter asks again at least this often (leases end unannounced). */
const BUSY_POLL_MS = 25;

export interface RedisHostGateOptions {
  /** Key prefix, e.g. "newsnorm:" or "{newsnorm}:" on Redis Cluster. */
  keyPrefix: string;
  /**
   * A lease not released after this long is dropped, so a crashed worker does not hold a
   * host's slot forever. Must exceed the longest request (fetch.totalTimeoutMs).
   */
  leaseTtlMs: number;
}

/**
 * Per-host minimum interval and concurrency shared by every process that uses the same
 * Redis: slots are reserved and leases taken by Lua scripts, atomically, on Redis's clock.
 * The interval runs from the later of the last request start and the last response end.
 */
export class RedisHostGate implements HostGate {
  constructor(
    private readonly redis: RedisClient,
    private readonly options: RedisHostGateOptions,
  ) {}

  private keys(host: string): [string, string] {
    const base = `${this.options.keyPrefix}host:{${host.toLowerCase()}}`;
    return [`${base}:state`, `${base}:leases`];
  }

  async defer(host: string, delayMs: number): Promise<void> {
    const [stateKey] = this.keys(host);
    await this.redis.eval(DEFER_SCRIPT, 1, stateKey, Math.max(0, Math.ceil(delayMs)), STATE_TTL_MS);
  }

  async acquire(host: string, rules: HostRules, signal?: AbortSignal): Promise<HostLease> {
    const [stateKey, leaseKey] = this.keys(host);
    const intervalMs = rules.minIntervalMs > 0 ? rules.minIntervalMs + SEND_JITTER_MARGIN_MS : 0;
    const sleepOptions = signal ? { signal } : {};
    const reserved = Number(
      await this.redis.eval(RESERVE_SCRIPT, 1, stateKey, intervalMs, rules.maxWaitMs, STATE_TTL_MS),
    );
    if (reserved < 0) throw hostBusy(host, -reserved);
    const deadline = Date.now() + rules.maxWaitMs;
    if (reserved > 0) await sleep(reserved, undefined, sleepOptions);
    const leaseId = randomUUID();
    for (;;) {
      const wait = Number(
        await this.redis.eval(
          START_SCRIPT,
          2,
          stateKey,
          leaseKey,
          intervalMs,
          rules.maxConcurrency,
          this.options.leaseTtlMs,
          leaseId,
          STATE_TTL_MS,
          BUSY_POLL_MS,
        ),
      );
      if (wait <= 0) break;
      if (Date.now() + wait > deadline) throw hostBusy(host, wait);
      await sleep(wait, undefined, sleepOptions);
    }
    let released = false;
    return {
      release: async () => {
        if (released) return;
        released = true;
        await this.redis.eval(
          RELEASE_SCRIPT,
          2,
          stateKey,
          leaseKey,
          leaseId,
          intervalMs,
          STATE_TTL_MS,
        );
      },
    };
  }
}
