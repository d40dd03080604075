import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, ROOT, type CliResult } from '../helpers/cli.js';
import type { TestRedis } from '../helpers/redis-server.js';

/** True when the CLI has been built (`npm test` builds first). */
export function cliBuilt(): boolean {
  return existsSync(join(ROOT, 'dist', 'src', 'cli', 'main.js'));
}

/** Environment for one test: its own queue prefix, raw store and sink file. */
export function queueEnv(redis: TestRedis, extra: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'newsnorm-queue-'));
  const env: Record<string, string> = {
    REDIS_URL: redis.url,
    NEWSNORM_QUEUE_PREFIX: `{nn-${randomBytes(4).toString('hex')}}`,
    NEWSNORM_RAW_DIR: join(dir, 'raw'),
    NEWSNORM_SINK_FILE: join(dir, 'records.jsonl'),
    NEWSNORM_SINKS: 'file,stream',
    // Short locks and stall checks, so a killed worker's jobs come back within a second or two.
    NEWSNORM_LOCK_DURATION_MS: '1500',
    NEWSNORM_STALLED_INTERVAL_MS: '500',
    NEWSNORM_BACKOFF_DELAY_MS: '100',
    LOG_LEVEL: 'info',
    ...extra,
  };
  return { dir, env };
}

/** Runs the built CLI without blocking the event loop (test servers keep answering). */
export function runCliAsync(
  args: string[],
  env: Record<string, string>,
  timeoutMs = 20_000,
): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: timeoutMs,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

export interface WorkerProcess {
  child: ChildProcess;
  /** Everything the worker logged so far. */
  log(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Kills the worker if it is still running (test clean-up). */
  stop(): Promise<void>;
}

/** Starts `newsnorm worker` and waits until it logs "worker ready". */
export async function startWorker(
  env: Record<string, string>,
  args: string[] = [],
): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [BIN, 'worker', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const worker: WorkerProcess = {
    child,
    log: () => log,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
  try {
    await waitFor(
      () => log.includes('worker ready'),
      15_000,
      () => `worker never ready:\n${log}`,
    );
  } catch (error) {
    await worker.stop();
    throw error;
  }
  return worker;
}

/** Polls until `check` is true; throws with `describe()` after `timeoutMs`. */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  describe: () => string = () => 'condition not met',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${describe()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Records keyed "id contentHash revision", sorted, from JSON lines. */
export function recordKeysOf(jsonLines: string[]): string[] {
  return jsonLines
    .map((line) => JSON.parse(line) as { id: string; contentHash: string; revision: number })
    .map((r) => `${r.id} ${r.contentHash} ${r.revision}`)
    .sort();
}
