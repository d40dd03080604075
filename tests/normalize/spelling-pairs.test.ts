import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createNameMatcher } from '../../src/normalize/create-name-matcher.js';
import type { Gazetteer } from '../../src/normalize/gazetteer.js';
import type { EntityType } from '../../src/record/canonical-record.js';

interface SpellingPairs {
  same: Array<{ name: string; type: EntityType; spellings: string[] }>;
  distinct: Array<[string, string]>;
}

const PAIRS = JSON.parse(
  readFileSync(new URL('./spelling-pairs.json', import.meta.url), 'utf8'),
) as SpellingPairs;
const FLOORS = JSON.parse(
  readFileSync(new URL('../floors/normalize.json', import.meta.url), 'utf8'),
) as { samePairsRecall: number };

const idOf = (name: string) => name.toLowerCase().replace(/[^a-z]+/g, '-');

function gazetteerOf(names: ReadonlyArray<{ name: string; type: EntityType }>): Gazetteer {
  const seen = new Set<string>();
  const entities: Gazetteer['entities'] = [];
  for (const { name, type } of names) {
    if (seen.has(name)) continue;
    seen.add(name);
    entities.push({ id: idOf(name), name, type, aliases: [] });
  }
  return { entities };
}

const typeOf = new Map(PAIRS.same.map((e) => [e.name, e.type] as const));
const named = (name: string) => ({ name, type: typeOf.get(name) ?? ('other' as const) });
const everyName = [...PAIRS.same.map((e) => named(e.name)), ...PAIRS.distinct.flat().map(named)];

describe('spelling pairs (tests/normalize/spelling-pairs.json)', () => {
  const pairCount = PAIRS.same.reduce((n, e) => n + e.spellings.length, 0) + PAIRS.distinct.length;

  it('holds at least 80 pairs', () => {
    expect(pairCount).toBeGreaterThanOrEqual(80);
  });

  it('resolves spellings of one entity to it, never to another', () => {
    const matcher = createNameMatcher(gazetteerOf(everyName));
    let right = 0;
    const merges: string[] = [];
    const misses: string[] = [];
    for (const { name, spellings } of PAIRS.same) {
      for (const spelling of spellings) {
        const got = matcher.resolve(spelling);
        if (got?.id === idOf(name)) right += 1;
        else if (got) merges.push(`${spelling} → ${got.name} (should be ${name})`);
        else misses.push(`${spelling} (${name})`);
      }
    }
    const total = right + merges.length + misses.length;
    console.log(
      `same-entity pairs: ${right}/${total} resolved, ${merges.length} false merges; missed: ${misses.join(', ') || 'none'}`,
    );
    expect(merges).toEqual([]);
    expect(right / total).toBeGreaterThanOrEqual(FLOORS.samePairsRecall);
  });

  it('never merges different entities with close spellings', () => {
    const both = createNameMatcher(gazetteerOf(everyName));
    const merges: string[] = [];
    for (const [a, b] of PAIRS.distinct) {
      for (const [known, other] of [
        [a, b],
        [b, a],
      ] as const) {
        const alone = createNameMatcher(gazetteerOf([named(known)]));
        const standalone = alone.resolve(other);
        if (standalone) merges.push(`resolve("${other}") → ${standalone.name}`);
        const inText = alone.findMentions(`Fighting was reported near ${other} on Monday.`);
        if (inText.length > 0) merges.push(`"${other}" in text → ${inText[0]?.entity.name}`);
        expect(both.resolve(known)?.id, known).toBe(idOf(known));
      }
    }
    console.log(`distinct pairs: ${PAIRS.distinct.length} checked, false merges: ${merges.length}`);
    expect(merges).toEqual([]);
  });
});
