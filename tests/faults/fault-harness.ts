import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { loadConfig } from '../../src/config/config.js';
import { processJobId } from '../../src/jobs/job-data.js';
import { defaultJobOptions } from '../../src/queue/open-queues.js';
import type { RawPage } from '../../src/raw/raw-page.js';
import type { FsRawStore } from '../../src/raw/raw-store.js';
import { startRedis, type TestRedis } from '../helpers/redis-server.js';
import { waitFor } from '../queue/queue-test-helpers.js';

export const ROOT = join(import.meta.dirname, '..', '..');
export const BIN = join(ROOT, 'bin', 'newsnorm.js');
/** Where each scenario leaves its figures; the report is composed from these files. */
export const RESULTS_DIR = join(ROOT, 'out', 'faults');
const SEEDS_DIR = join(ROOT, 'seeds');

/** Jobs added per addBulk call: one round trip, a bounded command size. */
const ENQUEUE_BATCH = 1000;
/** Polls until a check is true; throws after the timeout (the queue tests' helper). */
export const waitUntil = waitFor;

/** One scenario's figures, as the report prints them. */
export interface ScenarioResult {
  scenario: string;
  title: string;
  passed: boolean;
  seconds: number;
  figures: Record<string, string | number>;
  /** Extra lines under the figures (tables, notes). */
  details?: string[];
}

/** Saves one scenario's figures for the report. */
export function saveResult(result: ScenarioResult): void {
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(join(RESULTS_DIR, `${result.scenario}.json`), JSON.stringify(result, null, 2));
}

/** The seed pages' texts, the material every generated page varies. */
export function seedTexts(): string[] {
  return readdirSync(SEEDS_DIR)
    .filter((n) => n.endsWith('.txt'))
    .sort()
    .map((n) => readFileSync(join(SEEDS_DIR, n), 'utf8'));
}

/**
 * Page `i` of a run: a seed page with a numbered sentence added after its first long paragraph
 * that ends a sentence, as a seed file of its own (its record id comes from the file name).
 */
export function generatedPage(seeds: readonly string[], run: string, i: number): RawPage {
  const seed = seeds[i % seeds.length]!;
  const paragraphs = seed.split('\n\n');
  // After the first long paragraph that ends a sentence: inside the story, not in a ticker
  // above the headline nor among the comments below the story, where the cleaner rightly keeps
  // it out of the body (and with it the page's difference).
  const at = Math.max(
    0,
    paragraphs.findIndex((p) => p.length > 150 && /[.!?](?=\s|$)/.test(p)),
  );
  paragraphs.splice(
    at + 1,
    0,
    `Dispatch ${i} of run ${run}: this is numbered sentence ${i}, added so that every page differs.`,
  );
  return {
    kind: 'seed',
    uri: `faults/${run}/page-${String(i).padStart(6, '0')}.txt`,
    url: null,
    retrievedAt: null,
    contentType: 'text/plain; charset=utf-8',
    headers: {},
    body: new TextEncoder().encode(paragraphs.join('\n\n')),
  };
}

/** Folders of this file's scenarios (raw stores of up to 100,000 pages), removed at clean-up. */
const scenarioDirs: string[] = [];

/** Environment of one scenario: its own queue prefix, raw store and sink. */
export function scenarioEnv(redisUrl: string, extra: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'newsnorm-faults-'));
  scenarioDirs.push(dir);
  const env: Record<string, string> = {
    REDIS_URL: redisUrl,
    NEWSNORM_QUEUE_PREFIX: `{f-${randomBytes(4).toString('hex')}}`,
    NEWSNORM_RAW_DIR: join(dir, 'raw'),
    NEWSNORM_SINK_FILE: join(dir, 'records.jsonl'),
    NEWSNORM_SINKS: 'stream',
    NEWSNORM_STREAM_MAXLEN: '1000000',
    // Short locks and stall checks: a killed worker's jobs come back within about a second.
    NEWSNORM_LOCK_DURATION_MS: '2000',
    NEWSNORM_STALLED_INTERVAL_MS: '1000',
    NEWSNORM_BACKOFF_DELAY_MS: '200',
    LOG_LEVEL: 'warn',
    ...extra,
  };
  return { dir, env };
}

/** Stores pages raw and adds their process jobs, in batches. Returns the job ids. */
export async function enqueuePages(
  queue: Queue,
  store: FsRawStore,
  pages: Iterable<RawPage>,
): Promise<number> {
  let batch: { name: string; data: unknown; opts: { jobId: string } }[] = [];
  let count = 0;
  const flush = async () => {
    if (batch.length > 0) await queue.addBulk(batch);
    batch = [];
  };
  for (const page of pages) {
    const rawHash = await store.put(page);
    batch.push({
      name: 'process',
      data: { rawHash, uri: page.uri },
      opts: { jobId: processJobId(rawHash) },
    });
    count++;
    if (batch.length >= ENQUEUE_BATCH) await flush();
  }
  await flush();
  return count;
}

