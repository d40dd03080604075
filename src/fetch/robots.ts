import robotsParserModule from 'robots-parser';
import { PermanentError, RetryableError } from '../errors.js';
import { FetchErrorCode } from './fetch-error-codes.js';

/** What robots.txt says about one URL, once it allows it. */
export interface RobotsVerdict {
  /** The host's Crawl-delay for our user agent, in ms, or null when it sets none. */
  crawlDelayMs: number | null;
}

/**
 * robots.txt as fetchPage consults it: resolves with the verdict when the URL may be
 * fetched, throws PermanentError ROBOTS_DISALLOWED when it may not, RetryableError
 * ROBOTS_UNAVAILABLE when robots.txt cannot be read right now (5xx, network).
 */
export interface RobotsGate {
  check(url: URL, signal?: AbortSignal): Promise<RobotsVerdict>;
}

/** The parts of robots-parser's Robot used here (its typings do not export the type). */
interface Robot {
  isAllowed(url: string, ua?: string): boolean | undefined;
  getMatchingLineNumber(url: string, ua?: string): number;
  getCrawlDelay(ua?: string): number | undefined;
}

// robots-parser is CommonJS exporting the function itself; its typings claim a default export.
const robotsParser = robotsParserModule as unknown as (url: string, text: string) => Robot;

/** The text of a host's robots.txt, or null when it has none that counts (4xx: allow all). */
export type FetchRobotsTxt = (robotsUrl: string, signal?: AbortSignal) => Promise<string | null>;

interface CacheEntry {
  robot: Robot | null;
  /** Set when robots.txt could not be read: every check fails with it until expiresAt. */
  unavailable?: RetryableError;
  expiresAt: number;
}

/** Hosts whose robots.txt is remembered at once; the oldest is forgotten first. */
const MAX_CACHED_HOSTS = 10_000;
/**
 * An unreadable robots.txt is remembered this long (unless Retry-After says otherwise), so
 * the jobs queued for that host fail fast instead of each asking again.
 */
const ROBOTS_UNAVAILABLE_MS = 60_000;

export interface RobotsCacheOptions {
  /** Product token matched against User-agent lines. */
  userAgentName: string;
  /** How long a robots.txt is trusted. */
  ttlMs: number;
  fetchRobotsTxt: FetchRobotsTxt;
  /** @default Date.now */
  now?: () => number;
}

/**
 * robots.txt per origin (scheme, host, port), cached for `ttlMs`. A host with no robots.txt
 * (4xx) allows everything; one that answers 5xx or cannot be reached is "try later", never
 * "allow". Concurrent checks of one host share one fetch.
 */
export class RobotsCache implements RobotsGate {
  private readonly entries = new Map<string, CacheEntry>();
  private readonly pending = new Map<string, Promise<CacheEntry>>();

  constructor(private readonly options: RobotsCacheOptions) {}

  async check(url: URL, signal?: AbortSignal): Promise<RobotsVerdict> {
    const entry = await this.entryFor(url.origin, signal);
    if (entry.unavailable) {
      const now = (this.options.now ?? Date.now)();
      const again = new RetryableError(entry.unavailable.code, entry.unavailable.message, {
        cause: entry.unavailable,
      });
      again.retryAfterMs = Math.max(0, entry.expiresAt - now);
      throw again;
    }
    const robot = entry.robot;
    if (robot === null) return { crawlDelayMs: null };
    const agent = this.options.userAgentName;
    if (robot.isAllowed(url.href, agent) === false) {
      const line = robot.getMatchingLineNumber(url.href, agent);
      throw new PermanentError(
        FetchErrorCode.ROBOTS_DISALLOWED,
        `robots.txt of ${url.origin} disallows ${url.pathname}${url.search} for ${agent}` +
          (line > 0 ? ` (line ${line})` : ''),
      );
    }
    const delaySeconds = robot.getCrawlDelay(agent);
    return {
      crawlDelayMs:
        delaySeconds !== undefined && Number.isFinite(delaySeconds) && delaySeconds > 0
          ? Math.round(delaySeconds * 1000)
          : null,
    };
  }

  private async entryFor(origin: string, signal?: AbortSignal): Promise<CacheEntry> {
    const now = (this.options.now ?? Date.now)();
    const cached = this.entries.get(origin);
    if (cached && cached.expiresAt > now) return cached;
    let loading = this.pending.get(origin);
    if (!loading) {
      loading = this.load(origin, signal).finally(() => this.pending.delete(origin));
      this.pending.set(origin, loading);
    }
    return loading;
  }

  private async load(origin: string, signal?: AbortSignal): Promise<CacheEntry> {
    const robotsUrl = `${origin}/robots.txt`;
    let entry: CacheEntry;
    try {
      const text = await this.options.fetchRobotsTxt(robotsUrl, signal);
      entry = {
        robot: text === null ? null : robotsParser(robotsUrl, text),
        expiresAt: (this.options.now ?? Date.now)() + this.options.ttlMs,
      };
    } catch (error) {
      if (!(error instanceof RetryableError)) throw error;
      const waitMs = error.retryAfterMs ?? ROBOTS_UNAVAILABLE_MS;
      entry = {
        robot: null,
        unavailable: error,
        expiresAt: (this.options.now ?? Date.now)() + waitMs,
      };
    }
    this.entries.delete(origin);
    this.entries.set(origin, entry);
    if (this.entries.size > MAX_CACHED_HOSTS) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    return entry;
  }
}
