/**
 * Article-extraction benchmark: our HTML cleaner against @mozilla/readability on jsdom, over
 * the same pages in the same run, scored with the benchmark's own score.mjs.
 *
 *   npm run bench:extract [-- --only ours] [--per-doc FILE] [--baseline CHECKOUT]
 *
 * --baseline times another built checkout of newsnorm (its dist/ and config/) in the same
 * alternating blocks, so that a change's cost per page is measured against the code it
 * changes on the same machine in the same run:
 *
 *   git worktree add ../base main && (cd ../base && npm ci)
 *   npm run bench:extract -- --baseline ../base
 */
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Readability } from '@mozilla/readability';
import { JSDOM, VirtualConsole } from 'jsdom';
import { cleanHtml } from '../src/clean/html/clean-html.js';
import { loadHtmlRules } from '../src/clean/html/load-html-rules.js';
import {
  benchPaths,
  loadScorer,
  readCases,
  scorePredictions,
  type BenchCase,
  type BenchScore,
} from './bench-cases.js';

interface Extractor {
  name: string;
  extract: (c: BenchCase) => string;
}

interface Run {
  name: string;
  predictions: Map<string, string>;
  msPerPage: number;
  /**
   * Process CPU time per page (all threads, the garbage collector's included): on a shared
   * machine it counts what the extractor spends, where wall time also counts waiting for a core.
   */
  cpuMsPerPage: number;
}

/** Pages each extractor sees untimed first, so that neither is timed while the JIT warms up. */
const WARMUP_PAGES = 5;

/**
 * Pages per turn. Each extractor runs a block of pages in turn, so that both see the same
 * machine load (the machine is shared), while each mostly pays for its own garbage collection
 * (page-by-page alternation would charge jsdom's garbage to whoever runs next).
 */
const BLOCK_PAGES = 17;

/** Runs the extractors in alternating blocks of pages; each block's time goes to its runner. */
function timeRuns(cases: readonly BenchCase[], extractors: readonly Extractor[]): Run[] {
  for (const c of cases.slice(0, WARMUP_PAGES)) for (const e of extractors) e.extract(c);
  const runs = extractors.map((e) => ({
    name: e.name,
    predictions: new Map<string, string>(),
    ms: 0,
    cpuMs: 0,
  }));
  for (let from = 0, turn = 0; from < cases.length; from += BLOCK_PAGES, turn++) {
    const block = cases.slice(from, from + BLOCK_PAGES);
    // Alternate who goes first, so that neither always inherits the other's leftovers.
    const order = turn % 2 === 0 ? runs.keys() : [...runs.keys()].reverse();
    for (const i of order) {
      const run = runs[i];
      const extractor = extractors[i];
      if (!run || !extractor) continue;
      const start = performance.now();
      const cpuStart = process.cpuUsage();
      for (const c of block) run.predictions.set(c.id, extractor.extract(c));
      const cpu = process.cpuUsage(cpuStart);
      run.ms += performance.now() - start;
      run.cpuMs += (cpu.user + cpu.system) / 1000;
    }
  }
  return runs.map(({ name, predictions, ms, cpuMs }) => ({
    name,
    predictions,
    msPerPage: ms / cases.length,
    cpuMsPerPage: cpuMs / cases.length,
  }));
}

/** Another checkout's built HTML cleaner with that checkout's general rules. */
async function baselineExtractor(checkout: string): Promise<Extractor> {
  const root = path.resolve(checkout);
  const load = async <T>(file: string): Promise<T> =>
    (await import(pathToFileURL(path.join(root, 'dist/src/clean/html', file)).href)) as T;
  const { cleanHtml: baseClean } = await load<{ cleanHtml: typeof cleanHtml }>('clean-html.js');
  const { loadHtmlRules: baseRules } = await load<{ loadHtmlRules: typeof loadHtmlRules }>(
    'load-html-rules.js',
  );
  const rules = {
    ...(await baseRules({
      sitesDir: path.join(root, 'config/sites'),
      htmlRules: path.join(root, 'config/rules/html.json'),
    })),
    sites: [],
  };
  return { name: 'baseline', extract: (c) => baseClean({ html: c.html, url: c.url }, rules).body };
}

function readabilityText(c: BenchCase): string {
  const virtualConsole = new VirtualConsole();
  const dom = new JSDOM(c.html, { url: c.url, virtualConsole });
  const article = new Readability(dom.window.document).parse();
  dom.window.close();
  return article?.textContent ?? '';
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      'per-doc': { type: 'string' },
      baseline: { type: 'string' },
    },
  });
  const paths = benchPaths();
  if (!paths) {
    console.error('bench:extract: ../shared/bench/cases.jsonl not found; nothing to measure');
    process.exitCode = 2;
    return;
  }
  const cases = await readCases(paths.cases);
  const scorer = await loadScorer(paths.scorer);
  // General rules only: site profiles must not carry the benchmark.
  const rules = { ...(await loadHtmlRules({ sitesDir: 'config/sites' })), sites: [] };

  const extractors: Extractor[] = [
    { name: 'newsnorm', extract: (c) => cleanHtml({ html: c.html, url: c.url }, rules).body },
  ];
  if (values.baseline) extractors.push(await baselineExtractor(values.baseline));
  if (values.only !== 'ours') extractors.push({ name: 'readability', extract: readabilityText });
  const runs = timeRuns(cases, extractors);
  const ours = runs[0];
  const other = runs.find((run) => run.name === 'readability');
  const baseline = runs.find((run) => run.name === 'baseline');
  if (!ours) return;

  const row = (run: Run, score: BenchScore): string =>
    [
      run.name.padEnd(12),
      `F1 ${scorer.fmt(score.f1)}`,
      `precision ${scorer.fmt(score.precision)}`,
      `recall ${scorer.fmt(score.recall)}`,
      `empty ${score.empty}/${score.pages}`,
      `${run.msPerPage.toFixed(2)} ms/page`,
      `(cpu ${run.cpuMsPerPage.toFixed(2)})`,
    ].join('  ');
  console.log(
    `pages: ${cases.length} (${paths.cases}); general rules only; ${WARMUP_PAGES} warm-up pages each, untimed; timed in alternating blocks of ${BLOCK_PAGES} pages`,
  );
  for (const run of runs) {
    const { score, pages } = scorePredictions(scorer, cases, run.predictions);
    console.log(row(run, score));
    if (run === ours && values['per-doc']) {
      const lines = pages.map((p) => JSON.stringify({ ...p, text: run.predictions.get(p.id) }));
      await writeFile(values['per-doc'], `${lines.join('\n')}\n`);
    }
  }
  if (other) {
    console.log(
      `speed: newsnorm is ${(other.msPerPage / ours.msPerPage).toFixed(1)}x readability's pages per second (cpu ${(other.cpuMsPerPage / ours.cpuMsPerPage).toFixed(1)}x)`,
    );
  }
  if (baseline) {
    const change = (a: number, b: number): string => {
      const percent = (a / b - 1) * 100;
      return `${percent >= 0 ? '+' : ''}${percent.toFixed(1)}%`;
    };
    console.log(
      `cost: newsnorm ${ours.msPerPage.toFixed(2)} ms/page, baseline ${baseline.msPerPage.toFixed(2)} ms/page (${change(ours.msPerPage, baseline.msPerPage)}); cpu ${ours.cpuMsPerPage.toFixed(2)} against ${baseline.cpuMsPerPage.toFixed(2)} (${change(ours.cpuMsPerPage, baseline.cpuMsPerPage)})`,
    );
  }
}

await main();
