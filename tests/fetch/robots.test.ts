import type { ServerResponse } from 'node:http';
import type { Agent } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PermanentError, RetryableError } from '../../src/errors.js';
import { fetchPage, type FetchDeps } from '../../src/fetch/fetch-page.js';
import { LocalHostGate } from '../../src/fetch/host-gate.js';
import { createRobotsFetcher } from '../../src/fetch/fetch-robots-txt.js';
import { RobotsCache } from '../../src/fetch/robots.js';
import { startHttpServer, type TestHttpServer } from '../helpers/http-server.js';
import { countingAgent, testFetchConfig, testFetchDeps } from './fetch-test-deps.js';
import { failure } from './expect-failure.js';

const ROBOTS = [
  'User-agent: otherbot',
  'Disallow: /',
  '',
  'User-agent: *',
  'Disallow: /private',
  'Crawl-delay: 0.4',
].join('\n');

let agent: Agent;
let servers: TestHttpServer[] = [];

async function site(robots: (res: ServerResponse) => void): Promise<TestHttpServer> {
  const server = await startHttpServer();
  servers.push(server);
  server.route('/robots.txt', (_req, res) => robots(res));
  for (const path of ['/page', '/private/x']) {
    server.route(
      path,
      (_req, res) => void res.writeHead(200, { 'content-type': 'text/html' }).end('<p>x</p>'),
    );
  }
  server.route('/go', (_req, res) => void res.writeHead(302, { location: '/private/x' }).end());
  return server;
}

function depsWithRobots(now: () => number = Date.now, ttlMs = 60_000): FetchDeps {
  const base = testFetchDeps(agent, testFetchConfig(), { hostGate: new LocalHostGate() });
  const robots = new RobotsCache({
    userAgentName: base.config.userAgentName,
    ttlMs,
    now,
    fetchRobotsTxt: createRobotsFetcher(base, testFetchConfig().maxRobotsBytes),
  });
  return { ...base, robots };
}

beforeAll(() => {
  ({ agent } = countingAgent());
});
afterEach(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  servers = [];
});
afterAll(() => agent.close());

describe('robots.txt', () => {
  it('refuses a disallowed URL with ROBOTS_DISALLOWED and never requests it', async () => {
    const server = await site((res) =>
      res.writeHead(200, { 'content-type': 'text/plain' }).end(ROBOTS),
    );
    const error = await failure(fetchPage(`${server.origin}/private/x`, depsWithRobots()));
    expect(error).toBeInstanceOf(PermanentError);
    expect(error.code).toBe('ROBOTS_DISALLOWED');
    expect(error.message).toContain('line 5');
    expect(server.hits('/private/x')).toHaveLength(0);
    expect(server.hits('/robots.txt')[0]?.headers['user-agent']).toContain('newsnorm');
  });

  it('checks robots.txt again on a redirect hop', async () => {
    const server = await site((res) =>
      res.writeHead(200, { 'content-type': 'text/plain' }).end(ROBOTS),
    );
    const error = await failure(fetchPage(`${server.origin}/go`, depsWithRobots()));
    expect(error.code).toBe('ROBOTS_DISALLOWED');
    expect(server.hits('/go')).toHaveLength(1);
    expect(server.hits('/private/x')).toHaveLength(0);
  });

  it('honours Crawl-delay between requests and reads robots.txt once while cached', async () => {
    const server = await site((res) =>
      res.writeHead(200, { 'content-type': 'text/plain' }).end(ROBOTS),
    );
    const deps = depsWithRobots();
    for (let i = 0; i < 3; i++) await fetchPage(`${server.origin}/page`, deps);
    const times = server.hits('/page').map((r) => r.atMs);
    expect(times).toHaveLength(3);
    const gaps = times.slice(1).map((t, i) => t - (times[i] ?? 0));
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(395);
    expect(server.hits('/robots.txt')).toHaveLength(1);
  });

  it('reads robots.txt again once its TTL has passed', async () => {
    const server = await site((res) =>
      res.writeHead(200, { 'content-type': 'text/plain' }).end('User-agent: *\nAllow: /'),
    );
    let clock = 1_000_000;
    const deps = depsWithRobots(() => clock, 10_000);
    await fetchPage(`${server.origin}/page`, deps);
    clock += 5_000;
    await fetchPage(`${server.origin}/page`, deps);
    expect(server.hits('/robots.txt')).toHaveLength(1);
    clock += 6_000;
    await fetchPage(`${server.origin}/page`, deps);
    expect(server.hits('/robots.txt')).toHaveLength(2);
  });

  it('treats a 4xx robots.txt as allow-all', async () => {
    const server = await site((res) => res.writeHead(404).end());
    const result = await fetchPage(`${server.origin}/private/x`, depsWithRobots());
    expect(result.status).toBe('fetched');
  });

  it('treats a 5xx robots.txt as "try later" and requests nothing else', async () => {
    const server = await site((res) => res.writeHead(503, { 'retry-after': '30' }).end());
    const deps = depsWithRobots();
    const error = await failure(fetchPage(`${server.origin}/page`, deps));
    expect(error).toBeInstanceOf(RetryableError);
    expect(error.code).toBe('ROBOTS_UNAVAILABLE');
    // The wait left until the cached answer expires: Retry-After's 30 s less the ms since.
    const retryAfterMs = (error as RetryableError).retryAfterMs!;
    expect(retryAfterMs).toBeLessThanOrEqual(30_000);
    expect(retryAfterMs).toBeGreaterThan(29_000);
    expect(server.hits('/page')).toHaveLength(0);
    // The next job for that host fails at once, without asking the struggling host again.
    const again = await failure(fetchPage(`${server.origin}/page`, deps));
    expect(again.code).toBe('ROBOTS_UNAVAILABLE');
    expect(server.hits('/robots.txt')).toHaveLength(1);
  });
});
