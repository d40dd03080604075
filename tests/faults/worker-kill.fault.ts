import { afterAll, expect, test } from 'vitest';
import { FsRawStore } from '../../src/raw/raw-store.js';
import {
  deliveryFigures,
  enqueuePages,
  generatedPage,
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

/** Pages of the run (the issue asks for 5,000; FAULT_KILL_PAGES shrinks it for a trial). */
const PAGES = Number(process.env.FAULT_KILL_PAGES ?? 5000);
/** SIGKILLs of the victim worker, spread over the run. */
const KILLS = 3;
/** The whole scenario must end within this, or it fails. */
const BOUND_MS = 8 * 60_000;
/** After the last page arrives, time for any stalled job to run again (and show a duplicate). */
const SETTLE_MS = 5_000;

const resources = scenarioResources();
afterAll(() => resources.cleanup());

test(`${PAGES} pages while a worker is SIGKILLed ${KILLS} times: each reaches the stream once`, async () => {
  const started = Date.now();
  const { redis, client, workers } = await resources.start();
  const { env } = scenarioEnv(redis.url, { NEWSNORM_MAX_STALLED_COUNT: String(KILLS + 2) });
  const streamKey = `${env.NEWSNORM_QUEUE_PREFIX}:records`;
  const queue = openQueue(client, env);
  const seeds = seedTexts();
  const pages = Array.from({ length: PAGES }, (_, i) => generatedPage(seeds, 'kill', i));
  const uris = pages.map((p) => p.uri);
  await enqueuePages(queue, new FsRawStore(env.NEWSNORM_RAW_DIR!), pages);

  const steady = await startFaultWorker(env);
  workers.push(steady);
  let victim = await startFaultWorker(env);
  workers.push(victim);
  const kills: string[] = [];
  for (let k = 1; k <= KILLS; k++) {
    const threshold = Math.floor((PAGES * k) / (KILLS + 1));
    await waitUntil(
      async () => (await client.xlen(streamKey)) >= threshold,
      BOUND_MS - (Date.now() - started),
      () => `stream stuck below ${threshold}`,
    );
    const at = await client.xlen(streamKey);
    await victim.kill('SIGKILL');
    kills.push(`kill ${k}: pid ${victim.pid} SIGKILLed with ${at} pages in the stream`);
    victim = await startFaultWorker(env);
    workers.push(victim);
  }
  const backlog = await drainedBacklog(queue, BOUND_MS - (Date.now() - started), SETTLE_MS);
  const figures = deliveryFigures(uris, await streamArrivals(client, streamKey));
  const workersAlive = [steady, victim].every((w) => w.alive());
  await queue.close();
  const seconds = (Date.now() - started) / 1000;
  const passed =
    figures.receivedOnce === PAGES &&
    figures.lost === 0 &&
    figures.duplicated === 0 &&
    backlog.failed === 0 &&
    workersAlive;
  saveResult({
    scenario: 'worker-kill',
    title: `Worker SIGKILLed ${KILLS} times during ${PAGES} pages (2 workers)`,
    passed,
    seconds,
    figures: { ...figures, failedJobs: backlog.failed, kills: KILLS },
    details: kills,
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
