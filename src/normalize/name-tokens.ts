import { foldWord } from './fold-name.js';

/** How a token is joined to the one before it. */
export type TokenGap = 'space' | 'hyphen' | 'break';

/** One word of a name or of running text, with its exact UTF-16 offsets. */
export interface NameToken {
  start: number;
  end: number;
  text: string;
  /** {@link foldWord} of the text. */
  folded: string;
  /** First letter is upper case ("Jayrud", "FSA"). */
  capital: boolean;
  /** Every letter is upper case and there are at least two ("FSA", "HTS"). */
  acronym: boolean;
  /** What separates this token from the previous one; `break` for the first token. */
  gap: TokenGap;
}

/** Letters, marks and digits outside ASCII ("ʿ" and "ʾ" are modifier letters, so words too). */
const NON_ASCII_WORD_CHAR = /[\p{L}\p{M}\p{N}]/u;
const NON_ASCII_UPPER = /\p{Lu}/u;

/** Apostrophes that may sit inside a word ("Hay’at", "Ma'arrat"). */
const INNER_APOSTROPHES = new Set(["'", '’', '‘', '`', '´'].map((c) => c.charCodeAt(0)));

const SPACE = 0x20;
const TAB = 0x09;
const NBSP = 0xa0;
const HYPHEN = 0x2d;
const UNICODE_HYPHEN = 0x2010;
const NON_BREAKING_HYPHEN = 0x2011;

function isWordChar(code: number): boolean {
  if (code < 0x80) {
    const lower = code | 0x20;
    return (lower >= 0x61 && lower <= 0x7a) || (code >= 0x30 && code <= 0x39);
  }
  return NON_ASCII_WORD_CHAR.test(String.fromCharCode(code));
}

function isUpper(word: string, at: number): boolean {
  const code = word.charCodeAt(at);
  if (code < 0x80) return code >= 0x41 && code <= 0x5a;
  return NON_ASCII_UPPER.test(word.charAt(at));
}

function isAllUpper(word: string): boolean {
  if (word.length < 2) return false;
  for (let k = 0; k < word.length; k += 1) if (!isUpper(word, k)) return false;
  return true;
}

function isBlank(code: number): boolean {
  return code === SPACE || code === TAB || code === NBSP;
}

function isHyphen(code: number): boolean {
  return code === HYPHEN || code === UNICODE_HYPHEN || code === NON_BREAKING_HYPHEN;
}

/**
 * Only blanks between two words: they may belong to one name. A hyphen, possibly broken by
 * one blank on either side ("al- Ruhaybah"), joins them; anything else (punctuation, a spaced
 * dash, a line break) separates them.
 */
function gapBetween(text: string, from: number, to: number): TokenGap {
  const length = to - from;
  if (length === 0) return 'hyphen';
  let blanks = 0;
  let hyphens = 0;
  for (let k = from; k < to; k += 1) {
    const code = text.charCodeAt(k);
    if (isBlank(code)) blanks += 1;
    else if (isHyphen(code)) hyphens += 1;
    else return 'break';
  }
  if (hyphens === 0) return 'space';
  return hyphens === 1 && blanks <= 1 ? 'hyphen' : 'break';
}

/**
 * What folding a word needs: none for lower-case ASCII letters and digits, lower-casing for
 * other ASCII words, the full {@link foldWord} otherwise.
 */
function shapeOf(text: string, start: number, end: number): 'lower' | 'ascii' | 'other' {
  let shape: 'lower' | 'ascii' = 'lower';
  for (let k = start; k < end; k += 1) {
    const code = text.charCodeAt(k);
    if (code >= 0x80 || !isWordChar(code)) return 'other';
    if (code >= 0x41 && code <= 0x5a) shape = 'ascii';
  }
  return shape;
}

/** End of the word starting at `start`: word characters, with inner apostrophes. */
function wordEnd(text: string, start: number): number {
  let i = start;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    const lower = code | 0x20;
    if ((lower >= 0x61 && lower <= 0x7a) || (code >= 0x30 && code <= 0x39)) i += 1;
    else if (code >= 0x80 && isWordChar(code)) i += 1;
    else if (
      INNER_APOSTROPHES.has(text.charCodeAt(i)) &&
      i + 1 < text.length &&
      isWordChar(text.charCodeAt(i + 1))
    ) {
      i += 2;
    } else {
      break;
    }
  }
  return i;
}

/**
 * Shortest word an English possessive is taken from: "Douma's" names Douma, but "Ra's" is the
 * Arabic ra's (headland, "Ra's al Khashufah").
 */
const MIN_POSSESSIVE_BASE = 3;

/** An English possessive ending a word: "Douma's" names Douma. */
function possessiveAt(text: string, start: number, end: number): boolean {
  if (end - start - 2 < MIN_POSSESSIVE_BASE) return false;
  const s = text.charCodeAt(end - 1) | 0x20;
  return s === 0x73 && INNER_APOSTROPHES.has(text.charCodeAt(end - 2));
}

/**
 * Splits text into words once, keeping offsets, so that names can be looked up as word
 * n-grams instead of scanning the text once per gazetteer name.
 */
export function tokenizeName(text: string): NameToken[] {
  const tokens: NameToken[] = [];
  let previousEnd = -1;
  let i = 0;
  while (i < text.length) {
    if (!isWordChar(text.charCodeAt(i))) {
      i += 1;
      continue;
    }
    const start = i;
    const fullEnd = wordEnd(text, start);
    const end = possessiveAt(text, start, fullEnd) ? fullEnd - 2 : fullEnd;
    const word = text.slice(start, end);
    const shape = shapeOf(text, start, end);
    tokens.push({
      start,
      end,
      text: word,
      folded: shape === 'lower' ? word : shape === 'ascii' ? word.toLowerCase() : foldWord(word),
      capital: isUpper(word, 0),
      acronym: end - start >= 2 && (shape === 'lower' ? false : isAllUpper(word)),
      gap: previousEnd < 0 ? 'break' : gapBetween(text, previousEnd, start),
    });
    previousEnd = fullEnd;
    i = fullEnd;
  }
  return tokens;
}
