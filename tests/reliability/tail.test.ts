import { spawn } from 'node:child_process';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { BIN, ROOT } from '../helpers/cli.js';
import { redisServerAvailable, startRedis, type TestRedis } from '../helpers/redis-server.js';
import { cliBuilt, queueEnv, runCliAsync, waitFor } from '../queue/queue-test-helpers.js';

const ready = redisServerAvailable() && cliBuilt();
if (!ready) console.warn('skipping tail tests: needs redis-server and `npm run build`');

const ENTRIES = 6;

describe.skipIf(!ready)('tail: a crashed consumer loses nothing', { timeout: 60_000 }, () => {
  let server: TestRedis;
  let redis: Redis;
  beforeAll(async () => {
    server = await startRedis();
    redis = new Redis(server.url, { maxRetriesPerRequest: null });
  });
  afterAll(async () => {
    redis?.disconnect();
    await server?.stop();
  });

  async function streamOf(env: Record<string, string>): Promise<string> {
    const stream = `${env.NEWSNORM_QUEUE_PREFIX}:records`;
    for (let i = 1; i <= ENTRIES; i++) {
      await redis.xadd(stream, '*', 'id', `r${i}`, 'revision', '1', 'record', `{"id":"r${i}"}`);
    }
    return stream;
  }

  test('entries another consumer read and never acknowledged are taken over (XAUTOCLAIM)', async () => {
    const { env } = queueEnv(server);
    const stream = await streamOf(env);
    await redis.xgroup('CREATE', stream, 'indexer', '0');
    // A consumer named after a process that is gone read four entries and died.
    await redis.xreadgroup('GROUP', 'indexer', 'host-4242', 'COUNT', 4, 'STREAMS', stream, '>');
    await new Promise((r) => setTimeout(r, 300));
    const tail = await runCliAsync(
      ['tail', '--group', 'indexer', '--claim-idle', '200', '--idle-exit', '1500'],
      env,
    );
    expect(tail.status, tail.stderr).toBe(0);
    const ids = tail.stdout
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { id: string }).id)
      .sort();
    expect(ids).toEqual(Array.from({ length: ENTRIES }, (_, i) => `r${i + 1}`));
    const pending = (await redis.xpending(stream, 'indexer')) as [number, ...unknown[]];
    expect(pending[0]).toBe(0);
  });

  test('a tail killed mid-stream and started again under its default name re-reads what it held', async () => {
    const { env } = queueEnv(server);
    const stream = await streamOf(env);
    // The first tail is stopped hard after reading; its entries stay pending under its name.
    const first = spawn(process.execPath, [BIN, 'tail', '--group', 'g'], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let consumers: unknown[][] = [];
    await waitFor(async () => {
      consumers = (await redis.xinfo('CONSUMERS', stream, 'g').catch(() => [])) as unknown[][];
      return consumers.length === 1;
    }, 15_000);
    // What it had read but not acknowledged when it was killed: an entry held under its name.
    const name = String(consumers[0]![consumers[0]!.indexOf('name') + 1]);
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    await redis.xadd(stream, '*', 'id', 'late', 'revision', '1', 'record', '{"id":"late"}');
    await redis.xreadgroup('GROUP', 'g', name, 'COUNT', 1, 'STREAMS', stream, '>');
    const again = await runCliAsync(['tail', '--group', 'g', '--idle-exit', '1500'], env);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toContain('{"id":"late"}');
  });
});
