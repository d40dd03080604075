/**
 * Queue benchmark: pushes seed-sized pages through `enqueue --seeds` (raw store + process
 * queue), `newsnorm worker` processes and the Redis Stream sink, with 1 and 2 worker processes
 * against a redis-server it starts itself, and compares with `newsnorm run` on the same pages.
 * Workers first take warm-up pages, as a long-running worker has compiled its code long
 * before (the warm-up rate is printed too). For each worker count, three phases, each on pages
 * of its own (so none is a repeat):
 * - drain: the pages are enqueued while the queue is paused (the enqueue rate alone), then the
 *   workers take the backlog: the rate of the process stage, enqueue → stream;
 * - flow: every page enqueued at once while the workers run, enqueuer and workers sharing the
 *   machine: the rate and latency end to end;
 * - paced: pages enqueued one at a time at half the flow rate: latency without a backlog.
 * Every phase prints CPU time per page of the enqueuer, each worker and redis-server; the drain
 * also prints the rate that CPU cost allows at most on this machine's cores (all of them busy).
 *
 *   npm run bench:queue                   # 20,000 pages a phase
 *   BENCH_PAGES=5000 npm run bench:queue  # quicker
 *   BENCH_WARMUP_PAGES=500 BENCH_PACED_PAGES=200 npm run bench:queue   # other page counts
 *   BENCH_WORKER_NODE_OPTIONS=--single-threaded-gc npm run bench:queue   # V8 options of workers
 *   BENCH_POSTGRES=1 npm run bench:queue  # also drain with the postgres sink on, beside stream only
 *   BENCH_PAGE_THREAD_PAIRS=2 npm run bench:queue  # page thread on against off, paired
 *
 * With BENCH_PAGE_THREAD_PAIRS=N each worker count runs N pairs, page thread on and off
 * (NEWSNORM_PAGE_THREAD), the pair's order alternating, on the same pages, under a queue prefix
 * each: the drain and flow rates of each run, and the ratio on/off of each pair, are printed.
 *
 * With BENCH_POSTGRES=1 a throwaway PostgreSQL cluster is started too (as the tests do), and each
 * worker count drains the same backlog a second time with workers writing the stream and postgres
 * sinks, under a queue prefix and into tables of their own: its pages/s and CPU per page
 * (PostgreSQL's server and backends included) are printed beside the stream-only drain.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { loadConfig } from '../src/config/config.js';
import { enqueueSeeds } from '../src/jobs/expand-source.js';
import { closeQueues, openQueues } from '../src/queue/open-queues.js';
import { FsRawStore } from '../src/raw/raw-store.js';
import { migrate } from '../src/sinks/postgres-migrations.js';
import { startPostgres, type TestPostgres } from '../tests/helpers/postgres-server.js';
import { startRedis } from '../tests/helpers/redis-server.js';
import {
  BIN,
  ceilingPagesPerSec,
  CORES,
  cpuMeter,
  formatCpu,
  ROOT,
  startWorkerProcess,
  stopWorkerProcesses,
  totalCpuMs,
  writePages,
  type CpuPerPage,
} from './queue-support.js';

/** Pages pushed: the issue asks for at least 20,000. */
const PAGES = Number(process.env.BENCH_PAGES ?? 20_000);
/** Pages enqueued one by one at a steady rate, for latency without a backlog. */
const PACED_PAGES = Number(process.env.BENCH_PACED_PAGES ?? 1000);
/** The paced rate, as a share of the measured throughput: busy, yet without a backlog. */
const PACED_LOAD = 0.5;
/** Pages each run's workers take before the measured phases, cold start included. */
const WARMUP_PAGES = Number(process.env.BENCH_WARMUP_PAGES ?? 2000);
/** Node options of the worker processes, to compare V8 settings: none unless given. */
const WORKER_OPTIONS = (process.env.BENCH_WORKER_NODE_OPTIONS ?? '')
  .split(' ')
  .filter((o) => o !== '');
