import type { Gazetteer, GazetteerEntry, PlaceLevel } from './gazetteer.js';
import type { EntityRef } from './name-matcher.js';
import { ARTICLE_SPELLINGS, isArticle } from './name-article.js';
import { isArabicWord, withoutArabicArticle } from './arabic-word.js';
import { foldKeepingMarks } from './fold-name.js';
import { tokenizeName, type NameToken } from './name-tokens.js';
import { appendKey, foldSpelling, joinKeys, phoneticKey, translitKey } from './translit-key.js';

/** One spelling of an entity (its name or an alias), prepared for lookup. */
export interface IndexedName {
  ref: EntityRef;
  /** Folded words of the entity's region ("rif", "dimashq"), which a page may mention. */
  regionWords: readonly string[];
  /** The spelling as the gazetteer writes it (NFC): identical text is the strongest match. */
  surface: string;
  /** Every folded word, articles included, joined by one space. */
  written: string;
  /** Folded words without articles, joined by one space: the same spelling up to articles. */
  folded: string;
  /** The same words one by one. */
  words: readonly string[];
  /** {@link foldSpelling} of the words, joined without spaces: what confirmation compares. */
  form: string;
  /** Position of the entity in the gazetteer: among homonyms the first one is the default. */
  rank: number;
  /** The gazetteer's level for the entity (city, governorate...), undefined when not given. */
  level: PlaceLevel | undefined;
}

/** Gazetteer spellings indexed by transliteration key, built once per gazetteer. */
export interface NameIndex {
  /** Name key → every spelling with that key. */
  byKey: Map<string, IndexedName[]>;
  /** {@link phoneticKey} of the name key → every spelling with it: the second, looser tier. */
  byPhoneticKey: Map<string, IndexedName[]>;
  /** Acronyms ("FSA") by their exact text: they are matched only as written. */
  byAcronym: Map<string, IndexedName[]>;
  /** Folded first words of names, so a lower-case word may start a mention ("eastern Qalamun"). */
  firstWords: Set<string>;
  /** Lower-case words that may start a span: those first words and the articles ("al-"). */
  lowerStarters: Set<string>;
  /**
   * Bit per (length, first letter, second letter) of the lower starters: most words of a page
   * are told apart from them without hashing the word.
   */
  lowerStarterShapes: Uint8Array;
  /**
   * Keys of every leading run of words of every spelling ("fr", "frsrn", "frsrnrm" for Free
   * Syrian Army): a span stops growing as soon as its key is not one of them.
   */
  prefixes: Set<string>;
  /** Most words in one spelling, articles included: the longest n-gram worth looking up. */
  maxTokens: number;
}

/** Longest acronym we treat as one; longer all-caps words are shouted names, not acronyms. */
const MAX_ACRONYM_LENGTH = 6;

/** Words of a standalone name that carry it: articles dropped unless they are the last word. */
export function contentTokens(tokens: readonly NameToken[]): NameToken[] {
  return tokens.filter((t, i) => i === tokens.length - 1 || !isArticle(t.folded));
}

/**
 * An article written fused to a later word of a name ("Ein Elniser", "Kherbet Elma'aza"):
 * el/al followed by a consonant and at least two more letters, or assimilated to a doubled
 * sun letter ("Deir Ezzor", "Deir Azzor").
 */
const FUSED_ARTICLE = /^(?:[ae]l(?=[^aeiouy][a-z]{2})|[ae](?=([tdszrn])\1[aeiou]))/;

/**
 * "Abu al-" contracted ("Abul Thohur", "Abu'l-Fida"), and the tribal "Al Bu" written as one
 * word ("Albu Kamal" for Abu Kamal): the father-of word without the article.
 */
const ABU_FORMS: ReadonlySet<string> = new Set(['abul', 'albu']);

/** Folded words that carry a name: articles dropped, also when fused to a later word. */
export function wordsOf(content: readonly NameToken[]): string[] {
  return content.map((t, i) => contentWord(t.folded, i));
}

/** The folded word at `position` among a name's content words, fused article removed. */
export function contentWord(folded: string, position: number): string {
  if (ABU_FORMS.has(folded)) return 'abu';
  // Arabic script writes the article fused to every word, the first one too.
  if (isArabicWord(folded)) return withoutArabicArticle(folded);
  return position > 0 ? folded.replace(FUSED_ARTICLE, '') : folded;
}

/** The key of a sequence of words (articles already removed). */
export function keyOfWords(words: readonly string[]): string {
  return joinKeys(words.map(translitKey));
}

