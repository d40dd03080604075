import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { migrate } from '../../src/sinks/postgres-migrations.js';
import { ROOT } from '../helpers/cli.js';
import {
  postgresTestsEnabled,
  startPostgres,
  type TestPostgres,
} from '../helpers/postgres-server.js';
import { redisServerAvailable, startRedis, type TestRedis } from '../helpers/redis-server.js';
import {
  cliBuilt,
  queueEnv,
  runCliAsync,
  startWorker,
  waitFor,
  type WorkerProcess,
} from '../queue/queue-test-helpers.js';

const SEEDS = join(ROOT, 'seeds');
const SEED_COUNT = readdirSync(SEEDS).length;
/** Each test starts several Node processes; on a loaded 2-core machine that takes a while. */
const PROCESS_TEST_TIMEOUT_MS = 120_000;

const ready = postgresTestsEnabled() && redisServerAvailable() && cliBuilt();

describe.skipIf(!ready)(
  'process workers with the postgres sink (built CLI, real redis-server and PostgreSQL)',
  { timeout: PROCESS_TEST_TIMEOUT_MS },
  () => {
    let redisServer: TestRedis;
    let server: TestPostgres;
    const workers: WorkerProcess[] = [];
    beforeAll(async () => {
      [redisServer, server] = await Promise.all([startRedis(), startPostgres()]);
    });
    afterEach(async () => {
      await Promise.all(workers.splice(0).map((w) => w.stop()));
    });
    afterAll(async () => {
      await server?.stop();
      await redisServer?.stop();
    });
    const envOf = () =>
      queueEnv(redisServer, { NEWSNORM_SINKS: 'postgres', DATABASE_URL: server.url }).env;

    test('a worker refuses to start while the schema is behind, and says what to run', async () => {
      const result = await runCliAsync(['worker', '--queues', 'process'], envOf(), 60_000);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('"code":"POSTGRES_SCHEMA_BEHIND"');
      expect(result.stderr).toMatch(/^newsnorm worker: the database schema is at version 0/m);
      expect(result.stderr).toContain('newsnorm db migrate');
      expect(result.stderr).not.toContain(server.password);
    });

    test('two workers, the seeds enqueued twice, one worker SIGKILLed during the writes: each revision once', async () => {
      await migrate(server.pool);
      const env = envOf();
      const victim = await startWorker(env, ['--queues', 'process']);
      workers.push(victim);
      // Hold every write at the records table, so the victim dies with its writes under way.
      const blocker: pg.PoolClient = await server.pool.connect();
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE records IN SHARE ROW EXCLUSIVE MODE');
      let held = true;
      try {
        for (let i = 0; i < 2; i++) {
          const enqueue = await runCliAsync(['enqueue', '--seeds', SEEDS], env);
          expect(enqueue.status, enqueue.stderr).toBe(0);
        }
        await waitFor(
          async () => (await waitingWrites(server)) === SEED_COUNT,
          60_000,
          () => `the victim's writes never reached the database:\n${victim.log()}`,
        );
        const survivor = await startWorker(env, ['--queues', 'process']);
        workers.push(survivor);
        victim.child.kill('SIGKILL');
        await victim.exited;
        await blocker.query('COMMIT');
        held = false;

        const redis = new Redis(redisServer.url, { maxRetriesPerRequest: null });
        const config = loadConfig({ env, file: null });
        const queue = new Queue('process', { connection: redis, prefix: config.queue.prefix });
        try {
          await waitFor(
            async () => (await queue.getCompletedCount()) === SEED_COUNT,
            60_000,
            () => `jobs not all done:\n${survivor.log()}`,
          );
          expect(await queue.getFailedCount()).toBe(0);
        } finally {
          await queue.close();
          redis.disconnect();
        }
        // The survivor ran the victim's jobs again, after the victim's own writes went in.
        expect(survivor.log()).toContain('job stalled, requeued');
        const records = await server.pool.query('SELECT id, revision FROM records');
        expect(records.rows).toHaveLength(SEED_COUNT);
        expect(records.rows.every((r) => r.revision === 1)).toBe(true);
        const revisions = await server.pool.query(
          'SELECT id, revision, count(*)::int AS n FROM record_revisions GROUP BY id, revision',
        );
        expect(revisions.rows).toHaveLength(SEED_COUNT);
        expect(revisions.rows.every((r) => r.revision === 1 && r.n === 1)).toBe(true);
        expect(survivor.log()).not.toContain(server.password);
      } finally {
        if (held) await blocker.query('ROLLBACK').catch(() => {});
        blocker.release();
      }
    });
  },
);

/** newsnorm statements waiting for a lock: the writes held at the records table. */
async function waitingWrites(server: TestPostgres): Promise<number> {
  const result = await server.pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_stat_activity
     WHERE application_name = 'newsnorm' AND wait_event_type = 'Lock'`,
  );
  return result.rows[0]!.n;
}
