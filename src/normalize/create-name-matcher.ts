import type { Gazetteer } from './gazetteer.js';
import type { EntityRef, FoundMention, NameMatcher } from './name-matcher.js';
import { introducesName, isArticle } from './name-article.js';
import { buildNameIndex, contentTokens, type IndexedName, type NameIndex } from './name-index.js';
import { tokenizeName, type NameToken } from './name-tokens.js';
import { joinKeys, translitKey } from './translit-key.js';

/** Word keys kept between pages; past this many distinct words the cache starts afresh. */
const MAX_CACHED_WORD_KEYS = 200_000;

/** How a span was found: standalone names need no capitals, running text does. */
type SpanMode = 'standalone' | 'running';

/**
 * Builds the matcher for a gazetteer: spellings are indexed by transliteration key once, then
 * each page is tokenized once and its word n-grams are looked up in the index.
 */
export function createNameMatcher(gazetteer: Gazetteer): NameMatcher {
  const index = buildNameIndex(gazetteer);
  const wordKeys = new Map<string, string>();

  const wordKey = (folded: string): string => {
    let key = wordKeys.get(folded);
    if (key === undefined) {
      if (wordKeys.size >= MAX_CACHED_WORD_KEYS) wordKeys.clear();
      key = translitKey(folded);
      wordKeys.set(folded, key);
    }
    return key;
  };

  const lookup = (words: readonly NameToken[], mode: SpanMode): EntityRef | null => {
    const key = joinKeys(words.map((w) => wordKey(w.folded)));
    const candidates = index.byKey.get(key);
    if (candidates === undefined) return null;
    return decide(candidates, words, mode);
  };

  return {
    resolve(name: string): EntityRef | null {
      const tokens = tokenizeName(name);
      const only = tokens.length === 1 ? tokens[0] : undefined;
      if (only?.acronym) {
        const acronym = single(index.byAcronym.get(only.text));
        if (acronym) return acronym;
      }
      if (tokens.length === 0) return null;
      return lookup(contentTokens(tokens), 'standalone');
    },
    findMentions(text: string): FoundMention[] {
      const tokens = tokenizeName(text);
      const mentions: FoundMention[] = [];
      let i = 0;
      while (i < tokens.length) {
        const found = matchAt(tokens, i, index, lookup);
        if (found) {
          mentions.push({
            start: found.start,
            end: found.end,
            surface: text.slice(found.start, found.end),
            entity: found.entity,
          });
          i = found.next;
        } else {
          i += 1;
        }
      }
      return mentions;
    },
  };
}

interface SpanMatch {
  start: number;
  end: number;
  entity: EntityRef;
  /** Index of the first token after the span. */
  next: number;
}

/** The longest mention starting at token `i`, or null. */
function matchAt(
  tokens: readonly NameToken[],
  i: number,
  index: NameIndex,
  lookup: (words: readonly NameToken[], mode: SpanMode) => EntityRef | null,
): SpanMatch | null {
  const token = tokens[i];
  if (token === undefined) return null;
  if (token.acronym) {
    const entity = single(index.byAcronym.get(token.text));
    if (entity) return { start: token.start, end: token.end, entity, next: i + 1 };
  }
  const first = introducesName(token, tokens[i + 1]) ? i + 1 : i;
  const head = tokens[first];
  if (head === undefined || !(head.capital || index.firstWords.has(head.folded))) return null;
  let last = first;
  while (last + 1 < tokens.length && last - first + 1 < index.maxTokens) {
    const next = tokens[last + 1];
    if (next === undefined || next.gap === 'break') break;
    last += 1;
  }
  for (let end = last; end >= first; end -= 1) {
    const words: NameToken[] = [];
    for (let k = first; k <= end; k += 1) {
      const t = tokens[k];
      if (t !== undefined && (k === end || !isArticle(t.folded))) words.push(t);
    }
    const endToken = tokens[end];
    if (endToken === undefined || isArticle(endToken.folded)) continue;
    const entity = lookup(words, 'running');
    if (entity) return { start: token.start, end: endToken.end, entity, next: end + 1 };
  }
  return null;
}

/** The one entity a list of spellings names, or null when there is none or several. */
function single(names: readonly IndexedName[] | undefined): EntityRef | null {
  if (names === undefined || names.length === 0) return null;
  const first = names[0];
  if (first === undefined) return null;
  return names.every((n) => n.ref.id === first.ref.id) ? first.ref : null;
}

/**
 * Picks the entity a span names among the spellings that share its key, or abstains.
 * In running text a lower-case word must be spelled as in the gazetteer ("eastern Qalamun"),
 * so common words never turn into names.
 */
function decide(
  candidates: readonly IndexedName[],
  words: readonly NameToken[],
  mode: SpanMode,
): EntityRef | null {
  const folded = words.map((w) => w.folded).join(' ');
  const exact = candidates.filter((c) => c.folded === folded);
  if (exact.length === 0) return null;
  if (mode === 'running' && !words.some((w) => w.capital)) return null;
  return single(exact);
}