/** Worker process counts compared. */
const WORKER_COUNTS = [1, 2];
/** Jobs each worker process runs at once: enough to overlap Redis and disk waits with CPU. */
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
/** Whether to drain again with the postgres sink on (BENCH_POSTGRES=1). */
const WITH_POSTGRES = process.env.BENCH_POSTGRES === '1';
/** Pairs of runs page thread on / off per worker count (BENCH_PAGE_THREAD_PAIRS); 0: none. */
const PAGE_THREAD_PAIRS = Number(process.env.BENCH_PAGE_THREAD_PAIRS ?? 0);
/** A run that has not finished by then is reported as failed rather than waited for. */
const RUN_TIMEOUT_MS = 10 * 60_000;

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

/** Peak resident set of a process, from /proc (VmHWM), in MiB. */
function peakRssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/^VmHWM:\s+(\d+)/m.exec(status)?.[1] ?? NaN);
  return kib / 1024;
}

interface PhaseFigures {
  pagesPerSec: number;
  p50Ms: number;
  p99Ms: number;
  cpu: CpuPerPage;
}

interface RunFigures {
  workers: number;
  warmupPerSec: number;
  enqueuePerSec: number;
  enqueueCpuMs: number;
  drain: PhaseFigures;
  flow: PhaseFigures & { enqueuePerSec: number };
  paced: PhaseFigures;
  peakRssMiB: number[];
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

/** `newsnorm worker` processes on the process queue, ready (they log at info to say so). */
function startWorkers(count: number, env: Record<string, string>) {
  return Promise.all(
    Array.from({ length: count }, () =>
      startWorkerProcess(
        [
          ...WORKER_OPTIONS,
          BIN,
          'worker',
          '--queues',
          'process',
          '--concurrency',
          String(CONCURRENCY),
        ],
        { ...env, LOG_LEVEL: 'info' },
      ),
    ),
  );
}

async function runQueued(
  workerCount: number,
  redisUrl: string,
  redisPid: number,
  dirs: { warmup: string; drain: string; flow: string; paced: string },
  workDir: string,
  variant: { label: string; env: Record<string, string> } = { label: '', env: {} },
): Promise<RunFigures> {
  const prefix = `{bench${workerCount}${variant.label}}`;
  const env = {
    ...variant.env,
    REDIS_URL: redisUrl,
    NEWSNORM_QUEUE_PREFIX: prefix,
    NEWSNORM_RAW_DIR: join(workDir, 'raw'),
    NEWSNORM_SINKS: 'stream',
    NEWSNORM_STREAM_MAXLEN: String((WARMUP_PAGES + PAGES * 2 + PACED_PAGES) * 2),
    LOG_LEVEL: 'warn',
  };
  const config = loadConfig({ env, file: null });
  const workers = await startWorkers(workerCount, env);
  const workerPids = workers.map((w) => w.pid!);
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queues = openQueues(config.queue, redis);
  const rawStore = new FsRawStore(config.paths.rawDir);
  const stream = `${prefix}:${config.sinks.streamName}`;
  const enqueuedAt = new Map<string, number>();
  const deps = {
    fetchQueue: queues.fetch,
    processQueue: queues.process,
    rawStore,
    onSeedBatch: (paths: string[]) => {
      const now = Date.now();
      for (const p of paths) enqueuedAt.set(p, now);
    },
  };

  // Warm-up: the workers' first pages, as a backlog, cold start and compilation included.
  let started = Date.now();
  await enqueueSeeds(dirs.warmup, deps);
  await waitForEntries(redis, stream, WARMUP_PAGES);
  const warmed = await latencies(redis, stream, enqueuedAt, '0');
  const warmupPerSec = WARMUP_PAGES / ((warmed.lastEntryMs - started) / 1000);

  // Drain: the enqueue rate alone (queue paused), then the workers take the whole backlog.
  await queues.process.pause();
  let meter = cpuMeter(workerPids, redisPid);
  started = Date.now();
  await enqueueSeeds(dirs.drain, deps);
  const enqueueMs = Date.now() - started;
  const enqueueCpuMs = meter(PAGES).enqueue;
  meter = cpuMeter(workerPids, redisPid);
  started = Date.now();
  await queues.process.resume();
  await waitForEntries(redis, stream, WARMUP_PAGES + PAGES);
  const drainCpu = meter(PAGES);
  const drained = await latencies(redis, stream, enqueuedAt, warmed.lastId);
  const drain = {
    pagesPerSec: PAGES / ((drained.lastEntryMs - started) / 1000),
    p50Ms: NaN,
    p99Ms: NaN,
    cpu: drainCpu,
  };

  // Flow: every page enqueued at once (in batches) while the workers run.
  meter = cpuMeter(workerPids, redisPid);
  started = Date.now();
  await enqueueSeeds(dirs.flow, deps);
  const flowEnqueueMs = Date.now() - started;
  await waitForEntries(redis, stream, WARMUP_PAGES + 2 * PAGES);
  const flowCpu = meter(PAGES);
  const flowed = await latencies(redis, stream, enqueuedAt, drained.lastId);
  const flowPerSec = PAGES / ((flowed.lastEntryMs - started) / 1000);
  const flow = {
    pagesPerSec: flowPerSec,
    enqueuePerSec: PAGES / (flowEnqueueMs / 1000),
    p50Ms: percentile(flowed.sorted, 50),
    p99Ms: percentile(flowed.sorted, 99),
    cpu: flowCpu,
  };

  // Paced: pages enqueued one at a time at half the flow rate, so none waits in a backlog.
  const pacedPerSec = flowPerSec * PACED_LOAD;
  const pacedPages = readdirSync(dirs.paced).sort();
  meter = cpuMeter(workerPids, redisPid);
  const pacedStart = Date.now();
  for (let i = 0; i < pacedPages.length; i++) {
    const due = pacedStart + (i * 1000) / pacedPerSec;
    if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
    // A folder per page, so each goes through enqueueSeeds, the enqueue path measured above.
    const dir = join(dirs.paced, pacedPages[i]!);
    enqueuedAt.set(join(dir, `${pacedPages[i]!}.txt`), Date.now());
    await enqueueSeeds(dir, { processQueue: queues.process, rawStore });
  }
  await waitForEntries(redis, stream, WARMUP_PAGES + 2 * PAGES + pacedPages.length);
  const pacedCpu = meter(pacedPages.length);
  const pacedLatency = await latencies(redis, stream, enqueuedAt, flowed.lastId);
  const paced = {
    pagesPerSec: pacedPerSec,
    p50Ms: percentile(pacedLatency.sorted, 50),
    p99Ms: percentile(pacedLatency.sorted, 99),
    cpu: pacedCpu,
  };

  const rss = workers.map((w) => peakRssMiB(w.pid!));
  await stopWorkerProcesses(workers);
  await closeQueues(queues);
  redis.disconnect();
  return {
    workers: workerCount,
    warmupPerSec,
    enqueuePerSec: PAGES / (enqueueMs / 1000),
    enqueueCpuMs,
    drain,
    flow,
    paced,
    peakRssMiB: rss,
  };
}

/**
 * The drain phase again with workers writing the stream and postgres sinks: warm-up pages, then
 * the drain backlog (queue paused while it is enqueued), under a prefix of its own, into empty
 * tables. Its rate and the CPU a page costs each process, PostgreSQL included.
 */
async function runPostgresDrain(
  workerCount: number,
  redisUrl: string,
  redisPid: number,
  database: TestPostgres,
  dirs: { warmup: string; drain: string },
  workDir: string,
): Promise<{ pagesPerSec: number; cpu: CpuPerPage }> {
  await database.pool.query('TRUNCATE records, record_revisions, record_entities');
  const prefix = `{benchpg${workerCount}}`;
  const env = {
    REDIS_URL: redisUrl,
    NEWSNORM_QUEUE_PREFIX: prefix,
    NEWSNORM_RAW_DIR: join(workDir, 'raw'),
    NEWSNORM_SINKS: 'stream,postgres',
    DATABASE_URL: database.url,
    NEWSNORM_STREAM_MAXLEN: String((WARMUP_PAGES + PAGES) * 2),
    LOG_LEVEL: 'warn',
  };
  const config = loadConfig({ env, file: null });
  const workers = await startWorkers(workerCount, env);
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queues = openQueues(config.queue, redis);
  const deps = {
    fetchQueue: queues.fetch,
    processQueue: queues.process,
    rawStore: new FsRawStore(config.paths.rawDir),
  };
  const stream = `${prefix}:${config.sinks.streamName}`;
  await enqueueSeeds(dirs.warmup, deps);
  await waitForRows(database, WARMUP_PAGES);
  await queues.process.pause();
  await enqueueSeeds(dirs.drain, deps);
  const meter = cpuMeter(
    workers.map((w) => w.pid!),
    redisPid,
    database.pid,
  );
  const started = Date.now();
  await queues.process.resume();
  await waitForRows(database, WARMUP_PAGES + PAGES);
  const elapsedMs = Date.now() - started;
  const cpu = meter(PAGES);
  if ((await redis.xlen(stream)) < WARMUP_PAGES + PAGES) throw new Error('stream entries missing');
  await stopWorkerProcesses(workers);
  await closeQueues(queues);
  redis.disconnect();
  return { pagesPerSec: PAGES / (elapsedMs / 1000), cpu };
}

async function waitForRows(database: TestPostgres, count: number): Promise<void> {
  const deadline = Date.now() + RUN_TIMEOUT_MS;
  const rows = async () =>
    (await database.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM records')).rows[0]!.n;
  while ((await rows()) < count) {
    if (Date.now() > deadline) throw new Error(`timed out: ${await rows()} of ${count} rows`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** `newsnorm run` on a folder of pages, as an operator runs it: its pages/s by wall clock. */
async function runCommandPagesPerSec(seeds: string, workDir: string): Promise<number> {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [BIN, 'run', '--seeds', seeds, '--out', join(workDir, 'records.jsonl')],
    {
      cwd: ROOT,
      env: { ...process.env, NEWSNORM_RAW_DIR: join(workDir, 'raw'), LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let log = '';
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`newsnorm run exited ${code}:\n${log.slice(-2000)}`);
  return PAGES / ((performance.now() - started) / 1000);
}

/**
 * Page thread on against off (NEWSNORM_PAGE_THREAD): for each worker count, pairs of runs on
 * the same pages, the order within a pair alternating so that a drifting machine load favours
 * neither; prints each run's drain and flow rates and each pair's ratio on/off.
 */
async function comparePageThread(
  redisUrl: string,
  redisPid: number,
  dirs: { warmup: string; drain: string; flow: string; paced: string },
  work: string,
): Promise<void> {
  for (const count of WORKER_COUNTS) {
    const ratios: { drain: number; flow: number }[] = [];
    for (let pair = 0; pair < PAGE_THREAD_PAIRS; pair++) {
      const order = pair % 2 === 0 ? ['on', 'off'] : ['off', 'on'];
      const rates = new Map<string, RunFigures>();
      for (const side of order) {
        const label = `${side}${pair}`;
        const env = { NEWSNORM_PAGE_THREAD: side === 'on' ? 'true' : 'false' };
        const r = await runQueued(
          count,
          redisUrl,
          redisPid,
          dirs,
          join(work, `q${count}${label}`),
          {
            label,
            env,
          },
        );
        rates.set(side, r);
        console.log(
          `${count} worker process${count > 1 ? 'es' : ''}, page thread ${side} (pair ${pair + 1}): ` +
            `drain ${r.drain.pagesPerSec.toFixed(0)} pages/s, flow ${r.flow.pagesPerSec.toFixed(0)} pages/s, ` +
            `peak RSS ${r.peakRssMiB.map((m) => `${m.toFixed(0)} MiB`).join(' / ')}`,
        );
      }
      const on = rates.get('on')!;
      const off = rates.get('off')!;
      ratios.push({
        drain: on.drain.pagesPerSec / off.drain.pagesPerSec,
        flow: on.flow.pagesPerSec / off.flow.pagesPerSec,
      });
    }
    const pct = (v: number) => `${(100 * v).toFixed(0)}%`;
    console.log(
      `${count} worker process${count > 1 ? 'es' : ''}: page thread on / off, drain ${ratios.map((r) => pct(r.drain)).join(', ')}; ` +
        `flow ${ratios.map((r) => pct(r.flow)).join(', ')}`,
    );
  }
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'newsnorm-bench-queue-'));
  const redis = await startRedis();
  let database: TestPostgres | undefined;
  try {
    if (WITH_POSTGRES) {
      database = await startPostgres();
      await migrate(database.pool);
    }
    const dirs = {
      warmup: join(work, 'warmup'),
      drain: join(work, 'drain'),
      flow: join(work, 'flow'),
      paced: join(work, 'paced'),
    };
    writePages(dirs.warmup, WARMUP_PAGES, 'warmup');
    writePages(dirs.drain, PAGES, 'drain');
    writePages(dirs.flow, PAGES, 'flow');
    writePacedPages(dirs.paced, PACED_PAGES);
    console.log(
      `${PAGES} seed-sized pages a phase (+${PACED_PAGES} paced, after ${WARMUP_PAGES} warm-up pages), ` +
        `workers: node ${[...WORKER_OPTIONS, 'newsnorm worker'].join(' ')}, concurrency ${CONCURRENCY}, ` +
        `redis-server ${redis.url}`,
    );
    if (PAGE_THREAD_PAIRS > 0) {
      await comparePageThread(redis.url, redis.pid, dirs, work);
      return;
    }
    const runRate = await runCommandPagesPerSec(dirs.flow, join(work, 'run'));
    console.log(`newsnorm run (one process, no Redis): ${runRate.toFixed(0)} pages/s`);
    for (const count of WORKER_COUNTS) {
      const r = await runQueued(count, redis.url, redis.pid, dirs, join(work, `queued${count}`));
      const ms = (v: number) => `${v.toFixed(0)} ms`;
      const share = (v: number) => `${((100 * v) / runRate).toFixed(0)}% of run`;
      console.log(
        `${r.workers} worker process${r.workers > 1 ? 'es' : ''} (peak RSS ${r.peakRssMiB.map((m) => `${m.toFixed(0)} MiB`).join(' / ')}):`,
      );
      console.log(`  warm-up (first ${WARMUP_PAGES} pages): ${r.warmupPerSec.toFixed(0)} pages/s`);
      console.log(
        `  enqueue alone: ${r.enqueuePerSec.toFixed(0)} pages/s, CPU ${r.enqueueCpuMs.toFixed(3)} ms a page`,
      );
      console.log(
        `  drain (backlog → stream): ${r.drain.pagesPerSec.toFixed(0)} pages/s (${share(r.drain.pagesPerSec)}); ${formatCpu(r.drain.cpu)}; ` +
          `at that CPU a page, ${CORES} cores allow at most ${ceilingPagesPerSec(r.drain.cpu).toFixed(0)} pages/s`,
      );
      console.log(
        `  flow (enqueue while working): ${r.flow.pagesPerSec.toFixed(0)} pages/s (${share(r.flow.pagesPerSec)}), ` +
          `latency enqueue → stream p50 ${ms(r.flow.p50Ms)} p99 ${ms(r.flow.p99Ms)} (all ${PAGES} enqueued at once); ${formatCpu(r.flow.cpu)}`,
      );
      console.log(
        `  paced at ${r.paced.pagesPerSec.toFixed(0)} pages/s: latency enqueue → stream p50 ${ms(r.paced.p50Ms)} p99 ${ms(r.paced.p99Ms)}; ${formatCpu(r.paced.cpu)}`,
      );
      if (database) {
        const pg = await runPostgresDrain(
          count,
          redis.url,
          redis.pid,
          database,
          dirs,
          join(work, `pg${count}`),
        );
        console.log(
          `  drain with the postgres sink on (backlog → stream + PostgreSQL): ${pg.pagesPerSec.toFixed(0)} pages/s ` +
            `(${((100 * pg.pagesPerSec) / r.drain.pagesPerSec).toFixed(0)}% of the stream-only drain); ${formatCpu(pg.cpu)}; ` +
            `CPU per page in all ${totalCpuMs(pg.cpu).toFixed(3)} ms against ${totalCpuMs(r.drain.cpu).toFixed(3)} ms stream only`,
        );
      }
    }
  } finally {
    await database?.stop();
    await redis.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
