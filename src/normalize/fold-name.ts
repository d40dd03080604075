import { ARABIC_FOLDED_LETTERS, ARABIC_LETTER_FOLDS } from './arabic-word.js';

/** Apostrophe-like marks that stand for ʿayn, hamza or elision and carry no letter of their own. */
const APOSTROPHES = /['’‘`´ʿʾʻʼ′]/g;

/** Combining marks left by NFD: dots, macrons, acutes and cedillas of scholarly transliteration. */
const COMBINING_MARKS = /\p{M}/gu;

/** Letters that NFD does not decompose but that transliterations use for plain Latin ones. */
const LETTER_FOLDS: Record<string, string> = {
  ı: 'i',
  ł: 'l',
  ø: 'o',
  æ: 'ae',
  œ: 'oe',
  ß: 'ss',
  đ: 'd',
  ð: 'dh',
  þ: 'th',
  ə: 'e',
};
const FOLDED_LETTERS = /[ıłøæœßđðþə]/g;

/** Most words of English text need nothing but lower case. */
const PLAIN_WORD = /^[A-Za-z0-9]+$/;

/**
 * Folds one word the way every spelling of a name agrees on: lower case, diacritics and
 * apostrophes removed ("Ḩawar" → "hawar", "Hay’at" → "hayat"); in Arabic script, the short
 * vowels and shadda, the hamza on alef, waw and ya, and the letter variants of
 * {@link ARABIC_LETTER_FOLDS} ("حماة" and "حماه"). Letters are otherwise kept, so two words
 * with the same fold are the same spelling.
 */
export function foldWord(word: string): string {
  if (PLAIN_WORD.test(word)) return word.toLowerCase();
  return word
    .normalize('NFD')
    .replace(COMBINING_MARKS, '')
    .toLowerCase()
    .replace(APOSTROPHES, '')
    .replace(FOLDED_LETTERS, (c) => LETTER_FOLDS[c] ?? c)
    .replace(ARABIC_FOLDED_LETTERS, (c) => ARABIC_LETTER_FOLDS[c] ?? c);
}

/** ʿayn and hamza written inside or at the end of a word ("Sa'sa'", "Ma‘arrat"). */
const INNER_MARKS = /(?<=\p{L})['’‘`´ʿʾʻʼ′]/gu;
const INNER_MARK = /(?<=\p{L})['’‘`´ʿʾʻʼ′]/u;

/**
 * {@link foldWord}, except that an ʿayn or hamza mark after a letter is kept, as `'`: it is a
 * consonant of the name, which other spellings drop or write as a vowel ("Dar'a" / "Daraa")
 * but which tells "Sa'sa'" from "Susah". Undefined when the word has no such mark.
 */
export function foldKeepingMarks(word: string): string | undefined {
  if (!INNER_MARK.test(word)) return undefined;
  return foldWord(word.replace(INNER_MARKS, '\uE000')).replace(/\uE000/g, "'");
}
