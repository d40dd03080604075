/** Below this many letters a guess at the language is noise. */
const MIN_LETTERS = 40;
/** Share of letters from one script that makes the page that script's language. */
const SCRIPT_SHARE = 0.3;
/** Share of words that are English function words in ordinary English prose (usually 0.3 to 0.5). */
const MIN_STOPWORD_SHARE = 0.15;

const ENGLISH_STOPWORDS = new Set(
  'the of and to in a is that for on with as by at from it was are be this an has have had were which or not its their they will'.split(
    ' ',
  ),
);

/**
 * A cheap language guess for text pages, which state none: Arabic or Russian by script,
 * English by its function words; null when unsure.
 */
export function detectLanguage(text: string): string | null {
  const letters = text.match(/\p{L}/gu)?.length ?? 0;
  if (letters < MIN_LETTERS) return null;
  const arabic = text.match(/\p{Script=Arabic}/gu)?.length ?? 0;
  if (arabic / letters > SCRIPT_SHARE) return 'ar';
  const cyrillic = text.match(/\p{Script=Cyrillic}/gu)?.length ?? 0;
  if (cyrillic / letters > SCRIPT_SHARE) return 'ru';
  const tokens = text.toLowerCase().match(/\p{L}+/gu) ?? [];
  const stop = tokens.filter((t) => ENGLISH_STOPWORDS.has(t)).length;
  return tokens.length > 0 && stop / tokens.length >= MIN_STOPWORD_SHARE ? 'en' : null;
}
