/**
 * What the queue benchmarks share: seed-sized pages, worker processes, and CPU time per page of
 * the processes involved, read from /proc.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');
export const BIN = join(ROOT, 'bin', 'newsnorm.js');
/** Cores the worker processes, redis-server and the enqueuer share. */
export const CORES = availableParallelism();
/** Linux reports process CPU times in clock ticks of 1/100 s (USER_HZ) on every common build. */
const CLOCK_TICKS_PER_SEC = 100;

/** Seed pages varied by numbered sentences, so every page is its own record and content. */
export function writePages(dir: string, count: number, tag: string): string[] {
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

/** CPU time (user + system) a process has used so far, from /proc, in ms. */
export function cpuMs(pid: number): number {
  // Fields after the command name (which may hold spaces) start at state; utime and stime are 14 and 15.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SEC;
}

/**
 * Starts a worker process (`node ARGS`, from the project folder) and waits until it logs that
 * it is ready; its log goes nowhere after that.
 */
export async function startWorkerProcess(
  args: string[],
  env: Record<string, string>,
): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
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

/** Stops worker processes with SIGTERM (they drain) and waits for them to exit. */
export async function stopWorkerProcesses(workers: ChildProcess[]): Promise<void> {
  await Promise.all(
    workers.map(
      (w) =>
        new Promise<void>((resolve) => {
          w.once('exit', () => resolve());
          w.kill('SIGTERM');
        }),
    ),
  );
}

/** CPU time per page spent in a phase, in ms. */
export interface CpuPerPage {
  enqueue: number;
  workers: number[];
  redis: number;
  /** The PostgreSQL server (postmaster and backends), when the run writes to one. */
  postgres?: number;
}

/**
 * CPU time (user + system) of a server and its child processes so far, in ms: PostgreSQL
 * does its work in one backend process per connection. Children that exited and were reaped
 * count through the parent's cutime and cstime.
 */
export function processTreeCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const reaped = ((Number(fields[13]) + Number(fields[14])) * 1000) / CLOCK_TICKS_PER_SEC;
  let total = cpuMs(pid) + reaped;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const child = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(child.slice(child.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent === pid) total += cpuMs(Number(entry));
    } catch {
      // The process ended while the folder was read.
    }
  }
  return total;
}

/**
 * Starts counting CPU time of the enqueuer (this process), the workers, redis-server and,
 * when given, the PostgreSQL server with its backends.
 */
export function cpuMeter(
  workerPids: number[],
  redisPid: number,
  postgresPid?: number,
): (pages: number) => CpuPerPage {
  const enqueue = process.cpuUsage();
  const workers = workerPids.map(cpuMs);
  const redis = cpuMs(redisPid);
  const postgres = postgresPid === undefined ? 0 : processTreeCpuMs(postgresPid);
  return (pages) => {
    const used = process.cpuUsage(enqueue);
    return {
      enqueue: (used.user + used.system) / 1000 / pages,
      workers: workerPids.map((pid, i) => (cpuMs(pid) - workers[i]!) / pages),
      redis: (cpuMs(redisPid) - redis) / pages,
      ...(postgresPid === undefined
        ? {}
        : { postgres: (processTreeCpuMs(postgresPid) - postgres) / pages }),
    };
  };
}

/** CPU time a page costs all processes together, in ms. */
export function totalCpuMs(c: CpuPerPage): number {
  return c.enqueue + c.redis + (c.postgres ?? 0) + c.workers.reduce((a, b) => a + b, 0);
}

/**
 * The rate this machine's cores could reach if every process were busy all the time at the
 * CPU cost per page measured: how close a run came to the hardware, and what a target needs.
 */
export function ceilingPagesPerSec(c: CpuPerPage): number {
  return (CORES * 1000) / totalCpuMs(c);
}

export function formatCpu(c: CpuPerPage): string {
  const ms = (v: number) => v.toFixed(3);
  return (
    `CPU per page: enqueuer ${ms(c.enqueue)} ms, ` +
    `worker${c.workers.length > 1 ? 's' : ''} ${c.workers.map(ms).join(' + ')} ms, ` +
    `redis-server ${ms(c.redis)} ms` +
    (c.postgres === undefined ? '' : `, postgres ${ms(c.postgres)} ms`)
  );
}
