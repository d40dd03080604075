import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Job, type Queue } from 'bullmq';
import { afterAll, expect, test } from 'vitest';
import { createAddressPolicy } from '../../src/fetch/address-policy.js';
import { reasonCode } from '../../src/ops/worker-metrics.js';
import { processJobId } from '../../src/jobs/job-data.js';
import { FsRawStore } from '../../src/raw/raw-store.js';
import {
  deliveryFigures,
  enqueuePages,
  generatedPage,
  openQueue,
  peakRssMiB as peakRssMiBOf,
  ROOT,
  queueBacklog,
  saveResult,
  scenarioResources,
  scenarioEnv,
  scrape,
  seedTexts,
  startFaultWorker,
  streamArrivals,
  waitUntil,
} from './fault-harness.js';
import { hostileCorpus, type HostileInput } from './hostile-corpus.js';
import { startHostileServers } from './hostile-servers.js';

/** Ordinary pages sent around the hostile ones: none of them may be affected. */
const CONTROL_PAGES = 200;
/** The issue asks for at least this many hostile inputs. */
const MIN_INPUTS = 60;
/** Every hostile job must have ended within this, or the scenario fails. */
const BOUND_MS = 10 * 60_000;
/** One input may take this long to end (the slowest are fetch timeouts of a few seconds). */
const INPUT_BOUND_MS = 60_000;
/** /healthz must answer within this while any input is worked on. */
const MAX_HEALTHZ_MS = 1_000;
/** How often /healthz is asked while an input is worked on. */
const HEALTHZ_EVERY_MS = 100;
/** Marks a fetch or feed job refused because the worker was built without a fetch layer. */
const NO_FETCH_LAYER = /not available in this build/;
/** Literal addresses in the corpus that must be refused before any connection is tried. */
const MUST_REFUSE = ['10.0.0.1', '169.254.169.254', '::7f00:1', '2002:7f00:1::1', 'fec0::1'];
/**
 * The longest CPU time the worker's main thread may spend away from its event loop on any
 * input: a main thread that gets a quarter of a core (a 2-core machine at load 8) then still
 * answers /healthz within MAX_HEALTHZ_MS. Measured inside the worker, so the machine's load
 * does not move it.
 */
const MAX_LOOP_BLOCK_CPU_MS = 250;
/** The worker's V8 heap, as docs/OPERATIONS.md recommends: every input must leave it alive. */
const WORKER_HEAP_ARGS = ['--max-old-space-size=128'];
/** Measures the worker's event-loop blocks from inside it (see loop-probe.mjs). */
const LOOP_PROBE = join(ROOT, 'tests', 'faults', 'loop-probe.mjs');
/** Bytes in one mebibyte. */
const MIB = 1024 * 1024;

const resources = scenarioResources();
afterAll(() => resources.cleanup());

interface Outcome {
  input: HostileInput;
  state: string;
  reason: string;
  code: string;
  handled: boolean;
  exercised: boolean;
  /** From the job's start to its end in the worker (ms). */
  workMs: number | null;
  /** The worker's peak RSS while it worked on this input (MiB). */
  peakRssMiB: number;
  /** The slowest /healthz answer meanwhile (ms). */
  slowestHealthzMs: number;
  /** Jobs whose lock expired meanwhile (the worker's newsnorm_jobs_stalled_total moved). */
  stalled: number;
  /** The longest the worker's main thread held its event loop meanwhile (ms, wall and CPU). */
  loopBlock: LoopBlock;
}

/** What the loop probe measured inside the worker since its last reading (ms). */
interface LoopBlock {
  wallMs: number;
  cpuMs: number;
}

/**
 * The worker's loop probe: its longest event-loop block since the last reading, read by
 * signalling it (it answers once its loop is free again).
 */
function loopProbe(pid: number, file: string) {
  let seq = 0;
  return async function read(): Promise<LoopBlock> {
    process.kill(pid, 'SIGUSR2');
    let reading: (LoopBlock & { seq: number }) | undefined;
    await waitUntil(() => {
      try {
        reading = JSON.parse(readFileSync(file, 'utf8')) as LoopBlock & { seq: number };
      } catch {
        return false; // not written yet, or half written
      }
      return reading.seq > seq;
    }, 30_000);
    seq = reading!.seq;
    return { wallMs: reading!.wallMs, cpuMs: reading!.cpuMs };
  };
}

