import type { ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { Redis } from 'ioredis';
import type { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FetchDeps } from '../../src/fetch/fetch-page.js';
import { RedisValidatorStore } from '../../src/fetch/validator-store.js';
import { pollSource, selectNewUrls } from '../../src/sources/poll-source.js';
import { MemorySeenUrls, RedisSeenUrls } from '../../src/sources/seen-urls.js';
import { failure } from '../fetch/expect-failure.js';
import { countingAgent, testFetchDeps } from '../fetch/fetch-test-deps.js';
import { startHttpServer, type TestHttpServer } from '../helpers/http-server.js';
import { startRedis, type TestRedis } from '../helpers/redis-server.js';
import { rssFeed } from './source-fixtures.js';

let redis: TestRedis;
let server: TestHttpServer;
let agent: Agent;
let deps: FetchDeps;
const clients: Redis[] = [];

function client(): Redis {
  const connection = new Redis(redis.url);
  clients.push(connection);
  return connection;
}

beforeAll(async () => {
  redis = await startRedis();
  server = await startHttpServer();
  ({ agent } = countingAgent());
  deps = testFetchDeps(agent);
  const xml =
    (body: string | Buffer, type = 'application/rss+xml') =>
    (_req: unknown, res: ServerResponse) =>
      void res.writeHead(200, { 'content-type': type }).end(body);
  server.route('/feed.xml', xml(rssFeed(server.origin, 50)));
  server.route('/etag-feed.xml', (req, res) => {
    if (req.headers['if-none-match'] === '"f1"') return void res.writeHead(304).end();
    res
      .writeHead(200, { 'content-type': 'application/rss+xml', etag: '"f1"' })
      .end(rssFeed(server.origin, 5));
  });
  server.route('/broken.xml', xml('<rss><channel><item><link>x</link></channel>'));
  server.route(
    '/sitemap-index.xml',
    xml(
      `<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
        <sitemap><loc>${server.origin}/s1.xml.gz</loc></sitemap>
        <sitemap><loc>${server.origin}/s2.xml</loc></sitemap>
      </sitemapindex>`,
      'application/xml',
    ),
  );
  server.route(
    '/s1.xml.gz',
    xml(
      gzipSync(
        `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>${server.origin}/a</loc></url><url><loc>${server.origin}/b</loc></url></urlset>`,
      ),
      'application/x-gzip',
    ),
  );
  server.route('/s2.xml', (_req, res) => void res.writeHead(500).end());
});

afterAll(async () => {
  for (const c of clients) c.disconnect();
  await agent?.close();
  await server?.stop();
  await redis?.stop();
});

describe('pollSource', () => {
  it('yields 50 new URLs on the first poll of a 50-item feed and none on the second', async () => {
    const seen = new RedisSeenUrls(client(), 'test:seen-urls', 60_000);
    const first = await pollSource(`${server.origin}/feed.xml`, { fetch: deps, seen });
    expect(first.kind).toBe('feed');
    expect(first.itemCount).toBe(50);
    expect(first.newUrls).toHaveLength(50);
    // Normalized: tracking parameter dropped, so the same article reached from elsewhere matches.
    expect(first.newUrls[0]).toBe(`${server.origin}/news/1?id=1`);

    const second = await pollSource(`${server.origin}/feed.xml`, { fetch: deps, seen });
    expect(second.itemCount).toBe(50);
    expect(second.newUrls).toEqual([]);
    expect(server.hits('/feed.xml')).toHaveLength(2);

    // Another scheduler process, on its own connection, sees the same set.
    const elsewhere = new RedisSeenUrls(client(), 'test:seen-urls', 60_000);
    const third = await pollSource(`${server.origin}/feed.xml`, { fetch: deps, seen: elsewhere });
    expect(third.newUrls).toEqual([]);
  });

  it('returns not-modified when the feed answers 304 to its stored ETag', async () => {
    const validators = new RedisValidatorStore(client(), { keyPrefix: 'test:', ttlMs: 60_000 });
    const withValidators = { ...deps, validators };
    const seen = new MemorySeenUrls();
    const first = await pollSource(`${server.origin}/etag-feed.xml`, {
      fetch: withValidators,
      seen,
    });
    expect(first.newUrls).toHaveLength(5);
    const second = await pollSource(`${server.origin}/etag-feed.xml`, {
      fetch: withValidators,
      seen,
    });
    expect(second.kind).toBe('not-modified');
    expect(server.hits('/etag-feed.xml').at(-1)?.headers['if-none-match']).toBe('"f1"');
  });

  it('follows a sitemap index into its children and reports the one that failed', async () => {
    const result = await pollSource(`${server.origin}/sitemap-index.xml`, {
      fetch: deps,
      seen: new MemorySeenUrls(),
    });
    expect(result.kind).toBe('sitemap-index');
    expect(result.newUrls).toEqual([`${server.origin}/a`, `${server.origin}/b`]);
    expect(result.errors).toEqual([
      expect.objectContaining({ url: `${server.origin}/s2.xml`, code: 'FETCH_SERVER_ERROR' }),
    ]);
  });

  it('fails a malformed feed with SOURCE_MALFORMED', async () => {
    const error = await failure(
      pollSource(`${server.origin}/broken.xml`, { fetch: deps, seen: new MemorySeenUrls() }),
    );
    expect(error.code).toBe('SOURCE_MALFORMED');
    expect(error.message).toContain(`${server.origin}/broken.xml`);
  });
});

describe('selectNewUrls', () => {
  it('normalizes, drops duplicates and bad URLs, and keeps only unseen ones', async () => {
    const seen = new RedisSeenUrls(client(), 'test:select', 60_000);
    const first = await selectNewUrls(
      [
        'https://News.example/a?b=2&a=1',
        'https://news.example/a?a=1&b=2#top',
        'javascript:alert(1)',
        'https://news.example/c?utm_medium=x',
      ],
      seen,
    );
    expect(first.newUrls).toEqual(['https://news.example/a?a=1&b=2', 'https://news.example/c']);
    expect(first.invalid).toEqual([
      { url: 'javascript:alert(1)', reason: 'scheme javascript is not http or https' },
    ]);
    const again = await selectNewUrls(['https://news.example/c', 'https://news.example/d'], seen);
    expect(again.newUrls).toEqual(['https://news.example/d']);
  });
});

describe('RedisSeenUrls', () => {
  it('forgets a URL no source has listed for the TTL, and keeps one still listed', async () => {
    const redis = client();
    const key = 'test:seen-ttl';
    const seen = new RedisSeenUrls(redis, key, 60_000);
    expect(await seen.addNew(['https://a.example/1', 'https://a.example/2'])).toEqual([
      'https://a.example/1',
      'https://a.example/2',
    ]);
    // /2 was last listed two minutes ago (as if no source had named it since); /1 just now.
    await redis.zadd(key, Date.now() - 120_000, 'https://a.example/2');
    expect(await seen.addNew(['https://a.example/1', 'https://a.example/3'])).toEqual([
      'https://a.example/3',
    ]);
    // /2 is gone from Redis (memory stays bounded), so it counts as new when it comes back.
    expect((await redis.zrange(key, 0, -1)).sort()).toEqual([
      'https://a.example/1',
      'https://a.example/3',
    ]);
    expect(await seen.addNew(['https://a.example/2', 'https://a.example/1'])).toEqual([
      'https://a.example/2',
    ]);
  });
});
