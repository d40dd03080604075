import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { redisSuite } from './redis-suite.js';
import { loadConfig } from '../../src/config/config.js';
import { loadPipelineDeps } from '../../src/pipeline/load-pipeline-deps.js';
import { processPage, type PipelineDeps } from '../../src/pipeline/process-page.js';
import { runProcessJob, type ProcessJobDeps } from '../../src/jobs/process-job.js';
import { recordKeys } from '../../src/delivery/record-keys.js';
import { RedisRevisionStore } from '../../src/delivery/redis-revision-store.js';
import { FsRawStore } from '../../src/raw/raw-store.js';
import { readSourceFile } from '../../src/raw/read-source-file.js';
import { withRevision } from '../../src/record/build-record.js';
import { AppendJsonlSink } from '../../src/sinks/append-jsonl-sink.js';
import { deliverRecord } from '../../src/delivery/deliver-record.js';
import { RedisStreamSink } from '../../src/delivery/redis-stream-sink.js';
import {
  FileRevisionStore,
  type ContentVersion,
  type RevisionStore,
} from '../../src/delivery/revision-store.js';
import { ROOT } from '../helpers/cli.js';
import { startHttpServer } from '../helpers/http-server.js';
import { redisServerAvailable } from '../helpers/redis-server.js';
import { cliBuilt, queueEnv, runCliAsync, waitFor } from '../queue/queue-test-helpers.js';

const SEED = readFileSync(join(ROOT, 'seeds', '000_5f6b14ad56607581.txt'), 'utf8');
const WEBHOOK_SECRET = 'test-secret-of-sixteen-chars-or-more';

const ready = redisServerAvailable() && cliBuilt();
if (!ready) console.warn('skipping revision tests: needs redis-server and `npm run build`');

