import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { PermanentError } from '../errors.js';

/**
 * One row of a GeoNames dump (`cities500.txt`, `SY.txt`, `allCountries.txt`): the standard
 * table of 19 tab-separated columns described in the dump's readme. Only the columns a
 * gazetteer uses are kept.
 */
export interface GeoNamesPlace {
  geonameId: number;
  /** The name in its local romanization, with diacritics ("Ar Ruḩaybah"). */
  name: string;
  asciiName: string;
  /** Alternate names in every script and language, as the dump lists them. */
  alternateNames: string[];
  /** A (administrative unit), P (populated place), H, L, R, S, T, U, V. */
  featureClass: string;
  /** PPL, PPLA, PPLA2, PPLC, ADM1, ADM2 ... */
  featureCode: string;
  countryCode: string;
  /** The first-level administrative division's code within the country ("08"). */
  admin1: string;
  population: number;
}

/** A line that is not a row of the table, with why. */
export interface MalformedLine {
  /** 1-based line number in the file. */
  line: number;
  reason: string;
}

/** Which rows a reader keeps: one country, some feature classes. */
export interface GeoNamesFilter {
  /** ISO 3166 two-letter code, upper case ("SY"). */
  country?: string | undefined;
  /** Feature classes ("P", "A"); all when absent. */
  featureClasses?: ReadonlySet<string> | undefined;
}

export interface GeoNamesRead {
  /** Rows that pass the filter, in file order. */
  places: GeoNamesPlace[];
  malformed: MalformedLine[];
  /** Lines read, blank ones included. */
  lines: number;
}

/** The columns of the standard table. */
const COLUMNS = 19;
const FEATURE_CLASSES = new Set(['A', 'H', 'L', 'P', 'R', 'S', 'T', 'U', 'V']);
const DIGITS = /^\d+$/;
const COUNTRY = /^[A-Z]{2}$/;

/** Parses one row; a string says why the line is not one. */
export function parseGeoNamesLine(line: string): GeoNamesPlace | string {
  const cols = line.split('\t');
  if (cols.length !== COLUMNS) return `${cols.length} columns, expected ${COLUMNS}`;
  const [id, name, asciiName, alternates, lat, lon, featureClass, featureCode, country] = cols;
  const admin1 = cols[10] ?? '';
  const population = cols[14] ?? '';
  if (!DIGITS.test(id ?? '')) return `geonameid ${JSON.stringify(id)} is not a number`;
  if (!name?.trim()) return 'empty name';
  if (!Number.isFinite(Number(lat)) || !lat || !Number.isFinite(Number(lon)) || !lon) {
    return `coordinates ${JSON.stringify(lat)}, ${JSON.stringify(lon)} are not numbers`;
  }
  if (!FEATURE_CLASSES.has(featureClass ?? '')) {
    return `feature class ${JSON.stringify(featureClass)} is not one of ${[...FEATURE_CLASSES].join('')}`;
  }
  if (!COUNTRY.test(country ?? ''))
    return `country code ${JSON.stringify(country)} is not two letters`;
  if (population !== '' && !DIGITS.test(population)) {
    return `population ${JSON.stringify(population)} is not a number`;
  }
  return {
    geonameId: Number(id),
    name: name.trim(),
    asciiName: (asciiName ?? '').trim(),
    alternateNames: (alternates ?? '')
      .split(',')
      .map((a) => a.trim())
      .filter((a) => a !== ''),
    featureClass: featureClass ?? '',
    featureCode: featureCode ?? '',
    countryCode: country ?? '',
    admin1,
    population: population === '' ? 0 : Number(population),
  };
}

function keeps(place: GeoNamesPlace, filter: GeoNamesFilter): boolean {
  if (filter.country !== undefined && place.countryCode !== filter.country) return false;
  return filter.featureClasses === undefined || filter.featureClasses.has(place.featureClass);
}

/** How often the reader reports progress, in lines: a full dump has millions. */
const PROGRESS_EVERY_LINES = 250_000;

/**
 * Reads a GeoNames dump line by line (a dump of every country is gigabytes: it is never held
 * whole), keeping the rows that pass `filter`. A malformed line is reported with its number
 * and reason, and every other line is still read. An unreadable file is a PermanentError.
 */
export async function readGeoNames(
  path: string,
  filter: GeoNamesFilter = {},
  onProgress?: (lines: number) => void,
): Promise<GeoNamesRead> {
  const places: GeoNamesPlace[] = [];
  const malformed: MalformedLine[] = [];
  let lines = 0;
  const input = createReadStream(path, { encoding: 'utf8' });
  try {
    for await (const raw of createInterface({ input, crlfDelay: Infinity })) {
      lines += 1;
      if (onProgress && lines % PROGRESS_EVERY_LINES === 0) onProgress(lines);
      // Comment lines start with #, as in the dump's companion files.
      if (raw.trim() === '' || raw.startsWith('#')) continue;
      const parsed = parseGeoNamesLine(raw);
      if (typeof parsed === 'string') malformed.push({ line: lines, reason: parsed });
      else if (keeps(parsed, filter)) places.push(parsed);
    }
  } catch (cause) {
    throw new PermanentError('GEONAMES_UNREADABLE', `${path}: cannot read GeoNames table`, {
      cause,
    });
  }
  return { places, malformed, lines };
}
