import type { PlaceLevel } from './gazetteer.js';
import type { NameToken } from './name-tokens.js';

/**
 * Administrative words written before a name ("Nahiyat Markaz Tartus", "Muhafazat Hama"):
 * subdistrict, centre, governorate, area. They say what kind of place it is, not which.
 */
const LEADING_DESIGNATORS = new Set([
  'nahiyat',
  'nahiyah',
  'nahiya',
  'markaz',
  'muhafazat',
  'muhafazah',
  'mintaqat',
  'mantiqat',
  // Farmstead or hamlet, in French spelling ("Haouch Delbe" is Dulbah).
  'haouch',
  'hawsh',
  // The same in Arabic script, folded: governorate, district, subdistrict, centre, city.
  'محافظه',
  'منطقه',
  'ناحيه',
  'مركز',
  'مدينه',
]);

/** The same words written after a name, in English ("Tadaf Subdistrict", "Hama Governorate"). */
const TRAILING_DESIGNATORS = new Set([
  'subdistrict',
  'district',
  'governorate',
  'province',
  'city',
  'region',
  'area',
]);

/** Whether a folded word is a designator written after a name ("province", "district"). */
export function isTrailingDesignator(folded: string): boolean {
  return TRAILING_DESIGNATORS.has(folded);
}

/**
 * The name inside administrative designators, or null when there were none to remove (or
 * nothing but designators). "Sub-district" arrives as the two tokens "sub" and "district".
 */
export function stripDesignators(tokens: readonly NameToken[]): NameToken[] | null {
  let from = 0;
  let to = tokens.length;
  while (from < to && LEADING_DESIGNATORS.has(tokens[from]?.folded ?? '')) from += 1;
  while (to > from && TRAILING_DESIGNATORS.has(tokens[to - 1]?.folded ?? '')) {
    to -= 1;
    if (tokens[to - 1]?.folded === 'sub') to -= 1;
  }
  if (to <= from || (from === 0 && to === tokens.length)) return null;
  return tokens.slice(from, to);
}

/**
 * The administrative level designator words name ("Nahiyat", "Governorate", "City"): each
 * says which of a city's namesakes is meant. Words such as "Area" or "Markaz" say none.
 */
const DESIGNATED_LEVELS: ReadonlyMap<string, PlaceLevel> = new Map([
  ['nahiyat', 'subdistrict'],
  ['nahiyah', 'subdistrict'],
  ['nahiya', 'subdistrict'],
  ['subdistrict', 'subdistrict'],
  ['muhafazat', 'governorate'],
  ['muhafazah', 'governorate'],
  ['governorate', 'governorate'],
  ['province', 'governorate'],
  ['mintaqat', 'district'],
  ['district', 'district'],
  ['city', 'city'],
  ['محافظه', 'governorate'],
  ['منطقه', 'district'],
  ['ناحيه', 'subdistrict'],
  ['مدينه', 'city'],
]);

/**
 * The level the designators around a name say ("Nahiyat Markaz X", "X Sub-district"), or
 * undefined when they say none or disagree. Only the designators stripped off count, not a
 * word inside the name.
 */
export function designatedLevel(tokens: readonly NameToken[]): PlaceLevel | undefined {
  const said = new Set<PlaceLevel>();
  let from = 0;
  for (; from < tokens.length && LEADING_DESIGNATORS.has(tokens[from]?.folded ?? ''); from += 1) {
    const level = DESIGNATED_LEVELS.get(tokens[from]?.folded ?? '');
    if (level) said.add(level);
  }
  for (let to = tokens.length; to > from; to -= 1) {
    const word = tokens[to - 1]?.folded ?? '';
    if (!TRAILING_DESIGNATORS.has(word)) break;
    const sub = word === 'district' && tokens[to - 2]?.folded === 'sub';
    const level = sub ? 'subdistrict' : DESIGNATED_LEVELS.get(word);
    if (level) said.add(level);
    if (sub) to -= 1;
  }
  return said.size === 1 ? [...said][0] : undefined;
}
