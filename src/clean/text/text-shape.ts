import type { CompiledPattern } from './text-rules.js';

/** A headline has at least this many words; shorter lines before the story are chrome. */
export const MIN_TITLE_WORDS = 3;
/** ...and at most this many; longer is a paragraph. */
export const MAX_TITLE_WORDS = 30;
/** A block this long is a paragraph of prose even without closing punctuation. */
const MIN_PARAGRAPH_WORDS = 12;

export const BULLET = /^[•●◦▪‣]\s*/;
export const SENTENCE_END = /[.!?…"”’»)]$/;

export function words(text: string): number {
  let count = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const space = c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0xa0;
    if (!space && !inWord) count++;
    inWord = !space;
  }
  return count;
}

export function firstMatch<T extends CompiledPattern>(rules: T[], text: string): T | undefined {
  // A loop, not find(): this runs for every rule list on every line of every page.
  for (const rule of rules) if (rule.regex.test(text)) return rule;
  return undefined;
}

/** Folds quotes, case and spacing, so "Forcing ‘Opposition’" repeats "Forcing 'Opposition'". */
export function foldTitle(text: string): string {
  return text
    .replace(/[‘’‛′`´]/g, "'")
    .replace(/[“”„″]/g, '"')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

export function isHeadline(text: string): boolean {
  const n = words(text);
  return n >= MIN_TITLE_WORDS && n <= MAX_TITLE_WORDS && !/[.,;:]$/.test(text);
}

export function isParagraph(text: string): boolean {
  const n = words(text);
  return n >= MIN_PARAGRAPH_WORDS || (n > 3 && SENTENCE_END.test(text));
}
