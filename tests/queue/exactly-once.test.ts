import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UnrecoverableError } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { PermanentError, RetryableError } from '../../src/errors.js';
import { loadPipelineDeps } from '../../src/pipeline/load-pipeline-deps.js';
import { processPage, type PipelineDeps } from '../../src/pipeline/process-page.js';
import { assertNoEviction } from '../../src/queue/assert-no-eviction.js';
import { fetchJobId, processJobId } from '../../src/jobs/job-data.js';
import { runProcessJob, type ProcessJobDeps } from '../../src/jobs/process-job.js';
import { recordKeys } from '../../src/delivery/record-keys.js';
import { RedisRevisionStore } from '../../src/delivery/redis-revision-store.js';
import { toJobError } from '../../src/queue/to-job-error.js';
import { FsRawStore } from '../../src/raw/raw-store.js';
import { withRevision } from '../../src/record/build-record.js';
import { recordJson } from '../../src/record/record-json.js';
import { AppendJsonlSink } from '../../src/sinks/append-jsonl-sink.js';
import type { RecordSink } from '../../src/delivery/record-sink.js';
import { RedisStreamSink } from '../../src/delivery/redis-stream-sink.js';
import { redisServerAvailable, startRedis, type TestRedis } from '../helpers/redis-server.js';

/** A real seed page: the cleaner keeps its article. */
const SEEDS = join(import.meta.dirname, '..', '..', 'seeds');
const SEED = '000_5f6b14ad56607581.txt';

const enabled = redisServerAvailable();
if (!enabled) console.warn('skipping queue tests: redis-server is not installed');

