import { readFileSync } from 'node:fs';
import type { Gazetteer, PlaceLevel } from '../../src/normalize/gazetteer.js';
import type { NameMatcher } from '../../src/normalize/name-matcher.js';

/** One line of ../shared/translit/dev.jsonl. */
export interface TranslitEntity {
  id: string;
  canonical: string;
  kind: 'place' | 'group';
  variants: string[];
  governorate?: string | null;
  /** Where the line comes from: a file of the source repository, which implies a level. */
  source?: string | null;
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

/** Source files of administrative units, by the level their lines are. */
const LEVEL_OF_SOURCE_FILE: ReadonlyMap<string, PlaceLevel> = new Map([
  ['governorates.json', 'governorate'],
  ['districts.json', 'district'],
  ['subdistricts.json', 'subdistrict'],
]);

/**
 * The level a line's origin implies, as a real gazetteer's row would carry it: its source file
 * for administrative units, the `city:` ids of the aliases review, GeoNames' populated places.
 */
export function levelOf(e: TranslitEntity): PlaceLevel | undefined {
  if (e.kind !== 'place') return undefined;
  const file = e.source?.split('/').pop();
  const fromFile = file === undefined ? undefined : LEVEL_OF_SOURCE_FILE.get(file);
  if (fromFile) return fromFile;
  if (e.id.startsWith('city:')) return 'city';
  if (e.id.startsWith('geonames:')) return 'town';
  return undefined;
}

/**
 * The gazetteer the acceptance asks for: each entity's canonical name and region and nothing
 * else; with `withLevel`, also the level its row implies (row metadata, not a spelling).
 */
export function canonicalOnlyGazetteer(
  entities: readonly TranslitEntity[],
  { withLevel = false }: { withLevel?: boolean } = {},
): Gazetteer {
  return {
    entities: entities.map((e) => {
      const level = withLevel ? levelOf(e) : undefined;
      return {
        id: e.id,
        name: e.canonical,
        type: e.kind,
        aliases: [],
        ...(typeof e.governorate === 'string' ? { region: e.governorate } : {}),
        ...(level === undefined ? {} : { level }),
      };
    }),
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
