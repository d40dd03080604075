/**
 * Queue floor benchmark: what a page costs the distributed driver, layer by layer. Each level
 * runs worker processes (2 unless BENCH_WORKERS says) on the same backlog of seed-sized pages,
 * after warm-up pages:
 * - bullmq: BullMQ alone, jobs that do nothing (take the job, lock it, complete it, trim);
 * - pipeline: + the raw page read, cleaning, names, the record and its JSON; no revision
 *   claim, no sink;
 * - newsnorm: `newsnorm worker` itself, + the revision claim that appends the stream entry.
 * Levels take turns for BENCH_ROUNDS rounds, since this machine's speed drifts between
 * minutes; the medians are printed last, with what each level adds to the one before.
 *
 *   npm run bench:queue-floor
 *   BENCH_PAGES=5000 BENCH_ROUNDS=5 npm run bench:queue-floor
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { loadConfig } from '../src/config/config.js';
import { enqueueSeeds } from '../src/jobs/expand-source.js';
import { closeQueues, openQueues } from '../src/queue/open-queues.js';
import { FsRawStore } from '../src/raw/raw-store.js';
import { startRedis } from '../tests/helpers/redis-server.js';
import {
  BIN,
  ceilingPagesPerSec,
  CORES,
  cpuMeter,
  formatCpu,
  startWorkerProcess,
  stopWorkerProcesses,
  totalCpuMs,
  writePages,
  type CpuPerPage,
} from './queue-support.js';

const PAGES = Number(process.env.BENCH_PAGES ?? 10_000);
const WARMUP_PAGES = Number(process.env.BENCH_WARMUP_PAGES ?? 1500);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 2);
/** Jobs each worker process runs at once, as in bench:queue. */
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
/** A backlog not drained by then is reported as failed rather than waited for. */
const DRAIN_TIMEOUT_MS = 10 * 60_000;
const FLOOR_WORKER = join(import.meta.dirname, 'queue-floor-worker.js');

const LEVELS = [
  { name: 'bullmq', what: 'BullMQ alone, jobs that do nothing', args: [FLOOR_WORKER, 'bullmq'] },
  {
    name: 'pipeline',
    what: '+ raw page, clean, names, record JSON; no claim, no sink',
    args: [FLOOR_WORKER, 'pipeline'],
  },
  {
    name: 'newsnorm',
    what: '+ revision claim and stream entry: newsnorm worker',
    args: [BIN, 'worker', '--queues', 'process', '--concurrency', String(CONCURRENCY)],
  },
] as const;

interface LevelFigures {
  pagesPerSec: number;
  cpu: CpuPerPage;
}

/** Waits until the process queue holds no job that is waiting, delayed or running. */
async function waitDrained(queue: ReturnType<typeof openQueues>['process']): Promise<void> {
  const deadline = Date.now() + DRAIN_TIMEOUT_MS;
  for (;;) {
    const counts = await queue.getJobCounts('wait', 'active', 'delayed', 'failed');
    if (counts.failed! > 0) {
      const [job] = await queue.getFailed(0, 0);
      throw new Error(`${counts.failed} jobs failed, e.g. ${job?.failedReason}`);
    }
    if (counts.wait! + counts.active! + counts.delayed! === 0) return;
    if (Date.now() > deadline) throw new Error(`not drained in ${DRAIN_TIMEOUT_MS} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function runLevel(
  level: (typeof LEVELS)[number],
  round: number,
  redisUrl: string,
  redisPid: number,
  dirs: { warmup: string; drain: string; raw: string },
): Promise<LevelFigures> {
  // A prefix per run: the same pages are new jobs, and each run starts from empty queues.
  const env = {
    REDIS_URL: redisUrl,
    NEWSNORM_QUEUE_PREFIX: `{floor-${level.name}-${round}}`,
    NEWSNORM_RAW_DIR: dirs.raw,
    NEWSNORM_SINKS: 'stream',
    NEWSNORM_STREAM_MAXLEN: String(2 * (WARMUP_PAGES + PAGES)),
    BENCH_CONCURRENCY: String(CONCURRENCY),
    LOG_LEVEL: 'info',
  };
  const config = loadConfig({ env, file: null });
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queues = openQueues(config.queue, redis);
  const deps = {
    fetchQueue: queues.fetch,
    processQueue: queues.process,
    rawStore: new FsRawStore(dirs.raw),
  };
  let workers: ChildProcess[] = [];
  try {
    workers = await Promise.all(
      Array.from({ length: WORKERS }, () => startWorkerProcess([...level.args], env)),
    );
    await enqueueSeeds(dirs.warmup, deps);
    await waitDrained(queues.process);
    await queues.process.pause();
    await enqueueSeeds(dirs.drain, deps);
    const meter = cpuMeter(
      workers.map((w) => w.pid!),
      redisPid,
    );
    const started = Date.now();
    await queues.process.resume();
    await waitDrained(queues.process);
    const pagesPerSec = PAGES / ((Date.now() - started) / 1000);
    return { pagesPerSec, cpu: meter(PAGES) };
  } finally {
    await stopWorkerProcesses(workers);
    await closeQueues(queues);
    // Each run starts on an empty Redis: an earlier run's stream would make this one's writes dearer.
    await redis.flushall();
    redis.disconnect();
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'newsnorm-bench-floor-'));
  const redis = await startRedis();
  try {
    const dirs = {
      warmup: join(work, 'warmup'),
      drain: join(work, 'drain'),
      raw: join(work, 'raw'),
    };
    writePages(dirs.warmup, WARMUP_PAGES, 'warmup');
    writePages(dirs.drain, PAGES, 'drain');
    console.log(
      `${PAGES} seed-sized pages a run (after ${WARMUP_PAGES} warm-up pages), ${WORKERS} worker processes, ` +
        `concurrency ${CONCURRENCY}, ${ROUNDS} rounds, redis-server ${redis.url}`,
    );
    const figures = new Map<string, LevelFigures[]>();
    for (let round = 1; round <= ROUNDS; round++) {
      for (const level of LEVELS) {
        const f = await runLevel(level, round, redis.url, redis.pid, dirs);
        figures.set(level.name, [...(figures.get(level.name) ?? []), f]);
        console.log(
          `round ${round} ${level.name.padEnd(8)} ${f.pagesPerSec.toFixed(0).padStart(5)} pages/s; ${formatCpu(f.cpu)}; ` +
            `${CORES} cores allow at most ${ceilingPagesPerSec(f.cpu).toFixed(0)} pages/s`,
        );
      }
    }
    console.log(`median of ${ROUNDS} rounds (CPU a page: all processes together):`);
    let before = 0;
    for (const level of LEVELS) {
      const runs = figures.get(level.name)!;
      const cpu = median(runs.map((r) => totalCpuMs(r.cpu)));
      console.log(
        `  ${level.name.padEnd(8)} ${median(runs.map((r) => r.pagesPerSec))
          .toFixed(0)
          .padStart(5)} pages/s, ` +
          `CPU ${cpu.toFixed(3)} ms a page (${before === 0 ? 'base' : `+${(cpu - before).toFixed(3)} ms`}), ` +
          `${CORES} cores allow at most ${((CORES * 1000) / cpu).toFixed(0)} pages/s: ${level.what}`,
      );
      before = cpu;
    }
  } finally {
    await redis.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
