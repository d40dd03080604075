import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { redisSuite } from './redis-suite.js';
import { ROOT } from '../helpers/cli.js';
import { startHttpServer, type TestHttpServer } from '../helpers/http-server.js';
import { redisServerAvailable } from '../helpers/redis-server.js';
import { cliBuilt, queueEnv, runCliAsync, waitFor } from '../queue/queue-test-helpers.js';

const SEED = readFileSync(join(ROOT, 'seeds', '001_e7a44f8a370d07ea.txt'), 'utf8');

const ready = redisServerAvailable() && cliBuilt();
if (!ready) console.warn('skipping enqueue tests: needs redis-server and `npm run build`');

/** Two pages with ETags and a feed listing them. */
function newsSite(http: TestHttpServer) {
  http.route('/robots.txt', (_req, res) => void res.writeHead(404).end());
  for (const name of ['a', 'b']) {
    http.route(`/${name}`, (req, res) => {
      if (req.headers['if-none-match'] === `"${name}1"`) return void res.writeHead(304).end();
      res
        .writeHead(200, { 'content-type': 'text/plain; charset=utf-8', etag: `"${name}1"` })
        .end(`${SEED}\nPage ${name}.\n`);
    });
  }
  http.route(
    '/feed.xml',
    (_req, res) =>
      void res
        .writeHead(200, { 'content-type': 'application/rss+xml', etag: '"feed1"' })
        .end(
          `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>` +
            `<item><title>a</title><link>${http.origin}/a</link></item>` +
            `<item><title>b</title><link>${http.origin}/b</link></item></channel></rss>`,
        ),
  );
}

describe.skipIf(!ready)(
  'enqueue: marks only with their jobs, refetch on request',
  { timeout: 90_000 },
  () => {
    const suite = redisSuite();
    let http: TestHttpServer;
    beforeAll(async () => {
      http = await startHttpServer();
      newsSite(http);
    });
    afterAll(async () => {
      await http?.stop();
    });

    function fetchEnv() {
      const { env, dir } = queueEnv(suite.server, {
        NEWSNORM_FETCH_ALLOW_ADDRESSES: '127.0.0.1',
        NEWSNORM_HOST_MIN_INTERVAL_MS: '0',
      });
      env.NEWSNORM_REDIS_KEY_PREFIX = `${env.NEWSNORM_QUEUE_PREFIX}:`;
      return { env, dir };
    }

    test('a feed polled while Redis refuses the job writes leaves its items unseen; the next poll queues them', async () => {
      const { env } = fetchEnv();
      const prefix = env.NEWSNORM_QUEUE_PREFIX!;
      // A user that may write everything but the fetch queue's keys: the seen marks (wherever
      // they are kept) would be taken, the jobs refused.
      await suite.redis.acl(
        'SETUSER',
        'nojobs',
        'on',
        '>nojobs-password',
        '+@all',
        '%RW~newsnorm:*',
        `%RW~${prefix}:seen*`,
        `%RW~${prefix}:process*`,
        `%RW~${prefix}:schedule*`,
        `%R~${prefix}:fetch*`,
        '%RW~*host*',
        '%RW~*validator*',
      );
      const refused = await runCliAsync(['enqueue', '--feed', `${http.origin}/feed.xml`], {
        ...env,
        REDIS_URL: suite.server.url.replace('redis://', 'redis://nojobs:nojobs-password@'),
      });
      expect(refused.status).toBe(1);
      expect(refused.stderr).toContain('newsnorm enqueue:');

      const again = await runCliAsync(['enqueue', '--feed', `${http.origin}/feed.xml`], env);
      expect(again.stderr).toBe('');
      expect(again.stdout).toBe(
        `enqueued 2 URLs from ${http.origin}/feed.xml to the fetch queue (new items only): ` +
          '2 queued, 0 already queued, 0 refetched\n',
      );
      expect(await suite.redis.llen(`${prefix}:fetch:wait`)).toBe(2);
    });

    test('a URL enqueued again: one job while queued, fetched again (conditionally) once done', async () => {
      const { env, dir } = fetchEnv();
      const list = join(dir, 'urls.txt');
      writeFileSync(list, `${http.origin}/a\n${http.origin}/b\n`);
      const line = (queued: number, already: number, refetched: number) =>
        `enqueued 2 URLs from ${list} to the fetch queue: ${queued} queued, ${already} already queued, ${refetched} refetched\n`;
      const hitsBefore = http.hits('/a').length;

      expect((await runCliAsync(['enqueue', '--urls', list], env)).stdout).toBe(line(2, 0, 0));
      expect((await runCliAsync(['enqueue', '--urls', list], env)).stdout).toBe(line(0, 2, 0));
      const prefix = env.NEWSNORM_QUEUE_PREFIX!;
      await suite.worker(env, ['--queues', 'fetch,process']);
      await waitFor(
        async () => (await suite.redis.zcard(`${prefix}:fetch:completed`)) === 2,
        20_000,
      );
      expect(http.hits('/a').length - hitsBefore).toBe(1);

      expect((await runCliAsync(['enqueue', '--urls', list], env)).stdout).toBe(line(0, 0, 2));
      await waitFor(
        async () => (await suite.redis.zcard(`${prefix}:fetch:completed`)) === 4,
        20_000,
      );
      const hits = http.hits('/a').slice(hitsBefore);
      expect(hits).toHaveLength(2);
      // The second fetch sent the stored ETag: the unchanged page cost a 304 and no record.
      expect(hits[1]!.headers['if-none-match']).toBe('"a1"');
      expect(await suite.redis.xlen(`${prefix}:records`)).toBe(2);
    });
  },
);
