import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { redisServerAvailable, startRedis, type TestRedis } from '../helpers/redis-server.js';
import { freePort, httpStatus } from '../faults/fault-harness.js';
import {
  cliBuilt,
  queueEnv,
  runCliAsync,
  startWorker,
  waitFor,
  type WorkerProcess,
} from '../queue/queue-test-helpers.js';

const PAGES = 60;
/** Room left in Redis when the worker starts: a handful of records, then it is full. */
const HEADROOM_BYTES = 256 * 1024;

const ready = redisServerAvailable() && cliBuilt();
if (!ready) console.warn('skipping Redis write tests: needs redis-server and `npm run build`');

describe.skipIf(!ready)('a Redis that refuses writes', { timeout: 90_000 }, () => {
  let server: TestRedis;
  let redis: Redis;
  let worker: WorkerProcess | undefined;
  beforeAll(async () => {
    server = await startRedis();
    redis = new Redis(server.url, { maxRetriesPerRequest: null });
  });
  afterAll(async () => {
    await worker?.stop();
    await redis?.config('SET', 'maxmemory', '0').catch(() => {});
    redis?.disconnect();
    await server?.stop();
  });

  test('out of memory: /readyz 503, a metric and a log line; its failed jobs run again once it takes writes', async () => {
    const port = await freePort();
    const { env, dir } = queueEnv(server, {
      NEWSNORM_SINKS: 'stream',
      NEWSNORM_OPS_PORT: String(port),
      NEWSNORM_JOB_ATTEMPTS: '1',
    });
    const seeds = join(dir, 'seeds');
    mkdirSync(seeds);
    const texts = readdirSync(join(ROOT, 'seeds')).map((n) =>
      readFileSync(join(ROOT, 'seeds', n), 'utf8'),
    );
    for (let i = 0; i < PAGES; i++) {
      writeFileSync(
        join(seeds, `p${i}.txt`),
        `${texts[i % texts.length]}\nBulletin ${i} of the day.\n`,
      );
    }
    expect((await runCliAsync(['enqueue', '--seeds', seeds], env)).status).toBe(0);
    const used = Number(/used_memory:(\d+)/.exec(await redis.info('memory'))![1]);
    await redis.config('SET', 'maxmemory', String(used + HEADROOM_BYTES));

    worker = await startWorker(env, ['--queues', 'process']);
    const ops = `http://127.0.0.1:${port}`;
    const readyz = async () => {
      const res = await fetch(`${ops}/readyz`, { signal: AbortSignal.timeout(3000) });
      return { status: res.status, body: await res.text() };
    };
    await waitFor(
      async () => (await readyz()).status === 503,
      30_000,
      () => `/readyz stayed ready:\n${worker!.log().slice(-3000)}`,
    );
    expect((await readyz()).body).toContain('refuses writes (out of memory');
    const metrics = await (await fetch(`${ops}/metrics`)).text();
    expect(metrics).toMatch(/^newsnorm_redis_writes_refused 1$/m);
    expect(worker.log()).toContain('redis refuses writes');
    const stream = `${env.NEWSNORM_QUEUE_PREFIX}:records`;
    expect(await redis.xlen(stream)).toBeLessThan(PAGES);

    // Memory is added: nobody runs `retry`, yet every page arrives, once.
    await redis.config('SET', 'maxmemory', '0');
    await waitFor(
      async () => (await redis.xlen(stream)) === PAGES,
      45_000,
      () => `stream at ${PAGES}? ${worker!.log().slice(-3000)}`,
    );
    await waitFor(async () => (await httpStatus(`${ops}/readyz`)) === 200, 10_000);
    // Jobs failed for it (their attempts used up while it lasted) were re-queued by the worker.
    const back = /"requeued":(\d+)[^\n]*redis takes writes again/.exec(worker.log());
    expect(Number(back?.[1]), worker.log().slice(-4000)).toBeGreaterThan(0);
    const prefix = env.NEWSNORM_QUEUE_PREFIX!;
    expect(await redis.zcard(`${prefix}:process:failed`)).toBe(0);
    const ids = (await redis.xrange(stream, '-', '+')).map(([, f]) => f[f.indexOf('id') + 1]);
    expect(new Set(ids).size).toBe(PAGES);
    expect(await (await fetch(`${ops}/metrics`)).text()).toMatch(
      /^newsnorm_redis_writes_refused 0$/m,
    );
  });
});
