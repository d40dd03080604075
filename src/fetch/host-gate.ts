import { isIP } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { RetryableError } from '../errors.js';
import { embeddedIPv4 } from './address-policy.js';
import { FetchErrorCode } from './fetch-error-codes.js';

/** Ports a URL without one is served on. */
const DEFAULT_PORTS: Record<string, string> = { 'http:': '80', 'https:': '443' };

/**
 * The server a request goes to, as politeness counts it: the address the connection uses (the
 * first one the name resolved to, as the fetch dispatcher's lookup picks it) and the port. So
 * `localhost`, `127.0.0.1` and `[::ffff:127.0.0.1]` are one server, and two names of one
 * machine share its interval and concurrency. robots.txt stays per host name.
 */
export function serverKey(address: string, url: URL): string {
  const bare = address.replace(/^\[|\]$/g, '');
  const ip = embeddedIPv4(bare) ?? bare.toLowerCase();
  const port = url.port || DEFAULT_PORTS[url.protocol] || '';
  return isIP(ip) === 6 ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** Politeness rules for one host. */
export interface HostRules {
  /** Minimum time from one request's start, and from its response's end, to the next start. */
  minIntervalMs: number;
  /** Requests in flight to the host at once. */
  maxConcurrency: number;
  /** Give up (HOST_BUSY, retryable) rather than wait longer than this for a turn. */
  maxWaitMs: number;
}

/** A turn to send one request to a host; release it when the response is read. */
export interface HostLease {
  release(): Promise<void>;
}

/**
 * Per-server politeness: `acquire` resolves when a request to `host` (a serverKey) may start
 * now, and holds one of its concurrency slots until the lease is released.
 */
export interface HostGate {
  acquire(host: string, rules: HostRules, signal?: AbortSignal): Promise<HostLease>;
  /** Starts nothing on `host` for `delayMs` (the host answered 429/503 with Retry-After). */
  defer(host: string, delayMs: number): Promise<void>;
}

/** The error a gate throws when a host's turn is too far away for the job to wait for. */
export function hostBusy(host: string, waitMs: number): RetryableError {
  const error = new RetryableError(
    FetchErrorCode.HOST_BUSY,
    `${host}: next request slot is ${waitMs} ms away, more than fetch.maxHostWaitMs`,
  );
  error.retryAfterMs = waitMs;
  return error;
}

interface HostState {
  nextStart: number;
  inFlight: number;
}

/** A waiting caller re-checks its host at least this often when all slots are taken. */
const LOCAL_POLL_MS = 25;

/**
 * A gate inside one process, for the in-process driver (`newsnorm run`) where no Redis
 * exists. Workers sharing a Redis use RedisHostGate instead, which holds across processes.
 */
export class LocalHostGate implements HostGate {
  private readonly hosts = new Map<string, HostState>();

  constructor(private readonly now: () => number = Date.now) {}

  private state(host: string): HostState {
    const state = this.hosts.get(host) ?? { nextStart: 0, inFlight: 0 };
    this.hosts.set(host, state);
    return state;
  }

  async defer(host: string, delayMs: number): Promise<void> {
    const state = this.state(host);
    state.nextStart = Math.max(state.nextStart, this.now() + delayMs);
  }

  async acquire(host: string, rules: HostRules, signal?: AbortSignal): Promise<HostLease> {
    const state = this.state(host);
    const started = this.now();
    for (;;) {
      const now = this.now();
      const wait = Math.max(0, state.nextStart - now);
      if (wait === 0 && state.inFlight < rules.maxConcurrency) {
        state.nextStart = now + rules.minIntervalMs;
        state.inFlight++;
        let released = false;
        return {
          release: async () => {
            if (released) return;
            released = true;
            state.inFlight--;
            // As in RedisHostGate: the interval also runs from the end of a response.
            state.nextStart = Math.max(state.nextStart, this.now() + rules.minIntervalMs);
          },
        };
      }
      if (now - started + wait > rules.maxWaitMs) throw hostBusy(host, wait);
      await sleep(wait || LOCAL_POLL_MS, undefined, signal ? { signal } : {});
    }
  }
}
