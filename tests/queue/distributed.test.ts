import { createHmac } from 'node:crypto';
import { mkdirSync, readFileSync, existsSync, writeFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { startHttpServer, type TestHttpServer } from '../helpers/http-server.js';
import { redisServerAvailable, startRedis, type TestRedis } from '../helpers/redis-server.js';
import {
  cliBuilt,
  queueEnv,
  recordKeysOf,
  runCliAsync,
  startWorker,
  waitFor,
  type WorkerProcess,
} from './queue-test-helpers.js';

const SEEDS = join(ROOT, 'seeds');
const SEED_COUNT = 5;
const WEBHOOK_SECRET = 'test-secret-of-sixteen-chars-or-more';

const ready = redisServerAvailable() && cliBuilt();
if (!ready)
  console.warn('skipping distributed queue tests: needs redis-server and `npm run build`');

/** Each test starts several Node processes; on a loaded 2-core machine that takes a while. */
const PROCESS_TEST_TIMEOUT_MS = 90_000;

describe.skipIf(!ready)(
  'distributed workers (built CLI, real redis-server)',
  { timeout: PROCESS_TEST_TIMEOUT_MS },
  () => {
    let server: TestRedis;
    let redis: Redis;
    const workers: WorkerProcess[] = [];
    beforeAll(async () => {
      server = await startRedis();
      redis = new Redis(server.url);
    });
    afterEach(async () => {
      await Promise.all(workers.splice(0).map((w) => w.stop()));
    });
    afterAll(async () => {
      redis?.disconnect();
      await server?.stop();
    });

    async function worker(env: Record<string, string>, args: string[] = []) {
      const w = await startWorker(env, args);
      workers.push(w);
      return w;
    }
    const streamKey = (env: Record<string, string>) => `${env.NEWSNORM_QUEUE_PREFIX}:records`;
    const fileLines = (env: Record<string, string>) =>
      existsSync(env.NEWSNORM_SINK_FILE!)
        ? readFileSync(env.NEWSNORM_SINK_FILE!, 'utf8').trim().split('\n').filter(Boolean)
        : [];
    async function streamRecords(env: Record<string, string>): Promise<string[]> {
      const entries = await redis.xrange(streamKey(env), '-', '+');
      return entries.map(([, fields]) => fields[fields.indexOf('record') + 1]!);
    }

    test('enqueue --seeds twice with two workers: 5 records in the stream and the file, as `run` writes them', async () => {
      const { env, dir } = queueEnv(server);
      await worker(env);
      await worker(env);
      const first = await runCliAsync(['enqueue', '--seeds', 'seeds'], env);
      expect(first.stderr).toBe('');
      expect(first.status).toBe(0);
      expect(first.stdout).toBe(`enqueued ${SEED_COUNT} pages from seeds to the process queue\n`);
      const again = await runCliAsync(['enqueue', '--seeds', 'seeds'], env);
      expect(again.status).toBe(0);
      await waitFor(async () => (await redis.xlen(streamKey(env))) >= SEED_COUNT, 15_000);
      // Let any duplicate surface before counting.
      await new Promise((r) => setTimeout(r, 500));
      const stream = await streamRecords(env);
      expect(stream).toHaveLength(SEED_COUNT);
      expect(fileLines(env)).toHaveLength(SEED_COUNT);
      expect(recordKeysOf(fileLines(env))).toEqual(recordKeysOf(stream));

      const runOut = join(dir, 'run.jsonl');
      const run = await runCliAsync(['run', '--seeds', 'seeds', '--out', runOut], env);
      expect(run.status).toBe(0);
      const idHash = (keys: string[]) => keys.map((k) => k.split(' ').slice(0, 2).join(' '));
      expect(idHash(recordKeysOf(stream))).toEqual(
        idHash(recordKeysOf(readFileSync(runOut, 'utf8').trim().split('\n'))),
      );

      const status = await runCliAsync(['status', '--json'], env);
      const counts = JSON.parse(status.stdout) as {
        queues: Record<string, Record<string, number>>;
        stream: { length: number };
      };
      expect(counts.queues.process!.completed).toBe(SEED_COUNT);
      expect(counts.stream.length).toBe(SEED_COUNT);

      const tail = await runCliAsync(
        ['tail', '--group', 'g', '--count', '10', '--idle-exit', '1500'],
        env,
      );
      expect(tail.status).toBe(0);
      expect(recordKeysOf(tail.stdout.trim().split('\n'))).toEqual(recordKeysOf(stream));
      const tailAgain = await runCliAsync(['tail', '--group', 'g', '--idle-exit', '1000'], env);
      expect(tailAgain.stdout).toBe('');
    });

    /** Sinks including a webhook on the test server, signed with WEBHOOK_SECRET. */
    function webhookEnv(http: TestHttpServer, sinks: string): Record<string, string> {
      return {
        NEWSNORM_SINKS: sinks,
        NEWSNORM_WEBHOOK_URL: `${http.origin}/hook`,
        NEWSNORM_WEBHOOK_SECRET: WEBHOOK_SECRET,
      };
    }

    /** A webhook receiver that holds each first delivery of a record for `holdMs`. */
    function slowWebhook(http: TestHttpServer, holdMs: number) {
      const deliveries: string[] = [];
      const bad: string[] = [];
      http.route('/hook', async (req: IncomingMessage, res: ServerResponse) => {
        let body = '';
        for await (const chunk of req) body += String(chunk);
        const expected = `sha256=${createHmac('sha256', WEBHOOK_SECRET).update(body).digest('hex')}`;
        if (req.headers['x-newsnorm-signature'] !== expected) bad.push(body.slice(0, 40));
        const delivery = String(req.headers['x-newsnorm-delivery']);
        const firstTime = !deliveries.includes(delivery);
        deliveries.push(delivery);
        if (firstTime) await new Promise((r) => setTimeout(r, holdMs));
        res.writeHead(204).end();
      });
      return { deliveries, bad };
    }

    test('SIGTERM drains: held jobs finish, the worker exits 0', async () => {
      const http = await startHttpServer();
      try {
        const hook = slowWebhook(http, 1500);
        const { env } = queueEnv(server, {
          ...webhookEnv(http, 'file,stream,webhook'),
          NEWSNORM_SHUTDOWN_TIMEOUT_MS: '10000',
        });
        const w = await worker(env, ['--queues', 'process', '--concurrency', '5']);
        expect((await runCliAsync(['enqueue', '--seeds', 'seeds'], env)).status).toBe(0);
        await waitFor(() => hook.deliveries.length === SEED_COUNT, 10_000);
        const signalledAt = Date.now();
        w.child.kill('SIGTERM');
        const exit = await w.exited;
        expect(exit).toEqual({ code: 0, signal: null });
        expect(Date.now() - signalledAt).toBeLessThan(10_000);
        expect(w.log()).toContain('drained, exiting');
        expect(hook.bad).toEqual([]);
        expect(await redis.xlen(streamKey(env))).toBe(SEED_COUNT);
        expect(fileLines(env)).toHaveLength(SEED_COUNT);
        const status = JSON.parse((await runCliAsync(['status', '--json'], env)).stdout) as {
          queues: Record<string, Record<string, number>>;
        };
        expect(status.queues.process).toMatchObject({
          completed: SEED_COUNT,
          active: 0,
          waiting: 0,
        });
      } finally {
        await http.stop();
      }
    });

    test('a SIGKILLed worker’s jobs are finished by another worker, with no duplicate downstream', async () => {
      const http = await startHttpServer();
      try {
        const hook = slowWebhook(http, 60_000);
        const { env } = queueEnv(server, {
          ...webhookEnv(http, 'file,stream,webhook'),
          NEWSNORM_WEBHOOK_TIMEOUT_MS: '60000',
        });
        const doomed = await worker(env, ['--queues', 'process', '--concurrency', '5']);
        expect((await runCliAsync(['enqueue', '--seeds', 'seeds'], env)).status).toBe(0);
        // The doomed worker holds all five jobs, stuck in the webhook call.
        await waitFor(() => hook.deliveries.length === SEED_COUNT, 10_000);
        // ...and has written and marked the file sink, which runs beside the webhook: this test
        // kills it inside the webhook call, not between a file write and its marker.
        await waitFor(async () => {
          const ledgers = await redis.keys(`${env.NEWSNORM_QUEUE_PREFIX}:record:*`);
          const marks = await Promise.all(ledgers.map((k) => redis.hget(k, 'sink:file')));
          return marks.filter(Boolean).length === SEED_COUNT;
        }, 10_000);
        doomed.child.kill('SIGKILL');
        expect((await doomed.exited).signal).toBe('SIGKILL');
        await worker(env, ['--queues', 'process']);
        await waitFor(
          async () => {
            const s = JSON.parse((await runCliAsync(['status', '--json'], env)).stdout) as {
              queues: Record<string, Record<string, number>>;
            };
            return s.queues.process!.completed === SEED_COUNT;
          },
          20_000,
          () => 'the jobs were not finished by the second worker',
        );
        expect(await redis.xlen(streamKey(env))).toBe(SEED_COUNT);
        expect(fileLines(env)).toHaveLength(SEED_COUNT);
        expect(new Set(recordKeysOf(fileLines(env))).size).toBe(SEED_COUNT);
        // The webhook is at least once: the killed worker's calls are repeated, under the same
        // delivery id, which the receiver uses to drop the repeat.
        expect(new Set(hook.deliveries).size).toBe(SEED_COUNT);
        expect(hook.bad).toEqual([]);
      } finally {
        await http.stop();
      }
    });

    test('a retryable failure backs off and retries; the retry writes only the sink that failed', async () => {
      const http = await startHttpServer();
      try {
        const calls = new Map<string, number>();
        http.route('/hook', async (req, res) => {
          for await (const _chunk of req) void _chunk;
          const delivery = String(req.headers['x-newsnorm-delivery']);
          calls.set(delivery, (calls.get(delivery) ?? 0) + 1);
          // Each record's first two deliveries meet a receiver that is down.
          res.writeHead((calls.get(delivery) ?? 0) <= 2 ? 503 : 204).end();
        });
        const { env } = queueEnv(server, {
          ...webhookEnv(http, 'file,stream,webhook'),
          NEWSNORM_WEBHOOK_ATTEMPTS: '1',
          NEWSNORM_JOB_ATTEMPTS: '5',
        });
        await worker(env, ['--queues', 'process']);
        expect((await runCliAsync(['enqueue', '--seeds', 'seeds'], env)).status).toBe(0);
        await waitFor(
          () => [...calls.values()].filter((n) => n === 3).length === SEED_COUNT,
          20_000,
          () => `webhook calls: ${JSON.stringify([...calls])}`,
        );
        await new Promise((r) => setTimeout(r, 300));
        expect(await redis.xlen(streamKey(env))).toBe(SEED_COUNT);
        expect(fileLines(env)).toHaveLength(SEED_COUNT);
        expect((await runCliAsync(['failed'], env)).stdout).toBe('');
      } finally {
        await http.stop();
      }
    });

    test('a drain that outlasts the shutdown timeout exits 0 anyway; the held job is finished elsewhere', async () => {
      const http = await startHttpServer();
      try {
        let answered = 0;
        http.route('/hook', async (req, res) => {
          for await (const _chunk of req) void _chunk;
          // The first delivery never gets an answer while the first worker lives.
          if (answered++ === 0) return;
          res.writeHead(204).end();
        });
        const { env } = queueEnv(server, {
          ...webhookEnv(http, 'stream,webhook'),
          NEWSNORM_WEBHOOK_TIMEOUT_MS: '60000',
          NEWSNORM_SHUTDOWN_TIMEOUT_MS: '1000',
        });
        const seeds = join(queueEnv(server).dir, 'one');
        mkdirSync(seeds);
        copyFileSync(
          join(SEEDS, '000_5f6b14ad56607581.txt'),
          join(seeds, '000_5f6b14ad56607581.txt'),
        );
        const stuck = await worker(env, ['--queues', 'process']);
        expect((await runCliAsync(['enqueue', '--seeds', seeds], env)).status).toBe(0);
        await waitFor(() => answered === 1, 10_000);
        const signalledAt = Date.now();
        stuck.child.kill('SIGTERM');
        expect(await stuck.exited).toEqual({ code: 0, signal: null });
        expect(Date.now() - signalledAt).toBeLessThan(5_000);
        expect(stuck.log()).toContain('shutdown timeout');
        await worker(env, ['--queues', 'process']);
        await waitFor(
          async () => (await redis.xlen(streamKey(env))) === 1 && answered >= 2,
          15_000,
        );
      } finally {
        await http.stop();
      }
    });

    test('a page that cannot become a record fails at once with its reason; failed lists it, retry re-queues it', async () => {
      const { env, dir } = queueEnv(server, { NEWSNORM_JOB_ATTEMPTS: '3' });
      const seeds = join(dir, 'seeds');
      mkdirSync(seeds);
      writeFileSync(join(seeds, 'empty.txt'), '');
      await worker(env, ['--queues', 'process']);
      expect((await runCliAsync(['enqueue', '--seeds', seeds], env)).status).toBe(0);
      let failed = '';
      await waitFor(async () => {
        failed = (await runCliAsync(['failed'], env)).stdout;
        return failed !== '';
      }, 10_000);
      const line = JSON.parse(failed.trim()) as {
        queue: string;
        attempts: number;
        reason: string;
        source: string;
        failedAt: string;
      };
      expect(line).toMatchObject({
        queue: 'process',
        attempts: 1,
        source: join(seeds, 'empty.txt'),
      });
      expect(line.reason).toMatch(/^CONTENT_EMPTY: /);

      // The raw store keeps the empty page, so the retried job fails again: but it does run.
      const retry = await runCliAsync(['retry'], env);
      expect(retry.stdout).toBe('re-queued 1 failed jobs (fetch: 0, process: 1, schedule: 0)\n');
      await waitFor(
        async () => {
          const again = (await runCliAsync(['failed'], env)).stdout.trim();
          return (
            again !== '' && (JSON.parse(again) as { failedAt: string }).failedAt !== line.failedAt
          );
        },
        10_000,
        () => 'the retried job did not run again',
      );
      const noSuch = await runCliAsync(['retry', '--job', 'nope'], env);
      expect(noSuch.status).toBe(1);
      expect(noSuch.stderr).toContain('no failed job "nope"');
    });

    test('schedules: add, list, fire once per tick into jobs, remove', async () => {
      const { env, dir } = queueEnv(server);
      env.NEWSNORM_SOURCE_DIRS = dir;
      const seeds = join(dir, 'seeds');
      mkdirSync(seeds);
      copyFileSync(
        join(SEEDS, '000_5f6b14ad56607581.txt'),
        join(seeds, '000_5f6b14ad56607581.txt'),
      );
      const add = await runCliAsync(
        ['schedule', 'add', '--id', 'every-second', '--cron', '* * * * * *', '--seeds', seeds],
        env,
      );
      expect(add.stderr).toBe('');
      expect(add.stdout).toMatch(
        /^schedule every-second: \* \* \* \* \* \* → seeds .*, next run at \d{4}-/,
      );
      const list = await runCliAsync(['schedule', 'list'], env);
      expect(JSON.parse(list.stdout)).toMatchObject({
        id: 'every-second',
        cron: '* * * * * *',
        source: { kind: 'seeds', dir: seeds },
      });
      // Two scheduler workers: each tick still fires once.
      await worker(env, ['--queues', 'schedule,process']);
      await worker(env, ['--queues', 'schedule,process']);
      await waitFor(async () => (await redis.xlen(streamKey(env))) === 1, 10_000);
      await new Promise((r) => setTimeout(r, 2500));
      expect(await redis.xlen(streamKey(env))).toBe(1);
      expect((await runCliAsync(['schedule', 'remove', 'every-second'], env)).status).toBe(0);
      expect((await runCliAsync(['schedule', 'list'], env)).stdout).toBe('');
      const gone = await runCliAsync(['schedule', 'remove', 'every-second'], env);
      expect(gone.status).toBe(1);
      expect(gone.stderr).toContain('no schedule "every-second"');
    });

    test('fetch path: enqueue --feed and --urls, fetch workers store pages and hand them to process', async () => {
      const http = await startHttpServer();
      try {
        const seedText = (name: string) => readFileSync(join(SEEDS, name), 'utf8');
        http.route('/robots.txt', (_req, res) => void res.writeHead(404).end());
        http.route(
          '/a',
          (_req, res) =>
            void res
              .writeHead(200, { 'content-type': 'text/plain; charset=utf-8' })
              .end(seedText('000_5f6b14ad56607581.txt')),
        );
        http.route(
          '/b',
          (_req, res) =>
            void res
              .writeHead(200, { 'content-type': 'text/plain; charset=utf-8' })
              .end(seedText('001_e7a44f8a370d07ea.txt')),
        );
        http.route(
          '/feed.xml',
          (_req, res) =>
            void res
              .writeHead(200, { 'content-type': 'application/rss+xml' })
              .end(
                `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>` +
                  `<item><title>a</title><link>${http.origin}/a</link></item>` +
                  `<item><title>b</title><link>${http.origin}/b?utm_source=feed</link></item>` +
                  `</channel></rss>`,
              ),
        );
        const { env, dir } = queueEnv(server, {
          NEWSNORM_FETCH_ALLOW_ADDRESSES: '127.0.0.1',
          NEWSNORM_HOST_MIN_INTERVAL_MS: '0',
        });
        env.NEWSNORM_REDIS_KEY_PREFIX = `${env.NEWSNORM_QUEUE_PREFIX}:`;
        await worker(env, ['--queues', 'fetch,process']);
        const feed = await runCliAsync(['enqueue', '--feed', `${http.origin}/feed.xml`], env);
        expect(feed.stderr).toBe('');
        expect(feed.stdout).toBe(
          `enqueued 2 URLs from ${http.origin}/feed.xml to the fetch queue (new items only): ` +
            '2 queued, 0 already queued, 0 refetched\n',
        );
        await waitFor(async () => (await redis.xlen(streamKey(env))) === 2, 15_000);
        const urls = (await streamRecords(env))
          .map((r) => (JSON.parse(r) as { url: string }).url)
          .sort();
        // The feed reader hands out normalized URLs (tracking parameters dropped).
        expect(urls).toEqual([`${http.origin}/a`, `${http.origin}/b`]);

        // The same URLs from a list: fetched again now that their fetches are done (one job per
        // normalized URL), unchanged pages, no new record.
        const list = join(dir, 'urls.txt');
        writeFileSync(
          list,
          `# crontab list\n${http.origin}/a\n${http.origin}/b\n${http.origin}/a#top\n`,
        );
        const fromList = await runCliAsync(['enqueue', '--urls', list], env);
        expect(fromList.status).toBe(0);
        expect(fromList.stdout).toBe(
          `enqueued 3 URLs from ${list} to the fetch queue: 0 queued, 1 already queued, 2 refetched\n`,
        );
        const badList = join(dir, 'bad.txt');
        writeFileSync(badList, 'ftp://example.com/x\nhttps://user:secret@example.com/y\n');
        const bad = await runCliAsync(['enqueue', '--urls', badList], env);
        expect(bad.status).toBe(1);
        expect(bad.stderr).toContain(
          'line 1: "ftp://example.com/x" (scheme ftp is not http or https)',
        );
        // The same rules as fetch sources: a URL with credentials is refused, not queued, and
        // its password is not repeated in the message.
        expect(bad.stderr).toContain(
          'line 2: "https://user:***@example.com/y" (carries credentials)',
        );
        expect(bad.stderr).not.toContain('secret');
        await new Promise((r) => setTimeout(r, 1500));
        expect(await redis.xlen(streamKey(env))).toBe(2);
      } finally {
        await http.stop();
      }
    });

    test('jobs survive a Redis restart (append-only file) and running workers reconnect', async () => {
      const durable = await startRedis({ appendOnly: true });
      const client = new Redis(durable.url, { maxRetriesPerRequest: null });
      try {
        const { env } = queueEnv(durable);
        expect((await runCliAsync(['enqueue', '--seeds', 'seeds'], env)).status).toBe(0);
        await durable.restart();
        const running = await worker(env, ['--queues', 'process']);
        await waitFor(async () => (await client.xlen(streamKey(env))) === SEED_COUNT, 15_000);
        // Redis away for 3 s under a running worker: it reconnects and the ledger still knows the
        // records; the operator reads that Redis went away (once, not per attempt) and is back.
        await durable.restart(3_000);
        await waitFor(
          () => running.log().includes('"msg":"redis connection restored"'),
          15_000,
          () => running.log(),
        );
        const errorLines = running
          .log()
          .split('\n')
          .filter((line) => line.includes('"msg":"redis connection error"'));
        expect(errorLines.length).toBeGreaterThan(0);
        expect(errorLines.length).toBeLessThanOrEqual(2);
        expect((await runCliAsync(['enqueue', '--seeds', 'seeds'], env)).status).toBe(0);
        // Another copy of the seeds folder (same folder name): the same record ids.
        const changed = join(queueEnv(durable).dir, 'seeds');
        mkdirSync(changed);
        const name = '000_5f6b14ad56607581.txt';
        writeFileSync(
          join(changed, name),
          readFileSync(join(SEEDS, name), 'utf8').replace(/ the /g, ' this '),
        );
        expect((await runCliAsync(['enqueue', '--seeds', changed], env)).status).toBe(0);
        await waitFor(async () => (await client.xlen(streamKey(env))) === SEED_COUNT + 1, 15_000);
        const last = await client.xrevrange(streamKey(env), '+', '-', 'COUNT', 1);
        expect(last[0]![1]).toContain('revision');
        expect(last[0]![1][last[0]![1].indexOf('revision') + 1]).toBe('2');
      } finally {
        client.disconnect();
        await Promise.all(workers.splice(0).map((w) => w.stop()));
        await durable.stop();
      }
    });

    test('enqueue from a crontab: non-zero with a reason when it cannot do its work', async () => {
      const { env } = queueEnv(server);
      const missing = await runCliAsync(['enqueue', '--seeds', 'no-such-dir'], env);
      expect(missing.status).toBe(1);
      expect(missing.stderr).toMatch(
        /^newsnorm enqueue: no-such-dir: cannot list seeds folder \(ENOENT\) \[SOURCE_UNREADABLE\]/,
      );
      const none = await runCliAsync(['enqueue'], env);
      expect(none.status).toBe(1);
      expect(none.stderr).toContain('exactly one of --seeds DIR, --urls FILE, --feed URL');
      const down = await runCliAsync(['enqueue', '--seeds', 'seeds'], {
        ...env,
        REDIS_URL: 'redis://127.0.0.1:1',
      });
      expect(down.status).toBe(1);
      expect(down.stderr).toContain('cannot reach Redis at redis://127.0.0.1:1');
    });
  },
);
