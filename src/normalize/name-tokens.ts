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

/**
 * A word: letters, marks and digits, with inner apostrophes ("Hay’at", "Ma'arrat"). ʿ and ʾ are
 * modifier letters in Unicode, so "ʿAdra" is one word too.
 */
const WORD = /[\p{L}\p{M}\p{N}]+(?:['’‘`´][\p{L}\p{M}\p{N}]+)*/gu;

/** English possessive at the end of a word: "Douma's" names Douma. */
const POSSESSIVE = /['’‘`´][sS]$/;

/** Only blanks between two words: they may belong to one name. */
const SPACE_GAP = /^[ \t\u00a0]+$/;

/** A hyphen, possibly broken by one space on either side ("al- Ruhaybah"), but not a spaced dash. */
const HYPHEN_GAP = /^(?:[-‐‑][ \u00a0]?|[ \u00a0][-‐‑])$/;

const UPPER = /^\p{Lu}/u;
const ALL_UPPER = /^\p{Lu}{2,}$/u;

function gapBetween(text: string, from: number, to: number): TokenGap {
  if (from === to) return 'hyphen';
  const gap = text.slice(from, to);
  if (SPACE_GAP.test(gap)) return 'space';
  if (HYPHEN_GAP.test(gap)) return 'hyphen';
  return 'break';
}

/**
 * Splits text into words once, keeping offsets, so that names can be looked up as word
 * n-grams instead of scanning the text once per gazetteer name.
 */
export function tokenizeName(text: string): NameToken[] {
  const tokens: NameToken[] = [];
  let previousEnd = -1;
  for (const match of text.matchAll(WORD)) {
    let word = match[0];
    const start = match.index;
    if (POSSESSIVE.test(word) && word.length > 3) word = word.slice(0, -2);
    const end = start + word.length;
    tokens.push({
      start,
      end,
      text: word,
      folded: foldWord(word),
      capital: UPPER.test(word),
      acronym: ALL_UPPER.test(word),
      gap: previousEnd < 0 ? 'break' : gapBetween(text, previousEnd, start),
    });
    previousEnd = match.index + match[0].length;
  }
  return tokens;
}
