/**
 * Queue benchmark: pushes seed-sized pages through `enqueue --seeds` (raw store + process
 * queue), `newsnorm worker` processes and the Redis Stream sink, with 1 and 2 worker processes
 * against a redis-server it starts itself, and compares with processPage in a loop.
 *
 *   npm run bench:queue                   # 20,000 pages
 *   BENCH_PAGES=5000 npm run bench:queue  # quicker
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { loadConfig } from '../src/config/config.js';
import { loadPipelineDeps } from '../src/pipeline/load-pipeline-deps.js';
import { processPage } from '../src/pipeline/process-page.js';
import { enqueueSeeds } from '../src/queue/expand-source.js';
import { closeQueues, openQueues } from '../src/queue/open-queues.js';
import { FsRawStore } from '../src/raw/raw-store.js';
import { startRedis } from '../tests/helpers/redis-server.js';

/** Pages pushed: the issue asks for at least 20,000. */
const PAGES = Number(process.env.BENCH_PAGES ?? 20_000);
/** Worker process counts compared. */
const WORKER_COUNTS = [1, 2];
/** Jobs each worker process runs at once: enough to overlap Redis and disk waits with CPU. */
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
/** A run that has not finished by then is reported as failed rather than waited for. */
const RUN_TIMEOUT_MS = 10 * 60_000;
const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'newsnorm.js');

/** Seed pages varied by numbered sentences, so every page is its own record and content. */
function writePages(dir: string): string[] {
  const seeds = readdirSync(join(ROOT, 'seeds'))
    .sort()
    .map((name) => readFileSync(join(ROOT, 'seeds', name), 'utf8'));
  mkdirSync(dir, { recursive: true });
  const paths: string[] = [];
  for (let i = 0; i < PAGES; i++) {
    const seed = seeds[i % seeds.length]!;
    const cut = seed.indexOf('\n', Math.floor(seed.length / 3));
    const sentence = `\nField report ${i}: convoy ${i % 97} reached checkpoint ${i % 13} near Jayrud after ${i % 7} hours.\n`;
    const path = join(dir, `bench-${String(i).padStart(6, '0')}.txt`);
    writeFileSync(path, `${seed.slice(0, cut)}${sentence}${seed.slice(cut)}`);
    paths.push(path);
  }
  return paths;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** Peak resident set of a process, from /proc (VmHWM), in MiB. */
function peakRssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/^VmHWM:\s+(\d+)/m.exec(status)?.[1] ?? NaN);
  return kib / 1024;
}

async function startWorkerProcess(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [BIN, 'worker', '--queues', 'process', '--concurrency', String(CONCURRENCY)],
    { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  await new Promise<void>((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => {
      log += d.toString();
      if (log.includes('worker ready')) resolve();
    });
    child.on('exit', () => reject(new Error(`worker exited during start-up:\n${log}`)));
  });
  return child;
}

interface RunFigures {
  workers: number;
  pagesPerSec: number;
  enqueuePerSec: number;
  p50Ms: number;
  p99Ms: number;
  peakRssMiB: number[];
}

