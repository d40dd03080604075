import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { startHttpServer, type TestHttpServer } from '../helpers/http-server.js';
import { redisServerAvailable, startRedis, type TestRedis } from '../helpers/redis-server.js';
import {
  cliBuilt,
  queueEnv,
  runCliAsync,
  startWorker,
  waitFor,
  type WorkerProcess,
} from '../queue/queue-test-helpers.js';

const ready = redisServerAvailable() && cliBuilt();
if (!ready) console.warn('skipping fetch worker tests: needs redis-server and `npm run build`');

/** The politeness interval under test, per host, across all worker processes. */
const MIN_INTERVAL_MS = 200;
const GOOD_PAGES = 50;
/** A body past this is refused while streaming. */
const MAX_BODY_BYTES = 300_000;

/** Each failure case: its path, how the server answers, and the code the job must fail with. */
const FAILURES: Array<{ path: string; code: string; handle: (s: TestHttpServer) => void }> = [
  {
    path: '/loop',
    code: 'FETCH_REDIRECT_LOOP',
    handle: (s) => {
      s.route('/loop', (_q, r) => void r.writeHead(302, { location: '/loop-back' }).end());
      s.route('/loop-back', (_q, r) => void r.writeHead(302, { location: '/loop' }).end());
    },
  },
  {
    path: '/huge',
    code: 'FETCH_TOO_LARGE',
    handle: (s) =>
      s.route('/huge', (_q, r) => {
        r.writeHead(200, { 'content-type': 'text/html' });
        r.end(`<p>${'x'.repeat(MAX_BODY_BYTES * 2)}</p>`);
      }),
  },
  {
    path: '/stalled',
    code: 'FETCH_TIMEOUT',
    handle: (s) =>
      s.route('/stalled', (_q, r) => {
        r.writeHead(200, { 'content-type': 'text/html' });
        r.write('<p>and then nothing');
      }),
  },
  { path: '/gone', code: 'FETCH_NOT_FOUND', handle: () => {} },
  {
    path: '/metadata',
    code: 'FETCH_ADDRESS_REFUSED',
    handle: (s) =>
      s.route(
        '/metadata',
        (_q, r) => void r.writeHead(302, { location: 'http://169.254.169.254/latest/' }).end(),
      ),
  },
  {
    path: '/private/page',
    code: 'ROBOTS_DISALLOWED',
    handle: (s) => s.route('/private/page', (_q, r) => void r.writeHead(200).end('secret')),
  },
  {
    path: '/image',
    code: 'FETCH_CONTENT_TYPE',
    handle: (s) =>
      s.route(
        '/image',
        (_q, r) => void r.writeHead(200, { 'content-type': 'image/png' }).end('PNG'),
      ),
  },
  {
    path: '/busy',
    code: 'FETCH_RATE_LIMITED',
    handle: (s) =>
      s.route('/busy', (_q, r) => void r.writeHead(429, { 'retry-after': '1' }).end('slow down')),
  },
  {
    path: '/empty',
    code: 'CONTENT_EMPTY',
    handle: (s) =>
      s.route('/empty', (_q, r) => void r.writeHead(200, { 'content-type': 'text/html' }).end('')),
  },
];

