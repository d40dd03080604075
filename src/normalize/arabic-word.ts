/**
 * Arabic script in names: the letter variants that spellings of one name disagree on, the
 * article written fused to its word, and the conjunctions and prepositions written fused in
 * front of it (وال، بال، لل، فـ).
 */

/** Arabic letters, their presentation forms and supplements. */
export function isArabicCode(code: number): boolean {
  return (
    (code >= 0x0600 && code <= 0x06ff) ||
    (code >= 0x0750 && code <= 0x077f) ||
    (code >= 0x08a0 && code <= 0x08ff) ||
    (code >= 0xfb50 && code <= 0xfdff) ||
    (code >= 0xfe70 && code <= 0xfeff)
  );
}

/** Whether a folded word is written in Arabic script (its first letter says). */
export function isArabicWord(folded: string): boolean {
  return folded.length > 0 && isArabicCode(folded.charCodeAt(0));
}

/**
 * Letters written for one another, after NFD has taken the hamza off alef, waw and ya (أ إ آ
 * → ا): taa marbuta and ha (ة ه), alef maqsura and ya (ى ي), and the Persian forms of ya and
 * kaf; the tatweel that stretches a word is dropped.
 */
export const ARABIC_LETTER_FOLDS: Readonly<Record<string, string>> = {
  ة: 'ه',
  ى: 'ي',
  ی: 'ي',
  ک: 'ك',
  ٱ: 'ا',
  ـ: '',
};
export const ARABIC_FOLDED_LETTERS = /[ةىیکٱـ]/g;

/** The article al- fused to its word ("الضمير"); what is left must be a word of two letters. */
const ARTICLE = 'ال';
const MIN_STEM = 2;

/** An Arabic word without its fused article ("القلمون" → "قلمون"). */
export function withoutArabicArticle(folded: string): string {
  return folded.startsWith(ARTICLE) && folded.length - ARTICLE.length >= MIN_STEM
    ? folded.slice(ARTICLE.length)
    : folded;
}

/** Conjunctions (wa, fa) and prepositions (bi, li, ka) written fused to the next word. */
const CONJUNCTIONS = new Set(['و', 'ف']);
const PREPOSITIONS = new Set(['ب', 'ل', 'ك']);

/**
 * The ways to read an Arabic word of running text as a name with fused particles in front,
 * fewest letters removed first: each is how many letters of the folded word are particles.
 * "والقلمون" is wa + al-Qalamun, "للقلمون" li + (a)l-Qalamun with the alef elided, "بدوما"
 * bi + Duma. The word itself (0) is not listed.
 */
export function particleLengths(folded: string): number[] {
  const out: number[] = [];
  let at = 0;
  if (CONJUNCTIONS.has(folded.charAt(0))) {
    at = 1;
    out.push(at);
  }
  if (PREPOSITIONS.has(folded.charAt(at))) out.push(at + 1);
  return out.filter((n) => folded.length - n >= MIN_STEM);
}

/**
 * The word left after `particles` letters: "لل" + stem is li + the article with its alef
 * elided, given back with the article ("للقلمون" → "القلمون").
 */
export function afterParticles(folded: string, particles: number): string {
  const rest = folded.slice(particles);
  return folded.charAt(particles - 1) === 'ل' && rest.startsWith('ل') && !rest.startsWith(ARTICLE)
    ? `ا${rest}`
    : rest;
}
