import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFetchDeps } from '../../src/fetch/create-fetch-deps.js';
import { fetchPage, fetchRawPage, saveValidators } from '../../src/fetch/fetch-page.js';
import { startHttpServer, type TestHttpServer } from '../helpers/http-server.js';
import { startRedis, type TestRedis } from '../helpers/redis-server.js';
import { failure } from './expect-failure.js';
import { testFetchConfig } from './fetch-test-deps.js';

let redis: TestRedis;
let server: TestHttpServer;
let client: Redis;

beforeAll(async () => {
  redis = await startRedis();
  client = new Redis(redis.url);
  server = await startHttpServer();
  server.route(
    '/robots.txt',
    (_req, res) => void res.writeHead(200).end('User-agent: *\nDisallow: /no\n'),
  );
  server.route(
    '/no',
    (_req, res) => void res.writeHead(200, { 'content-type': 'text/html' }).end('<p>no</p>'),
  );
  server.route('/article', (req, res) => {
    if (req.headers['if-none-match'] === '"a1"') return void res.writeHead(304).end();
    res.writeHead(200, { 'content-type': 'text/html', etag: '"a1"' }).end('<p>Jayrud</p>');
  });
});

afterAll(async () => {
  client?.disconnect();
  await server?.stop();
  await redis?.stop();
});

describe('createFetchDeps', () => {
  it('wires robots, the Redis host gate and Redis validators from the config', async () => {
    const config = testFetchConfig({ redisKeyPrefix: 'wired:', minHostIntervalMs: 100 });
    const runtime = createFetchDeps(config, { redis: client });
    try {
      const first = await fetchRawPage(`${server.origin}/article`, runtime.deps);
      expect(first?.url).toBe(`${server.origin}/article`);
      if (first) await saveValidators(first, runtime.deps.validators);
      expect((await failure(fetchPage(`${server.origin}/no`, runtime.deps))).code).toBe(
        'ROBOTS_DISALLOWED',
      );
      // A second process starts with nothing in memory but shares Redis.
      const second = createFetchDeps(config, { redis: client });
      try {
        expect((await fetchPage(`${server.origin}/article`, second.deps)).status).toBe(
          'not-modified',
        );
      } finally {
        await second.close();
      }
      expect(server.hits('/no')).toHaveLength(0);
      expect(await client.keys('wired:host:*')).toEqual(
        expect.arrayContaining([`wired:host:{127.0.0.1:${server.port}}:state`]),
      );
    } finally {
      await runtime.close();
    }
  });
});
