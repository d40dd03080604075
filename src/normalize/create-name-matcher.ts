import {
  DEFAULT_TUNING,
  pickEntity,
  rankCandidates,
  type DecideTuning,
  type PickContext,
  type RankedSpan,
  type SpanQuery,
} from './decide-entity.js';
import type { Gazetteer, PlaceLevel } from './gazetteer.js';
import type { EntityRef, FoundMention, NameMatcher } from './name-matcher.js';
import { introducesName, isArticle } from './name-article.js';
import { designatedLevel, stripDesignators } from './name-designator.js';
import {
  buildNameIndex,
  contentTokens,
  contentWord,
  mayStartLower,
  wordsOf,
  type IndexedName,
  type NameIndex,
} from './name-index.js';
import { tokenizeName, type NameToken } from './name-tokens.js';
import { appendKey, foldSpelling, joinKeys, phoneticKey, translitKey } from './translit-key.js';

/** Options of {@link createNameMatcher}. */
export interface MatcherOptions {
  /** Thresholds of the confirmation step, over {@link DEFAULT_TUNING}. */
  tuning?: Partial<DecideTuning>;
  /**
   * Rankings of candidates kept per span text (a ranking never depends on the page): names
   * recur from page to page, so most spans are ranked once. 0 turns the cache off.
   * @default 100000
   */
  rankingCacheSize?: number;
}

const DEFAULT_RANKING_CACHE_SIZE = 100_000;

/** Tokenized texts kept: a page's title and body. */
const RECENT_TOKENIZATIONS = 2;

/** Word keys kept between pages; past this many distinct words the cache starts afresh. */
const MAX_CACHED_WORDS = 200_000;

interface WordForms {
  key: string;
  form: string;
  /** The word alone, as the first of a span, starts some gazetteer spelling's key. */
  startsName: boolean;
  /** The word alone has the whole key of some gazetteer spelling. */
  namesAlone: boolean;
}

/** Rankings are kept apart by how the span was found: mode, codes only, and key tier. */
function rankingSlot(origin: SpanOrigin): number {
  return (
    (origin.mode === 'running' ? 4 : 0) +
    (origin.exactOnly ? 2 : 0) +
    (origin.tier === 'key' ? 0 : 1)
  );
}
const RANKING_SLOTS = 8;

/** How a span was found, beyond its words. */
interface SpanOrigin extends Pick<SpanQuery, 'mode' | 'defaultSense' | 'exactOnly' | 'pageWords'> {
  /** Candidates by the name key, or by its looser {@link phoneticKey}. */
  tier: 'key' | 'phonetic';
  /** The level the span's designators said, which picks among namesakes. */
  level?: PlaceLevel | undefined;
}

/**
 * Looks up the entity named by `tokens` (articles included), written `surface`: null when the
 * candidates leave it undecided, undefined when no candidate is close enough at all.
 */
type SpanLookup = (
  tokens: readonly NameToken[],
  surface: string,
  origin: SpanOrigin,
  knownKey?: string,
) => EntityRef | null | undefined;

/** All-caps words this short are codes or acronyms ("DAM", "QSW"), matched only as spelled. */
const MAX_CODE_LENGTH = 4;

function looksLikeCode(tokens: readonly NameToken[]): boolean {
  return tokens.length === 1 && tokens.every((t) => t.acronym && t.text.length <= MAX_CODE_LENGTH);
}

const NO_PAGE: ReadonlySet<string> = new Set();

/** Only text outside ASCII can differ in Unicode normalization. */
const NON_ASCII = /[^ -~\t\n\r]/;

/**
 * Builds the matcher for a gazetteer: spellings are indexed by transliteration key once, then
 * each page is tokenized once and its word n-grams are looked up in the index.
 */
