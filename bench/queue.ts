/**
 * Queue benchmark: pushes seed-sized pages through `enqueue --seeds` (raw store + process
 * queue), `newsnorm worker` processes and the Redis Stream sink, with 1 and 2 worker processes
 * against a redis-server it starts itself, and compares with processPage in a loop.
 *
 *   npm run bench:queue                   # 20,000 pages
 *   BENCH_PAGES=5000 npm run bench:queue  # quicker
 */
import { spawn, type ChildProcess } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
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
/** Pages enqueued one by one at a steady rate, for latency without a backlog. */
const PACED_PAGES = Number(process.env.BENCH_PACED_PAGES ?? 1000);
/** The paced rate, as a share of the measured throughput: busy, yet without a backlog. */
const PACED_LOAD = 0.5;
/** Worker process counts compared. */
const WORKER_COUNTS = [1, 2];
/** Jobs each worker process runs at once: enough to overlap Redis and disk waits with CPU. */
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
/** A run that has not finished by then is reported as failed rather than waited for. */
const RUN_TIMEOUT_MS = 10 * 60_000;
const ROOT = join(import.meta.dirname, '..', '..');
/** Linux reports process CPU times in clock ticks of 1/100 s (USER_HZ) on every common build. */
const CLOCK_TICKS_PER_SEC = 100;
const BIN = join(ROOT, 'bin', 'newsnorm.js');

/** Seed pages varied by numbered sentences, so every page is its own record and content. */
function writePages(dir: string, count: number, tag: string): string[] {
  const seeds = readdirSync(join(ROOT, 'seeds'))
    .sort()
    .map((name) => readFileSync(join(ROOT, 'seeds', name), 'utf8'));
  mkdirSync(dir, { recursive: true });
  const paths: string[] = [];
  for (let i = 0; i < count; i++) {
    const seed = seeds[i % seeds.length]!;
    const cut = seed.indexOf('\n', Math.floor(seed.length / 3));
    const sentence = `\nField report ${tag}${i}: convoy ${i % 97} reached checkpoint ${i % 13} near Jayrud after ${i % 7} hours.\n`;
    const path = join(dir, `${tag}-${String(i).padStart(6, '0')}.txt`);
    writeFileSync(path, `${seed.slice(0, cut)}${sentence}${seed.slice(cut)}`);
    paths.push(path);
  }
  return paths;
}

