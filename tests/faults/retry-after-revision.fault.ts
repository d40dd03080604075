import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { startHttpServer } from '../helpers/http-server.js';
import { runCliAsync } from '../queue/queue-test-helpers.js';
import {
  generatedPage,
  openQueue,
  queueBacklog,
  saveResult,
  scenarioEnv,
  scenarioResources,
  seedTexts,
  startFaultWorker,
  waitUntil,
} from './fault-harness.js';

/** Pages of the run (FAULT_REVISION_PAGES shrinks it for a trial). */
const PAGES = Number(process.env.FAULT_REVISION_PAGES ?? 1000);
/** The whole scenario must end within this, or it fails. */
const BOUND_MS = 6 * 60_000;
/** After the retried jobs finish, time for any late delivery to show. */
const SETTLE_MS = 2_000;
const WEBHOOK_SECRET = 'fault-suite-secret-of-16-chars';

const resources = scenarioResources();
afterAll(() => resources.cleanup());

interface Delivered {
  id: string;
  revision: number;
  contentHash: string;
  uri: string;
}

test(`${PAGES} pages whose first jobs failed, edited, then the failed jobs retried: no stale revision anywhere`, async () => {
  const started = Date.now();
  const { redis, client, workers } = await resources.start();
  const http = await startHttpServer();
  resources.onCleanup(() => http.stop());
  let webhookUp = false;
  const hooks: Delivered[] = [];
  http.route('/hook', async (req, res) => {
    let body = '';
    for await (const chunk of req) body += String(chunk);
    if (!webhookUp) return void res.writeHead(500).end();
    const r = JSON.parse(body) as Delivered & { source: { uri: string } };
    hooks.push({ id: r.id, revision: r.revision, contentHash: r.contentHash, uri: r.source.uri });
    res.writeHead(204).end();
  });
  const { env, dir } = scenarioEnv(redis.url, {
    NEWSNORM_SINKS: 'file,stream,webhook',
    NEWSNORM_WEBHOOK_URL: `${http.origin}/hook`,
    NEWSNORM_WEBHOOK_SECRET: WEBHOOK_SECRET,
    NEWSNORM_WEBHOOK_ATTEMPTS: '1',
    NEWSNORM_JOB_ATTEMPTS: '1',
  });
  const prefix = env.NEWSNORM_QUEUE_PREFIX!;
  const seeds = join(dir, 'seeds');
  mkdirSync(seeds);
  const texts = seedTexts();
  const pages = Array.from({ length: PAGES }, (_, i) => generatedPage(texts, 'rev', i));
  const name = (i: number) => join(seeds, `page-${String(i).padStart(6, '0')}.txt`);
  pages.forEach((p, i) => writeFileSync(name(i), p.body));
  workers.push(await startFaultWorker(env), await startFaultWorker(env));
  const queue = openQueue(client, env);
  const remaining = () => BOUND_MS - (Date.now() - started);

  // Version 1: the webhook is down, every job fails (the stream and the file got revision 1).
  expect((await runCliAsync(['enqueue', '--seeds', seeds], env, 120_000)).status).toBe(0);
  await waitUntil(async () => (await queueBacklog(queue)).failed === PAGES, remaining());

  // Every page is edited; the webhook is back; version 2 goes everywhere as revision 2.
  pages.forEach((p, i) =>
    writeFileSync(
      name(i),
      new TextDecoder().decode(p.body).replace('numbered sentence', 'revised sentence'),
    ),
  );
  webhookUp = true;
  expect((await runCliAsync(['enqueue', '--seeds', seeds], env, 120_000)).status).toBe(0);
  await waitUntil(
    async () => hooks.length >= PAGES,
    remaining(),
    () => `${hooks.length} hooks`,
  );

  // The failed version-1 jobs are retried.
  const retry = await runCliAsync(['retry'], env, 60_000);
  expect(retry.stdout).toContain(`re-queued ${PAGES} failed jobs`);
  await waitUntil(
    async () => {
      const b = await queueBacklog(queue);
      return b.pending === 0 && b.failed === 0;
    },
    remaining(),
    () => 'retried jobs still pending',
  );
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  await queue.close();

  // The newest revision each sink holds per record must be the edited text (revision 2).
  const stream: Delivered[] = [];
  for (const [, f] of await client.xrange(`${prefix}:records`, '-', '+')) {
    const r = JSON.parse(f[f.indexOf('record') + 1]!) as Delivered & { source: { uri: string } };
    stream.push({ id: r.id, revision: r.revision, contentHash: r.contentHash, uri: r.source.uri });
  }
  const fileLines = existsSync(env.NEWSNORM_SINK_FILE!)
    ? readFileSync(env.NEWSNORM_SINK_FILE!, 'utf8').split('\n').filter(Boolean)
    : [];
  const file = fileLines.map((l) => {
    const r = JSON.parse(l) as Delivered & { source: { uri: string } };
    return { id: r.id, revision: r.revision, contentHash: r.contentHash, uri: r.source.uri };
  });
  const v2Hash = new Map(
    stream.filter((d) => d.revision === 2).map((d) => [d.id, d.contentHash] as const),
  );
  const judge = (delivered: Delivered[], firstRevision: number) => {
    const newest = new Map<string, Delivered>();
    const seen = new Set<string>();
    let duplicated = 0;
    for (const d of delivered) {
      const key = `${d.id}:${d.revision}`;
      if (seen.has(key)) duplicated++;
      seen.add(key);
      if ((newest.get(d.id)?.revision ?? 0) < d.revision) newest.set(d.id, d);
    }
    let stale = 0;
    let current = 0;
    for (const [id, d] of newest) {
      if (d.revision === 2 && d.contentHash === v2Hash.get(id)) current++;
      else stale++;
    }
    const lost = PAGES - newest.size;
    const expected = PAGES * (3 - firstRevision);
    return { current, stale, lost, duplicated, extra: delivered.length - expected - duplicated };
  };
  const byStream = judge(stream, 1);
  const byFile = judge(file, 1);
  const byHook = judge(hooks, 2);
  const failedJobs = (await client.zcard(`${prefix}:process:failed`)) as number;
  const figures = {
    sent: PAGES,
    receivedOnce: Math.min(byStream.current, byFile.current, byHook.current),
    lost: byStream.lost + byFile.lost + byHook.lost,
    stale: byStream.stale + byFile.stale + byHook.stale,
    duplicated: byStream.duplicated + byFile.duplicated + byHook.duplicated,
    failedJobs,
    'stream entries (2 revisions a page)': stream.length,
    'file lines (2 revisions a page)': file.length,
    'webhook deliveries (revision 2 only)': hooks.length,
    'retried jobs delivering old text as new': byStream.extra + byFile.extra + byHook.extra,
  };
  const passed =
    figures.receivedOnce === PAGES &&
    figures.lost === 0 &&
    figures.stale === 0 &&
    figures.duplicated === 0 &&
    figures['retried jobs delivering old text as new'] === 0 &&
    failedJobs === 0;
  saveResult({
    scenario: 'retry-after-revision',
    title: `Failed jobs retried after their pages were revised, ${PAGES} pages (2 workers; stream, file, webhook)`,
    passed,
    seconds: (Date.now() - started) / 1000,
    figures,
    details: [
      'Each page was enqueued with the webhook answering 500 (its job failed after the stream and file took revision 1),',
      'then edited and enqueued again with the webhook back (revision 2 everywhere), then `newsnorm retry` ran every',
      'failed version-1 job again. A retried job whose page was read before the current revision delivers nothing.',
    ],
  });
  expect(figures).toMatchObject({ lost: 0, stale: 0, duplicated: 0, receivedOnce: PAGES });
  expect(figures['retried jobs delivering old text as new']).toBe(0);
  expect(failedJobs).toBe(0);
});
