import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { PermanentError } from '../../src/errors.js';
import { createLogger } from '../../src/ops/create-logger.js';
import { startWorkerOps, type WorkerOps } from '../../src/ops/start-worker-ops.js';
import { loadPipelineDeps } from '../../src/pipeline/load-pipeline-deps.js';
import { expandSource } from '../../src/jobs/expand-source.js';
import { startWorkers, type WorkerRuntime } from '../../src/queue/start-workers.js';
import { FsRawStore } from '../../src/raw/raw-store.js';
import { redisServerAvailable, startRedis, type TestRedis } from '../helpers/redis-server.js';

/** The acceptance bound: /readyz must say unready within this long of Redis going away. */
const UNREADY_WITHIN_MS = 5_000;
/** Reconnect delays are capped at 2 s (redis-connection.ts), so ready again well within this. */
const READY_AGAIN_WITHIN_MS = 8_000;
const SEEDS = join(import.meta.dirname, '..', '..', 'seeds');

const enabled = redisServerAvailable();
if (!enabled) console.warn('skipping worker ops tests: redis-server is not installed');

describe.skipIf(!enabled)('worker operations server against a real redis-server', () => {
  let server: TestRedis;
  let runtime: WorkerRuntime;
  let ops: WorkerOps;
  let base: string;
  let rawDir: string;

  beforeAll(async () => {
    server = await startRedis();
    const dir = mkdtempSync(join(tmpdir(), 'newsnorm-ops-'));
    rawDir = join(dir, 'raw');
    const config = loadConfig({
      file: null,
      env: {
        REDIS_URL: server.url,
        NEWSNORM_QUEUE_PREFIX: `{ops-${randomBytes(4).toString('hex')}}`,
        NEWSNORM_RAW_DIR: rawDir,
        NEWSNORM_SINK_FILE: join(dir, 'records.jsonl'),
        NEWSNORM_SINKS: 'file,stream',
        NEWSNORM_READY_TIMEOUT_MS: '500',
      },
    });
    const silent = new Writable({ write: (_c, _e, done) => done() });
    const logger = createLogger(
      { ...config, log: { level: 'error' } },
      { destination: { write: (s: string) => silent.write(s) } },
    );
    runtime = await startWorkers({
      config,
      queues: ['process', 'fetch'],
      logger,
      pipeline: await loadPipelineDeps(config),
      // A stand-in for the network: the counters are under test here, not fetchPage.
      fetchRaw: async (url) => {
        if (url.endsWith('/missing')) throw new PermanentError('FETCH_NOT_FOUND', `${url}: 404`);
        return {
          kind: 'fetch',
          uri: url,
          url,
          retrievedAt: new Date().toISOString(),
          contentType: 'text/plain; charset=utf-8',
          headers: {},
          body: new TextEncoder().encode(
            `Fetched page\n\n${'Jayrud is in Eastern Qalamoun. '.repeat(20)}`,
          ),
        };
      },
    });
    ops = await startWorkerOps({
      ops: config.ops,
      logger,
      redis: runtime.connection,
      workers: runtime.workers,
      queues: Object.values(runtime.queues),
      listenPort: 0,
    });
    base = ops.server!.url;
  });

  afterAll(async () => {
    await ops?.close();
    await runtime?.close(2_000);
    await server?.stop();
  });

  const get = async (path: string) => {
    const res = await fetch(`${base}${path}`);
    return { status: res.status, text: await res.text() };
  };
  const metric = (text: string, line: string) =>
    Number(
      text
        .split('\n')
        .find((l) => l.startsWith(`${line} `))
        ?.split(' ')[1] ?? NaN,
    );

  test('binds 127.0.0.1 and answers /healthz', async () => {
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = await get('/healthz');
    expect(health.status).toBe(200);
    expect(JSON.parse(health.text)).toMatchObject({ status: 'ok', pid: process.pid });
  });

  test('/metrics shows default process metrics and counters that move with the work', async () => {
    const before = await get('/metrics');
    expect(before.status).toBe(200);
    expect(before.text).toContain('process_resident_memory_bytes');
    expect(metric(before.text, 'newsnorm_pages_processed_total')).toBe(0);
    const { jobs } = await expandSource(
      { kind: 'seeds', dir: SEEDS },
      {
        fetchQueue: runtime.queues.fetch,
        processQueue: runtime.queues.process,
        seen: { key: 'unused', ttlMs: 1 },
        rawStore: new FsRawStore(rawDir),
      },
    );
    const deadline = Date.now() + 15_000;
    let text = '';
    while (Date.now() < deadline) {
      text = (await get('/metrics')).text;
      if (metric(text, 'newsnorm_pages_processed_total') >= jobs) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(metric(text, 'newsnorm_pages_processed_total')).toBe(jobs);
    expect(
      metric(text, 'newsnorm_stage_duration_seconds_count{stage="process",outcome="completed"}'),
    ).toBe(jobs);
    expect(metric(text, 'newsnorm_queue_depth{queue="process",state="waiting"}')).toBe(0);
    expect(metric(text, 'newsnorm_redis_up')).toBe(1);
  });

  test('fetch outcomes are counted: pages fetched, and failures by queue and reason code', async () => {
    await runtime.queues.fetch.add('fetch', { url: 'http://127.0.0.1:9/ok', via: null });
    await runtime.queues.fetch.add('fetch', { url: 'http://127.0.0.1:9/missing', via: null });
    const fetched = 'newsnorm_pages_fetched_total{result="stored"}';
    const failed = 'newsnorm_pages_failed_total{queue="fetch",code="FETCH_NOT_FOUND"}';
    const deadline = Date.now() + 15_000;
    let text = '';
    while (Date.now() < deadline) {
      text = (await get('/metrics')).text;
      if (metric(text, fetched) === 1 && metric(text, failed) === 1) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(metric(text, fetched)).toBe(1);
    expect(metric(text, failed)).toBe(1);
  });

  test('/readyz turns unready within 5 s of Redis going away and ready again after', async () => {
    expect((await get('/readyz')).status).toBe(200);
    const admin = new Redis(server.url, { maxRetriesPerRequest: 1, lazyConnect: true });
    admin.on('error', () => {});
    await admin.connect();
    await admin.call('SHUTDOWN', 'NOSAVE').catch(() => {});
    admin.disconnect();
    const wentAway = Date.now();
    const unreadyAfter = await waitForStatus(get, 503, UNREADY_WITHIN_MS);
    expect(unreadyAfter).toBeLessThan(UNREADY_WITHIN_MS);
    const down = JSON.parse((await get('/readyz')).text) as { ready: boolean; redis: string };
    expect(down.ready).toBe(false);
    expect(down.redis).not.toBe('ok');
    // /metrics still answers while Redis is away (depth reads give up), and says so.
    const metrics = await get('/metrics');
    expect(metrics.status).toBe(200);
    expect(metric(metrics.text, 'newsnorm_redis_up')).toBe(0);
    await server.restart();
    const readyAfter = await waitForStatus(get, 200, READY_AGAIN_WITHIN_MS);
    expect(readyAfter).toBeLessThan(READY_AGAIN_WITHIN_MS);
    expect(Date.now() - wentAway).toBeLessThan(UNREADY_WITHIN_MS + READY_AGAIN_WITHIN_MS + 2_000);
  }, 20_000);

  test('/readyz answers 503 once the worker is draining', async () => {
    ops.markDraining();
    const res = await get('/readyz');
    expect(res.status).toBe(503);
    expect(JSON.parse(res.text)).toMatchObject({ queues: 'closed' });
  });
});

/** Polls /readyz until it answers `status`; returns the time it took, or throws at the bound. */
async function waitForStatus(
  get: (path: string) => Promise<{ status: number }>,
  status: number,
  boundMs: number,
): Promise<number> {
  const start = Date.now();
  while (Date.now() - start < boundMs) {
    if ((await get('/readyz')).status === status) return Date.now() - start;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`/readyz did not answer ${status} within ${boundMs} ms`);
}
