import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createNameMatcher } from '../../src/normalize/create-name-matcher.js';
import { canonicalOnlyGazetteer, readTranslit, scoreTranslit } from './translit-eval.js';

const DEV_PATH = new URL('../../../shared/translit/dev.jsonl', import.meta.url);
const FLOORS_PATH = new URL('../floors/normalize.json', import.meta.url);

/** Figures reached so far, rounded down; they may only go up. */
interface NormalizeFloors {
  placeRecall: number;
  placeWrongMax: number;
  groupRecall: number;
  groupWrongMax: number;
}

const present = existsSync(DEV_PATH);
if (!present) console.warn(`skipping translit evaluation: ${DEV_PATH.pathname} is absent`);

describe.skipIf(!present)('translit evaluation on ../shared/translit/dev.jsonl', () => {
  it('resolves variants against canonical names only, above the floors', () => {
    const entities = readTranslit(DEV_PATH.pathname);
    const floors = JSON.parse(readFileSync(FLOORS_PATH, 'utf8')) as NormalizeFloors;
    const matcher = createNameMatcher(canonicalOnlyGazetteer(entities));
    const places = scoreTranslit(entities, matcher, 'place');
    const groups = scoreTranslit(entities, matcher, 'group');
    const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
    for (const [label, s] of [
      ['places', places],
      ['groups', groups],
    ] as const) {
      console.log(
        `translit ${label}: ${s.variants} variants, recall ${pct(s.recall)}, wrong ${pct(s.wrong)}, none ${pct(s.none)}`,
      );
      if (process.env.TRANSLIT_VERBOSE) {
        console.log(`wrong:\n  ${s.wrongExamples.join('\n  ')}`);
        console.log(`none:\n  ${s.noneExamples.join('\n  ')}`);
      }
    }
    expect(places.recall).toBeGreaterThanOrEqual(floors.placeRecall);
    expect(places.wrong).toBeLessThanOrEqual(floors.placeWrongMax);
    expect(groups.recall).toBeGreaterThanOrEqual(floors.groupRecall);
    expect(groups.wrong).toBeLessThanOrEqual(floors.groupWrongMax);
  });
});