/** How long /healthz takes to answer 200, in ms (a minute at most). */
async function healthzMs(opsUrl: string): Promise<number> {
  const asked = Date.now();
  try {
    const res = await fetch(`${opsUrl}/healthz`, { signal: AbortSignal.timeout(60_000) });
    await res.arrayBuffer();
    return res.status === 200 ? Date.now() - asked : 60_000;
  } catch {
    return 60_000;
  }
}

/** Resets the kernel's peak-RSS mark of a process, so the next reading is this input's own. */
function resetPeakRss(pid: number): void {
  writeFileSync(`/proc/${pid}/clear_refs`, '5');
}

test('hostile inputs: each ends with a clear reason, bounded in time and memory; no worker dies, no other job is affected', async () => {
  const started = Date.now();
  const { redis, client, workers } = await resources.start();
  const servers = await startHostileServers();
  resources.onCleanup(() => servers.stop());
  const { dir, env } = scenarioEnv(redis.url, {
    // Records also go to a webhook receiver that answers each POST with 300 MB.
    NEWSNORM_SINKS: 'stream,webhook',
    NEWSNORM_WEBHOOK_URL: servers.webhookUrl,
    NEWSNORM_WEBHOOK_SECRET: 'faults-webhook-secret',
    // Short locks: a page that held the event loop would lose its lock and stall.
    NEWSNORM_LOCK_DURATION_MS: '5000',
    NEWSNORM_STALLED_INTERVAL_MS: '2000',
    NEWSNORM_JOB_ATTEMPTS: '2',
    NEWSNORM_FETCH_ALLOW_ADDRESSES: '127.0.0.1',
    NEWSNORM_HOST_MIN_INTERVAL_MS: '0',
    NEWSNORM_HOST_MAX_CONCURRENCY: '16',
    NEWSNORM_FETCH_HEADERS_TIMEOUT_MS: '3000',
    NEWSNORM_FETCH_BODY_TIMEOUT_MS: '3000',
    NEWSNORM_FETCH_TOTAL_TIMEOUT_MS: '8000',
    NEWSNORM_SOURCE_DIRS: 'tests/faults/fixtures',
  });
  // Never send traffic past 127.0.0.1: the policy must refuse these before connecting.
  const policy = createAddressPolicy(['127.0.0.1']);
  for (const address of MUST_REFUSE) expect(policy.refusal(address)).not.toBeNull();

  const corpus = hostileCorpus({
    origin: servers.http.origin,
    slowOrigin: servers.slowOrigin,
    bigHeadersOrigin: servers.bigHeadersOrigin,
  });
  expect(corpus.length).toBeGreaterThanOrEqual(MIN_INPUTS);
  const queues: Record<string, Queue> = {
    process: openQueue(client, env, 'process'),
    fetch: openQueue(client, env, 'fetch'),
    schedule: openQueue(client, env, 'schedule'),
  };
  const store = new FsRawStore(env.NEWSNORM_RAW_DIR!);
  const seeds = seedTexts();
  const controls = Array.from({ length: CONTROL_PAGES }, (_, i) =>
    generatedPage(seeds, 'hostile', i),
  );
  const probeFile = join(dir, 'loop-probe.json');
  const worker = await startFaultWorker(
    { ...env, NEWSNORM_LOOP_PROBE_FILE: probeFile },
    ['--queues', 'process,fetch,schedule'],
    [...WORKER_HEAP_ARGS, '--import', LOOP_PROBE],
  );
  workers.push(worker);
  const pid = worker.pid;
  const readLoopBlock = loopProbe(pid, probeFile);

  // One input at a time, so that its time and memory are its own, with ordinary pages queued
  // right behind it: they must go through whatever the input does.
  const perInput = Math.ceil(CONTROL_PAGES / corpus.length);
  let sentControls = 0;
  const outcomes: Outcome[] = [];
  for (const [i, input] of corpus.entries()) {
    if (Date.now() - started > BOUND_MS || !worker.alive()) break;
    const queue = queues[input.job.queue]!;
    let id: string;
    let data: unknown;
    if ('page' in input.job) {
      const rawHash = await store.put(input.job.page);
      id = processJobId(rawHash);
      data = { rawHash, uri: input.job.page.uri };
    } else {
      id = `hostile-${i}`;
      data = input.job.data;
    }
    // The page thread works in order: the ordinary pages of the input before go first.
    await waitUntil(async () => (await queueBacklog(queues.process!)).pending === 0, 60_000).catch(
      () => undefined,
    );
    resetPeakRss(pid);
    await readLoopBlock();
    const stalledBefore = await scrape(worker, 'newsnorm_jobs_stalled_total');
    await queue.add(input.job.queue, data, { jobId: id });
    const batch = controls.slice(sentControls, sentControls + perInput);
    sentControls += await enqueuePages(queues.process!, store, batch);
    let slowestHealthzMs = 0;
    const inputStarted = Date.now();
    let state = await queue.getJobState(id);
    while (state !== 'completed' && state !== 'failed') {
      if (Date.now() - inputStarted > INPUT_BOUND_MS || !worker.alive()) break;
      slowestHealthzMs = Math.max(slowestHealthzMs, await healthzMs(worker.opsUrl));
      await new Promise((r) => setTimeout(r, HEALTHZ_EVERY_MS));
      state = await queue.getJobState(id);
    }
    const peakRssMiB = worker.alive() ? peakRssMiBOf(pid) : NaN;
    const loopBlock = worker.alive() ? await readLoopBlock() : { wallMs: NaN, cpuMs: NaN };
    const stalledDuring = worker.alive()
      ? (await scrape(worker, 'newsnorm_jobs_stalled_total')) - stalledBefore
      : NaN;
    // State first, then the job: read the other way round, a job that finishes between the
    // two reads looks failed with the reason it had not yet been given.
    const job = await Job.fromId(queue, id);
    const reason =
      state === 'failed'
        ? (job?.failedReason ?? '')
        : state === 'completed'
          ? `completed: ${JSON.stringify(job?.returnvalue ?? null)}`
          : 'did not finish in time';
    const code = state === 'failed' ? reasonCode(reason) : state === 'completed' ? 'OK' : '-';
    const ended = state === 'completed' || state === 'failed';
    const clear =
      ended &&
      (input.code !== undefined
        ? code === input.code
        : state === 'failed'
          ? code !== 'INTERNAL'
          : input.expect === 'any');
    outcomes.push({
      input,
      state,
      reason,
      code,
      handled: clear,
      exercised: !NO_FETCH_LAYER.test(reason),
      workMs: job?.finishedOn && job.processedOn ? job.finishedOn - job.processedOn : null,
      peakRssMiB,
      slowestHealthzMs,
      stalled: stalledDuring,
      loopBlock,
    });
  }
  if (sentControls < CONTROL_PAGES) {
    sentControls += await enqueuePages(queues.process!, store, controls.slice(sentControls));
  }
  await waitUntil(async () => (await queueBacklog(queues.process!)).pending === 0, 120_000).catch(
    () => undefined,
  );
  const workerAlive = worker.alive() && worker.pid === pid;
  const stalled = workerAlive ? await scrape(worker, 'newsnorm_jobs_stalled_total') : NaN;
  const controlFigures = deliveryFigures(
    controls.map((p) => p.uri),
    await streamArrivals(client, `${env.NEWSNORM_QUEUE_PREFIX}:records`),
  );
  const backlog = await queueBacklog(queues.process!);
  const bodyChars = await recordBodyLengths(client, `${env.NEWSNORM_QUEUE_PREFIX}:records`);
  await Promise.all(Object.values(queues).map((q) => q.close()));

  const rows = outcomes.map((o) => {
    const recordId = /"id":"([0-9a-f]+)"/.exec(o.reason)?.[1];
    const written =
      recordId && o.input.job.queue === 'process'
        ? `record written, body of ${bodyChars.get(recordId) ?? '?'} characters`
        : undefined;
    const reason = (written ?? o.reason).replace(/\s+/g, ' ').replace(/\|/g, '/');
    const short = reason.length > 110 ? `${reason.slice(0, 107)}...` : reason;
    const note = o.exercised ? '' : ' (not exercised: no fetch layer in the worker)';
    const ms = o.workMs === null ? '-' : String(o.workMs);
    const block = `${o.loopBlock.wallMs.toFixed(0)} | ${o.loopBlock.cpuMs.toFixed(0)}`;
    return `| ${o.input.name} | ${o.input.job.queue} | ${o.state} | ${o.code} | ${ms} | ${o.peakRssMiB.toFixed(0)} | ${o.slowestHealthzMs} | ${block} | ${o.stalled} | ${short}${note} | ${o.handled ? 'yes' : '**no**'} |`;
  });
  const handled = outcomes.filter((o) => o.handled).length;
  const notExercised = outcomes.filter((o) => !o.exercised).length;
  const slowestHealthz = Math.max(0, ...outcomes.map((o) => o.slowestHealthzMs));
  const peak = Math.max(0, ...outcomes.map((o) => o.peakRssMiB).filter(Number.isFinite));
  const longestBlock = (of: (b: LoopBlock) => number) =>
    Math.max(0, ...outcomes.map((o) => of(o.loopBlock)).filter(Number.isFinite));
  const blockWallMs = longestBlock((b) => b.wallMs);
  const blockCpuMs = longestBlock((b) => b.cpuMs);
  const slowestWork = Math.max(0, ...outcomes.map((o) => o.workMs ?? 0));
  const webhookAnswerMiB = servers.webhookLargestAnswer() / MIB;
  // Control pages that went through the hostile ones' queue must all arrive, once each.
  const controlsOk =
    controlFigures.receivedOnce === CONTROL_PAGES &&
    controlFigures.lost === 0 &&
    controlFigures.duplicated === 0;
  const passed =
    handled === corpus.length &&
    workerAlive &&
    controlsOk &&
    stalled === 0 &&
    slowestHealthz < MAX_HEALTHZ_MS &&
    blockCpuMs < MAX_LOOP_BLOCK_CPU_MS;
  saveResult({
    scenario: 'hostile-inputs',
    title: `Hostile inputs (${corpus.length}) among ${CONTROL_PAGES} ordinary pages, one worker with a 128 MB heap`,
    passed,
    seconds: (Date.now() - started) / 1000,
    figures: {
      'hostile inputs tried': corpus.length,
      'ended with a clear reason': handled,
      'not exercised (no fetch layer in the worker)': notExercised,
      'worker processes died': workerAlive ? 0 : 1,
      'jobs stalled (lock lost)': stalled,
      'slowest /healthz answer while an input was worked on (ms)': slowestHealthz,
      'longest event-loop block inside the worker, wall (ms)': blockWallMs.toFixed(0),
      [`longest event-loop block inside the worker, main-thread CPU (ms; limit ${MAX_LOOP_BLOCK_CPU_MS})`]:
        blockCpuMs.toFixed(0),
      'longest time one input took in the worker (ms)': slowestWork,
      'highest peak RSS while one input was worked on (MiB)': peak.toFixed(0),
      'largest webhook answer the receiver got to send (MiB)': webhookAnswerMiB.toFixed(1),
      'ordinary pages sent': CONTROL_PAGES,
      'ordinary pages received once': controlFigures.receivedOnce,
      'ordinary pages lost': controlFigures.lost,
      'ordinary pages duplicated': controlFigures.duplicated,
      'process jobs failed (hostile ones only)': backlog.failed,
    },
    details: [
      `Worker started as \`node ${WORKER_HEAP_ARGS.join(' ')} bin/newsnorm.js worker --queues process,fetch,schedule\`, records to the stream and to a webhook receiver that answers every POST with 300 MB. The inputs go one at a time, each with ordinary pages queued behind it. Time is the job's, from start to end in the worker; peak RSS is the worker's kernel high-water mark (VmHWM, reset before each input), its page-cleaning thread included; /healthz was asked every ${HEALTHZ_EVERY_MS} ms meanwhile, from the test process. The loop block is measured inside the worker (tests/faults/loop-probe.mjs): wall, its longest event-loop delay; CPU, the most CPU time its main thread spent between two turns of a 10 ms timer, which the machine's load does not stretch.`,
      '',
      '| input | queue | outcome | code | time (ms) | peak RSS (MiB) | slowest /healthz (ms) | loop block, wall (ms) | loop block, CPU (ms) | stalled jobs | reason | clear |',
      '| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |',
      ...rows,
    ],
  });
  expect(workerAlive, worker.log().slice(-2000)).toBe(true);
  expect(rows.filter((r) => r.endsWith('**no** |'))).toEqual([]);
  expect(outcomes).toHaveLength(corpus.length);
  expect(stalled).toBe(0);
  expect(slowestHealthz).toBeLessThan(MAX_HEALTHZ_MS);
  expect(blockCpuMs).toBeLessThan(MAX_LOOP_BLOCK_CPU_MS);
  expect(controlFigures.receivedOnce).toBe(CONTROL_PAGES);
  expect(controlFigures.duplicated).toBe(0);
});

/** Body length of each record in the stream, by record id. */
async function recordBodyLengths(
  redis: { xrange(key: string, start: string, end: string): Promise<[string, string[]][]> },
  key: string,
): Promise<Map<string, number>> {
  const lengths = new Map<string, number>();
  for (const [, fields] of await redis.xrange(key, '-', '+')) {
    const record = JSON.parse(fields[fields.indexOf('record') + 1] ?? '{}') as {
      id?: string;
      body?: string;
    };
    if (record.id) lengths.set(record.id, record.body?.length ?? 0);
  }
  return lengths;
}
