import { readFile } from 'node:fs/promises';
import type { Queue } from 'bullmq';
import { redactUrl } from '../config/config.js';
import { PermanentError } from '../errors.js';
import { listSeedFiles } from '../pipeline/run-local.js';
import type { FsRawStore } from '../raw/raw-store.js';
import { readSourceFile } from '../raw/read-source-file.js';
import { parseUrlList } from '../sources/url-list.js';
import { enqueueUrls, type SeenUrlMarks, type UrlEnqueueCounts } from './enqueue-urls.js';
import { processJobId, type ProcessJobData, type SourceJobData } from './job-data.js';

/** Line numbers named in a job's failed reason for a bad URL list; the rest are counted. */
const MAX_LINES_NAMED = 20;

/** Jobs per addBulk call: one round trip for many jobs, yet a bounded Redis command size. */
export const ENQUEUE_BATCH_SIZE = 1000;

/** A feed or sitemap read for new items; nothing is marked until the jobs are added. */
export interface FeedPoll {
  /** Item URLs never handed out before, normalized: enqueue these. */
  urls: string[];
  /** Every item URL listed, to mark as still listed (with the new ones' jobs). */
  listed: string[];
  /** Keeps the feed's validators: called once its items' jobs and marks are in Redis. */
  afterEnqueue(): Promise<void>;
  /** What the source did not let us read (a capped or failing child sitemap), to be reported. */
  warnings: string[];
}

/** Reads a feed's or sitemap's new items; given by the fetch layer. */
export type ReadFeed = (url: string) => Promise<FeedPoll>;

export interface ExpandSourceDeps {
  fetchQueue: Queue;
  processQueue: Pick<Queue, 'addBulk'>;
  /** Where URLs handed to the fetch queue are marked, with their jobs. */
  seen: SeenUrlMarks;
  rawStore: Pick<FsRawStore, 'put'>;
  /** Called just before each batch of seed jobs is added (benchmarks time pages by it). */
  onSeedBatch?: (paths: string[]) => void;
  /** Reads a feed's new items; given by the fetch layer. Absent: feeds are refused. */
  readFeed?: ReadFeed;
  /**
   * Quote a URL list's bad lines in the error (an operator's own terminal). Off for jobs: their
   * reason is kept in Redis, and the file may not be a URL list at all. @default false
   */
  quoteBadLines?: boolean;
}

export interface ExpandResult {
  /** Jobs asked for; the same page asked twice is still one job. */
  jobs: number;
  queue: 'fetch' | 'process';
  /** For URL sources: what became of each URL. */
  urls?: UrlEnqueueCounts;
  /** Parts of the source that were not read, and why (a feed's capped child sitemaps). */
  warnings?: string[];
}

/**
 * Turns a source (seeds folder, URL list, feed) into jobs: seed pages go to the raw store and
 * the process queue, URLs to the fetch queue. Idempotent: job ids come from content hashes and
 * normalized URLs. Throws PermanentError naming the source when it cannot be read.
 */
export async function expandSource(
  source: SourceJobData,
  deps: ExpandSourceDeps,
): Promise<ExpandResult> {
  switch (source.kind) {
    case 'seeds':
      return { jobs: await enqueueSeeds(source.dir, deps), queue: 'process' };
    case 'urls': {
      const urls = await readUrlList(source.file, deps.quoteBadLines ?? false);
      const counts = await enqueueUrls(urls, source.file, deps.fetchQueue, deps.seen);
      return { jobs: urls.length, queue: 'fetch', urls: counts };
    }
    case 'feed': {
      if (!deps.readFeed) {
        throw new PermanentError('FEED_UNSUPPORTED', 'feed reading is not available in this build');
      }
      const feed = await deps.readFeed(source.url);
      const counts = await enqueueUrls(
        feed.urls,
        source.url,
        deps.fetchQueue,
        deps.seen,
        feed.listed,
      );
      await feed.afterEnqueue();
      const warnings = feed.warnings.length > 0 ? { warnings: feed.warnings } : {};
      return { jobs: feed.urls.length, queue: 'fetch', urls: counts, ...warnings };
    }
  }
}

/** Stores every seed page raw and adds one process job per page. Returns the job count. */
export async function enqueueSeeds(
  dir: string,
  deps: Pick<ExpandSourceDeps, 'processQueue' | 'rawStore' | 'onSeedBatch'>,
): Promise<number> {
  const files = await listSeedFiles(dir);
  for (let i = 0; i < files.length; i += ENQUEUE_BATCH_SIZE) {
    const batch = files.slice(i, i + ENQUEUE_BATCH_SIZE);
    const jobs = await Promise.all(
      batch.map(async (path) => {
        const data: ProcessJobData = {
          rawHash: await deps.rawStore.put(await readSourceFile(path, 'seed')),
          uri: path,
          readAt: new Date().toISOString(),
        };
        return { name: 'process', data, opts: { jobId: processJobId(data.rawHash) } };
      }),
    );
    deps.onSeedBatch?.(batch);
    await deps.processQueue.addBulk(jobs);
  }
  return files.length;
}

/**
 * Reads a URL list (see parseUrlList: one http(s) URL a line, blank lines and `#` comments
 * skipped). Refuses the whole list, naming every bad line and why, rather than enqueueing part
 * of it.
 */
export async function readUrlList(file: string, quoteBadLines = true): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new PermanentError('SOURCE_UNREADABLE', `${file}: cannot read URL list`, { cause });
  }
  const { urls, invalid } = parseUrlList(text);
  if (invalid.length > 0) {
    if (!quoteBadLines) {
      const lines = invalid.slice(0, MAX_LINES_NAMED).map((l) => l.line);
      const more =
        invalid.length > lines.length ? ` and ${invalid.length - lines.length} more` : '';
      throw new PermanentError(
        'URL_LIST_INVALID',
        `${file}: ${invalid.length} lines are not fetchable http(s) URLs: line ${lines.join(', ')}${more}`,
      );
    }
    // A password in the list stays out of the message (crontab mail, logs).
    const bad = invalid.map((l) => `line ${l.line}: "${redactUrl(l.text)}" (${l.reason})`);
    throw new PermanentError('URL_LIST_INVALID', `${file}: not fetchable URLs: ${bad.join('; ')}`);
  }
  return urls;
}
