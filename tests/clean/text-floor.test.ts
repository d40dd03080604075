import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadScorer, scorePredictions, type BenchCase } from '../../bench/bench-cases.js';
import { processPage, type PipelineDeps } from '../../src/pipeline/process-page.js';
import type { RawPage } from '../../src/raw/raw-page.js';
import { SHARED } from '../helpers/gold.js';
import { loadRepoPipelineDeps } from '../helpers/pipeline-deps.js';

/**
 * Quality floors for text pages, like trafilatura's evaluation gate: the article body of the
 * benchmark's w3m and lynx dumps (../shared/textbench), and the twelve text pages with gold
 * records (../shared/pages), judged by the shared scorers read in place. The figures in
 * tests/floors/text.json may only go up.
 */
interface Floor {
  textbenchF1: number;
  textbenchRecall: number;
  maxBelowHalf: number;
  maxEmpty: number;
  textPagesPassing: number;
}

interface TextCase {
  id: string;
  url: string;
  renderer: string;
  text: string;
  gold: string;
}

interface Judged {
  f1: number;
  titleOk: boolean;
  dateOk: boolean;
  leaked: string[];
  commentsInBody: number;
  spamOk: boolean;
  mentionErrors: string[];
  authorsOk?: boolean;
}

const floor = JSON.parse(readFileSync('tests/floors/text.json', 'utf8')) as Floor;
const TEXTBENCH = join(SHARED, 'textbench', 'cases.jsonl');
const SCORER = join(SHARED, 'bench', 'score.mjs');
const PAGES = join(SHARED, 'pages');
const PAGE_SCORER = join(SHARED, 'score', 'lib.mjs');
const haveBench = existsSync(TEXTBENCH) && existsSync(SCORER);
const havePages = existsSync(PAGES) && existsSync(PAGE_SCORER);
if (!haveBench || !havePages)
  console.warn('text-floor: ../shared/textbench or ../shared/pages not found, floors skipped');

function textPage(uri: string, text: string, url: string | null): RawPage {
  return {
    kind: 'file',
    uri,
    url,
    retrievedAt: null,
    contentType: 'text/plain; charset=utf-8',
    headers: {},
    body: new TextEncoder().encode(text),
  };
}

/** The body as `newsnorm clean` gives it; a page it refuses counts as empty. */
function bodyOf(raw: RawPage, deps: PipelineDeps): string {
  try {
    return processPage(raw, deps).record.body;
  } catch {
    return '';
  }
}

describe.skipIf(!haveBench)('text-dump article floor (../shared/textbench)', () => {
  it(`keeps F1 >= ${floor.textbenchF1}, recall >= ${floor.textbenchRecall}, at most ${floor.maxBelowHalf} dumps below half the whole dump`, async () => {
    const deps = await loadRepoPipelineDeps();
    const scorer = await loadScorer(SCORER);
    const cases = readFileSync(TEXTBENCH, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as TextCase);
    const asBench: BenchCase[] = cases.map((c) => ({ ...c, html: '' }));
    const ours = new Map(
      cases.map((c) => [c.id, bodyOf(textPage(`${c.id}.txt`, c.text, null), deps)] as const),
    );
    const whole = new Map(cases.map((c) => [c.id, c.text] as const));
    const { score, pages } = scorePredictions(scorer, asBench, ours);
    const wholePages = scorePredictions(scorer, asBench, whole).pages;
    const f1 = (p: { precision: number; recall: number }) =>
      p.precision + p.recall > 0 ? (2 * p.precision * p.recall) / (p.precision + p.recall) : 0;
    const belowHalf = pages.filter((p, i) => f1(p) < 0.5 * f1(wholePages[i]!)).length;
    console.log(
      `text-floor: textbench F1 ${scorer.fmt(score.f1)} precision ${scorer.fmt(score.precision)} recall ${scorer.fmt(score.recall)} empty ${score.empty} below-half ${belowHalf} n ${score.pages}`,
    );
    expect(score.f1).toBeGreaterThanOrEqual(floor.textbenchF1);
    expect(score.recall).toBeGreaterThanOrEqual(floor.textbenchRecall);
    expect(score.empty).toBeLessThanOrEqual(floor.maxEmpty);
    expect(belowHalf).toBeLessThanOrEqual(floor.maxBelowHalf);
  }, 120_000);
});

describe.skipIf(!havePages)('text pages with gold records (../shared/pages)', () => {
  it(`passes at least ${floor.textPagesPassing} text pages on every check`, async () => {
    const deps = await loadRepoPipelineDeps();
    const { judge } = (await import(pathToFileURL(PAGE_SCORER).href)) as {
      judge: (record: unknown, gold: unknown) => Judged;
    };
    const golds = readdirSync(PAGES)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => JSON.parse(readFileSync(join(PAGES, f), 'utf8')) as Record<string, unknown>)
      .filter((g) => g.format === 'text');
    const failing: string[] = [];
    for (const gold of golds) {
      const file = String(gold.file);
      const raw = textPage(
        file,
        readFileSync(join(PAGES, file), 'utf8'),
        typeof gold.url === 'string' ? gold.url : null,
      );
      const j = judge(processPage(raw, deps).record, gold);
      const ok =
        j.f1 >= 0.95 &&
        j.titleOk &&
        j.dateOk &&
        j.leaked.length === 0 &&
        j.commentsInBody === 0 &&
        j.spamOk &&
        j.mentionErrors.length === 0 &&
        j.authorsOk !== false;
      if (!ok) failing.push(`${file} ${JSON.stringify(j)}`);
    }
    console.log(`text-floor: text pages passing ${golds.length - failing.length}/${golds.length}`);
    expect(golds.length - failing.length, failing.join('\n')).toBeGreaterThanOrEqual(
      floor.textPagesPassing,
    );
  }, 60_000);
});
