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

/**
 * The function words as a trie over a-z, so words are looked up letter by letter as they are
 * read, without cutting them out: child `l` of node `n` is `STOP_TRIE[n * 26 + l] - 1` (-1
 * for none), and `STOP_END[n]` is 1 where a function word ends. Node 0 is the root.
 */
const { STOP_TRIE, STOP_END } = (() => {
  const children: number[][] = [[]];
  const ends: number[] = [0];
  for (const word of ENGLISH_STOPWORDS) {
    let node = 0;
    for (let k = 0; k < word.length; k++) {
      const letter = word.charCodeAt(k) - 0x61;
      let child = children[node]![letter];
      if (child === undefined) {
        child = children.length;
        children[node]![letter] = child;
        children.push([]);
        ends.push(0);
      }
      node = child;
    }
    ends[node] = 1;
  }
  const trie = new Int16Array(children.length * 26);
  children.forEach((next, node) => next.forEach((child, l) => (trie[node * 26 + l] = child + 1)));
  return { STOP_TRIE: trie, STOP_END: Uint8Array.from(ends) };
})();

/** The only characters whose lower case is an ASCII letter (İ and the Kelvin sign). */
const LOWERS_TO_ASCII = /[\u0130\u212a]/;

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

/** What one pass over a sample counts; one object, refilled by every call. */
const counts = { letters: 0, arabic: 0, cyrillic: 0, words: 0, stopwords: 0 };

/**
 * Counts the letters of a sample (all, Arabic, Cyrillic) and its words (runs of a-z once A-Z
 * is folded), walking each word down the function-word trie as it is read.
 */
function countSample(text: string): void {
  let letters = 0;
  let arabic = 0;
  let cyrillic = 0;
  let words = 0;
  let stopwords = 0;
  let inWord = false;
  let node = 0;
  for (let i = 0; i <= text.length; i++) {
    let c = i < text.length ? text.charCodeAt(i) : 0;
    if (c >= 0x41 && c <= 0x5a) c |= 0x20;
    if (c >= 0x61 && c <= 0x7a) {
      letters++;
      if (!inWord) {
        inWord = true;
        node = 0;
      }
      if (node >= 0) node = STOP_TRIE[node * 26 + c - 0x61]! - 1;
      continue;
    }
    if (inWord) {
      words++;
      if (node >= 0 && STOP_END[node] === 1) stopwords++;
      inWord = false;
    }
    if (c >= 0xc0) {
      if (isArabic(c)) arabic++;
      else if (c >= 0x0400 && c <= 0x04ff) cyrillic++;
      else if (!isLetter(c)) continue;
      letters++;
    }
  }
  counts.letters = letters;
  counts.arabic = arabic;
  counts.cyrillic = cyrillic;
  counts.words = words;
  counts.stopwords = stopwords;
}

/**
 * A cheap language guess for text pages, which state none: Arabic or Russian by script,
 * English by its function words; null when unsure.
 */
export function detectLanguage(fullText: string): string | null {
  const text = fullText.slice(0, SAMPLE_CHARS);
  countSample(text);
  const { letters, arabic, cyrillic } = counts;
  if (letters < MIN_LETTERS) return null;
  if (arabic / letters > SCRIPT_SHARE) return 'ar';
  if (cyrillic / letters > SCRIPT_SHARE) return 'ru';
  // Words are read in lower case. Folding A-Z is all of lower-casing that a-z runs see,
  // except for İ and K, which lower-case to ASCII letters: such a sample is lower-cased.
  if (LOWERS_TO_ASCII.test(text)) countSample(text.toLowerCase());
  return counts.words > 0 && counts.stopwords / counts.words >= MIN_STOPWORD_SHARE ? 'en' : null;
}
