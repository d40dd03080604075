/** The language shows in the first few thousand characters; reading more costs without telling more. */
const SAMPLE_CHARS = 3000;
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

const LONGEST_STOPWORD = Math.max(...[...ENGLISH_STOPWORDS].map((w) => w.length));

const LETTER = /\p{L}/u;
/** Letter-ness of characters outside ASCII, worked out once each: 0 not yet, 1 letter, 2 not. */
const letterness = new Uint8Array(0x10000);

function isLetter(code: number): boolean {
  let known = letterness[code];
  if (known === 0) {
    known = LETTER.test(String.fromCharCode(code)) ? 1 : 2;
    letterness[code] = known;
  }
  return known === 1;
}

function isArabic(c: number): boolean {
  return (
    (c >= 0x0600 && c <= 0x06ff) ||
    (c >= 0x0750 && c <= 0x077f) ||
    (c >= 0x08a0 && c <= 0x08ff) ||
    (c >= 0xfb50 && c <= 0xfdff) ||
    (c >= 0xfe70 && c <= 0xfeff)
  );
}

/**
 * A cheap language guess for text pages, which state none: Arabic or Russian by script,
 * English by its function words; null when unsure.
 */
export function detectLanguage(fullText: string): string | null {
  const text = fullText.slice(0, SAMPLE_CHARS);
  let letters = 0;
  let arabic = 0;
  let cyrillic = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) letters++;
    else if (c >= 0xc0) {
      if (isArabic(c)) arabic++;
      else if (c >= 0x0400 && c <= 0x04ff) cyrillic++;
      else if (!isLetter(c)) continue;
      letters++;
    }
  }
  if (letters < MIN_LETTERS) return null;
  if (arabic / letters > SCRIPT_SHARE) return 'ar';
  if (cyrillic / letters > SCRIPT_SHARE) return 'ru';
  // Runs of a-z in the lower-cased text are its words; only those short enough to be a
  // function word are cut out and looked up.
  const lower = text.toLowerCase();
  let words = 0;
  let stop = 0;
  let start = -1;
  for (let i = 0; i <= lower.length; i++) {
    const c = i < lower.length ? lower.charCodeAt(i) : 0;
    if (c >= 0x61 && c <= 0x7a) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      words++;
      if (i - start <= LONGEST_STOPWORD && ENGLISH_STOPWORDS.has(lower.slice(start, i))) stop++;
      start = -1;
    }
  }
  return words > 0 && stop / words >= MIN_STOPWORD_SHARE ? 'en' : null;
}
