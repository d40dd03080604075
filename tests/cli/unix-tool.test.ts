import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, runCli } from '../helpers/cli.js';
import { startRedis, type TestRedis } from '../helpers/redis-server.js';

/** Failed jobs listed: their JSON lines are far more than a pipe buffer holds. */
const FAILED_JOBS = 2000;

/**
 * Runs `newsnorm ARGS | READER` in bash with pipefail, so the status is newsnorm's own when the
 * reader succeeded.
 */
function piped(args: string[], reader: string, env: Record<string, string> = {}) {
  const quoted = args.map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
  const result = spawnSync(
    'bash',
    ['-c', `set -o pipefail; '${process.execPath}' '${BIN}' ${quoted} | ${reader} >/dev/null`],
    { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 },
  );
  return { status: result.status, stderr: result.stderr };
}

describe('newsnorm as a Unix tool', () => {
  it.each([
    [['no-such-command'], "unknown command 'no-such-command'"],
    [['resolve'], "missing required argument 'name'"],
    [['run', '--no-such-option'], "unknown option '--no-such-option'"],
  ])('exits 2 on bad usage: %j', (args, message) => {
    const result = runCli(args);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(message);
  });

  it('exits 0 for --help and --version', () => {
    expect(runCli(['--version']).status).toBe(0);
    expect(runCli(['run', '--help']).status).toBe(0);
  });

  it('`clean ... | head -c 100` ends quietly when the reader goes away', () => {
    const seeds = ['000_5f6b14ad56607581.txt', '002_ca96faed848cebce.txt'].map((n) =>
      join('seeds', n),
    );
    const files = Array.from({ length: 60 }, () => seeds).flat();
    const result = piped(['clean', ...files], 'head -c 100');
    expect(result.stderr).not.toMatch(/EPIPE|Unhandled|at /);
    expect(result.status).toBe(0);
  });

  it('`run --out -` writes the records as JSON Lines on stdout, and no file named -', () => {
    const dir = mkdtempSync(join(tmpdir(), 'newsnorm-stdout-'));
    const result = runCli(['run', '--seeds', 'seeds', '--out', '-'], {
      env: { NEWSNORM_RAW_DIR: join(dir, 'raw') },
    });
    expect(result.status, result.stderr).toBe(0);
    const lines = result.stdout.split('\n').filter(Boolean);
    expect(lines).toHaveLength(5);
    for (const line of lines) expect(JSON.parse(line)).toMatchObject({ schemaVersion: 1 });
    expect(result.stderr).toMatch(/5 pages, 5 records .* → stdout/);
    expect(existsSync(join(ROOT, '-'))).toBe(false);
  });

  describe('with Redis', () => {
    let redis: TestRedis;
    let env: Record<string, string>;
    beforeAll(async () => {
      redis = await startRedis();
      env = { REDIS_URL: redis.url, NEWSNORM_QUEUE_PREFIX: '{unix-tool}' };
      const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
      const queue = new Queue('process', { connection, prefix: '{unix-tool}' });
      await queue.addBulk(
        Array.from({ length: FAILED_JOBS }, (_, i) => ({
          name: 'process',
          data: { rawHash: '0'.repeat(64), uri: `pages/${i}.html` },
          opts: { jobId: `job-${i}`, attempts: 1 },
        })),
      );
      let failed = 0;
      const workerConnection = connection.duplicate();
      const worker = new Worker(
        'process',
        async () => {
          throw new Error('CONTENT_EMPTY: empty page (0 bytes)');
        },
        { connection: workerConnection, prefix: '{unix-tool}', concurrency: 50 },
      );
      worker.on('failed', () => failed++);
      while (failed < FAILED_JOBS) await new Promise((r) => setTimeout(r, 50));
      await worker.close();
      await queue.close();
      workerConnection.disconnect();
      connection.disconnect();
    }, 60_000);
    afterAll(async () => {
      await redis?.stop();
    });

    it('`failed | head -1` ends quietly', () => {
      const result = piped(['failed', '--limit', String(FAILED_JOBS)], 'head -1', env);
      expect(result.stderr).not.toMatch(/EPIPE|Unhandled|at /);
      expect(result.status).toBe(0);
    });

    it('`status` ends quietly when its reader is gone before it writes', () => {
      const result = piped(['status'], 'true', env);
      expect(result.stderr).not.toMatch(/EPIPE|Unhandled|at /);
      expect(result.status).toBe(0);
    });
  });
});
