import { readFileSync } from 'node:fs';
import type { Gazetteer } from '../../src/normalize/gazetteer.js';
import type { NameMatcher } from '../../src/normalize/name-matcher.js';

/** One line of ../shared/translit/dev.jsonl. */
export interface TranslitEntity {
  id: string;
  canonical: string;
  kind: 'place' | 'group';
  variants: string[];
  governorate?: string | null;
}

/** Recall, false merges and abstentions over every variant of one kind. */
export interface KindScore {
  variants: number;
  recall: number;
  wrong: number;
  none: number;
  /** Variants that reached another entity, for diagnosis. */
  wrongExamples: string[];
  noneExamples: string[];
}

export function readTranslit(path: string): TranslitEntity[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as TranslitEntity);
}

/** The gazetteer the acceptance asks for: each entity's canonical name and nothing else. */
export function canonicalOnlyGazetteer(entities: readonly TranslitEntity[]): Gazetteer {
  return {
    entities: entities.map((e) => ({
      id: e.id,
      name: e.canonical,
      type: e.kind,
      aliases: [],
      ...(typeof e.governorate === 'string' ? { region: e.governorate } : {}),
    })),
  };
}

/** Resolves every variant; a spelling listed by several entities is right for any of them. */
export function scoreTranslit(
  entities: readonly TranslitEntity[],
  matcher: NameMatcher,
  kind: TranslitEntity['kind'],
): KindScore {
  const owners = new Map<string, Set<string>>();
  for (const e of entities) {
    for (const v of e.variants) {
      const set = owners.get(v) ?? new Set<string>();
      set.add(e.id);
      owners.set(v, set);
    }
  }
  let total = 0;
  let right = 0;
  let wrong = 0;
  const wrongExamples: string[] = [];
  const noneExamples: string[] = [];
  for (const e of entities) {
    if (e.kind !== kind) continue;
    for (const v of e.variants) {
      total += 1;
      const got = matcher.resolve(v);
      if (got === null) noneExamples.push(`${v} (${e.canonical})`);
      else if (owners.get(v)?.has(got.id)) right += 1;
      else {
        wrong += 1;
        wrongExamples.push(`${v} (${e.canonical}) → ${got.name}`);
      }
    }
  }
  return {
    variants: total,
    recall: right / total,
    wrong: wrong / total,
    none: (total - right - wrong) / total,
    wrongExamples,
    noneExamples,
  };
}