describe.skipIf(!ready)(
  'two fetch workers against one host (issue 6)',
  { timeout: 120_000 },
  () => {
    let redis: TestRedis;
    let client: Redis;
    let http: TestHttpServer;
    const workers: WorkerProcess[] = [];

    beforeAll(async () => {
      redis = await startRedis();
      client = new Redis(redis.url);
      http = await startHttpServer();
    });
    afterAll(async () => {
      await Promise.all(workers.map((w) => w.stop()));
      client?.disconnect();
      await http?.stop();
      await redis?.stop();
    });

    test(`keep ${MIN_INTERVAL_MS} ms between requests; every failure is a failed job with its reason; the rest arrive`, async () => {
      const seed = readFileSync(join(ROOT, 'seeds', '002_ca96faed848cebce.txt'), 'utf8');
      http.route(
        '/robots.txt',
        (_q, r) =>
          void r
            .writeHead(200, { 'content-type': 'text/plain' })
            .end('User-agent: *\nDisallow: /private/\n'),
      );
      for (let i = 1; i <= GOOD_PAGES; i++) {
        http.route(
          `/news/${i}`,
          (_q, r) =>
            void r
              .writeHead(200, { 'content-type': 'text/plain; charset=utf-8' })
              .end(seed.replace('Sunday evening', `Sunday evening (report ${i})`)),
        );
      }
      for (const failure of FAILURES) failure.handle(http);

      const { env, dir } = queueEnv(redis, {
        NEWSNORM_FETCH_ALLOW_ADDRESSES: '127.0.0.1',
        NEWSNORM_HOST_MIN_INTERVAL_MS: String(MIN_INTERVAL_MS),
        NEWSNORM_FETCH_MAX_BODY_BYTES: String(MAX_BODY_BYTES),
        NEWSNORM_FETCH_BODY_TIMEOUT_MS: '1000',
        NEWSNORM_FETCH_TOTAL_TIMEOUT_MS: '3000',
        // Retryable failures (429, the stalled body) are tried again; the rest fail at once.
        NEWSNORM_JOB_ATTEMPTS: '3',
        NEWSNORM_BACKOFF_DELAY_MS: '200',
      });
      env.NEWSNORM_REDIS_KEY_PREFIX = `${env.NEWSNORM_QUEUE_PREFIX}:`;
      workers.push(await startWorker(env, ['--queues', 'fetch,process']));
      workers.push(await startWorker(env, ['--queues', 'fetch,process']));

      const list = join(dir, 'urls.txt');
      const urls = [
        ...Array.from({ length: GOOD_PAGES }, (_, i) => `${http.origin}/news/${i + 1}`),
        ...FAILURES.map((f) => `${http.origin}${f.path}`),
      ];
      writeFileSync(list, `${urls.join('\n')}\n`);
      const enqueue = await runCliAsync(['enqueue', '--urls', list], env);
      expect(enqueue.status, enqueue.stderr).toBe(0);

      const streamKey = `${env.NEWSNORM_QUEUE_PREFIX}:records`;
      const failedLines = async () => {
        const run = await runCliAsync(['failed'], env);
        return run.stdout
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as { source: string; reason: string });
      };
      let failed: Array<{ source: string; reason: string }> = [];
      await waitFor(
        async () => {
          if ((await client.xlen(streamKey)) < GOOD_PAGES) return false;
          failed = await failedLines();
          return failed.length >= FAILURES.length;
        },
        90_000,
        () =>
          `stream ${GOOD_PAGES}? failed ${failed.length}/${FAILURES.length}\n${workers[0]!.log().slice(-2000)}`,
      );

      // Politeness, measured at the server over every request the two workers made.
      const arrivals = http.requests.map((r) => r.atMs).sort((a, b) => a - b);
      const gaps = arrivals.slice(1).map((t, i) => t - arrivals[i]!);
      expect(arrivals.length).toBeGreaterThanOrEqual(GOOD_PAGES);
      console.log(
        `${arrivals.length} requests at the server; smallest gap ${Math.min(...gaps).toFixed(1)} ms`,
      );
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(MIN_INTERVAL_MS);

      // Every failure is a failed job whose reason starts with its code; nothing else failed.
      for (const failure of FAILURES) {
        const job = failed.find((f) => f.source === `${http.origin}${failure.path}`);
        expect(job?.reason, failure.path).toMatch(new RegExp(`^${failure.code}\\b`));
      }
      expect(failed).toHaveLength(FAILURES.length);
      expect(await client.xlen(streamKey)).toBe(GOOD_PAGES);
      expect(http.hits('/private/page')).toHaveLength(0);
      expect(http.hits('/busy')).toHaveLength(3);
      for (const w of workers) expect(w.child.exitCode).toBeNull();
    });
  },
);
