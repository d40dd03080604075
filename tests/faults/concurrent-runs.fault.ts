import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { runCliAsync } from '../queue/queue-test-helpers.js';
import { generatedPage, saveResult, seedTexts } from './fault-harness.js';

/** Pages per run, as in the report of two runs losing one (FAULT_RUN_PAGES shrinks it). */
const PAGES = Number(process.env.FAULT_RUN_PAGES ?? 1500);
/** Pairs of runs started together, each on a new out file. */
const TRIALS = 3;
const RUN_TIMEOUT_MS = 5 * 60_000;

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

test(`two \`run\`s of ${PAGES} pages each on one new out file, ${TRIALS} times: no record lost`, async () => {
  const started = Date.now();
  const texts = seedTexts();
  const trials: string[] = [];
  let sent = 0;
  let once = 0;
  let lost = 0;
  let duplicated = 0;
  let failedRuns = 0;
  let spills = 0;
  for (let t = 1; t <= TRIALS; t++) {
    const dir = mkdtempSync(join(tmpdir(), 'newsnorm-fault-runs-'));
    dirs.push(dir);
    const folders = ['a', 'b'].map((name) => {
      const folder = join(dir, name);
      mkdirSync(folder);
      for (let i = 0; i < PAGES; i++) {
        writeFileSync(join(folder, `page-${i}.txt`), generatedPage(texts, `${name}${t}`, i).body);
      }
      return folder;
    });
    const out = join(dir, 'new.jsonl');
    const env = { NEWSNORM_RAW_DIR: join(dir, 'raw') };
    const runs = await Promise.all(
      folders.map((f) => runCliAsync(['run', '--seeds', f, '--out', out], env, RUN_TIMEOUT_MS)),
    );
    failedRuns += runs.filter((r) => r.status !== 0).length;
    const counts = new Map<string, number>();
    for (const line of readFileSync(out, 'utf8').split('\n').filter(Boolean)) {
      const uri = (JSON.parse(line) as { source: { uri: string } }).source.uri;
      counts.set(uri, (counts.get(uri) ?? 0) + 1);
    }
    const expected = folders.flatMap((f) => readdirSync(f).map((n) => join(f, n)));
    sent += expected.length;
    for (const uri of expected) {
      const n = counts.get(uri) ?? 0;
      if (n === 0) lost++;
      else if (n === 1) once++;
      else duplicated++;
    }
    spills += readdirSync(dir).filter((n) => n.endsWith('.spill')).length;
    const waited = runs.some((r) => r.stderr.includes('is being written by run pid'));
    trials.push(
      `trial ${t}: exit ${runs.map((r) => r.status).join(' and ')}, ${counts.size} records in the file` +
        `${waited ? ', the second run waited for the first' : ''}`,
    );
  }
  const figures = {
    sent,
    receivedOnce: once,
    lost,
    stale: 0,
    duplicated,
    failedJobs: failedRuns,
    'spill files left': spills,
    trials: TRIALS,
  };
  const passed =
    once === sent && lost === 0 && duplicated === 0 && failedRuns === 0 && spills === 0;
  saveResult({
    scenario: 'concurrent-runs',
    title: `Two \`newsnorm run\`s at once on one new out file, ${PAGES} pages each, ${TRIALS} trials`,
    passed,
    seconds: (Date.now() - started) / 1000,
    figures,
    details: [
      '"failed jobs" counts runs that exited non-zero. Each run holds `FILE.lock` (pid, host) while it reads and',
      'replaces the file; the second waits for it.',
      '',
      ...trials,
    ],
  });
  expect(figures).toMatchObject({ lost: 0, duplicated: 0, receivedOnce: sent, failedJobs: 0 });
  expect(spills).toBe(0);
});
