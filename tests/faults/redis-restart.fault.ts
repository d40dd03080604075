import { afterAll, expect, test } from 'vitest';
import { FsRawStore } from '../../src/raw/raw-store.js';
import {
  deliveryFigures,
  enqueuePages,
  generatedPage,
  httpStatus,
  openQueue,
  drainedBacklog,
  saveResult,
  scenarioResources,
  scenarioEnv,
  seedTexts,
  startFaultWorker,
  streamArrivals,
  waitUntil,
} from './fault-harness.js';

/** Pages of the run (FAULT_RESTART_PAGES shrinks it for a trial). */
const PAGES = Number(process.env.FAULT_RESTART_PAGES ?? 3000);
/** The whole scenario must end within this, or it fails. */
const BOUND_MS = 6 * 60_000;
/** Workers must be ready again this soon after Redis is back (reconnect delay is capped at 2 s). */
const RECONNECT_WITHIN_MS = 15_000;
/** After the last page arrives, time for any stalled job to run again (and show a duplicate). */
const SETTLE_MS = 5_000;

const resources = scenarioResources();
afterAll(() => resources.cleanup());

test(`Redis restarted (append-only) during ${PAGES} pages: workers reconnect, each page arrives once`, async () => {
  const started = Date.now();
  const { redis, client, workers } = await resources.start({ appendOnly: true });
  const { env } = scenarioEnv(redis.url);
  const streamKey = `${env.NEWSNORM_QUEUE_PREFIX}:records`;
  const queue = openQueue(client, env);
  const seeds = seedTexts();
  const pages = Array.from({ length: PAGES }, (_, i) => generatedPage(seeds, 'restart', i));
  await enqueuePages(queue, new FsRawStore(env.NEWSNORM_RAW_DIR!), pages);
  workers.push(await startFaultWorker(env), await startFaultWorker(env));

  const threshold = Math.floor(PAGES / 3);
  await waitUntil(async () => (await client.xlen(streamKey)) >= threshold, BOUND_MS);
  const before = await client.xlen(streamKey);
  const downAt = Date.now();
  await redis.restart();
  const restartMs = Date.now() - downAt;
  // Every worker reports ready again by itself: nobody restarts them.
  await waitUntil(
    async () => {
      const statuses = await Promise.all(workers.map((w) => httpStatus(`${w.opsUrl}/readyz`)));
      return statuses.every((s) => s === 200);
    },
    RECONNECT_WITHIN_MS,
    () => 'workers not ready after the restart',
  );
  const readyAgainMs = Date.now() - downAt;
  const backlog = await drainedBacklog(queue, BOUND_MS - (Date.now() - started), SETTLE_MS);
  const figures = deliveryFigures(
    pages.map((p) => p.uri),
    await streamArrivals(client, streamKey),
  );
  const workersAlive = workers.every((w) => w.alive());
  await queue.close();
  const seconds = (Date.now() - started) / 1000;
  const passed =
    figures.receivedOnce === PAGES &&
    figures.lost === 0 &&
    figures.duplicated === 0 &&
    backlog.failed === 0 &&
    workersAlive;
  saveResult({
    scenario: 'redis-restart',
    title: `Redis restarted mid-run, append-only on, during ${PAGES} pages (2 workers)`,
    passed,
    seconds,
    figures: { ...figures, failedJobs: backlog.failed },
    details: [
      `Redis stopped (SIGTERM) and started again with ${before} pages in the stream; restart took ${restartMs} ms.`,
      `Both workers answered /readyz 200 again ${readyAgainMs} ms after the stop, without being restarted.`,
    ],
  });
  expect(figures).toEqual({
    sent: PAGES,
    receivedOnce: PAGES,
    lost: 0,
    duplicated: 0,
    unexpected: 0,
  });
  expect(backlog.failed).toBe(0);
  expect(workersAlive).toBe(true);
});
