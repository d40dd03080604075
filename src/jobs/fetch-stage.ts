import type { Redis } from 'ioredis';
import type { FetchConfig } from '../config/fetch-config.js';
import { createFetchDeps } from '../fetch/create-fetch-deps.js';
import { fetchRawPage, saveValidators } from '../fetch/fetch-page.js';
import type { Validators, ValidatorStore } from '../fetch/validator-store.js';
import type { RawPage } from '../raw/raw-page.js';
import { IsolatedSources } from '../sources/isolated-sources.js';
import { pollSource } from '../sources/poll-source.js';
import type { SeenUrls } from '../sources/seen-urls.js';
import type { SeenUrlMarks } from './enqueue-urls.js';
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

/** URLs asked about per ZMSCORE: one round trip for many, yet a bounded command. */
const SEEN_BATCH_SIZE = 1000;

/**
 * Builds the fetch stage once per process, on the worker's Redis connection. With
 * `sourceThread`, feeds and sitemaps are read in a thread of their own, within
 * fetch.sourceTimeoutMs and fetch.sourceMaxHeapMb (workers: their event loop stays free);
 * without, here (a command that reads one feed and exits).
 */
export function createFetchStage(
  config: FetchConfig,
  redis: Redis,
  seen: SeenUrlMarks,
  options: { sourceThread?: boolean } = {},
): FetchStage {
  const runtime = createFetchDeps(config, { redis });
  const sources = options.sourceThread
    ? new IsolatedSources({ timeoutMs: config.sourceTimeoutMs, maxHeapMb: config.sourceMaxHeapMb })
    : null;
  return {
    fetchRaw: (url, signal) => fetchRawPage(url, runtime.deps, signal),
    afterStore: (page) => saveValidators(page, runtime.deps.validators),
    readFeed: async (url) => {
      // Nothing is written while the feed is read: its items are marked seen with their jobs,
      // and its validators kept after that, so a failed enqueue reads the feed in full again.
      const unseen = new UnseenUrls(redis, seen.key);
      const validators = new DeferredValidators(runtime.deps.validators);
      const result = await pollSource(
        url,
        {
          fetch: { ...runtime.deps, validators },
          seen: unseen,
          ...(sources ? { readLinks: sources.read.bind(sources) } : {}),
        },
        { maxItems: config.maxFeedItems, maxChildSitemaps: config.maxChildSitemaps },
      );
      return {
        urls: result.newUrls,
        listed: unseen.listed,
        afterEnqueue: () => validators.flush(),
        // What the source did not let us read (child sitemaps past the cap, failing ones) is said.
        warnings: result.errors.map((e) => `${e.code}: ${e.message}`),
      };
    },
    close: async () => {
      await sources?.close();
      await runtime.close();
    },
  };
}

/** The URLs the seen set does not hold, read only; every URL asked about is kept in `listed`. */
class UnseenUrls implements SeenUrls {
  readonly listed: string[] = [];

  constructor(
    private readonly redis: Redis,
    private readonly key: string,
  ) {}

  async addNew(urls: readonly string[]): Promise<string[]> {
    const unseen: string[] = [];
    for (let i = 0; i < urls.length; i += SEEN_BATCH_SIZE) {
      const batch = urls.slice(i, i + SEEN_BATCH_SIZE);
      for (const url of batch) this.listed.push(url);
      const scores = await this.redis.zmscore(this.key, ...batch);
      for (const [j, url] of batch.entries()) if (scores[j] === null) unseen.push(url);
    }
    return unseen;
  }
}

/** A validator store whose writes wait for `flush`. */
class DeferredValidators implements ValidatorStore {
  private readonly pending: [string, Validators][] = [];

  constructor(private readonly store: ValidatorStore | undefined) {}

  async get(url: string): Promise<Validators | null> {
    return (await this.store?.get(url)) ?? null;
  }

  async set(url: string, validators: Validators): Promise<void> {
    this.pending.push([url, validators]);
  }

  async flush(): Promise<void> {
    for (const [url, validators] of this.pending.splice(0)) await this.store?.set(url, validators);
  }
}
