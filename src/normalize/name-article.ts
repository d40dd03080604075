import type { TokenGap } from './name-tokens.js';

/**
 * Spellings of the Arabic article "al-", including its assimilation to sun letters
 * (ash-Sham, ad-Dumayr, ez-Zor) and the French "el"/"ech".
 */
const ARTICLES: ReadonlySet<string> = new Set([
  'al',
  'el',
  'il',
  'ul',
  'ar',
  'as',
  'ad',
  'an',
  'at',
  'az',
  'ash',
  'ath',
  'adh',
  'er',
  'es',
  'ed',
  'en',
  'et',
  'ez',
  'esh',
  'eth',
  'edh',
  'ech',
  // Colloquial assimilation before j ("Jeb Ej-Jarrah").
  'ej',
  // With the nominative ending of the word before ("Dayru z-Zur" written "Dayr uz-Zur").
  'uz',
  'us',
  'ur',
  'ud',
  'un',
  'ut',
  'ush',
  'uth',
  // French doubled consonants ("Enn Nasriye", "Ess Sukhne").
  'enn',
  'ess',
  'err',
  'ett',
  'ezz',
  'edd',
  // Russian-style spellings ("Ehl'-Kunejtra", "Ehs-Suvejda").
  'ehl',
  'ehs',
  'ehz',
  'ehr',
  'ehd',
  'ehn',
  'eht',
]);

/** Articles that are not also English words, so "al Rahiba" with a space is still an article. */
const UNAMBIGUOUS_ARTICLES = new Set(['al', 'el']);

/** Every spelling of the article, folded. */
export const ARTICLE_SPELLINGS: readonly string[] = [...ARTICLES];

/** True when a folded word is a spelling of the article. */
export function isArticle(folded: string): boolean {
  return ARTICLES.has(folded);
}

/**
 * True when a folded word is an article introducing the next word in running text, told from
 * that word's gap and capital alone: joined by a hyphen (also a broken one, "al- Ruhaybah"), or
 * "al"/"el" before a capitalised word ("Al Kubri"). English words that look like articles
 * ("as", "an", "at") only count with a hyphen.
 */
export function articleIntroduces(
  folded: string,
  nextGap: TokenGap,
  nextCapital: boolean,
): boolean {
  if (!isArticle(folded)) return false;
  if (nextGap === 'hyphen') return true;
  return nextGap === 'space' && nextCapital && UNAMBIGUOUS_ARTICLES.has(folded);
}
