import type { GazetteerEntry, PlaceLevel } from './gazetteer.js';
import type { GeoNamesPlace } from './geonames-table.js';
import { contentTokens, wordsOf } from './name-index.js';
import { stripDesignators } from './name-designator.js';
import { tokenizeName } from './name-tokens.js';

/** GeoNames asks for this credit wherever its data is used. */
export const GEONAMES_ATTRIBUTION = 'GeoNames (geonames.org), CC BY 4.0';

/** Levels of GeoNames feature codes: capitals and seats of governorates are cities. */
const LEVEL_OF_CODE: Readonly<Record<string, PlaceLevel>> = {
  PPLC: 'city',
  PPLA: 'city',
  ADM1: 'governorate',
  ADM2: 'district',
  ADM3: 'subdistrict',
};

function levelOf(place: GeoNamesPlace): PlaceLevel | undefined {
  const level = LEVEL_OF_CODE[place.featureCode];
  if (level) return level;
  return place.featureClass === 'P' ? 'town' : undefined;
}

/** All-caps words this short among alternate names are airport and agency codes ("DAM"). */
const MAX_CODE_LENGTH = 4;

/** Latin-script alternate names shorter than this are left out. */
const MIN_LATIN_ALIAS_LETTERS = 4;

/** Latin letters and the marks of romanizations, nothing else. */
const LATIN_ONLY = /^[\p{Script=Latin}\p{M}\s'’‘`ʿʾ.-]+$/u;
const UPPER = /\p{Lu}/u;
const DIGIT = /\p{N}/u;

/**
 * Whether an alternate name can serve as an alias. GeoNames lists, besides real names, codes
 * (airport, postal), and machine romanizations of the Arabic spelling in lower case ("jyrwd",
 * "alrhybt") that no text writes: a Latin-script name without a capital is one of those.
 */
export function usableAlias(alias: string): boolean {
  if (alias.length < 2 || DIGIT.test(alias) || /[()/,;]/.test(alias)) return false;
  const latin = LATIN_ONLY.test(alias);
  if (latin && !UPPER.test(alias)) return false;
  const letters = alias.replace(/[^\p{L}]/gu, '');
  if (latin && letters.length <= MAX_CODE_LENGTH && letters === letters.toUpperCase()) return false;
  // Short Latin alternates are mostly foreign words or first names as well ("Sam" for Şam).
  if (latin && letters.length < MIN_LATIN_ALIAS_LETTERS) return false;
  return true;
}

/** Names of one entry, each once, the entry's own name left out. */
function uniqueAliases(name: string, aliases: readonly string[]): string[] {
  const seen = new Set([name]);
  const out: string[] = [];
  for (const alias of aliases) {
    if (seen.has(alias)) continue;
    seen.add(alias);
    out.push(alias);
  }
  return out;
}

/** Options of {@link entriesFromGeoNames}. */
export interface GeoNamesEntryOptions {
  /** The region (first-level division's name) a row lies in, when known. */
  regionOf?: (place: GeoNamesPlace) => string | undefined;
}

/** One gazetteer entry per GeoNames row, its usable alternate names as aliases. */
export function entriesFromGeoNames(
  places: readonly GeoNamesPlace[],
  options: GeoNamesEntryOptions = {},
): GazetteerEntry[] {
  return places.map((place) => {
    const level = levelOf(place);
    const region = options.regionOf?.(place);
    const aliases = uniqueAliases(
      place.name,
      [place.asciiName, ...place.alternateNames].filter(
        (a) => a !== '' && (a === place.asciiName || usableAlias(a)),
      ),
    );
    return {
      id: `geonames-${place.geonameId}`,
      name: place.name,
      type: place.featureClass === 'P' || place.featureClass === 'A' ? 'place' : 'other',
      aliases,
      ...(region === undefined ? {} : { region }),
      ...(level === undefined ? {} : { level }),
      ...(place.population > 0 ? { population: place.population } : {}),
      geonameId: place.geonameId,
      source: `GeoNames ${place.geonameId} (${place.featureClass}.${place.featureCode})`,
      attribution: GEONAMES_ATTRIBUTION,
    };
  });
}

/**
 * The region of each first-level division, named after its seat: the row of feature code
 * PPLC or PPLA in it ("Aleppo" for Syria's division 09). Divisions without such a row get
 * none.
 */
export function regionsBySeat(places: readonly GeoNamesPlace[]): Map<string, string> {
  const regions = new Map<string, string>();
  for (const place of places) {
    if (place.featureCode === 'PPLC' || place.featureCode === 'PPLA') {
      const key = `${place.countryCode}.${place.admin1}`;
      if (!regions.has(key) || place.featureCode === 'PPLA') regions.set(key, place.asciiName);
    }
  }
  return regions;
}

/**
 * A spelling's words without articles and administrative designators, folded: how two
 * sources' names of one place are compared ("Hama Governorate" and "Hama").
 */
export function sameNameKey(spelling: string): string {
  const tokens = tokenizeName(spelling);
  return wordsOf(contentTokens(stripDesignators(tokens) ?? tokens)).join(' ');
}

/** Levels that mean a populated place, as opposed to an administrative unit. */
const POPULATED: ReadonlySet<PlaceLevel | undefined> = new Set(['city', 'town', undefined]);

function sameKind(a: GazetteerEntry, b: GazetteerEntry): boolean {
  if (a.type !== b.type) return false;
  if (a.type !== 'place') return true;
  return (
    POPULATED.has(a.level) === POPULATED.has(b.level) &&
    (POPULATED.has(a.level) || a.level === b.level)
  );
}

/** Appends `more` to a source or attribution line, once. */
function joinCredit(line: string | undefined, more: string | undefined): string | undefined {
  if (more === undefined || line?.includes(more)) return line;
  return line === undefined ? more : `${line}; ${more}`;
}

/** `entry` with what `extra` (the same place from another source) adds. */
function absorb(entry: GazetteerEntry, extra: GazetteerEntry): GazetteerEntry {
  const source = joinCredit(entry.source, extra.source);
  const attribution = joinCredit(entry.attribution, extra.attribution);
  const region = entry.region ?? extra.region;
  const level = entry.level ?? extra.level;
  const population = entry.population ?? extra.population;
  const geonameId = entry.geonameId ?? extra.geonameId;
  const parent = entry.parent ?? extra.parent;
  return {
    ...entry,
    aliases: uniqueAliases(entry.name, [...entry.aliases, extra.name, ...extra.aliases]),
    ...(region === undefined ? {} : { region }),
    ...(level === undefined ? {} : { level }),
    ...(population === undefined ? {} : { population }),
    ...(geonameId === undefined ? {} : { geonameId }),
    ...(parent === undefined ? {} : { parent }),
    ...(source === undefined ? {} : { source }),
    ...(attribution === undefined ? {} : { attribution }),
  };
}

/**
 * Merges entries from other sources into a curated list. Curated entries come first, keep
 * their ids and gain the aliases, GeoNames id and credits of the one entry from the other
 * sources that is the same place: the same GeoNames id, or the same name (articles and
 * diacritics aside) in the same region and of the same kind (populated place, or unit of
 * the same level). Every other entry follows, in its order.
 */
export function mergeIntoCurated(
  curated: readonly GazetteerEntry[],
  others: readonly GazetteerEntry[],
): GazetteerEntry[] {
  const merged = curated.map((e) => ({ ...e }));
  const byGeonameId = new Map<number, number>();
  const byName = new Map<string, number[]>();
  merged.forEach((entry, at) => {
    if (entry.geonameId !== undefined) byGeonameId.set(entry.geonameId, at);
    for (const spelling of [entry.name, ...entry.aliases]) {
      const key = sameNameKey(spelling);
      const list = byName.get(key) ?? [];
      if (!list.includes(at)) list.push(at);
      byName.set(key, list);
    }
  });
  const linked = new Set<number>();
  const rest: GazetteerEntry[] = [];
  for (const other of others) {
    let at = other.geonameId === undefined ? undefined : byGeonameId.get(other.geonameId);
    // Its own name first, then its other names ("Tall Marjan" is also written "Tal Marjan").
    for (const spelling of [other.name, ...other.aliases]) {
      if (at !== undefined) break;
      const candidates = byName.get(sameNameKey(spelling)) ?? [];
      at = candidates.find((k) => {
        const entry = merged[k];
        if (entry === undefined || linked.has(k) || !sameKind(entry, other)) return false;
        return (
          entry.region === undefined || other.region === undefined || entry.region === other.region
        );
      });
    }
    const entry = at === undefined ? undefined : merged[at];
    if (at === undefined || entry === undefined) {
      rest.push(other);
      continue;
    }
    merged[at] = absorb(entry, other);
    linked.add(at);
  }
  return [...merged, ...rest];
}