/** Pages for the paced phase, each alone in a folder named like it (`paced-000001/paced-000001.txt`). */
function writePacedPages(base: string, count: number): void {
  const flat = join(base, '.flat');
  for (const path of writePages(flat, count, 'paced')) {
    const name = path.slice(flat.length + 1, -'.txt'.length);
    mkdirSync(join(base, name), { recursive: true });
    renameSync(path, join(base, name, `${name}.txt`));
  }
  rmSync(flat, { recursive: true, force: true });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** CPU time (user + system) a process has used so far, from /proc, in ms. */
function cpuMs(pid: number): number {
  // Fields after the command name (which may hold spaces) start at state; utime and stime are 14 and 15.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SEC;
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
  /** Enqueue → stream entry, with the whole run enqueued at once (mostly time in the backlog). */
  backlogP50Ms: number;
  backlogP99Ms: number;
  pacedPerSec: number;
  pacedP50Ms: number;
  pacedP99Ms: number;
  peakRssMiB: number[];
  /** CPU time per page during the throughput phase, in ms: enqueue (this process), each worker, Redis. */
  cpuPerPage: { enqueue: number; workers: number[]; redis: number };
}

/** Enqueue time of each page (by path) and the stream entries' times. */
async function latencies(
  redis: Redis,
  stream: string,
  enqueuedAt: Map<string, number>,
  fromId: string,
): Promise<{ sorted: number[]; lastEntryMs: number; lastId: string }> {
  const values: number[] = [];
  let lastEntryMs = 0;
  let lastId = fromId;
  for (let cursor = fromId === '0' ? '-' : `(${fromId}`; ;) {
    const entries = await redis.xrange(stream, cursor, '+', 'COUNT', 2000);
    for (const [entryId, fields] of entries) {
      const entryMs = Number(entryId.split('-')[0]);
      const record = JSON.parse(fields[fields.indexOf('record') + 1]!) as {
        source: { uri: string };
      };
      values.push(entryMs - (enqueuedAt.get(record.source.uri) ?? NaN));
      lastEntryMs = Math.max(lastEntryMs, entryMs);
      lastId = entryId;
    }
    if (entries.length < 2000) break;
    cursor = `(${entries.at(-1)![0]}`;
  }
  return { sorted: values.sort((a, b) => a - b), lastEntryMs, lastId };
}

async function waitForEntries(redis: Redis, stream: string, count: number): Promise<void> {
  const deadline = Date.now() + RUN_TIMEOUT_MS;
  while ((await redis.xlen(stream)) < count) {
    if (Date.now() > deadline)
      throw new Error(`timed out: ${await redis.xlen(stream)} of ${count}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function runQueued(
  workerCount: number,
  redisUrl: string,
  redisPid: number,
  dirs: { seeds: string; paced: string },
  workDir: string,
): Promise<RunFigures> {
  const prefix = `{bench${workerCount}}`;
  const env = {
    REDIS_URL: redisUrl,
    NEWSNORM_QUEUE_PREFIX: prefix,
    NEWSNORM_RAW_DIR: join(workDir, 'raw'),
    NEWSNORM_SINKS: 'stream',
    NEWSNORM_STREAM_MAXLEN: String((PAGES + PACED_PAGES) * 2),
    LOG_LEVEL: 'warn',
  };
  const config = loadConfig({ env, file: null });
  const workers = await Promise.all(
    Array.from({ length: workerCount }, () => startWorkerProcess({ ...env, LOG_LEVEL: 'info' })),
  );
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queues = openQueues(config.queue, redis);
  const rawStore = new FsRawStore(config.paths.rawDir);
  const stream = `${prefix}:${config.sinks.streamName}`;
  const enqueuedAt = new Map<string, number>();

  // Throughput: every page enqueued at once (in batches) while the workers run.
  const cpuBefore = {
    enqueue: process.cpuUsage(),
    workers: workers.map((w) => cpuMs(w.pid!)),
    redis: cpuMs(redisPid),
  };
  const started = Date.now();
  await enqueueSeeds(dirs.seeds, {
    fetchQueue: queues.fetch,
    processQueue: queues.process,
    rawStore,
    onSeedBatch: (paths) => {
      const now = Date.now();
      for (const p of paths) enqueuedAt.set(p, now);
    },
  });
  const enqueueMs = Date.now() - started;
  await waitForEntries(redis, stream, PAGES);
  const enqueueCpu = process.cpuUsage(cpuBefore.enqueue);
  const cpuPerPage = {
    enqueue: (enqueueCpu.user + enqueueCpu.system) / 1000 / PAGES,
    workers: workers.map((w, i) => (cpuMs(w.pid!) - cpuBefore.workers[i]!) / PAGES),
    redis: (cpuMs(redisPid) - cpuBefore.redis) / PAGES,
  };
  const backlog = await latencies(redis, stream, enqueuedAt, '0');
  const pagesPerSec = PAGES / ((backlog.lastEntryMs - started) / 1000);

  // Latency: pages enqueued one at a time at half that rate, so none waits in a backlog.
  const pacedPerSec = pagesPerSec * PACED_LOAD;
  const pacedPages = readdirSync(dirs.paced).sort();
  const pacedStart = Date.now();
  for (let i = 0; i < pacedPages.length; i++) {
    const due = pacedStart + (i * 1000) / pacedPerSec;
    if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
    // A folder per page, so each goes through enqueueSeeds, the enqueue path measured above.
    const dir = join(dirs.paced, pacedPages[i]!);
    enqueuedAt.set(join(dir, `${pacedPages[i]!}.txt`), Date.now());
    await enqueueSeeds(dir, { fetchQueue: queues.fetch, processQueue: queues.process, rawStore });
  }
  await waitForEntries(redis, stream, PAGES + pacedPages.length);
  const paced = await latencies(redis, stream, enqueuedAt, backlog.lastId);

  const rss = workers.map((w) => peakRssMiB(w.pid!));
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
    pagesPerSec,
    enqueuePerSec: PAGES / (enqueueMs / 1000),
    backlogP50Ms: percentile(backlog.sorted, 50),
    backlogP99Ms: percentile(backlog.sorted, 99),
    pacedPerSec,
    pacedP50Ms: percentile(paced.sorted, 50),
    pacedP99Ms: percentile(paced.sorted, 99),
    peakRssMiB: rss,
    cpuPerPage,
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
    const pacedDir = join(work, 'paced');
    const paths = writePages(seedsDir, PAGES, 'bench');
    writePacedPages(pacedDir, PACED_PAGES);
    const inProcess = await inProcessPagesPerSec(paths);
    console.log(
      `${PAGES} seed-sized pages (+${PACED_PAGES} paced), worker concurrency ${CONCURRENCY}, ` +
        `redis-server ${redis.url}`,
    );
    console.log(`in-process processPage loop: ${inProcess.toFixed(0)} pages/s`);
    for (const count of WORKER_COUNTS) {
      const r = await runQueued(
        count,
        redis.url,
        redis.pid,
        { seeds: seedsDir, paced: pacedDir },
        join(work, `run${count}`),
      );
      const ms = (v: number) => `${v.toFixed(0)} ms`;
      console.log(
        `${r.workers} worker process${r.workers > 1 ? 'es' : ''}: ` +
          `${r.pagesPerSec.toFixed(0)} pages/s enqueue→stream (${((100 * r.pagesPerSec) / inProcess).toFixed(0)}% of in-process; ` +
          `enqueue alone ${r.enqueuePerSec.toFixed(0)} pages/s); ` +
          `latency with all ${PAGES} enqueued at once p50 ${ms(r.backlogP50Ms)} p99 ${ms(r.backlogP99Ms)}; ` +
          `paced at ${r.pacedPerSec.toFixed(0)} pages/s p50 ${ms(r.pacedP50Ms)} p99 ${ms(r.pacedP99Ms)}; ` +
          `peak RSS ${r.peakRssMiB.map((m) => `${m.toFixed(0)} MiB`).join(' / ')}`,
      );
      const c = r.cpuPerPage;
      console.log(
        `  CPU per page: enqueue ${c.enqueue.toFixed(3)} ms, ` +
          `worker${c.workers.length > 1 ? 's' : ''} ${c.workers.map((w) => w.toFixed(3)).join(' + ')} ms, ` +
          `redis-server ${c.redis.toFixed(3)} ms`,
      );
    }
  } finally {
    await redis.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
