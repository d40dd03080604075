import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createNameMatcher } from '../../src/normalize/create-name-matcher.js';
import {
  canonicalOnlyGazetteer,
  readTranslit,
  scoreTranslit,
  type KindScore,
} from './translit-eval.js';

const DEV_PATH = new URL('../../../shared/translit/dev.jsonl', import.meta.url);
const FLOORS_PATH = new URL('../floors/normalize.json', import.meta.url);

/** Figures reached so far, rounded down; they may only go up. */
interface NormalizeFloors {
  placeRecall: number;
  placeWrongMax: number;
  groupRecall: number;
  groupWrongMax: number;
  /** The same with each entity's level in the gazetteer too. */
  placeRecallWithLevel: number;
  placeWrongMaxWithLevel: number;
}

const present = existsSync(DEV_PATH);
if (!present) console.warn(`skipping translit evaluation: ${DEV_PATH.pathname} is absent`);

describe.skipIf(!present)('translit evaluation on ../shared/translit/dev.jsonl', () => {
  const entities = present ? readTranslit(DEV_PATH.pathname) : [];
  const floors = JSON.parse(readFileSync(FLOORS_PATH, 'utf8')) as NormalizeFloors;
  const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
  const report = (label: string, s: KindScore) => {
    console.log(
      `translit ${label}: ${s.variants} variants, recall ${pct(s.recall)}, wrong ${pct(s.wrong)}, none ${pct(s.none)}`,
    );
    if (process.env.TRANSLIT_VERBOSE) {
      console.log(`wrong:\n  ${s.wrongExamples.join('\n  ')}`);
      console.log(`none:\n  ${s.noneExamples.join('\n  ')}`);
    }
  };

  it('resolves variants against canonical names and regions only, above the floors', () => {
    const matcher = createNameMatcher(canonicalOnlyGazetteer(entities));
    const places = scoreTranslit(entities, matcher, 'place');
    const groups = scoreTranslit(entities, matcher, 'group');
    report('places', places);
    report('groups', groups);
    expect(places.recall).toBeGreaterThanOrEqual(floors.placeRecall);
    expect(places.wrong).toBeLessThanOrEqual(floors.placeWrongMax);
    expect(groups.recall).toBeGreaterThanOrEqual(floors.groupRecall);
    expect(groups.wrong).toBeLessThanOrEqual(floors.groupWrongMax);
  });

  it('resolves variants against canonical names, regions and levels, above the floors', () => {
    const matcher = createNameMatcher(canonicalOnlyGazetteer(entities, { withLevel: true }));
    const places = scoreTranslit(entities, matcher, 'place');
    report('places with level', places);
    expect(places.recall).toBeGreaterThanOrEqual(floors.placeRecallWithLevel);
    expect(places.wrong).toBeLessThanOrEqual(floors.placeWrongMaxWithLevel);
  });
});
