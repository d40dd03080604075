import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { benchPaths, loadScorer, readCases, scorePredictions } from '../../bench/bench-cases.js';
import { cleanHtml } from '../../src/clean/html/clean-html.js';
import { loadHtmlRules } from '../../src/clean/html/load-html-rules.js';

/**
 * Quality floor on the shared article-extraction benchmark, like trafilatura's evaluation gate:
 * fails when F1 drops below the figure reached or more pages come back empty. Floors in
 * tests/floors/extract.json may only go up.
 */
interface Floor {
  f1: number;
  maxEmpty: number;
}

const floor = JSON.parse(readFileSync('tests/floors/extract.json', 'utf8')) as Floor;
const paths = benchPaths();
if (!paths)
  console.warn('bench-floor: ../shared/bench/cases.jsonl not found, quality floor skipped');

describe.skipIf(!paths)('article extraction quality floor (../shared/bench)', () => {
  it(`keeps F1 >= ${floor.f1} with at most ${floor.maxEmpty} empty pages, general rules only`, async () => {
    if (!paths) return;
    const cases = await readCases(paths.cases);
    const scorer = await loadScorer(paths.scorer);
    const rules = { ...(await loadHtmlRules({ sitesDir: 'config/sites' })), sites: [] };
    const predictions = new Map(
      cases.map((c) => [c.id, cleanHtml({ html: c.html, url: c.url }, rules).body] as const),
    );
    const { score } = scorePredictions(scorer, cases, predictions);
    console.log(
      `bench-floor: F1 ${scorer.fmt(score.f1)} precision ${scorer.fmt(score.precision)} recall ${scorer.fmt(score.recall)} empty ${score.empty}/${score.pages}`,
    );
    expect(score.f1).toBeGreaterThanOrEqual(floor.f1);
    expect(score.empty).toBeLessThanOrEqual(floor.maxEmpty);
  }, 60_000);
});
