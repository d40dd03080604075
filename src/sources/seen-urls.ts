import type { RedisClient } from '../fetch/redis-client.js';

/** Remembers which URLs a schedule has already handed out. */
export interface SeenUrls {
  /** Marks `urls` as seen and returns those that were not seen before, in input order. */
  addNew(urls: readonly string[]): Promise<string[]>;
}

/**
 * For each URL: note when it was last listed (a sorted set scored by Redis's clock) and collect
 * the ones it did not hold; then forget URLs no source has listed for the TTL, so the set holds
 * what sources list now, not every URL ever seen. One round trip, atomic.
 * KEYS[1] the set; ARGV[1] TTL (ms), then the URLs.
 */
const ADD_NEW_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local fresh = {}
for i = 2, #ARGV do
  if redis.call('ZADD', KEYS[1], now, ARGV[i]) == 1 then fresh[#fresh + 1] = ARGV[i] end
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. (now - tonumber(ARGV[1])))
return fresh
`;

/**
 * The Redis key of the seen-URL set shared by every schedule (one page, one job). A sorted
 * set; versions before it kept a plain set under `seen-urls`, which is left alone.
 */
export function seenUrlsKey(keyPrefix: string): string {
  return `${keyPrefix}seen-url-times`;
}

/** URLs sent to Redis per script call, so one huge sitemap does not block Redis for long. */
const BATCH_SIZE = 1_000;

/**
 * A seen-URL set in Redis shared by every scheduler process. Pass normalized URLs
 * (normalizeUrl), so two spellings of one page count once. A URL that no source lists for
 * `ttlMs` is forgotten: if it comes back it is fetched again (conditionally, with its
 * validators), and an unchanged page makes no new revision.
 */
export class RedisSeenUrls implements SeenUrls {
  constructor(
    private readonly redis: RedisClient,
    private readonly key: string,
    private readonly ttlMs: number,
  ) {}

  async addNew(urls: readonly string[]): Promise<string[]> {
    const fresh: string[] = [];
    for (let i = 0; i < urls.length; i += BATCH_SIZE) {
      const batch = urls.slice(i, i + BATCH_SIZE);
      const added = await this.redis.eval(ADD_NEW_SCRIPT, 1, this.key, this.ttlMs, ...batch);
      if (Array.isArray(added)) fresh.push(...added.map(String));
    }
    return fresh;
  }
}

/** A seen-URL set in process memory, for the in-process driver and tests. */
export class MemorySeenUrls implements SeenUrls {
  private readonly seen = new Set<string>();

  async addNew(urls: readonly string[]): Promise<string[]> {
    const fresh: string[] = [];
    for (const url of urls) {
      if (this.seen.has(url)) continue;
      this.seen.add(url);
      fresh.push(url);
    }
    return fresh;
  }
}
