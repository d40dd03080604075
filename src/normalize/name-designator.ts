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
