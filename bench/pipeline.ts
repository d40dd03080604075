/**
 * The text-page path, in one process on one core: processPage (decode, clean, resolve names,
 * build the record) over seed-sized pages. Prints ms per page and pages per second.
 *
 *   npm run bench:pipeline [-- --pages 20000]
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../src/config/config.js';
import { loadPipelineDeps } from '../src/pipeline/load-pipeline-deps.js';
import { processPage } from '../src/pipeline/process-page.js';
import type { RawPage } from '../src/raw/raw-page.js';

const ROOT = join(import.meta.dirname, '..', '..');
const DEFAULT_PAGES = 20_000;
/** Pages run before timing, so the JIT has compiled the hot paths. */
const WARMUP_PAGES = 500;

const pagesArg = process.argv.indexOf('--pages');
const pageCount = pagesArg > 0 ? Number(process.argv[pagesArg + 1]) : DEFAULT_PAGES;

const config = loadConfig({ env: {}, file: null });
const deps = await loadPipelineDeps({
  paths: {
    ...config.paths,
    textRules: join(ROOT, config.paths.textRules),
    gazetteer: join(ROOT, config.paths.gazetteer),
    sitesDir: join(ROOT, config.paths.sitesDir),
  },
});
const seeds = readdirSync(join(ROOT, 'seeds'))
  .sort()
  .map((f) => readFileSync(join(ROOT, 'seeds', f), 'utf8'));

/**
 * Seed page i, varied by a numbered sentence so no two pages are the same text. Made when it
 * is processed, as pages reach a worker one by one: holding all of them would keep their
 * bytes in the heap, and their collections in the figures.
 */
function page(i: number): RawPage {
  const seed = seeds[i % seeds.length]!;
  const text = seed.replace(/\n\n/, `\n\nReport number ${i} from the field.\n\n`);
  return {
    kind: 'seed',
    uri: `bench/${i}.txt`,
    url: null,
    retrievedAt: null,
    contentType: 'text/plain; charset=utf-8',
    headers: {},
    body: new TextEncoder().encode(text),
  };
}

for (let i = 0; i < WARMUP_PAGES; i++) processPage(page(i), deps);
let bytes = 0;
const started = performance.now();
const cpuStarted = process.cpuUsage();
let mentions = 0;
for (let i = 0; i < pageCount; i++) {
  const p = page(i);
  bytes += p.body.length;
  mentions += processPage(p, deps).record.entities.length;
}
const elapsedMs = performance.now() - started;
const cpu = process.cpuUsage(cpuStarted);
// CPU time is what the stages cost; wall time also counts whatever else the machine runs.
const cpuMs = (cpu.user + cpu.system) / 1000;
console.log(
  `text pipeline: ${pageCount} pages (${(bytes / pageCount / 1024).toFixed(1)} KiB avg), ` +
    `${(elapsedMs / pageCount).toFixed(3)} ms/page wall (${(cpuMs / pageCount).toFixed(3)} ms CPU), ` +
    `${((pageCount / elapsedMs) * 1000).toFixed(0)} pages/s on one core ` +
    `(${((pageCount / cpuMs) * 1000).toFixed(0)} by CPU time), ${mentions} entities found, peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`,
);
