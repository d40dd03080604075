import { afterAll, expect, test } from 'vitest';
import { FsRawStore } from '../../src/raw/raw-store.js';
import { migrate } from '../../src/sinks/postgres-migrations.js';
import { startPostgres, type TestPostgres } from '../helpers/postgres-server.js';
import {
  deliveryFigures,
  enqueuePages,
  generatedPage,
  openQueue,
  drainedBacklog,
  saveResult,
  scenarioEnv,
  scenarioResources,
  seedTexts,
  startFaultWorker,
  streamArrivals,
  waitUntil,
  type FaultWorker,
} from './fault-harness.js';

/** Pages of the run (FAULT_PG_PAGES changes it for a trial). */
const PAGES = Number(process.env.FAULT_PG_PAGES ?? 500);
/** How long the database stays down: longer than a write's own tries (under a second). */
const DOWN_MS = 3_000;
/** Tries per job: the backoff (200 ms, doubling) outlasts the outage well before the last. */
const ATTEMPTS = 10;
/** The whole scenario must end within this, or it fails. */
const BOUND_MS = 6 * 60_000;
/** After the last job, time for any stalled job to run again (and show a duplicate). */
const SETTLE_MS = 3_000;

const resources = scenarioResources();
let database: TestPostgres | undefined;
afterAll(async () => {
  await resources.cleanup();
  await database?.stop();
});

/** Failed attempts a worker will retry, counted by its /metrics for the postgres codes. */
async function postgresRetries(worker: FaultWorker): Promise<number> {
  const res = await fetch(`${worker.opsUrl}/metrics`, { signal: AbortSignal.timeout(5_000) });
  return (await res.text())
    .split('\n')
    .filter(
      (l) => l.startsWith('newsnorm_job_attempts_retried_total{') && l.includes('SINK_POSTGRES'),
    )
    .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

test(`PostgreSQL stopped and started again during ${PAGES} pages: each record is there once`, async () => {
  const started = Date.now();
  const { redis, client, workers } = await resources.start();
  database = await startPostgres();
  await migrate(database.pool);
  const { env } = scenarioEnv(redis.url, {
    NEWSNORM_SINKS: 'stream,postgres',
    DATABASE_URL: database.url,
    NEWSNORM_JOB_ATTEMPTS: String(ATTEMPTS),
    NEWSNORM_PG_TIMEOUT_MS: '2000',
  });
  const queue = openQueue(client, env);
  const seeds = seedTexts();
  const pages = Array.from({ length: PAGES }, (_, i) => generatedPage(seeds, 'pg-restart', i));
  const uris = pages.map((p) => p.uri);
  workers.push(await startFaultWorker(env), await startFaultWorker(env));
  await enqueuePages(queue, new FsRawStore(env.NEWSNORM_RAW_DIR!), pages);

  const rows = async () =>
    (await database!.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM records')).rows[0]!
      .n;
  await waitUntil(
    async () => (await rows()) >= PAGES / 4,
    BOUND_MS,
    () => 'no records arrive',
  );
  const before = await rows();
  await database.halt();
  await new Promise((r) => setTimeout(r, DOWN_MS));
  await database.start();
  const backlog = await drainedBacklog(queue, BOUND_MS - (Date.now() - started), SETTLE_MS);
  const retried = (await Promise.all(workers.map(postgresRetries))).reduce((a, b) => a + b, 0);
  const arrivals = new Map<string, number>();
  const revisions = await database.pool.query<{ uri: string; n: number }>(
    `SELECT record #>> '{source,uri}' AS uri, count(*)::int AS n FROM record_revisions GROUP BY 1`,
  );
  for (const r of revisions.rows) arrivals.set(r.uri, r.n);
  const inDatabase = deliveryFigures(uris, arrivals);
  const current = await database.pool.query<{ n: number; revisions: number[] }>(
    `SELECT count(*)::int AS n, array_agg(DISTINCT revision) AS revisions FROM records`,
  );
  const inStream = deliveryFigures(
    uris,
    await streamArrivals(client, `${env.NEWSNORM_QUEUE_PREFIX}:records`),
  );
  const workersAlive = workers.every((w) => w.alive());
  await queue.close();
  const seconds = (Date.now() - started) / 1000;
  const passed =
    inDatabase.receivedOnce === PAGES &&
    current.rows[0]!.n === PAGES &&
    inStream.receivedOnce === PAGES &&
    backlog.failed === 0 &&
    retried > 0 &&
    workersAlive;
  saveResult({
    scenario: 'postgres-restart',
    title: `PostgreSQL stopped for ${DOWN_MS / 1000} s mid-run, during ${PAGES} pages (2 workers, stream and postgres sinks)`,
    passed,
    seconds,
    figures: {
      ...inDatabase,
      rowsInRecords: current.rows[0]!.n,
      streamReceivedOnce: inStream.receivedOnce,
      failedJobs: backlog.failed,
      postgresAttemptsRetried: retried,
    },
    details: [
      `PostgreSQL stopped (fast shutdown) with ${before} records written, started again ${DOWN_MS} ms later; ` +
        `the workers were not restarted. "received once" counts revision rows per page in record_revisions.`,
    ],
  });
  expect(inDatabase).toEqual({
    sent: PAGES,
    receivedOnce: PAGES,
    lost: 0,
    duplicated: 0,
    unexpected: 0,
  });
  expect(current.rows[0]).toEqual({ n: PAGES, revisions: [1] });
  expect(inStream.receivedOnce).toBe(PAGES);
  expect(backlog.failed).toBe(0);
  expect(retried).toBeGreaterThan(0);
  expect(workersAlive).toBe(true);
});
