import { readFile } from 'node:fs/promises';
import type { Queue } from 'bullmq';
import { redactUrl } from '../config/config.js';
import { PermanentError } from '../errors.js';
import { listSeedFiles } from '../pipeline/run-local.js';
import type { FsRawStore } from '../raw/raw-store.js';
import { readSourceFile } from '../raw/read-source-file.js';
import { parseUrlList } from '../sources/url-list.js';
import {
  FetchJobData,
  fetchJobId,
  processJobId,
  type ProcessJobData,
  type SourceJobData,
} from './job-data.js';

/** Line numbers named in a job's failed reason for a bad URL list; the rest are counted. */
const MAX_LINES_NAMED = 20;

/** Jobs per addBulk call: one round trip for many jobs, yet a bounded Redis command size. */
export const ENQUEUE_BATCH_SIZE = 1000;

export interface ExpandSourceDeps {
  fetchQueue: Pick<Queue, 'addBulk'>;
  processQueue: Pick<Queue, 'addBulk'>;
  rawStore: Pick<FsRawStore, 'put'>;
  /** Called just before each batch of seed jobs is added (benchmarks time pages by it). */
  onSeedBatch?: (paths: string[]) => void;
  /** Item URLs of a feed; given by the fetch layer. Absent: feeds are refused. */
  readFeed?: ReadFeed;
  /**
   * Quote a URL list's bad lines in the error (an operator's own terminal). Off for jobs: their
   * reason is kept in Redis, and the file may not be a URL list at all. @default false
   */
  quoteBadLines?: boolean;
}

/**
 * The new item URLs of a feed or sitemap, and what could not be read (a capped or failing
 * child sitemap), to be reported.
 */
export type ReadFeed = (url: string) => Promise<{ urls: string[]; warnings: string[] }>;

export interface ExpandResult {
  /** Jobs asked for; the same page asked twice is still one job. */
  jobs: number;
  queue: 'fetch' | 'process';
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
    case 'urls':
      return {
        jobs: await enqueueUrls(
          await readUrlList(source.file, deps.quoteBadLines ?? false),
          source.file,
          deps,
        ),
        queue: 'fetch',
      };
    case 'feed': {
      if (!deps.readFeed) {
        throw new PermanentError('FEED_UNSUPPORTED', 'feed reading is not available in this build');
      }
      const { urls, warnings } = await deps.readFeed(source.url);
      const jobs = await enqueueUrls(urls, source.url, deps);
      return { jobs, queue: 'fetch', ...(warnings.length > 0 ? { warnings } : {}) };
    }
  }
}

/** Stores every seed page raw and adds one process job per page. Returns the job count. */
export async function enqueueSeeds(dir: string, deps: ExpandSourceDeps): Promise<number> {
  const files = await listSeedFiles(dir);
  for (let i = 0; i < files.length; i += ENQUEUE_BATCH_SIZE) {
    const batch = files.slice(i, i + ENQUEUE_BATCH_SIZE);
    const jobs = await Promise.all(
      batch.map(async (path) => {
        const data: ProcessJobData = {
          rawHash: await deps.rawStore.put(await readSourceFile(path, 'seed')),
          uri: path,
        };
        return { name: 'process', data, opts: { jobId: processJobId(data.rawHash) } };
      }),
    );
    deps.onSeedBatch?.(batch);
    await deps.processQueue.addBulk(jobs);
  }
  return files.length;
}

/** Adds one fetch job per URL. Returns the job count. */
export async function enqueueUrls(
  urls: string[],
  via: string,
  deps: Pick<ExpandSourceDeps, 'fetchQueue'>,
): Promise<number> {
  for (let i = 0; i < urls.length; i += ENQUEUE_BATCH_SIZE) {
    const jobs = urls.slice(i, i + ENQUEUE_BATCH_SIZE).map((url) => ({
      name: 'fetch',
      data: FetchJobData.parse({ url, via }),
      opts: { jobId: fetchJobId(url) },
    }));
    await deps.fetchQueue.addBulk(jobs);
  }
  return urls.length;
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
