import type { RedisClient } from '../fetch/redis-client.js';

/** Remembers which URLs a schedule has already handed out. */
export interface SeenUrls {
  /** Marks `urls` as seen and returns those that were not seen before, in input order. */
  addNew(urls: readonly string[]): Promise<string[]>;
}

/** SADD each URL; collect the ones Redis had not seen (SADD returned 1). One round trip, atomic. */
const ADD_NEW_SCRIPT = `
local fresh = {}
for i, url in ipairs(ARGV) do
  if redis.call('SADD', KEYS[1], url) == 1 then fresh[#fresh + 1] = url end
end
return fresh
`;

/** The Redis key of the seen-URL set shared by every schedule (one page, one job). */
export function seenUrlsKey(keyPrefix: string): string {
  return `${keyPrefix}seen-urls`;
}

/** URLs sent to Redis per script call, so one huge sitemap does not block Redis for long. */
const BATCH_SIZE = 1_000;

/**
 * A seen-URL set in Redis shared by every scheduler process. Pass normalized URLs
 * (normalizeUrl), so two spellings of one page count once.
 */
export class RedisSeenUrls implements SeenUrls {
  constructor(
    private readonly redis: RedisClient,
    private readonly key: string,
  ) {}

  async addNew(urls: readonly string[]): Promise<string[]> {
    const fresh: string[] = [];
    for (let i = 0; i < urls.length; i += BATCH_SIZE) {
      const batch = urls.slice(i, i + BATCH_SIZE);
      const added = await this.redis.eval(ADD_NEW_SCRIPT, 1, this.key, ...batch);
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
