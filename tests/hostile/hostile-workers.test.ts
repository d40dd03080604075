import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { Job, type Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processJobId } from '../../src/jobs/job-data.js';
import type { RawPage } from '../../src/raw/raw-page.js';
import { FsRawStore } from '../../src/raw/raw-store.js';
import {
  generatedPage,
  openQueue,
  scenarioEnv,
  scenarioResources,
  seedTexts,
  startFaultWorker,
  type FaultWorker,
} from '../faults/fault-harness.js';
import { startHttpServer, type TestHttpServer } from '../helpers/http-server.js';
import { runCliAsync, waitFor } from '../queue/queue-test-helpers.js';

/** The heap docs/OPERATIONS.md recommends for a worker. */
const WORKER_NODE_ARGS = ['--max-old-space-size=128'];
/** The longest the event loop may go without answering /healthz while a page is cleaned. */
const MAX_HEALTHZ_MS = 1_000;
/** Every job here must end within this, or the test fails (a minute on the code before). */
const JOB_BOUND_MS = 30_000;

const resources = scenarioResources();
let server: TestHttpServer;
let env: Record<string, string>;
let worker: FaultWorker;
let queues: { process: Queue; schedule: Queue; fetch: Queue };
let store: FsRawStore;

function htmlPage(name: string, html: string): RawPage {
  return {
    kind: 'file',
    uri: `hostile/${name}`,
    url: null,
    retrievedAt: null,
    contentType: 'text/html',
    headers: {},
    body: new TextEncoder().encode(html),
  };
}

/** Waits for a job to end; returns its state, failed reason and attempts made. */
async function outcome(queue: Queue, id: string) {
  await waitFor(
    async () => ['completed', 'failed'].includes(await queue.getJobState(id)),
    JOB_BOUND_MS,
    () => `job ${id} still ${queue.name}; worker log:\n${worker.log().slice(-2000)}`,
  );
  const job = (await Job.fromId(queue, id))!;
  return {
    state: await queue.getJobState(id),
    reason: job.failedReason ?? '',
    attempts: job.attemptsMade,
    result: job.returnvalue as unknown,
  };
}

/** Polls /healthz every 100 ms until `done`; returns the slowest answer, in ms. */
async function slowestHealthz(done: () => Promise<boolean>): Promise<number> {
  let slowest = 0;
  while (!(await done())) {
    const started = Date.now();
    const res = await fetch(`${worker.opsUrl}/healthz`, { signal: AbortSignal.timeout(60_000) });
    await res.arrayBuffer();
    slowest = Math.max(slowest, Date.now() - started);
    await new Promise((r) => setTimeout(r, 100));
  }
  return slowest;
}

beforeAll(async () => {
  const { redis, client, workers } = await resources.start();
  server = await startHttpServer();
  resources.onCleanup(() => server.stop());
  const scenario = scenarioEnv(redis.url, {
    NEWSNORM_FETCH_ALLOW_ADDRESSES: '127.0.0.1',
    NEWSNORM_HOST_MIN_INTERVAL_MS: '0',
    NEWSNORM_HOST_MAX_CONCURRENCY: '16',
    NEWSNORM_LOCK_DURATION_MS: '5000',
    NEWSNORM_STALLED_INTERVAL_MS: '2000',
    NEWSNORM_JOB_ATTEMPTS: '3',
    NEWSNORM_SOURCE_DIRS: 'tests/faults/fixtures',
  });
  env = scenario.env;
  worker = await startFaultWorker(env, ['--queues', 'process,fetch,schedule'], WORKER_NODE_ARGS);
  workers.push(worker);
  queues = {
    process: openQueue(client, env, 'process'),
    schedule: openQueue(client, env, 'schedule'),
    fetch: openQueue(client, env, 'fetch'),
  };
  store = new FsRawStore(env.NEWSNORM_RAW_DIR!);
}, 60_000);

afterAll(async () => {
  await Promise.all(Object.values(queues ?? {}).map((q) => q.close()));
  await resources.cleanup();
});

describe('pages that used to freeze or kill a worker (128 MB heap)', () => {
  it('cleans or refuses 300,000 unclosed divs while /healthz answers and other pages go on', async () => {
    const hostile = htmlPage('divs-300000.html', `<body>${'<div>'.repeat(300_000)}`);
    const rawHash = await store.put(hostile);
    const id = processJobId(rawHash);
    await queues.process.add('process', { rawHash, uri: hostile.uri }, { jobId: id });
    const innocent = generatedPage(seedTexts(), 'hostile-workers', 1);
    const innocentHash = await store.put(innocent);
    const innocentId = processJobId(innocentHash);
    await queues.process.add(
      'process',
      { rawHash: innocentHash, uri: innocent.uri },
      { jobId: innocentId },
    );
    const finished = async (jobId: string) =>
      ['completed', 'failed'].includes(await queues.process.getJobState(jobId));
    const slowest = await slowestHealthz(async () => (await finished(id)) || !worker.alive());
    const hostileEnd = await outcome(queues.process, id);
    expect(worker.alive()).toBe(true);
    expect(slowest).toBeLessThan(MAX_HEALTHZ_MS);
    expect(['completed', 'failed']).toContain(hostileEnd.state);
    if (hostileEnd.state === 'failed') expect(hostileEnd.reason).toMatch(/^CONTENT_TOO_/);
    expect((await outcome(queues.process, innocentId)).state).toBe('completed');
    expect(worker.log()).not.toContain('job stalled');
  });

  it('refuses a 9.9 MB text node with a clear permanent reason, and survives', async () => {
    const hostile = htmlPage('text-node-9.9mb.html', `<body><p>${'a'.repeat(9_900_000)}</p>`);
    const rawHash = await store.put(hostile);
    const id = processJobId(rawHash);
    await queues.process.add('process', { rawHash, uri: hostile.uri }, { jobId: id });
    const end = await outcome(queues.process, id);
    expect(worker.alive()).toBe(true);
    expect(end.state).toBe('failed');
    expect(end.reason).toMatch(/^CONTENT_TOO_LONG: a text node of \d+ characters/);
    expect(end.attempts).toBe(1);
  });
});