function isAcronym(tokens: readonly NameToken[]): boolean {
  const only = tokens[0];
  return (
    tokens.length === 1 &&
    only !== undefined &&
    only.acronym &&
    only.text.length <= MAX_ACRONYM_LENGTH
  );
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * The spelling with hyphens between two words that are not articles removed: a hyphen may
 * only mark that two letters are not a digraph ("Shat-ha" is also written "Shathah").
 */
function joinHyphenated(spelling: string): string {
  const tokens = tokenizeName(spelling);
  let out = '';
  let at = 0;
  tokens.forEach((t, i) => {
    const before = tokens[i - 1];
    if (
      i > 0 &&
      before &&
      t.gap === 'hyphen' &&
      !isArticle(t.folded) &&
      !isArticle(before.folded)
    ) {
      out += spelling.slice(at, before.end) + t.text.toLowerCase();
      at = t.end;
    }
  });
  return out + spelling.slice(at);
}

const SHAPE_LENGTHS = 16;
const SHAPE_SLOTS = SHAPE_LENGTHS * 128 * 128;

/** A word's (length, first two letters) slot; letters outside ASCII share one slot. */
function shapeSlot(word: string): number {
  return slotOf(word.length, word.charCodeAt(0), word.charCodeAt(1));
}

/** The slot of a word by its length and first two char codes (NaN past its end). */
function slotOf(length: number, first: number, second: number): number {
  return (Math.min(length, SHAPE_LENGTHS - 1) << 14) | ((first & 127) << 7) | (second & 127);
}

/**
 * Whether a lower-case word of this length and first two char codes (NaN past its end) may
 * be one of {@link NameIndex.lowerStarters}: false rules it out without building the word.
 */
export function mayStartLowerShape(
  index: NameIndex,
  length: number,
  first: number,
  second: number,
): boolean {
  return index.lowerStarterShapes[slotOf(length, first, second)] === 1;
}

/** Indexes every name and alias of the gazetteer. */
export function buildNameIndex(gazetteer: Gazetteer): NameIndex {
  const index: NameIndex = {
    byKey: new Map(),
    byPhoneticKey: new Map(),
    byAcronym: new Map(),
    firstWords: new Set(),
    lowerStarters: new Set(ARTICLE_SPELLINGS),
    lowerStarterShapes: new Uint8Array(SHAPE_SLOTS),
    prefixes: new Set(),
    maxTokens: 1,
  };
  gazetteer.entities.forEach((entry, rank) => addEntry(index, entry, rank));
  for (const word of index.lowerStarters) index.lowerStarterShapes[shapeSlot(word)] = 1;
  return index;
}

/** The spelling form of a sequence of folded words. */
export function formOfWords(words: readonly string[]): string {
  return words.map(foldSpelling).join('');
}

/**
 * The spelling form of a name's content tokens: {@link formOfWords}, with the ʿayn and hamza
 * marks of the words that have them kept ({@link foldKeepingMarks}). `formOf` gives the form of
 * a folded word without marks.
 */
export function formOfTokens(
  content: readonly NameToken[],
  formOf: (folded: string) => string = foldSpelling,
): string {
  let form = '';
  content.forEach((t, i) => {
    const marked = foldKeepingMarks(t.text);
    form +=
      marked === undefined
        ? formOf(contentWord(t.folded, i))
        : foldSpelling(contentWord(marked, i));
  });
  return form;
}

function addEntry(index: NameIndex, entry: GazetteerEntry, rank: number): void {
  const ref: EntityRef = { id: entry.id, name: entry.name, type: entry.type };
  const regionWords =
    entry.region === undefined
      ? []
      : contentTokens(tokenizeName(entry.region)).map((t) => t.folded);
  const seen = new Set<string>();
  const spellings = [entry.name, ...entry.aliases];
  for (const spelling of [...spellings, ...spellings.map(joinHyphenated)]) {
    const tokens = tokenizeName(spelling);
    if (tokens.length === 0) continue;
    if (isAcronym(tokens)) {
      const acronym = {
        ref,
        regionWords,
        surface: spelling,
        written: spelling,
        folded: spelling,
        words: [],
        form: spelling,
        rank,
        level: entry.level,
      };
      push(index.byAcronym, spelling, acronym);
      continue;
    }
    const content = contentTokens(tokens);
    const words = wordsOf(content);
    const folded = words.join(' ');
    const surface = spelling.normalize('NFC').trim();
    if (seen.has(surface)) continue;
    seen.add(surface);
    const written = tokens.map((t) => t.folded).join(' ');
    const form = formOfTokens(content);
    const name = {
      ref,
      regionWords,
      surface,
      written,
      folded,
      words,
      form,
      rank,
      level: entry.level,
    };
    const key = keyOfWords(words);
    push(index.byKey, key, name);
    push(index.byPhoneticKey, phoneticKey(key), name);
    if (words.length > 1 && words[0] !== undefined) {
      index.firstWords.add(words[0]);
      index.lowerStarters.add(words[0]);
    }
    let prefix = '';
    for (const word of words) {
      prefix = appendKey(prefix, translitKey(word));
      index.prefixes.add(prefix);
    }
    index.maxTokens = Math.max(index.maxTokens, tokens.length);
  }
}