describe.skipIf(!enabled)('revision ledger and sinks against a real redis-server', () => {
  let server: TestRedis;
  let redis: Redis;
  let pipeline: PipelineDeps;
  beforeAll(async () => {
    server = await startRedis();
    redis = new Redis(server.url, { maxRetriesPerRequest: null });
    pipeline = await loadPipelineDeps(loadConfig({ env: {}, file: null }));
  });
  afterAll(async () => {
    redis?.disconnect();
    await server?.stop();
  });

  function fresh() {
    const keys = recordKeys(`{t-${randomBytes(4).toString('hex')}}`, 'records');
    const dir = mkdtempSync(join(tmpdir(), 'newsnorm-eo-'));
    const file = new AppendJsonlSink(join(dir, 'records.jsonl'));
    const stream = new RedisStreamSink(redis, { keys, maxLen: 1000 });
    const deps: ProcessJobDeps = {
      rawStore: new FsRawStore(join(dir, 'raw')),
      pipeline,
      store: new RedisRevisionStore(redis, keys, {
        sink: 'stream',
        stream: keys.stream,
        maxLen: 1000,
      }),
      sinks: [file, stream],
      sinkLeaseMs: 5000,
    };
    const lines = () => readFileSync(file.path, 'utf8').trim().split('\n');
    return { keys, dir, deps, lines };
  }

  async function storeSeed(deps: ProcessJobDeps, dir: string, name: string, text: string) {
    const path = join(dir, name);
    writeFileSync(path, text);
    const store = deps.rawStore as FsRawStore;
    return store.put({
      kind: 'seed',
      uri: path,
      url: null,
      retrievedAt: null,
      contentType: null,
      headers: {},
      body: new TextEncoder().encode(text),
    });
  }

  const FILE = [{ name: 'file', atomic: false }];
  const v = (id: string, contentHash: string, readAtMs: number | null = null) => ({
    id,
    contentHash,
    readAtMs,
  });
  const lease = (token: string) => ({ token, ms: 5000 });

  test('a revision is claimed once per content and bumped only when the content changes', async () => {
    const ledger = new RedisRevisionStore(redis, fresh().keys);
    expect((await ledger.claim(v('a', 'h1'), [], lease('t'))).revision).toBe(1);
    expect((await ledger.claim(v('a', 'h1'), [], lease('t'))).revision).toBe(1);
    expect((await ledger.claim(v('a', 'h2'), [], lease('t'))).revision).toBe(2);
    expect((await ledger.claim(v('b', 'h1'), [], lease('t'))).revision).toBe(1);
  });

  test('a sink is written by one job at a time, and never again once marked', async () => {
    const ledger = new RedisRevisionStore(redis, fresh().keys);
    expect((await ledger.claim(v('a', 'h1'), FILE, lease('t1'))).sinks.get('file')?.status).toBe(
      'go',
    );
    expect((await ledger.claim(v('a', 'h1'), FILE, lease('t2'))).sinks.get('file')?.status).toBe(
      'busy',
    );
    await ledger.release('a', 't1', ['file']);
    expect((await ledger.claim(v('a', 'h1'), FILE, lease('t2'))).sinks.get('file')?.status).toBe(
      'go',
    );
    await ledger.markDelivered('a', 1, ['file']);
    expect((await ledger.claim(v('a', 'h1'), FILE, lease('t3'))).sinks.get('file')?.status).toBe(
      'done',
    );
    // A new revision needs writing again; a late mark of the old one does not hide it.
    expect((await ledger.claim(v('a', 'h2'), FILE, lease('t4'))).sinks.get('file')?.status).toBe(
      'go',
    );
    await ledger.markDelivered('a', 2, ['file']);
    await ledger.markDelivered('a', 1, ['file']);
    expect((await ledger.claim(v('a', 'h2'), FILE, lease('t5'))).sinks.get('file')?.status).toBe(
      'done',
    );
  });

  test('an expired lease passes the write on (its holder crashed)', async () => {
    const ledger = new RedisRevisionStore(redis, fresh().keys);
    await ledger.claim(v('a', 'h1'), FILE, { token: 'dead', ms: 50 });
    await new Promise((r) => setTimeout(r, 120));
    expect((await ledger.claim(v('a', 'h1'), FILE, lease('t2'))).sinks.get('file')?.status).toBe(
      'go',
    );
  });

  test('claims racing on one record never hand out one revision twice', async () => {
    const ledger = new RedisRevisionStore(redis, fresh().keys);
    const claims = await Promise.all(
      Array.from({ length: 50 }, (_, i) => ledger.claim(v('r', `h${i}`), FILE, lease(`t${i}`))),
    );
    expect(new Set(claims.map((c) => c.revision)).size).toBe(50);
  });

  test('a process job run three times writes each sink once; new content is revision 2', async () => {
    const { deps, dir, keys, lines } = fresh();
    const text = readFileSync(join(SEEDS, SEED), 'utf8');
    const hash = await storeSeed(deps, dir, SEED, text);
    // Three jobs at once (duplicates), then three after one another (retries).
    const racing = await Promise.allSettled(
      [1, 2, 3].map(() => runProcessJob({ rawHash: hash, uri: 'x' }, deps)),
    );
    for (const outcome of racing) {
      if (outcome.status === 'rejected')
        expect(outcome.reason).toMatchObject({ code: 'SINK_BUSY' });
    }
    for (let i = 0; i < 3; i++) await runProcessJob({ rawHash: hash, uri: 'x' }, deps);
    expect(await redis.xlen(keys.stream)).toBe(1);
    expect(lines()).toHaveLength(1);

    const hash2 = await storeSeed(deps, dir, SEED, text.replace(/ the /g, ' this '));
    const second = await runProcessJob({ rawHash: hash2, uri: 'x' }, deps);
    expect(second.revision).toBe(2);
    expect(await redis.xlen(keys.stream)).toBe(2);
    expect(lines().map((l) => (JSON.parse(l) as { revision: number }).revision)).toEqual([1, 2]);
  });

  test('a claim appends the stream entry the sink itself writes, once per revision', async () => {
    const { deps, dir } = fresh();
    const hash = await storeSeed(deps, dir, SEED, readFileSync(join(SEEDS, SEED), 'utf8'));
    const draft = processPage(await deps.rawStore.get(hash), pipeline).record;
    const STREAM = [{ name: 'stream', atomic: true }];

    const bySink = fresh().keys;
    const sink = new RedisStreamSink(redis, { keys: bySink, maxLen: 1000 });
    const plain = await new RedisRevisionStore(redis, bySink).claim(
      v(draft.id, draft.contentHash),
      STREAM,
      lease('t'),
    );
    expect(plain.sinks.get('stream')?.status).toBe('go');
    await sink.write(withRevision(draft, plain.revision));

    const byClaim = fresh().keys;
    const ledger = new RedisRevisionStore(redis, byClaim, {
      sink: 'stream',
      stream: byClaim.stream,
      maxLen: 1000,
    });
    const content = { ...v(draft.id, draft.contentHash), json: recordJson(draft) };
    const first = await ledger.claim(content, STREAM, lease('t'));
    expect(first.sinks.get('stream')?.status).toBe('written');
    const again = await ledger.claim(content, STREAM, lease('t'));
    expect(again.sinks.get('stream')?.status).toBe('done');

    const fields = async (stream: string) =>
      (await redis.xrange(stream, '-', '+')).map(([, entry]) => entry);
    expect(await fields(byClaim.stream)).toEqual(await fields(bySink.stream));
    expect(await fields(byClaim.stream)).toHaveLength(1);
  });

  test('a failing sink fails the job; the retry writes only that sink', async () => {
    const { deps, dir, keys, lines } = fresh();
    let calls = 0;
    const flaky: RecordSink = {
      name: 'webhook',
      async write() {
        calls++;
        if (calls === 1) throw new RetryableError('WEBHOOK_UNAVAILABLE', 'down');
      },
      async close() {},
    };
    deps.sinks.push(flaky);
    const hash = await storeSeed(
      deps,
      dir,
      '001_b.txt',
      'Another page\n\nWith a body about Douma.\n',
    );
    await expect(runProcessJob({ rawHash: hash, uri: 'x' }, deps)).rejects.toThrow('down');
    const retry = await runProcessJob({ rawHash: hash, uri: 'x' }, deps);
    expect(retry.written).toEqual(['webhook']);
    expect(calls).toBe(2);
    expect(await redis.xlen(keys.stream)).toBe(1);
    expect(lines()).toHaveLength(1);
  });

  test('a raw page missing from the store is a permanent failure', async () => {
    const { deps } = fresh();
    await expect(runProcessJob({ rawHash: 'f'.repeat(64), uri: 'x' }, deps)).rejects.toMatchObject({
      code: 'RAW_MISSING',
    });
  });

  test('permanent errors become UnrecoverableError; others keep their class and gain the code', () => {
    const permanent = toJobError(new PermanentError('CONTENT_EMPTY', 'empty page'));
    expect(permanent).toBeInstanceOf(UnrecoverableError);
    expect(permanent.message).toBe('CONTENT_EMPTY: empty page');
    const retryable = toJobError(new RetryableError('FETCH_TIMEOUT', 'slow'));
    expect(retryable).toBeInstanceOf(RetryableError);
    expect(retryable).not.toBeInstanceOf(UnrecoverableError);
    expect(retryable.message).toBe('FETCH_TIMEOUT: slow');
    expect(toJobError(new Error('boom')).message).toBe('INTERNAL: boom');
  });

  test('job ids: one per normalized URL, one per raw hash, never with ":"', () => {
    expect(fetchJobId('https://Example.com/a/?utm_source=x#top')).toBe(
      fetchJobId('https://example.com/a'),
    );
    expect(fetchJobId('https://example.com/a')).not.toBe(fetchJobId('https://example.com/b'));
    expect(fetchJobId('https://example.com/a')).not.toContain(':');
    expect(processJobId('ab'.repeat(32))).toBe(`raw-${'ab'.repeat(32)}`);
  });
});

describe.skipIf(!enabled)('start-up check', () => {
  test('refuses a Redis that may evict keys, naming the policy and the fix', async () => {
    const server = await startRedis({ maxmemoryPolicy: 'allkeys-lru' });
    const redis = new Redis(server.url);
    try {
      await expect(assertNoEviction(redis)).rejects.toThrow(/"allkeys-lru".*noeviction/s);
      await redis.config('SET', 'maxmemory-policy', 'noeviction');
      await expect(assertNoEviction(redis)).resolves.toBeUndefined();
    } finally {
      redis.disconnect();
      await server.stop();
    }
  });
});