describe('feeds and sitemaps that used to flood Redis or be retried', () => {
  beforeAll(() => {
    // Short relative links: 30 MB of XML, under the 50 MB a sitemap may be, 2 MB gzipped.
    const items = Array.from({ length: 1_000_000 }, (_, i) => `<item><link>/${i}</link></item>`);
    const million = gzipSync(
      `<?xml version="1.0"?><rss><channel>${items.join('')}</channel></rss>`,
    );
    server.route('/million.xml.gz', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/gzip' }).end(million);
    });
    // A 20,000-character entity used 10,000 times: 200 MB once expanded.
    const entity = `<!ENTITY big "${'laugh'.repeat(4_000)}">`;
    server.route('/bomb.xml', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      res.end(
        `<?xml version="1.0"?><!DOCTYPE rss [${entity}]><rss><channel><item>` +
          `<title>${'&big;'.repeat(10_000)}</title><link>/x</link></item></channel></rss>`,
      );
    });
    const children = Array.from(
      { length: 10_000 },
      (_, i) => `<sitemap><loc>${server.origin}/child-${i}.xml</loc></sitemap>`,
    ).join('');
    server.route('/index.xml', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/xml' });
      res.end(`<?xml version="1.0"?><sitemapindex>${children}</sitemapindex>`);
    });
    for (let i = 0; i < 60; i++) {
      server.route(`/child-${i}.xml`, (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/xml' });
        res.end(`<urlset><url><loc>${server.origin}/child-page-${i}</loc></url></urlset>`);
      });
    }
  });

  it('refuses a gzipped feed of a million items before enqueueing any', async () => {
    await queues.schedule.add(
      'schedule',
      { kind: 'feed', url: `${server.origin}/million.xml.gz` },
      { jobId: 'million' },
    );
    const end = await outcome(queues.schedule, 'million');
    expect(end.state).toBe('failed');
    expect(end.reason).toMatch(/^SOURCE_TOO_MANY_ITEMS: .* more than fetch.maxFeedItems \(50000\)/);
    expect(end.attempts).toBe(1);
    expect(await queues.fetch.count()).toBe(0);
    expect(worker.alive()).toBe(true);
  });

  it('fails an entity bomb permanently, at the first attempt', async () => {
    await queues.schedule.add(
      'schedule',
      { kind: 'feed', url: `${server.origin}/bomb.xml` },
      { jobId: 'bomb' },
    );
    const end = await outcome(queues.schedule, 'bomb');
    expect(end.state).toBe('failed');
    expect(end.reason).toMatch(/^SOURCE_MALFORMED: /);
    expect(end.attempts).toBe(1);
  });

  it('reports the child sitemaps of an index past the cap, in the job and on enqueue', async () => {
    await queues.schedule.add(
      'schedule',
      { kind: 'feed', url: `${server.origin}/index.xml` },
      { jobId: 'index' },
    );
    const end = await outcome(queues.schedule, 'index');
    expect(end.state).toBe('completed');
    expect(end.result).toMatchObject({
      jobs: 50,
      warnings: [
        expect.stringMatching(
          /^SOURCE_TOO_MANY_SITEMAPS: index lists 10000 sitemaps; read the first 50/,
        ),
      ],
    });
    expect(worker.log()).toContain('source read in part');
    const enqueue = await runCliAsync(['enqueue', '--feed', `${server.origin}/index.xml`], env);
    expect(enqueue.status).toBe(0);
    expect(enqueue.stderr).toContain('SOURCE_TOO_MANY_SITEMAPS: index lists 10000 sitemaps');
  });
});

describe('schedule jobs from Redis read only configured folders', () => {
  it.each([
    ['seeds', { kind: 'seeds', dir: '/etc' }],
    ['urls', { kind: 'urls', file: '/etc/passwd' }],
    ['urls-escape', { kind: 'urls', file: 'tests/faults/fixtures/../../../package.json' }],
  ])('refuses a %s job outside them, without reading it', async (name, data) => {
    await queues.schedule.add('schedule', data, { jobId: `outside-${name}` });
    const end = await outcome(queues.schedule, `outside-${name}`);
    expect(end.state).toBe('failed');
    expect(end.reason).toMatch(/^SOURCE_NOT_ALLOWED: /);
    expect(end.reason).not.toContain('root:');
    expect(end.reason).not.toContain('"name"');
  });

  it('names the bad lines of a URL list by number, without its contents', async () => {
    const list = join('tests/faults/fixtures', 'bad-url-list.txt');
    await queues.schedule.add('schedule', { kind: 'urls', file: list }, { jobId: 'bad-list' });
    const end = await outcome(queues.schedule, 'bad-list');
    expect(end.state).toBe('failed');
    expect(end.reason).toMatch(
      /^URL_LIST_INVALID: .* lines are not fetchable http\(s\) URLs: line \d/,
    );
    expect(end.reason).not.toContain('file:///etc/passwd');
  });
});