async function runQueued(
  workerCount: number,
  redisUrl: string,
  seedsDir: string,
  workDir: string,
): Promise<RunFigures> {
  const prefix = `{bench${workerCount}}`;
  const env = {
    REDIS_URL: redisUrl,
    NEWSNORM_QUEUE_PREFIX: prefix,
    NEWSNORM_RAW_DIR: join(workDir, 'raw'),
    NEWSNORM_SINKS: 'stream',
    NEWSNORM_STREAM_MAXLEN: String(PAGES * 2),
    LOG_LEVEL: 'warn',
  };
  const config = loadConfig({ env, file: null });
  const workers = await Promise.all(
    Array.from({ length: workerCount }, () => startWorkerProcess({ ...env, LOG_LEVEL: 'info' })),
  );
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queues = openQueues(config.queue, redis);
  const stream = `${prefix}:${config.sinks.streamName}`;
  const enqueuedAt = new Map<string, number>();
  const started = Date.now();
  await enqueueSeeds(seedsDir, {
    fetchQueue: queues.fetch,
    processQueue: queues.process,
    rawStore: new FsRawStore(config.paths.rawDir),
    onSeedBatch: (paths) => {
      const now = Date.now();
      for (const p of paths) enqueuedAt.set(p, now);
    },
  });
  const enqueueMs = Date.now() - started;
  const deadline = started + RUN_TIMEOUT_MS;
  while ((await redis.xlen(stream)) < PAGES) {
    if (Date.now() > deadline)
      throw new Error(`timed out: ${await redis.xlen(stream)} of ${PAGES}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const rss = workers.map((w) => peakRssMiB(w.pid!));
  const latencies: number[] = [];
  let lastEntryMs = 0;
  for (let cursor = '-'; ;) {
    const entries = await redis.xrange(stream, cursor, '+', 'COUNT', 2000);
    for (const [entryId, fields] of entries) {
      const entryMs = Number(entryId.split('-')[0]);
      const record = JSON.parse(fields[fields.indexOf('record') + 1]!) as {
        source: { uri: string };
      };
      latencies.push(entryMs - (enqueuedAt.get(record.source.uri) ?? NaN));
      lastEntryMs = Math.max(lastEntryMs, entryMs);
    }
    if (entries.length < 2000) break;
    cursor = `(${entries.at(-1)![0]}`;
  }
  latencies.sort((a, b) => a - b);
  await Promise.all(
    workers.map(
      (w) =>
        new Promise<void>((resolve) => {
          w.once('exit', () => resolve());
          w.kill('SIGTERM');
        }),
    ),
  );
  await closeQueues(queues);
  redis.disconnect();
  return {
    workers: workerCount,
    pagesPerSec: PAGES / ((lastEntryMs - started) / 1000),
    enqueuePerSec: PAGES / (enqueueMs / 1000),
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    peakRssMiB: rss,
  };
}

async function inProcessPagesPerSec(paths: string[]): Promise<number> {
  const pipeline = await loadPipelineDeps(loadConfig({ env: {}, file: null }));
  const pages = paths.map((uri) => ({
    kind: 'seed' as const,
    uri,
    url: null,
    retrievedAt: null,
    contentType: null,
    headers: {},
    body: new Uint8Array(readFileSync(uri)),
  }));
  const t0 = performance.now();
  for (const page of pages) processPage(page, pipeline);
  return pages.length / ((performance.now() - t0) / 1000);
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'newsnorm-bench-queue-'));
  const redis = await startRedis();
  try {
    const seedsDir = join(work, 'seeds');
    const paths = writePages(seedsDir);
    const inProcess = await inProcessPagesPerSec(paths);
    console.log(`pages: ${PAGES}, worker concurrency ${CONCURRENCY}, redis ${redis.url}`);
    console.log(`in-process processPage loop: ${inProcess.toFixed(0)} pages/s`);
    for (const count of WORKER_COUNTS) {
      const r = await runQueued(count, redis.url, seedsDir, join(work, `run${count}`));
      console.log(
        `${r.workers} worker process${r.workers > 1 ? 'es' : ''}: ${r.pagesPerSec.toFixed(0)} pages/s ` +
          `end to end (enqueue alone ${r.enqueuePerSec.toFixed(0)} pages/s), ` +
          `enqueue→stream p50 ${r.p50Ms.toFixed(0)} ms, p99 ${r.p99Ms.toFixed(0)} ms, ` +
          `peak RSS ${r.peakRssMiB.map((m) => `${m.toFixed(0)} MiB`).join(' / ')}; ` +
          `${((100 * r.pagesPerSec) / inProcess).toFixed(0)}% of in-process`,
      );
    }
  } finally {
    await redis.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
