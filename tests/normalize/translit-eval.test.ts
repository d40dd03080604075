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

/**
 * Figures reached so far, rounded; they may only go up. Places are scored by the namesake rule
 * of the translit README; groups, which have no namesakes, also by the older rule (an entity
 * that lists the very spelling, canonical names scored too), whose figures go back further.
 */
interface NormalizeFloors {
  /** Canonical names alone. */
  namesakePlaceRecall: number;
  namesakePlaceWrongMax: number;
  namesakeGroupRecall: number;
  namesakeGroupWrongMax: number;
  /** Canonical names, regions and the level each row implies. */
  namesakePlaceRecallWithLevel: number;
  namesakePlaceWrongMaxWithLevel: number;
  /** Groups by the older rule, canonical names and regions. */
  groupRecall: number;
  groupWrongMax: number;
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

  it('resolves variants against canonical names alone, by the namesake rule, above the floors', () => {
    const matcher = createNameMatcher(canonicalOnlyGazetteer(entities, { withRegion: false }));
    const places = scoreTranslit(entities, matcher, 'place');
    const groups = scoreTranslit(entities, matcher, 'group');
    report('places, namesake rule', places);
    report('groups, namesake rule', groups);
    expect(places.recall).toBeGreaterThanOrEqual(floors.namesakePlaceRecall);
    expect(places.wrong).toBeLessThanOrEqual(floors.namesakePlaceWrongMax);
    expect(groups.recall).toBeGreaterThanOrEqual(floors.namesakeGroupRecall);
    expect(groups.wrong).toBeLessThanOrEqual(floors.namesakeGroupWrongMax);
  });

  it('resolves group variants by the older rule above its floors', () => {
    const matcher = createNameMatcher(canonicalOnlyGazetteer(entities));
    const groups = scoreTranslit(entities, matcher, 'group', 'owners');
    report('groups, owners rule', groups);
    expect(groups.recall).toBeGreaterThanOrEqual(floors.groupRecall);
    expect(groups.wrong).toBeLessThanOrEqual(floors.groupWrongMax);
  });

  it('resolves variants against canonical names, regions and levels, above the floors', () => {
    const matcher = createNameMatcher(canonicalOnlyGazetteer(entities, { withLevel: true }));
    const places = scoreTranslit(entities, matcher, 'place');
    report('places with region and level, namesake rule', places);
    expect(places.recall).toBeGreaterThanOrEqual(floors.namesakePlaceRecallWithLevel);
    expect(places.wrong).toBeLessThanOrEqual(floors.namesakePlaceWrongMaxWithLevel);
  });
});