/** Finds a free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** A `newsnorm worker` process with its operations server. */
export interface FaultWorker {
  child: ChildProcess;
  pid: number;
  opsUrl: string;
  log(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  alive(): boolean;
  kill(signal: NodeJS.Signals): Promise<void>;
}

/** Starts the built `newsnorm worker` and waits until its `/readyz` says ready. */
export async function startFaultWorker(
  env: Record<string, string>,
  args: string[] = ['--queues', 'process'],
  nodeArgs: string[] = [],
): Promise<FaultWorker> {
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeArgs, BIN, 'worker', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env, NEWSNORM_OPS_PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr!.on('data', (d: Buffer) => {
    // Keep the tail only: a long run must not grow the harness' memory.
    log = (log + d.toString()).slice(-200_000);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const alive = () => child.exitCode === null && child.signalCode === null;
  const worker: FaultWorker = {
    child,
    pid: child.pid!,
    opsUrl: `http://127.0.0.1:${port}`,
    log: () => log,
    exited,
    alive,
    async kill(signal) {
      if (alive()) child.kill(signal);
      await exited;
    },
  };
  try {
    await waitUntil(
      async () => {
        if (!alive()) throw new Error(`worker exited during start-up:\n${log}`);
        return (await httpStatus(`${worker.opsUrl}/readyz`)) === 200;
      },
      30_000,
      () => `worker never ready:\n${log}`,
    );
  } catch (error) {
    await worker.kill('SIGKILL');
    throw error;
  }
  return worker;
}

/** The status of a GET, or 0 when nothing answers. */
export async function httpStatus(url: string): Promise<number> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

/** One sample value from a worker's `/metrics` (summed over label sets matching `prefix`). */
export async function scrape(worker: FaultWorker, prefix: string): Promise<number> {
  const res = await fetch(`${worker.opsUrl}/metrics`, { signal: AbortSignal.timeout(5_000) });
  const text = await res.text();
  return text
    .split('\n')
    .filter((l) => l.startsWith(prefix) && (l[prefix.length] === ' ' || l[prefix.length] === '{'))
    .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

/** Peak resident set size of a process so far (Linux VmHWM), in MiB. */
export function peakRssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)\s+kB/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

/** How many times each source URI reached the stream. */
export async function streamArrivals(
  redis: Redis,
  streamKey: string,
): Promise<Map<string, number>> {
  const arrivals = new Map<string, number>();
  let start = '-';
  for (;;) {
    const entries = await redis.xrange(streamKey, start, '+', 'COUNT', 2000);
    for (const [, fields] of entries) {
      const json = fields[fields.indexOf('record') + 1] ?? '{}';
      const uri = (JSON.parse(json) as { source?: { uri?: string } }).source?.uri ?? '?';
      arrivals.set(uri, (arrivals.get(uri) ?? 0) + 1);
    }
    if (entries.length < 2000) return arrivals;
    const last = entries[entries.length - 1]![0];
    start = `(${last}`;
  }
}

/** Pages sent, received once, lost and duplicated, from the stream's arrivals. */
export function deliveryFigures(sentUris: readonly string[], arrivals: Map<string, number>) {
  let once = 0;
  let lost = 0;
  let duplicated = 0;
  const sent = new Set(sentUris);
  for (const uri of sent) {
    const n = arrivals.get(uri) ?? 0;
    if (n === 0) lost++;
    else if (n === 1) once++;
    else duplicated++;
  }
  const strangers = [...arrivals.keys()].filter((u) => !sent.has(u)).length;
  return { sent: sent.size, receivedOnce: once, lost, duplicated, unexpected: strangers };
}

/** Opens a queue of a scenario (producer side), with the job options the workers expect. */
export function openQueue(redis: Redis, env: Record<string, string>, name = 'process'): Queue {
  const config = loadConfig({ env, file: null });
  return new Queue(name, {
    connection: redis,
    prefix: config.queue.prefix,
    defaultJobOptions: defaultJobOptions(config.queue),
  });
}

/** Jobs not yet finished (waiting, active, delayed, prioritized) and failed ones. */
export async function queueBacklog(queue: Queue): Promise<{ pending: number; failed: number }> {
  const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'failed');
  return {
    pending: (c.waiting ?? 0) + (c.active ?? 0) + (c.delayed ?? 0) + (c.prioritized ?? 0),
    failed: c.failed ?? 0,
  };
}

/**
 * Waits until no job of the queue is pending (within `withinMs`, or the scenario fails), then
 * `settleMs` more for late deliveries to show, and returns the backlog as it is then.
 */
export async function drainedBacklog(
  queue: Queue,
  withinMs: number,
  settleMs: number,
): Promise<{ pending: number; failed: number }> {
  await waitUntil(
    async () => (await queueBacklog(queue)).pending === 0,
    withinMs,
    () => 'jobs still pending',
  );
  await new Promise((r) => setTimeout(r, settleMs));
  return queueBacklog(queue);
}

/** What a scenario starts and must stop: its redis-server, a client, its workers. */
export interface ScenarioResources {
  redis: TestRedis;
  client: Redis;
  workers: FaultWorker[];
}

/**
 * Starts a redis-server and a client for one scenario; `cleanup` (for afterAll) kills the
 * workers it was given and stops everything, whatever state the scenario ended in.
 */
export function scenarioResources() {
  let resources: ScenarioResources | undefined;
  const extra: (() => Promise<void>)[] = [];
  return {
    async start(options: { appendOnly?: boolean } = {}): Promise<ScenarioResources> {
      const redis = await startRedis(options);
      const client = new Redis(redis.url, { maxRetriesPerRequest: null });
      client.on('error', () => {});
      resources = { redis, client, workers: [] };
      return resources;
    },
    /** Something else to stop at clean-up (test servers). */
    onCleanup(stop: () => Promise<void>) {
      extra.push(stop);
    },
    async cleanup() {
      if (!resources) return;
      await Promise.all(resources.workers.map((w) => w.kill('SIGKILL')));
      await Promise.all(extra.map((stop) => stop()));
      resources.client.disconnect();
      await resources.redis.stop();
      for (const dir of scenarioDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    },
  };
}
