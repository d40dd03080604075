import type { Gazetteer, GazetteerEntry } from './gazetteer.js';
import type { EntityRef } from './name-matcher.js';
import { isArticle } from './name-article.js';
import { tokenizeName, type NameToken } from './name-tokens.js';
import { joinKeys, translitKey } from './translit-key.js';

/** One spelling of an entity (its name or an alias), prepared for lookup. */
export interface IndexedName {
  ref: EntityRef;
  region: string | undefined;
  /** Folded words without articles, joined by one space: the exact spelling. */
  folded: string;
  /** The same words one by one. */
  words: readonly string[];
}

/** Gazetteer spellings indexed by transliteration key, built once per gazetteer. */
export interface NameIndex {
  /** Name key → every spelling with that key. */
  byKey: Map<string, IndexedName[]>;
  /** Acronyms ("FSA") by their exact text: they are matched only as written. */
  byAcronym: Map<string, IndexedName[]>;
  /** Folded first words of names, so a lower-case word may start a mention ("eastern Qalamun"). */
  firstWords: Set<string>;
  /** Most words in one spelling, articles included: the longest n-gram worth looking up. */
  maxTokens: number;
}

/** Longest acronym we treat as one; longer all-caps words are shouted names, not acronyms. */
const MAX_ACRONYM_LENGTH = 6;

/** Words of a standalone name that carry it: articles dropped unless they are the last word. */
export function contentTokens(tokens: readonly NameToken[]): NameToken[] {
  return tokens.filter((t, i) => i === tokens.length - 1 || !isArticle(t.folded));
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

/** Indexes every name and alias of the gazetteer. */
export function buildNameIndex(gazetteer: Gazetteer): NameIndex {
  const index: NameIndex = {
    byKey: new Map(),
    byAcronym: new Map(),
    firstWords: new Set(),
    maxTokens: 1,
  };
  for (const entry of gazetteer.entities) addEntry(index, entry);
  return index;
}

function addEntry(index: NameIndex, entry: GazetteerEntry): void {
  const ref: EntityRef = { id: entry.id, name: entry.name, type: entry.type };
  const seen = new Set<string>();
  for (const spelling of [entry.name, ...entry.aliases]) {
    const tokens = tokenizeName(spelling);
    if (tokens.length === 0) continue;
    if (isAcronym(tokens)) {
      push(index.byAcronym, spelling, { ref, region: entry.region, folded: spelling, words: [] });
      continue;
    }
    const words = contentTokens(tokens).map((t) => t.folded);
    const folded = words.join(' ');
    if (seen.has(folded)) continue;
    seen.add(folded);
    push(index.byKey, keyOfWords(words), { ref, region: entry.region, folded, words });
    if (words.length > 1 && words[0] !== undefined) index.firstWords.add(words[0]);
    index.maxTokens = Math.max(index.maxTokens, tokens.length);
  }
}
