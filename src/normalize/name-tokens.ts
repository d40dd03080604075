import { isArabicCode } from './arabic-word.js';
import { foldWord } from './fold-name.js';

/**
 * `String.prototype.charCodeAt`, called on a text rather than looked up on it: texts arrive as
 * many kinds of string (concatenated, sliced, flat one- or two-byte, the gazetteer's interned
 * names), and past four kinds the lookup `text.charCodeAt` turns megamorphic: the JIT then
 * calls it generically for every character, which made scanning a page twice as slow once the
 * gazetteer's names had been tokenized.
 */
const charCodeOf = String.prototype.charCodeAt;

/** The UTF-16 code at `at` of `text` (NaN past its end), whatever kind of string it is. */
export function codeAt(text: string, at: number): number {
  return charCodeOf.call(text, at);
}

/** How a token is joined to the one before it. */
export type TokenGap = 'space' | 'hyphen' | 'break';

/** One word of a name or of running text, with its exact UTF-16 offsets. */
export interface NameToken {
  start: number;
  end: number;
  text: string;
  /** {@link foldWord} of the text. */
  folded: string;
  /** First letter is upper case ("Jayrud", "FSA"), or of a caseless script (Arabic). */
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

/** {@link INNER_APOSTROPHES} without hashing: most characters that end a word are ASCII. */
function isInnerApostrophe(code: number): boolean {
  if (code < 0x80) return code === 0x27 || code === 0x60;
  return INNER_APOSTROPHES.has(code);
}

const SPACE = 0x20;
const TAB = 0x09;
const NBSP = 0xa0;
const HYPHEN = 0x2d;
const UNICODE_HYPHEN = 0x2010;
const NON_BREAKING_HYPHEN = 0x2011;

/** Word-ness of characters outside ASCII, worked out once each: 0 not yet, 1 word, 2 not. */
const nonAsciiWordness = new Uint8Array(0x10000);

function isWordChar(code: number): boolean {
  if (code < 0x80) {
    const lower = code | 0x20;
    return (lower >= 0x61 && lower <= 0x7a) || (code >= 0x30 && code <= 0x39);
  }
  let known = nonAsciiWordness[code];
  if (known === 0) {
    known = NON_ASCII_WORD_CHAR.test(String.fromCharCode(code)) ? 1 : 2;
    nonAsciiWordness[code] = known;
  }
  return known === 1;
}

/** Upper-case-ness of characters outside ASCII, worked out once each: 0 not yet, 1 upper, 2 not. */
const nonAsciiUpperness = new Uint8Array(0x10000);

function isUpper(text: string, at: number): boolean {
  const code = codeAt(text, at);
  if (code < 0x80) return code >= 0x41 && code <= 0x5a;
  let known = nonAsciiUpperness[code];
  if (known === 0) {
    known = NON_ASCII_UPPER.test(text.charAt(at)) ? 1 : 2;
    nonAsciiUpperness[code] = known;
  }
  return known === 1;
}

function isAllUpper(text: string, start: number, end: number): boolean {
  if (end - start < 2) return false;
  for (let k = start; k < end; k += 1) if (!isUpper(text, k)) return false;
  return true;
}

function isBlank(code: number): boolean {
  return code === SPACE || code === TAB || code === NBSP;
}

function isHyphen(code: number): boolean {
  return code === HYPHEN || code === UNICODE_HYPHEN || code === NON_BREAKING_HYPHEN;
}

/**
 * What folding a word needs: none for lower-case ASCII letters and digits, lower-casing for
 * other ASCII words, the full {@link foldWord} otherwise.
 */
function shapeOf(text: string, start: number, end: number): 'lower' | 'ascii' | 'other' {
  let shape: 'lower' | 'ascii' = 'lower';
  for (let k = start; k < end; k += 1) {
    const code = codeAt(text, k);
    if (code >= 0x80 || !isWordChar(code)) return 'other';
    if (code >= 0x41 && code <= 0x5a) shape = 'ascii';
  }
  return shape;
}

/**
 * Shortest word an English possessive is taken from: "Douma's" names Douma, but "Ra's" is the
 * Arabic ra's (headland, "Ra's al Khashufah").
 */
const MIN_POSSESSIVE_BASE = 3;

/** An English possessive ending a word: "Douma's" names Douma. */
function possessiveAt(text: string, start: number, end: number): boolean {
  if (end - start - 2 < MIN_POSSESSIVE_BASE) return false;
  const s = codeAt(text, end - 1) | 0x20;
  return s === 0x73 && isInnerApostrophe(codeAt(text, end - 2));
}

/** Bits of {@link TextTokens.flags}. */
export const TOKEN_CAPITAL = 1;
export const TOKEN_ACRONYM = 2;
const SHAPE_SHIFT = 2;
const GAP_SHIFT = 4;
/** {@link shapeOf} as two bits of the flags. */
export const SHAPE_LOWER = 0;
export const SHAPE_ASCII = 1;
export const SHAPE_OTHER = 2;
const GAPS: readonly TokenGap[] = ['space', 'hyphen', 'break'];
const GAP_CODES: Readonly<Record<TokenGap, number>> = { space: 0, hyphen: 1, break: 2 };

/**
 * The words of a text as parallel arrays, without a string or an object per word: running
 * text is mostly words that start no name, and those are skipped on their offsets and flags.
 */
export interface TextTokens {
  readonly text: string;
  readonly count: number;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  /** {@link TOKEN_CAPITAL}, {@link TOKEN_ACRONYM}, the shape and the gap of each word. */
  readonly flags: Uint8Array;
}

/** The gap before a word, from its flags. */
export function gapOfFlags(flags: number): TokenGap {
  return GAPS[(flags >> GAP_SHIFT) & 3] ?? 'break';
}

/** Whether a word's flags say it is cut off from the word before (its gap is a `break`). */
export function breaksBefore(flags: number): boolean {
  return ((flags >> GAP_SHIFT) & 3) === GAP_CODES.break;
}

/** The shape bits (see {@link SHAPE_LOWER}) of a word's flags. */
export function shapeOfFlags(flags: number): number {
  return (flags >> SHAPE_SHIFT) & 3;
}

/** Offsets and flags are gathered here, then copied out at their exact length. */
let scratchStarts = new Int32Array(1024);
let scratchEnds = new Int32Array(1024);
let scratchFlags = new Uint8Array(1024);

function growScratch(): void {
  const grow = <T extends Int32Array | Uint8Array>(a: T, make: (n: number) => T): T => {
    const bigger = make(a.length * 2);
    bigger.set(a);
    return bigger;
  };
  scratchStarts = grow(scratchStarts, (n) => new Int32Array(n));
  scratchEnds = grow(scratchEnds, (n) => new Int32Array(n));
  scratchFlags = grow(scratchFlags, (n) => new Uint8Array(n));
}

const SHAPE_BITS = { lower: SHAPE_LOWER, ascii: SHAPE_ASCII, other: SHAPE_OTHER } as const;

/**
 * Only blanks between two words: they may belong to one name. A hyphen, possibly broken by
 * one blank on either side ("al- Ruhaybah"), joins them; anything else (punctuation, a spaced
 * dash, a line break) separates them.
 * This is the gap of what lies between holding only these blanks and hyphens.
 */
function gapOf(blanks: number, hyphens: number): number {
  if (blanks + hyphens === 0) return GAP_CODES.hyphen;
  if (hyphens === 0) return GAP_CODES.space;
  return hyphens === 1 && blanks <= 1 ? GAP_CODES.hyphen : GAP_CODES.break;
}

/** Classes of ASCII characters, so the scanner's common case is one table read. */
const ASCII_LOWER = 1;
const ASCII_UPPER = 2;
const ASCII_DIGIT = 4;
const ASCII_BLANK = 8;
const ASCII_HYPHEN = 16;
const ASCII_APOSTROPHE = 32;
const ASCII_WORD = ASCII_LOWER | ASCII_UPPER | ASCII_DIGIT;
const ASCII_CLASSES = (() => {
  const classes = new Uint8Array(0x80);
  for (let c = 0; c < 0x80; c += 1) {
    if (c >= 0x61 && c <= 0x7a) classes[c] = ASCII_LOWER;
    else if (c >= 0x41 && c <= 0x5a) classes[c] = ASCII_UPPER;
    else if (c >= 0x30 && c <= 0x39) classes[c] = ASCII_DIGIT;
    else if (isBlank(c)) classes[c] = ASCII_BLANK;
    else if (isHyphen(c)) classes[c] = ASCII_HYPHEN;
    else if (isInnerApostrophe(c)) classes[c] = ASCII_APOSTROPHE;
  }
  return classes;
})();

/**
 * The rest of a word from `from`, where a character outside ASCII or an apostrophe stands:
 * its end, times two, plus one when every letter so far and after is upper case. Kept out of
 * the scanner's loop, which then only ever sees ASCII.
 */
function restOfWord(text: string, from: number, allUpperSoFar: boolean): number {
  let i = from;
  let allUpper = allUpperSoFar;
  while (i < text.length) {
    const c = codeAt(text, i);
    if (isWordChar(c)) {
      if (allUpper && !isUpper(text, i)) allUpper = false;
      i += 1;
    } else if (isInnerApostrophe(c) && i + 1 < text.length && isWordChar(codeAt(text, i + 1))) {
      allUpper = false;
      i += 2;
    } else {
      break;
    }
  }
  return i * 2 + (allUpper ? 1 : 0);
}

/** What a character outside ASCII between two words is: a word start, blank, hyphen or other. */
function nonAsciiClass(code: number): number {
  if (isWordChar(code)) return ASCII_WORD;
  if (isBlank(code)) return ASCII_BLANK;
  return isHyphen(code) ? ASCII_HYPHEN : 0;
}

/** The scanner's words so far, and what lies between the last word and the next one. */
const scan = { count: 0, blanks: 0, hyphens: 0, otherBetween: false };

/** Records the word `text[start, fullEnd)`, of the given shape, after what lies before it. */
function pushWord(
  text: string,
  start: number,
  fullEnd: number,
  wordShape: number,
  wordAllUpper: boolean,
): void {
  let end = fullEnd;
  let shape = wordShape;
  let allUpper = wordAllUpper;
  if (possessiveAt(text, start, fullEnd)) {
    end = fullEnd - 2;
    shape = SHAPE_BITS[shapeOf(text, start, end)];
    allUpper = isAllUpper(text, start, end);
  }
  const count = scan.count;
  let gap = GAP_CODES.break;
  if (count > 0 && !scan.otherBetween) gap = gapOf(scan.blanks, scan.hyphens);
  let flags = (shape << SHAPE_SHIFT) | (gap << GAP_SHIFT);
  // A caseless script (Arabic) shows no capitals: any of its words may be a name. Only a word
  // whose shape is not plain ASCII can be one.
  if (isUpper(text, start) || (shape === SHAPE_OTHER && isArabicCode(codeAt(text, start)))) {
    flags |= TOKEN_CAPITAL;
  }
  if (shape !== SHAPE_LOWER && end - start >= 2 && allUpper) flags |= TOKEN_ACRONYM;
  if (count === scratchFlags.length) growScratch();
  scratchStarts[count] = start;
  scratchEnds[count] = end;
  scratchFlags[count] = flags;
  scan.count = count + 1;
  scan.blanks = 0;
  scan.hyphens = 0;
  scan.otherBetween = false;
}

/** Counts a character that separates words into what lies between them. */
function between(kind: number): void {
  if (kind === ASCII_BLANK) scan.blanks += 1;
  else if (kind === ASCII_HYPHEN) scan.hyphens += 1;
  else scan.otherBetween = true;
}

/**
 * Scans plain ASCII words from `from` on, and stops where a character outside ASCII or an
 * apostrophe followed by a letter stands: at that character between words, or at the start of
 * the word it is in. English text is read here without a call per character.
 */
function scanAscii(text: string, from: number): number {
  const length = text.length;
  let i = from;
  while (i < length) {
    const code = codeAt(text, i);
    if (code >= 0x80) return i;
    const kind = ASCII_CLASSES[code] ?? 0;
    if ((kind & ASCII_WORD) === 0) {
      between(kind);
      i += 1;
      continue;
    }
    const start = i;
    let shape = SHAPE_LOWER;
    let allUpper = true;
    while (i < length) {
      const c = codeAt(text, i);
      if (c >= 0x80) return start;
      const k = ASCII_CLASSES[c] ?? 0;
      if (k === ASCII_LOWER) {
        allUpper = false;
      } else if (k === ASCII_UPPER) {
        if (shape === SHAPE_LOWER) shape = SHAPE_ASCII;
      } else if (k === ASCII_DIGIT) {
        allUpper = false;
      } else {
        if (k === ASCII_APOSTROPHE && i + 1 < length) {
          const next = codeAt(text, i + 1);
          if (next >= 0x80 || ((ASCII_CLASSES[next] ?? 0) & ASCII_WORD) !== 0) return start;
        }
        break;
      }
      i += 1;
    }
    pushWord(text, start, i, shape, allUpper);
  }
  return i;
}

/** Scans the one word at `start`, whatever its characters, and returns its end. */
function scanWord(text: string, start: number): number {
  const length = text.length;
  let i = start;
  let shape = SHAPE_LOWER;
  let allUpper = true;
  while (i < length) {
    const c = codeAt(text, i);
    const k = c < 0x80 ? (ASCII_CLASSES[c] ?? 0) : 0;
    if (k === ASCII_LOWER) {
      allUpper = false;
      i += 1;
    } else if (k === ASCII_UPPER) {
      if (shape === SHAPE_LOWER) shape = SHAPE_ASCII;
      i += 1;
    } else if (k === ASCII_DIGIT) {
      allUpper = false;
      i += 1;
    } else {
      if (c >= 0x80 || k === ASCII_APOSTROPHE) {
        const rest = restOfWord(text, i, allUpper);
        if (rest >> 1 > i) {
          shape = SHAPE_OTHER;
          allUpper = (rest & 1) === 1;
          i = rest >> 1;
        }
      }
      break;
    }
  }
  pushWord(text, start, i, shape, allUpper);
  return i;
}

/**
 * Splits text into words once, keeping offsets: the words of {@link tokenizeName}, found in
 * one pass over the characters that also tells each word's shape, capitals and gap.
 */
export function scanTokens(text: string): TextTokens {
  scan.count = 0;
  scan.blanks = 0;
  scan.hyphens = 0;
  scan.otherBetween = false;
  let i = 0;
  while (i < text.length) {
    i = scanAscii(text, i);
    if (i >= text.length) break;
    const code = codeAt(text, i);
    const kind = code < 0x80 ? (ASCII_CLASSES[code] ?? 0) : nonAsciiClass(code);
    if ((kind & ASCII_WORD) !== 0) {
      i = scanWord(text, i);
    } else {
      between(kind);
      i += 1;
    }
  }
  const count = scan.count;
  return {
    text,
    count,
    starts: scratchStarts.slice(0, count),
    ends: scratchEnds.slice(0, count),
    flags: scratchFlags.slice(0, count),
  };
}

/** {@link foldWord} of word `i`, skipped where the word is already lower-case ASCII. */
export function foldedAt(tokens: TextTokens, i: number): string {
  const word = tokens.text.slice(tokens.starts[i], tokens.ends[i]);
  const shape = shapeOfFlags(tokens.flags[i] ?? 0);
  return shape === SHAPE_LOWER ? word : shape === SHAPE_ASCII ? word.toLowerCase() : foldWord(word);
}

/** Word `i` as a {@link NameToken}, its fold given when already known. */
export function tokenAt(tokens: TextTokens, i: number, folded = foldedAt(tokens, i)): NameToken {
  const flags = tokens.flags[i] ?? 0;
  const start = tokens.starts[i] ?? 0;
  const end = tokens.ends[i] ?? 0;
  return {
    start,
    end,
    text: tokens.text.slice(start, end),
    folded,
    capital: (flags & TOKEN_CAPITAL) !== 0,
    acronym: (flags & TOKEN_ACRONYM) !== 0,
    gap: gapOfFlags(flags),
  };
}

/**
 * Splits text into words once, keeping offsets, so that names can be looked up as word
 * n-grams instead of scanning the text once per gazetteer name.
 */
export function tokenizeName(text: string): NameToken[] {
  const tokens = scanTokens(text);
  const out: NameToken[] = [];
  for (let i = 0; i < tokens.count; i += 1) out.push(tokenAt(tokens, i));
  return out;
}
