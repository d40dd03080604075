import type { Redis } from 'ioredis';
import type { FetchConfig } from '../config/fetch-config.js';
import { createFetchDeps } from '../fetch/create-fetch-deps.js';
import { fetchRawPage, saveValidators } from '../fetch/fetch-page.js';
import type { RawPage } from '../raw/raw-page.js';
import { pollSource } from '../sources/poll-source.js';
import { RedisSeenUrls, seenUrlsKey } from '../sources/seen-urls.js';
import type { ReadFeed } from './expand-source.js';
import type { FetchRaw } from './fetch-job.js';

/** The fetch layer bound for workers: shared host gate, validators and seen-URL set in Redis. */
export interface FetchStage {
  fetchRaw: FetchRaw;
  /** Called once a fetched page is in the raw store: its validators may now be kept. */
  afterStore: (page: RawPage) => Promise<void>;
  /** New item URLs of a feed or sitemap (URLs handed out before are left out). */
  readFeed: ReadFeed;
  close(): Promise<void>;
}

/** Builds the fetch stage once per process, on the worker's Redis connection. */
export function createFetchStage(config: FetchConfig, redis: Redis): FetchStage {
  const runtime = createFetchDeps(config, { redis });
  const seen = new RedisSeenUrls(redis, seenUrlsKey(config.redisKeyPrefix), config.seenUrlTtlMs);
  return {
    fetchRaw: (url, signal) => fetchRawPage(url, runtime.deps, signal),
    afterStore: (page) => saveValidators(page, runtime.deps.validators),
    readFeed: async (url) => {
      const poll = await pollSource(
        url,
        { fetch: runtime.deps, seen },
        { maxItems: config.maxFeedItems, maxChildSitemaps: config.maxChildSitemaps },
      );
      // What the source did not let us read (child sitemaps past the cap, failing ones) is said.
      return { urls: poll.newUrls, warnings: poll.errors.map((e) => `${e.code}: ${e.message}`) };
    },
    close: () => runtime.close(),
  };
}
