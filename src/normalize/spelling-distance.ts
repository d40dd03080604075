/** Letters that stand for vowels or half-vowels in Latin transliterations of Arabic. */
const VOWEL_LETTERS = new Set(['a', 'e', 'i', 'o', 'u', 'y', 'w']);

/** Vowels are written freely (a/e/i, o/u, y/i): changing one costs a fraction of a consonant. */
export const VOWEL_EDIT_COST = 0.3;

/** h comes and goes (silent final h, ḥ written or dropped), so it costs half a consonant. */
const SOFT_CONSONANT_COST = 0.5;

/** Consonant pairs that transliterations confuse: ḥ/kh, j/g (Egyptian), s/z, t/d. */
const CLOSE_CONSONANTS = new Set(['hx', 'xh', 'jg', 'gj', 'sz', 'zs', 'hk', 'kh']);

/**
 * y and w written or left out change the syllables, not just a vowel ("Daraa" / "Darayya"):
 * dropping one costs more than dropping a vowel, less than a consonant.
 */
const HALF_VOWEL_INDEL_COST = 0.5;

function indelCost(c: string): number {
  if (c === 'y' || c === 'w') return HALF_VOWEL_INDEL_COST;
  if (VOWEL_LETTERS.has(c)) return VOWEL_EDIT_COST;
  return c === 'h' || c === ' ' ? SOFT_CONSONANT_COST : 1;
}

function substitutionCost(a: string, b: string): number {
  if (a === b) return 0;
  if (VOWEL_LETTERS.has(a) && VOWEL_LETTERS.has(b)) return VOWEL_EDIT_COST;
  if (CLOSE_CONSONANTS.has(a + b)) return SOFT_CONSONANT_COST;
  return 1;
}

/**
 * Edit distance between two {@link foldSpelling} forms where vowel edits are cheap and
 * consonant edits are not: "dumayr" and "dmeir" are 0.9 apart, "duma" and "dumayr" 1.6.
 */
export function spellingDistance(a: string, b: string): number {
  if (a === b) return 0;
  let previous = new Array<number>(b.length + 1);
  let current = new Array<number>(b.length + 1);
  previous[0] = 0;
  for (let j = 1; j <= b.length; j += 1)
    previous[j] = (previous[j - 1] ?? 0) + indelCost(b[j - 1] ?? '');
  for (let i = 1; i <= a.length; i += 1) {
    const ca = a[i - 1] ?? '';
    current[0] = (previous[0] ?? 0) + indelCost(ca);
    for (let j = 1; j <= b.length; j += 1) {
      const cb = b[j - 1] ?? '';
      current[j] = Math.min(
        (previous[j] ?? 0) + indelCost(ca),
        (current[j - 1] ?? 0) + indelCost(cb),
        (previous[j - 1] ?? 0) + substitutionCost(ca, cb),
      );
    }
    [previous, current] = [current, previous];
  }
  return previous[b.length] ?? 0;
}