export function createNameMatcher(gazetteer: Gazetteer, options: MatcherOptions = {}): NameMatcher {
  const tuning: DecideTuning = { ...DEFAULT_TUNING, ...options.tuning };
  const rankingsKept = options.rankingCacheSize ?? DEFAULT_RANKING_CACHE_SIZE;
  const index = buildNameIndex(gazetteer);
  const cache = new Map<string, WordForms>();
  // Keyed by the span's text alone, one map per slot: no key string is built per lookup.
  const rankings = Array.from({ length: RANKING_SLOTS }, () => new Map<string, RankedSpan>());
  let rankingsSize = 0;

  const formsOf = (folded: string): WordForms => {
    let forms = cache.get(folded);
    if (forms === undefined) {
      if (cache.size >= MAX_CACHED_WORDS) cache.clear();
      const key = translitKey(folded);
      forms = {
        key,
        form: foldSpelling(folded),
        startsName: index.prefixes.has(key),
        namesAlone: index.byKey.has(key),
      };
      cache.set(folded, forms);
    }
    return forms;
  };

  // The title and body of a page are each searched once and serve once as the other's
  // context: keeping the last few tokenizations avoids tokenizing a body twice.
  const recent: Array<{ text: string; tokens: NameToken[] }> = [];
  const tokenize = (text: string): NameToken[] => {
    // Lengths first: comparing two long texts of different lengths must not read them.
    const hit = recent.find((r) => r.text.length === text.length && r.text === text);
    if (hit) return hit.tokens;
    const tokens = tokenizeName(text);
    recent.unshift({ text, tokens });
    if (recent.length > RECENT_TOKENIZATIONS) recent.pop();
    return tokens;
  };

  const lookup: SpanLookup = (tokens, surface, origin, knownKey) => {
    const words = knownKey === undefined ? contentTokens(tokens) : undefined;
    const key = knownKey ?? joinKeys(wordsOf(words ?? []).map((w) => formsOf(w).key));
    const candidates =
      origin.tier === 'key' ? index.byKey.get(key) : index.byPhoneticKey.get(phoneticKey(key));
    if (candidates === undefined) return undefined;
    // Ranking depends on the span's text alone: it is kept, and only the pick asks the page.
    const kept = rankings[rankingSlot(origin)] ?? new Map<string, RankedSpan>();
    let ranked: RankedSpan | undefined = kept.get(surface);
    if (ranked === undefined) {
      const content = words ?? contentTokens(tokens);
      const folded = wordsOf(content);
      const query: SpanQuery = {
        mode: origin.mode,
        defaultSense: origin.defaultSense,
        exactOnly: origin.exactOnly,
        pageWords: origin.pageWords,
        words: content,
        surface: NON_ASCII.test(surface) ? surface.normalize('NFC') : surface,
        written: tokens.map((t) => t.folded).join(' '),
        folded: folded.join(' '),
        form: folded.map((w) => formsOf(w).form).join(''),
        key,
      };
      ranked = rankCandidates(candidates, query, tuning);
      if (rankingsKept > 0) {
        if (rankingsSize >= rankingsKept) {
          for (const slot of rankings) slot.clear();
          rankingsSize = 0;
        }
        kept.set(surface, ranked);
        rankingsSize += 1;
      }
    }
    if (ranked.candidates.length === 0) return undefined;
    const pick: PickContext = {
      key,
      mode: origin.mode,
      defaultSense: origin.defaultSense,
      pageWords: origin.pageWords,
      level: origin.level,
    };
    return pickEntity(ranked, pick, tuning);
  };

  /** The name key's candidates first; only when none is close enough, the phonetic key's. */
  const lookupTiers = (tokens: readonly NameToken[], surface: string, origin: SpanOrigin) => {
    const found = lookup(tokens, surface, origin);
    return found === undefined ? lookup(tokens, surface, { ...origin, tier: 'phonetic' }) : found;
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
        tier: 'key',
      };
      const found = lookupTiers(tokens, name.trim(), origin);
      if (found) return found;
      const joined = found === undefined ? joinedWord(tokens) : undefined;
      if (joined) {
        const whole = lookupTiers([joined], joined.text, origin);
        if (whole) return whole;
      }
      const inner = stripDesignators(tokens);
      const first = inner?.[0];
      const last = inner?.[inner.length - 1];
      if (!inner || !first || !last) return null;
      const surface = name.slice(first.start, last.end);
      const level = designatedLevel(tokens);
      return lookupTiers(inner, surface, { ...origin, defaultSense: false, level }) ?? null;
    },
    findMentions(text: string, context?: string): FoundMention[] {
      const tokens = tokenize(text);
      let words: Set<string> | undefined;
      // Names on a page are capitalised: only those words can confirm a doubtful candidate.
      const pageWords = (): ReadonlySet<string> => {
        if (words === undefined) {
          words = new Set();
          for (const t of tokens) if (t.capital) words.add(t.folded);
          if (context !== undefined)
            for (const t of tokenize(context)) if (t.capital) words.add(t.folded);
        }
        return words;
      };
      const lookupSpan = (span: readonly NameToken[], start: number, end: number, key: string) =>
        lookup(
          span,
          text.slice(start, end),
          {
            mode: 'running',
            defaultSense: true,
            exactOnly: looksLikeCode(span),
            pageWords,
            tier: 'key',
          },
          key,
        ) ?? null;
      const mentions: FoundMention[] = [];
      let i = 0;
      while (i < tokens.length) {
        const token = tokens[i];
        // Most words are lower case and can start no name: skip them with one set lookup.
        if (token !== undefined && !token.capital && !mayStartLower(index, token.folded)) {
          i += 1;
          continue;
        }
        const found = matchAt(tokens, i, index, formsOf, lookupSpan);
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
  formsOf: (folded: string) => WordForms,
  lookup: (span: readonly NameToken[], start: number, end: number, key: string) => EntityRef | null,
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
  // Grow the span word by word while its key still starts some gazetteer spelling.
  const ends: number[] = [];
  const endKeys: string[] = [];
  let key = '';
  let position = 0;
  for (let end = first; end < tokens.length && end - first < index.maxTokens; end += 1) {
    const t = tokens[end];
    if (t === undefined || (end > first && t.gap === 'break')) break;
    if (isArticle(t.folded)) continue;
    // The first word's answers are kept with its forms: most spans end there.
    if (position === 0) {
      const forms = formsOf(t.folded);
      key = forms.key;
      position = 1;
      if (!forms.startsName) break;
      if (forms.namesAlone) {
        ends.push(end);
        endKeys.push(key);
      }
      continue;
    }
    key = appendKey(key, formsOf(contentWord(t.folded, position)).key);
    position += 1;
    if (!index.prefixes.has(key)) break;
    if (index.byKey.has(key)) {
      ends.push(end);
      endKeys.push(key);
    }
  }
  for (let k = ends.length - 1; k >= 0; k -= 1) {
    const end = ends[k] ?? first;
    const endToken = tokens[end];
    if (endToken === undefined) continue;
    const entity = lookup(tokens.slice(i, end + 1), token.start, endToken.end, endKeys[k] ?? '');
    if (entity) return { start: token.start, end: endToken.end, entity, next: end + 1 };
  }
  return null;
}

/**
 * Two words that may be one name split by a space ("Sayd Naya" for Saydnaya), written as one
 * word; undefined unless there are exactly two words and neither is an article.
 */
function joinedWord(tokens: readonly NameToken[]): NameToken | undefined {
  const [first, second] = tokens;
  if (tokens.length !== 2 || !first || !second || second.gap !== 'space') return undefined;
  if (isArticle(first.folded) || isArticle(second.folded)) return undefined;
  return {
    ...first,
    end: second.end,
    text: first.text + second.text.toLowerCase(),
    folded: first.folded + second.folded,
  };
}

/** The one entity a list of spellings names, or null when there is none or several. */
function single(names: readonly IndexedName[] | undefined): EntityRef | null {
  if (names === undefined || names.length === 0) return null;
  const first = names[0];
  if (first === undefined) return null;
  return names.every((n) => n.ref.id === first.ref.id) ? first.ref : null;
}
