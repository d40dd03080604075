/**
 * The normalize stage on one core: resolveNames (title and body) over seed-sized pages, with
 * the default gazetteer and with a 50,000-entity one (the default entries plus synthetic
 * Arabic-style names). Prints matcher build time, heap used by the matcher and pages/s, both
 * by wall clock and by CPU time of this process (the fairer figure on a shared machine).
 *
 *   npm run build && npm run bench:normalize [-- --pages 20000 --entities 50000]
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createNameMatcher, type MatcherOptions } from '../src/normalize/create-name-matcher.js';
import { loadGazetteer, type Gazetteer } from '../src/normalize/gazetteer.js';
import { resolveNames } from '../src/normalize/resolve-names.js';
import { withSynthetic } from './normalize-synthetic-gazetteer.js';

const ROOT = join(import.meta.dirname, '..', '..');
const DEFAULT_PAGES = 20_000;
const DEFAULT_ENTITIES = 50_000;
/** Pages run before timing, so the JIT has compiled the hot paths. */
const WARMUP_PAGES = 2_000;

function numberArg(flag: string, fallback: number): number {
  const at = process.argv.indexOf(flag);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
}

const pageCount = numberArg('--pages', DEFAULT_PAGES);
const entityCount = numberArg('--entities', DEFAULT_ENTITIES);

/** Seed texts as pages: the first long line is the title, the rest the body. */
const seeds = readdirSync(join(ROOT, 'seeds'))
  .filter((f) => f.endsWith('.txt'))
  .sort()
  .map((f) => {
    const text = readFileSync(join(ROOT, 'seeds', f), 'utf8');
    const lines = text.split('\n');
    const titleAt = lines.findIndex((l) => l.trim().length > 20);
    return { title: lines[titleAt]?.trim() ?? '', body: lines.slice(titleAt + 1).join('\n') };
  });

/**
 * Seed page i, varied by a numbered sentence so no two pages are the same text. Made when it
 * is matched, as pages reach the stage one by one: holding all of them would put some 150 MB
 * of page text in the heap that a worker never has, and its collections in the figures.
 */
function pageAt(i: number): { title: string; body: string } {
  const seed = seeds[i % seeds.length]!;
  // Joined, not concatenated: the cleaner hands the stage flat strings made by join, and a
  // concatenation would be read through its parts on every character.
  return {
    title: seed.title,
    body: [`Report number ${i} from the field.`, seed.body].join('\n\n'),
  };
}

// A full collection before each heap reading, so the matcher's size is not lost in garbage.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

function heapUsedMb(): number {
  collectGarbage();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

function run(label: string, gazetteer: Gazetteer, options: MatcherOptions = {}): void {
  const heapBefore = heapUsedMb();
  const buildStart = performance.now();
  const matcher = createNameMatcher(gazetteer, options);
  const buildMs = performance.now() - buildStart;
  const heapAfter = heapUsedMb();
  let mentions = 0;
  for (let i = 0; i < WARMUP_PAGES; i += 1) resolveNames(pageAt(i), matcher);
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  let bytes = 0;
  // Pages/s of each tenth of the run, by wall clock: this machine's speed wanders from one
  // second to the next, so the spread is printed beside the whole run's figure.
  const tenths: number[] = [];
  const tenth = Math.max(1, Math.floor(pageCount / 10));
  let tenthStart = start;
  for (let i = 0; i < pageCount; i += 1) {
    const page = pageAt(i);
    bytes += page.title.length + page.body.length;
    mentions += resolveNames(page, matcher).entities.length;
    if ((i + 1) % tenth === 0) {
      const now = performance.now();
      tenths.push((tenth * 1000) / (now - tenthStart));
      tenthStart = now;
    }
  }
  const ms = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  tenths.sort((a, b) => a - b);
  const spread =
    `tenths of the run: slowest ${Math.round(tenths[0] ?? 0)}, ` +
    `median ${Math.round(tenths[tenths.length >> 1] ?? 0)}, ` +
    `fastest ${Math.round(tenths.at(-1) ?? 0)} pages/s`;
  const avgBytes = bytes / pageCount;
  console.log(
    `${label}: ${gazetteer.entities.length} entities, build ${buildMs.toFixed(0)} ms, ` +
      `matcher heap ~${(heapAfter - heapBefore).toFixed(1)} MB; ` +
      `${pageCount} pages of ~${(avgBytes / 1024).toFixed(1)} KB in ${ms.toFixed(0)} ms: ` +
      `${(ms / pageCount).toFixed(3)} ms/page, ${Math.round((pageCount * 1000) / ms)} pages/s ` +
      `(CPU time ${(cpuMs / pageCount).toFixed(3)} ms/page, ` +
      `${Math.round((pageCount * 1000) / cpuMs)} pages per CPU-second; ` +
      `${(mentions / pageCount).toFixed(1)} entities per page); ${spread}`,
  );
}

/**
 * Each case runs in a process of its own, as a worker holds one gazetteer: run one after
 * another in one process, a case inherits the JIT's state from the cases before it, which
 * moved the 50,000-entity figure by a third from run to run.
 */
const CASES = ['default', 'large', 'large-uncached'] as const;
const caseAt = process.argv.indexOf('--case');
const only = caseAt > 0 ? process.argv[caseAt + 1] : undefined;

if (only === undefined) {
  for (const name of CASES) {
    const args = [...process.argv.slice(1), '--case', name];
    const child = spawnSync(process.execPath, args, { stdio: 'inherit' });
    if (child.status !== 0) process.exit(child.status ?? 1);
  }
} else {
  const base = await loadGazetteer(join(ROOT, 'config', 'gazetteer.json'));
  if (only === 'default') run('default gazetteer', base);
  else if (only === 'large')
    run(`${entityCount}-entity gazetteer`, withSynthetic(base, entityCount));
  // The bench's pages repeat five seeds, so the ranking cache is warmer than on a real feed:
  // the run without it is the floor.
  else if (only === 'large-uncached') {
    run(`${entityCount}-entity gazetteer, no ranking cache`, withSynthetic(base, entityCount), {
      rankingCacheSize: 0,
    });
  } else {
    console.error(`bench/normalize: unknown --case ${only} (one of ${CASES.join(', ')})`);
    process.exit(2);
  }
}
