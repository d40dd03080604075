import { randomBytes } from 'node:crypto';
import { Job, type JobsOptions, type Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { normalizeUrl } from '../record/record-id.js';
import { FetchJobData, fetchJobId } from './job-data.js';

/** URLs per MULTI: one round trip for many jobs, yet a bounded transaction. */
const BATCH_SIZE = 1000;

/** The seen-URL set the fetch queue's jobs are marked in, and how long a mark lasts. */
export interface SeenUrlMarks {
  /** Sorted set: URL → when a source last listed it (ms). Under the queue prefix, so one MULTI holds it and the jobs. */
  key: string;
  /** A URL no source listed for this long is forgotten. */
  ttlMs: number;
}

/**
 * The seen-URL set of a queue prefix: in its Cluster slot, beside the fetch queue's keys.
 * (Versions before kept it under fetch.redisKeyPrefix, apart from the jobs; that set is left
 * alone, and a feed's current items are fetched once more, conditionally.)
 */
export function seenUrlMarks(config: {
  queue: { prefix: string };
  fetch: { seenUrlTtlMs: number };
}): SeenUrlMarks {
  return { key: `${config.queue.prefix}:seen-urls`, ttlMs: config.fetch.seenUrlTtlMs };
}

/** What an enqueue did, URL by URL. */
export interface UrlEnqueueCounts {
  /** New fetch jobs for URLs never handed to the fetch queue before. */
  queued: number;
  /** URLs whose fetch job is still waiting, delayed or running: nothing was added. */
  alreadyQueued: number;
  /** New fetch jobs for URLs fetched before: fetched again, conditionally (ETag, Last-Modified). */
  refetched: number;
}

/**
 * Adds one fetch job per URL, and marks the URLs in the seen-URL set in the same MULTI as
 * their jobs (a thousand at a time): a refused write (Redis out of memory or read-only) leaves
 * neither the jobs nor the marks, so no URL is marked seen without its job. Once every job is
 * in, `alsoListed` (the other URLs a feed listed) are marked as still listed.
 *
 * A URL already waiting or running is one job (BullMQ deduplication by the normalized URL); one
 * whose previous fetch has finished is fetched again: re-enqueueing means "fetch this now",
 * and conditional GET makes an unchanged page cheap. URLs must be fetchable http(s) URLs.
 */
export async function enqueueUrls(
  urls: readonly string[],
  via: string,
  queue: Queue,
  seen: SeenUrlMarks,
  alsoListed: readonly string[] = [],
): Promise<UrlEnqueueCounts> {
  const counts: UrlEnqueueCounts = { queued: 0, alreadyQueued: 0, refetched: 0 };
  for (let i = 0; i < urls.length; i += BATCH_SIZE) {
    const batch = await enqueueBatch(urls.slice(i, i + BATCH_SIZE), via, queue, seen);
    counts.queued += batch.queued;
    counts.alreadyQueued += batch.alreadyQueued;
    counts.refetched += batch.refetched;
  }
  // Every job is in: the other listed URLs are marked as still listed, a batch at a time (a
  // sitemap lists tens of thousands). A failure here leaves some marks older, not a URL marked
  // without its job.
  for (let i = 0; i < alsoListed.length; i += BATCH_SIZE) {
    await markListed(alsoListed.slice(i, i + BATCH_SIZE).map(normalizeUrl), queue, seen);
  }
  return counts;
}

/** Marks URLs as listed now, and forgets those no source listed for the TTL. */
async function markListed(urls: readonly string[], queue: Queue, seen: SeenUrlMarks) {
  const now = Date.now();
  const client = (await queue.getBackend().client) as unknown as Redis;
  await execAll(
    client
      .multi()
      .zadd(seen.key, ...urls.flatMap((url) => [now, url]))
      .zremrangebyscore(seen.key, '-inf', `(${now - seen.ttlMs}`),
  );
}

/** Runs a MULTI and gives its replies; throws the first command's error, or when it was discarded. */
async function execAll(multi: ReturnType<Redis['multi']>): Promise<[Error | null, unknown][]> {
  const results = await multi.exec();
  const failed = results?.find(([error]) => error !== null)?.[0];
  if (!results || failed) throw failed ?? new Error('transaction was discarded');
  return results;
}

async function enqueueBatch(
  urls: readonly string[],
  via: string,
  queue: Queue,
  seen: SeenUrlMarks,
): Promise<UrlEnqueueCounts> {
  const counts: UrlEnqueueCounts = { queued: 0, alreadyQueued: 0, refetched: 0 };
  const keys = urls.map(normalizeUrl);
  const backend = queue.getBackend();
  // BullMQ's Redis backend client: the queue's ioredis connection, wrapped so that its
  // transactions take BullMQ's scripts.
  const client = await backend.client;
  const raw = client as unknown as Redis;
  const before = keys.length > 0 ? await raw.zmscore(seen.key, ...keys) : [];
  const now = Date.now();
  const multi = client.multi();
  const commands = multi as unknown as ReturnType<Redis['multi']>;
  const jobIds = urls.map((url) => {
    const dedupId = fetchJobId(url);
    // Unique per enqueue, so a finished job's id does not stop the next fetch of its URL.
    const jobId = `${dedupId}-${now.toString(36)}${randomBytes(4).toString('hex')}`;
    const opts: JobsOptions = {
      ...queue.defaultJobOptions,
      jobId,
      deduplication: { id: dedupId },
    };
    const job = new Job(queue, 'fetch', FetchJobData.parse({ url, via }), opts, jobId);
    // Queues BullMQ's own add script on the transaction: one command per job, whose reply
    // (the id of the job that holds the URL) comes with exec's.
    void backend.addJobToTransaction(multi, job.asJSON(), jobId);
    return jobId;
  });
  const marks = [...new Set(keys)];
  if (marks.length > 0) {
    commands.zadd(seen.key, ...marks.flatMap((url) => [now, url]));
    commands.zremrangebyscore(seen.key, '-inf', `(${now - seen.ttlMs}`);
  }
  const results = await execAll(commands);
  for (const [i, jobId] of jobIds.entries()) {
    if (String(results[i]![1]) !== jobId) counts.alreadyQueued++;
    else if (before[i] !== null && before[i] !== undefined) counts.refetched++;
    else counts.queued++;
  }
  return counts;
}
