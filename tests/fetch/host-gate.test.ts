import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RetryableError } from '../../src/errors.js';
import { LocalHostGate, type HostRules } from '../../src/fetch/host-gate.js';
import { RedisHostGate } from '../../src/fetch/redis-host-gate.js';
import { startHttpServer, type TestHttpServer } from '../helpers/http-server.js';
import { startRedis, type TestRedis } from '../helpers/redis-server.js';
import { transpileForChild } from './transpile-for-child.js';
import { failure } from './expect-failure.js';

const REPO = join(import.meta.dirname, '../..');
/** Inside the repository so the child's bare imports (ioredis, undici, zod) resolve. */
const CHILD_DIR = join(REPO, 'node_modules/.cache/newsnorm-gate-test');

let redis: TestRedis;
let server: TestHttpServer;
const clients: Redis[] = [];

function client(): Redis {
  const connection = new Redis(redis.url, { maxRetriesPerRequest: 1 });
  clients.push(connection);
  return connection;
}

function runWorker(script: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`worker exited ${code}: ${err}`));
    });
  });
}

beforeAll(async () => {
  redis = await startRedis();
  server = await startHttpServer();
  server.route(
    '/n',
    (_req, res) => void res.writeHead(200, { 'content-type': 'text/html' }).end('<p>n</p>'),
  );
});

afterAll(async () => {
  for (const c of clients) c.disconnect();
  await server?.stop();
  await redis?.stop();
  rmSync(CHILD_DIR, { recursive: true, force: true });
});

describe('RedisHostGate', () => {
  it('keeps two worker processes 200 ms apart on one host, measured at the server', async () => {
    const script = transpileForChild(
      join(import.meta.dirname, 'fixtures/gate-worker.ts'),
      REPO,
      CHILD_DIR,
    );
    const perWorker = 25;
    const started = performance.now();
    const outputs = await Promise.all(
      ['a', 'b'].map((name) =>
        runWorker(script, [redis.url, server.origin, String(perWorker), '200', name]),
      ),
    );
    const elapsedMs = performance.now() - started;
    expect(outputs.map((o) => JSON.parse(o) as { fetched: number })).toEqual([
      { name: 'a', fetched: perWorker },
      { name: 'b', fetched: perWorker },
    ]);
    const hits = server.hits('/n');
    expect(hits).toHaveLength(2 * perWorker);
    // Both processes really competed: each one's requests are spread over the run.
    expect(new Set(hits.slice(0, 10).map((h) => h.url.match(/worker=(\w)/)?.[1])).size).toBe(2);
    const times = hits.map((h) => h.atMs).sort((x, y) => x - y);
    const gaps = times.slice(1).map((t, i) => t - (times[i] ?? 0));
    const sorted = [...gaps].sort((x, y) => x - y);
    const figures = {
      requests: hits.length,
      minGapMs: Number(sorted[0]?.toFixed(1)),
      medianGapMs: Number(sorted[Math.floor(sorted.length / 2)]?.toFixed(1)),
      maxGapMs: Number(sorted.at(-1)?.toFixed(1)),
      spanMs: Math.round((times.at(-1) ?? 0) - (times[0] ?? 0)),
      elapsedMs: Math.round(elapsedMs),
    };
    console.log(`host gate, 2 processes, 200 ms interval: ${JSON.stringify(figures)}`);
    expect(figures.minGapMs).toBeGreaterThanOrEqual(200);
  }, 25_000);

  const rules: HostRules = { minIntervalMs: 0, maxConcurrency: 1, maxWaitMs: 5_000 };

  it('frees the lease of a crashed holder after leaseTtlMs', async () => {
    const crashed = new RedisHostGate(client(), { keyPrefix: 'lease:', leaseTtlMs: 300 });
    const other = new RedisHostGate(client(), { keyPrefix: 'lease:', leaseTtlMs: 300 });
    await crashed.acquire('h.example', rules); // never released
    const started = performance.now();
    const lease = await other.acquire('h.example', rules);
    const waited = performance.now() - started;
    await lease.release();
    expect(waited).toBeGreaterThanOrEqual(250);
    expect(waited).toBeLessThan(1_500);
  });

  it('holds at most maxConcurrency requests in flight per host', async () => {
    const gate = new RedisHostGate(client(), { keyPrefix: 'conc:', leaseTtlMs: 5_000 });
    const two = { ...rules, maxConcurrency: 2 };
    const first = await gate.acquire('c.example', two);
    await gate.acquire('c.example', two);
    const started = performance.now();
    setTimeout(() => void first.release(), 200);
    await gate.acquire('c.example', two);
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
  });

  it('gives up with a retryable HOST_BUSY when the next slot is beyond maxWaitMs', async () => {
    const gate = new RedisHostGate(client(), { keyPrefix: 'busy:', leaseTtlMs: 5_000 });
    const slow = { minIntervalMs: 2_000, maxConcurrency: 5, maxWaitMs: 300 };
    await (await gate.acquire('b.example', slow)).release();
    const started = performance.now();
    const error = await failure(gate.acquire('b.example', slow));
    expect(error.code).toBe('HOST_BUSY');
    expect((error as RetryableError).retryAfterMs).toBeGreaterThan(1_500);
    expect(performance.now() - started).toBeLessThan(200);
  });
});

describe('RedisHostGate.defer', () => {
  it('holds every worker back from a host that asked for a Retry-After', async () => {
    const deferring = new RedisHostGate(client(), { keyPrefix: 'defer:', leaseTtlMs: 5_000 });
    const other = new RedisHostGate(client(), { keyPrefix: 'defer:', leaseTtlMs: 5_000 });
    await deferring.defer('d.example', 3_000);
    const error = await failure(
      other.acquire('d.example', { minIntervalMs: 0, maxConcurrency: 2, maxWaitMs: 500 }),
    );
    expect(error.code).toBe('HOST_BUSY');
    expect((error as RetryableError).retryAfterMs).toBeGreaterThan(2_500);
    await deferring.defer('e.example', 300);
    const started = performance.now();
    await other.acquire('e.example', { minIntervalMs: 0, maxConcurrency: 2, maxWaitMs: 2_000 });
    expect(performance.now() - started).toBeGreaterThanOrEqual(250);
  });
});

describe('LocalHostGate', () => {
  it('spaces request starts by the interval inside one process', async () => {
    const gate = new LocalHostGate();
    const rules: HostRules = { minIntervalMs: 100, maxConcurrency: 4, maxWaitMs: 5_000 };
    const starts: number[] = [];
    await Promise.all(
      [0, 1, 2, 3].map(async () => {
        const lease = await gate.acquire('l.example', rules);
        starts.push(performance.now());
        await lease.release();
      }),
    );
    starts.sort((x, y) => x - y);
    for (let i = 1; i < starts.length; i++) {
      expect((starts[i] ?? 0) - (starts[i - 1] ?? 0)).toBeGreaterThanOrEqual(99);
    }
  });
});
