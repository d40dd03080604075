import { readFileSync } from 'node:fs';
import type { Gazetteer, PlaceLevel } from '../../src/normalize/gazetteer.js';
import type { NameMatcher } from '../../src/normalize/name-matcher.js';
import { tokenizeName } from '../../src/normalize/name-tokens.js';

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
  { withLevel = false, withRegion = true }: { withLevel?: boolean; withRegion?: boolean } = {},
): Gazetteer {
  return {
    entities: entities.map((e) => {
      const level = withLevel ? levelOf(e) : undefined;
      return {
        id: e.id,
        name: e.canonical,
        type: e.kind,
        aliases: [],
        ...(withRegion && typeof e.governorate === 'string' ? { region: e.governorate } : {}),
        ...(level === undefined ? {} : { level }),
      };
    }),
  };
}

/**
 * Case, diacritics and punctuation folded: the spelling two entities must share to be
 * namesakes ("as Suwayda’" and "As-Suwayda" are one spelling). Words are folded as the
 * matcher folds them and joined by one space.
 */
function foldCase(spelling: string): string {
  return tokenizeName(spelling)
    .map((t) => t.folded)
    .join(' ');
}

/**
 * Namesake clusters: entities that share any spelling (case and diacritics folded) are one
 * cluster, joined transitively (a town, its district and its subdistrict). Each entity id maps
 * to the ids of its cluster.
 */
export function namesakeClusters(
  entities: readonly TranslitEntity[],
): Map<string, ReadonlySet<string>> {
  const parent = new Map<string, string>(entities.map((e) => [e.id, e.id]));
  const root = (id: string): string => {
    let at = id;
    while (parent.get(at) !== at) at = parent.get(at) ?? at;
    return at;
  };
  const firstOwner = new Map<string, string>();
  for (const e of entities) {
    for (const v of e.variants) {
      const key = foldCase(v);
      const owner = firstOwner.get(key);
      if (owner === undefined) firstOwner.set(key, e.id);
      else parent.set(root(e.id), root(owner));
    }
  }
  const members = new Map<string, Set<string>>();
  for (const e of entities) {
    const r = root(e.id);
    const set = members.get(r) ?? new Set<string>();
    set.add(e.id);
    members.set(r, set);
  }
  return new Map(entities.map((e) => [e.id, members.get(root(e.id)) ?? new Set([e.id])]));
}

/**
 * How a resolved variant counts as right: `namesakes`, the rule of the translit README (any
 * entity of its namesake cluster; the canonical name itself is not scored, the gazetteer
 * holds it); `owners`, the older rule (an entity that lists this very spelling; every
 * variant scored).
 */
export type ScoringRule = 'namesakes' | 'owners';

function rightEntities(
  entities: readonly TranslitEntity[],
  rule: ScoringRule,
): (entity: TranslitEntity, variant: string) => ReadonlySet<string> | undefined {
  if (rule === 'namesakes') {
    const clusters = namesakeClusters(entities);
    return (entity) => clusters.get(entity.id);
  }
  const owners = new Map<string, Set<string>>();
  for (const e of entities) {
    for (const v of e.variants) {
      const set = owners.get(v) ?? new Set<string>();
      set.add(e.id);
      owners.set(v, set);
    }
  }
  return (_entity, variant) => owners.get(variant);
}

/**
 * Which half of a seeded split of the entities `id` falls in (FNV-1a of the id and the seed):
 * thresholds are chosen on one half's variants and reported on the other's, so a figure is
 * measured on spellings it was not tuned on. Fixed by the seed, independent of line order.
 */
export function inFirstHalf(id: string, seed: number): boolean {
  let hash = 0x811c9dc5 ^ seed;
  for (let i = 0; i < id.length; i += 1) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193);
  return ((hash >>> 0) & 1) === 0;
}

/**
 * Resolves every variant (of the entities `scored` keeps) and scores it by `rule` (see {@link ScoringRule}): reaching an entity
 * the rule allows is right, reaching another a false merge.
 */
export function scoreTranslit(
  entities: readonly TranslitEntity[],
  matcher: NameMatcher,
  kind: TranslitEntity['kind'],
  rule: ScoringRule = 'namesakes',
  scored: (entity: TranslitEntity) => boolean = () => true,
): KindScore {
  const allowed = rightEntities(entities, rule);
  let total = 0;
  let right = 0;
  let wrong = 0;
  const wrongExamples: string[] = [];
  const noneExamples: string[] = [];
  for (const e of entities) {
    if (e.kind !== kind || !scored(e)) continue;
    for (const v of e.variants) {
      if (rule === 'namesakes' && v === e.canonical) continue;
      total += 1;
      const got = matcher.resolve(v);
      if (got === null) noneExamples.push(`${v} (${e.canonical})`);
      else if (allowed(e, v)?.has(got.id)) right += 1;
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
