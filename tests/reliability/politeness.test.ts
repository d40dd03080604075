import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { redisSuite } from './redis-suite.js';
import { createFetchDeps } from '../../src/fetch/create-fetch-deps.js';
import { fetchPage } from '../../src/fetch/fetch-page.js';
import { startHttpServer, type TestHttpServer } from '../helpers/http-server.js';
import { redisServerAvailable } from '../helpers/redis-server.js';
import { testFetchConfig } from '../fetch/fetch-test-deps.js';
import { cliBuilt, queueEnv, runCliAsync, waitFor } from '../queue/queue-test-helpers.js';

const INTERVAL_MS = 400;
/** Timers and the event loop may bring two arrivals this much closer than the interval. */
const CLOCK_SLACK_MS = 20;

const ready = redisServerAvailable() && cliBuilt();
if (!ready) console.warn('skipping politeness tests: needs redis-server and `npm run build`');

describe.skipIf(!ready)('politeness per server', { timeout: 90_000 }, () => {
  const suite = redisSuite();
  let http: TestHttpServer;
  beforeAll(async () => {
    http = await startHttpServer();
    http.route('/robots.txt', (_req, res) => void res.writeHead(404).end());
    for (const name of ['a', 'b', 'c', 'd']) {
      http.route(
        `/${name}`,
        (_req, res) =>
          void res
            .writeHead(200, { 'content-type': 'text/plain; charset=utf-8' })
            .end(
              `Page ${name}\n\nA paragraph about Douma and the road to Damascus, page ${name}.\n`,
            ),
      );
    }
  });
  afterAll(async () => {
    await http?.stop();
  });

  test('one key per server: a name, its address and the address IPv4-mapped', async () => {
    const { serverKey } = await import('../../src/fetch/host-gate.js');
    const url = (u: string) => new URL(u);
    expect(serverKey('127.0.0.1', url('http://localhost:8080/a'))).toBe('127.0.0.1:8080');
    expect(serverKey('::ffff:127.0.0.1', url('http://[::ffff:127.0.0.1]:8080/'))).toBe(
      '127.0.0.1:8080',
    );
    expect(serverKey('2001:db8::1', url('https://news.example/'))).toBe('[2001:db8::1]:443');
  });

  test('localhost, 127.0.0.1 and [::ffff:127.0.0.1] share one interval', async () => {
    const config = testFetchConfig({ minHostIntervalMs: INTERVAL_MS, maxHostConcurrency: 1 });
    const runtime = createFetchDeps(config, {
      redis: suite.redis,
      // The name resolves as the system's hosts file says, without asking any DNS server.
      resolveHost: async () => [{ address: '127.0.0.1', family: 4 }],
    });
    try {
      const port = http.port;
      const urls = [
        `http://localhost:${port}/a`,
        `http://127.0.0.1:${port}/b`,
        `http://[::ffff:127.0.0.1]:${port}/c`,
      ];
      const start = http.requests.length;
      const results = await Promise.all(urls.map((u) => fetchPage(u, runtime.deps)));
      expect(results.map((r) => r.status)).toEqual(['fetched', 'fetched', 'fetched']);
      const arrivals = http.requests
        .slice(start)
        .filter((r) => r.path !== '/robots.txt')
        .map((r) => r.atMs)
        .sort((x, y) => x - y);
      expect(arrivals).toHaveLength(3);
      const gaps = arrivals.slice(1).map((t, i) => t - arrivals[i]!);
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(INTERVAL_MS - CLOCK_SLACK_MS);
    } finally {
      await runtime.close();
    }
  });

  test('waiting for a busy host is no failed attempt: every URL is fetched, none fails', async () => {
    const { env, dir } = queueEnv(suite.server, {
      NEWSNORM_FETCH_ALLOW_ADDRESSES: '127.0.0.1',
      NEWSNORM_HOST_MIN_INTERVAL_MS: String(INTERVAL_MS),
      // Far shorter than the interval: most jobs are told HOST_BUSY at once.
      NEWSNORM_HOST_MAX_WAIT_MS: '50',
      NEWSNORM_JOB_ATTEMPTS: '2',
      NEWSNORM_FETCH_CONCURRENCY: '4',
    });
    env.NEWSNORM_REDIS_KEY_PREFIX = `${env.NEWSNORM_QUEUE_PREFIX}:`;
    const list = join(dir, 'urls.txt');
    writeFileSync(list, ['a', 'b', 'c', 'd'].map((n) => `${http.origin}/${n}`).join('\n'));
    await suite.worker(env, ['--queues', 'fetch']);
    expect((await runCliAsync(['enqueue', '--urls', list], env)).status).toBe(0);
    const prefix = env.NEWSNORM_QUEUE_PREFIX!;
    await waitFor(
      async () =>
        (await suite.redis.zcard(`${prefix}:fetch:completed`)) +
          (await suite.redis.zcard(`${prefix}:fetch:failed`)) ===
        4,
      30_000,
    );
    expect(await suite.redis.zcard(`${prefix}:fetch:failed`)).toBe(0);
    expect(await suite.redis.zcard(`${prefix}:fetch:completed`)).toBe(4);
  });
});
