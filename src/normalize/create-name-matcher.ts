import {
  decideEntity,
  DEFAULT_TUNING,
  type DecideTuning,
  type SpanQuery,
} from './decide-entity.js';
import type { Gazetteer } from './gazetteer.js';
import type { EntityRef, FoundMention, NameMatcher } from './name-matcher.js';
import { introducesName, isArticle } from './name-article.js';
import { stripDesignators } from './name-designator.js';
import {
  buildNameIndex,
  contentTokens,
  wordsOf,
  type IndexedName,
  type NameIndex,
} from './name-index.js';
import { tokenizeName, type NameToken } from './name-tokens.js';
import { foldSpelling, joinKeys, translitKey } from './translit-key.js';

/** Word keys kept between pages; past this many distinct words the cache starts afresh. */
const MAX_CACHED_WORDS = 200_000;

interface WordForms {
  key: string;
  form: string;
}

/** How a span was found, beyond its words. */
type SpanOrigin = Pick<SpanQuery, 'mode' | 'defaultSense' | 'exactOnly' | 'pageWords'>;

/** Looks up the entity named by `tokens` (articles included), written `surface`. */
type SpanLookup = (
  tokens: readonly NameToken[],
  surface: string,
  origin: SpanOrigin,
) => EntityRef | null;

/** All-caps words this short are codes or acronyms ("DAM", "QSW"), matched only as spelled. */
const MAX_CODE_LENGTH = 4;

function looksLikeCode(tokens: readonly NameToken[]): boolean {
  return tokens.length === 1 && tokens.every((t) => t.acronym && t.text.length <= MAX_CODE_LENGTH);
}

const NO_PAGE: ReadonlySet<string> = new Set();

/**
 * Builds the matcher for a gazetteer: spellings are indexed by transliteration key once, then
 * each page is tokenized once and its word n-grams are looked up in the index.
 */
export function createNameMatcher(
  gazetteer: Gazetteer,
  tuning: DecideTuning = DEFAULT_TUNING,
): NameMatcher {
  const index = buildNameIndex(gazetteer);
  const cache = new Map<string, WordForms>();

  const formsOf = (folded: string): WordForms => {
    let forms = cache.get(folded);
    if (forms === undefined) {
      if (cache.size >= MAX_CACHED_WORDS) cache.clear();
      forms = { key: translitKey(folded), form: foldSpelling(folded) };
      cache.set(folded, forms);
    }
    return forms;
  };

  const lookup: SpanLookup = (tokens, surface, origin) => {
    const words = contentTokens(tokens);
    const folded = wordsOf(words);
    const forms = folded.map(formsOf);
    const key = joinKeys(forms.map((f) => f.key));
    const candidates = index.byKey.get(key);
    if (candidates === undefined) return null;
    const query: SpanQuery = {
      ...origin,
      words,
      surface: surface.normalize('NFC'),
      written: tokens.map((t) => t.folded).join(' '),
      folded: folded.join(' '),
      form: forms.map((f) => f.form).join(''),
      key,
    };
    return decideEntity(candidates, query, tuning);
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
      const origin: SpanOrigin = {
        mode: 'standalone',
        defaultSense: true,
        exactOnly: looksLikeCode(tokens),
        pageWords: () => NO_PAGE,
      };
      const found = lookup(tokens, name.trim(), origin);
      if (found) return found;
      const inner = stripDesignators(tokens);
      const first = inner?.[0];
      const last = inner?.[inner.length - 1];
      if (!inner || !first || !last) return null;
      return lookup(inner, name.slice(first.start, last.end), { ...origin, defaultSense: false });
    },
    findMentions(text: string, context?: string): FoundMention[] {
      const tokens = tokenizeName(text);
      let words: Set<string> | undefined;
      const pageWords = (): ReadonlySet<string> => {
        if (words === undefined) {
          words = new Set(tokens.map((t) => t.folded));
          if (context !== undefined) for (const t of tokenizeName(context)) words.add(t.folded);
        }
        return words;
      };
      const mentions: FoundMention[] = [];
      let i = 0;
      while (i < tokens.length) {
        const found = matchAt(tokens, i, index, (span, start, end) =>
          lookup(span, text.slice(start, end), {
            mode: 'running',
            defaultSense: true,
            exactOnly: looksLikeCode(span),
            pageWords,
          }),
        );
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
  lookup: (span: readonly NameToken[], start: number, end: number) => EntityRef | null,
): SpanMatch | null {
  const token = tokens[i];
  if (token === undefined) return null;
  if (token.acronym) {
    const entity = single(index.byAcronym.get(token.text));
    if (entity) return { start: token.start, end: token.end, entity, next: i + 1 };
  }
  const introduces = introducesName(token, tokens[i + 1]);
  // An article-like word that does not introduce the next one ("As Jayrud said") is not a name.
  if (!introduces && isArticle(token.folded)) return null;
  const first = introduces ? i + 1 : i;
  const head = tokens[first];
  if (head === undefined || !(head.capital || index.firstWords.has(head.folded))) return null;
  let last = first;
  while (last + 1 < tokens.length && last - first + 1 < index.maxTokens) {
    const next = tokens[last + 1];
    if (next === undefined || next.gap === 'break') break;
    last += 1;
  }
  for (let end = last; end >= first; end -= 1) {
    const endToken = tokens[end];
    if (endToken === undefined || isArticle(endToken.folded)) continue;
    const entity = lookup(tokens.slice(i, end + 1), token.start, endToken.end);
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