describe.skipIf(!ready)(
  'revisions only move forward, in every store and sink',
  { timeout: 90_000 },
  () => {
    const suite = redisSuite();
    let pipeline: PipelineDeps;
    beforeAll(async () => {
      pipeline = await loadPipelineDeps(loadConfig({ env: {}, file: null }));
    });

    test('the file store and the Redis store decide every case alike', async () => {
      const keys = recordKeys(`{rv-${randomBytes(4).toString('hex')}}`, 'records');
      const stores: RevisionStore[] = [
        new FileRevisionStore([], ['file']),
        new RedisRevisionStore(suite.redis, keys),
      ];
      const steps: ContentVersion[] = [
        { id: 'a', contentHash: 'h1', readAtMs: 1000 },
        { id: 'a', contentHash: 'h1', readAtMs: 1500 }, // the same content again
        { id: 'a', contentHash: 'h2', readAtMs: 2000 }, // edited
        { id: 'a', contentHash: 'h1', readAtMs: 1000 }, // a retried job of the first version
        { id: 'a', contentHash: 'h3', readAtMs: 1800 }, // a late job read before the edit
        { id: 'a', contentHash: 'h1', readAtMs: 3000 }, // the page really went back
        { id: 'a', contentHash: 'h4', readAtMs: null }, // read time unknown: taken as new
        { id: 'b', contentHash: 'h1', readAtMs: null },
      ];
      const lease = { token: 't', ms: 1000 };
      const answers = await Promise.all(
        stores.map(async (store) => {
          const out = [];
          for (const step of steps) {
            const { revision, status } = await store.claim(
              step,
              [{ name: 'file', atomic: false }],
              lease,
            );
            out.push(`${revision} ${status}`);
            await store.markDelivered(step.id, revision, ['file']);
          }
          return out;
        }),
      );
      expect(answers[0]).toEqual([
        '1 new',
        '1 unchanged',
        '2 revised',
        '2 stale',
        '2 stale',
        '3 revised',
        '4 revised',
        '1 new',
      ]);
      expect(answers[1]).toEqual(answers[0]);
    });

    test('retry of a job failed before an edit delivers nothing: stream and webhook keep the new text', async () => {
      const http = await startHttpServer();
      try {
        let answer = 500;
        const deliveries: { delivery: string; body: string }[] = [];
        http.route('/hook', async (req, res) => {
          let body = '';
          for await (const chunk of req) body += String(chunk);
          if (answer === 200)
            deliveries.push({ delivery: String(req.headers['x-newsnorm-delivery']), body });
          res.writeHead(answer).end();
        });
        const { env, dir } = queueEnv(suite.server, {
          NEWSNORM_SINKS: 'stream,webhook',
          NEWSNORM_WEBHOOK_URL: `${http.origin}/hook`,
          NEWSNORM_WEBHOOK_SECRET: WEBHOOK_SECRET,
          NEWSNORM_WEBHOOK_ATTEMPTS: '1',
          NEWSNORM_JOB_ATTEMPTS: '1',
        });
        const seeds = join(dir, 'seeds');
        mkdirSync(seeds);
        const page = join(seeds, 'page.txt');
        writeFileSync(page, SEED);
        await suite.worker(env, ['--queues', 'process']);
        expect((await runCliAsync(['enqueue', '--seeds', seeds], env)).status).toBe(0);
        const prefix = env.NEWSNORM_QUEUE_PREFIX!;
        await waitFor(
          async () => (await suite.redis.zcard(`${prefix}:process:failed`)) === 1,
          20_000,
        );

        // The page is edited and the webhook is back: version 2 goes everywhere.
        writeFileSync(page, SEED.replace(/ the /g, ' this '));
        answer = 200;
        expect((await runCliAsync(['enqueue', '--seeds', seeds], env)).status).toBe(0);
        const stream = `${env.NEWSNORM_QUEUE_PREFIX}:records`;
        await waitFor(async () => deliveries.length === 1, 20_000);

        // Then the old job is retried.
        const retry = await runCliAsync(['retry'], env);
        expect(retry.stdout).toContain('re-queued 1 failed jobs');
        await waitFor(
          async () =>
            (await suite.redis.zcard(`${prefix}:process:completed`)) === 2 &&
            (await suite.redis.zcard(`${prefix}:process:failed`)) === 0,
          20_000,
        );
        await new Promise((r) => setTimeout(r, 300));

        const entries = (await suite.redis.xrange(stream, '-', '+')).map(([, f]) => ({
          revision: f[f.indexOf('revision') + 1],
          body: (JSON.parse(f[f.indexOf('record') + 1]!) as { body: string }).body,
        }));
        expect(entries.map((e) => e.revision)).toEqual(['1', '2']);
        expect(entries[1]!.body).toContain('this ');
        // The newest revision anywhere is the edited text, under the same number everywhere.
        expect(deliveries.map((d) => d.delivery.split(':')[1])).toEqual(['2']);
        expect((JSON.parse(deliveries[0]!.body) as { body: string }).body).toBe(entries[1]!.body);
      } finally {
        await http.stop();
      }
    });

    test('a file line written but not marked (Redis out of memory) is not written again by the retry', async () => {
      const keys = recordKeys(`{oom-${randomBytes(4).toString('hex')}}`, 'records');
      const dir = mkdtempSync(join(tmpdir(), 'newsnorm-file-once-'));
      let fillRedis = false;
      /** The worker's file sink, after whose write Redis runs out of memory (maxmemory 1 byte). */
      class FileThenFull extends AppendJsonlSink {
        override async write(...args: Parameters<AppendJsonlSink['write']>): Promise<void> {
          await super.write(...args);
          if (fillRedis) await suite.redis.config('SET', 'maxmemory', '1');
        }
      }
      const file = new FileThenFull(join(dir, 'records.jsonl'));
      const rawStore = new FsRawStore(join(dir, 'raw'));
      const deps: ProcessJobDeps = {
        rawStore,
        pipeline,
        store: new RedisRevisionStore(suite.redis, keys, {
          sink: 'stream',
          stream: keys.stream,
          maxLen: 1000,
        }),
        sinks: [file, new RedisStreamSink(suite.redis, { keys, maxLen: 1000 })],
        sinkLeaseMs: 5000,
      };
      const put = async (name: string, text: string) => {
        mkdirSync(join(dir, 'seeds'), { recursive: true });
        writeFileSync(join(dir, 'seeds', name), text);
        return rawStore.put(await readSourceFile(join(dir, 'seeds', name), 'seed'));
      };
      await runProcessJob(
        { rawHash: await put('first.txt', SEED.slice(0, 1500)), uri: 'first' },
        deps,
      );
      const rawHash = await put('page.txt', SEED);
      // The claim appends the stream entry; the file line is written; then Redis is full, and
      // refuses the mark that follows.
      fillRedis = true;
      try {
        await expect(runProcessJob({ rawHash, uri: 'page' }, deps)).rejects.toThrow(/OOM/);
      } finally {
        fillRedis = false;
        await suite.redis.config('SET', 'maxmemory', '0');
      }
      const lines = () => readFileSync(file.path, 'utf8').split('\n').filter(Boolean);
      expect(lines()).toHaveLength(2);
      const again = await runProcessJob({ rawHash, uri: 'page' }, deps);
      expect(again.written).toEqual([]);
      expect(lines()).toHaveLength(2);
      expect(await suite.redis.xlen(keys.stream)).toBe(2);
      await file.close();
    });

    test('a worker killed between its file write and its mark: the next job finds the line, writes none', async () => {
      const keys = recordKeys(`{kill-${randomBytes(4).toString('hex')}}`, 'records');
      const dir = mkdtempSync(join(tmpdir(), 'newsnorm-file-kill-'));
      const file = new AppendJsonlSink(join(dir, 'records.jsonl'));
      const store = new RedisRevisionStore(suite.redis, keys);
      mkdirSync(join(dir, 'seeds'));
      writeFileSync(join(dir, 'seeds', 'page.txt'), SEED);
      const draft = processPage(
        await readSourceFile(join(dir, 'seeds', 'page.txt'), 'seed'),
        pipeline,
      ).record;
      // The dead worker: it claimed, wrote its line, and was SIGKILLed before the mark.
      const dead = await store.claim(
        { id: draft.id, contentHash: draft.contentHash, readAtMs: null },
        [{ name: 'file', atomic: false, position: await file.position() }],
        { token: 'dead', ms: 100 },
      );
      expect(dead.sinks.get('file')?.status).toBe('go');
      await file.write(withRevision(draft, dead.revision));
      await new Promise((r) => setTimeout(r, 200));
      // The job runs again (stalled, retried) once the dead one's lease is over.
      const again = await deliverRecord(draft, null, { store, sinks: [file], leaseMs: 5000 });
      expect(again).toMatchObject({ revision: 1, status: 'unchanged', written: [] });
      expect(readFileSync(file.path, 'utf8').split('\n').filter(Boolean)).toHaveLength(1);
      // Marked now: a third run does not even look.
      const third = await store.claim(
        { id: draft.id, contentHash: draft.contentHash, readAtMs: null },
        [{ name: 'file', atomic: false, position: await file.position() }],
        { token: 'third', ms: 100 },
      );
      expect(third.sinks.get('file')?.status).toBe('done');
      await file.close();
    });
  },
);
