import {
  DEFAULT_TUNING,
  onlyLikeness,
  pickEntity,
  rankCandidates,
  type DecideTuning,
  type PageWords,
  type PickContext,
  type RankedSpan,
  type SpanQuery,
} from './decide-entity.js';
import type { Gazetteer, PlaceLevel } from './gazetteer.js';
import type { EntityRef, FoundMention, NameMatcher } from './name-matcher.js';
import { afterParticles, isArabicWord, particleLengths } from './arabic-word.js';
import { articleIntroduces, isArticle } from './name-article.js';
import { designatedLevel, isTrailingDesignator, stripDesignators } from './name-designator.js';
import {
  buildNameIndex,
  contentTokens,
  contentWord,
  formOfTokens,
  mayStartLowerShape,
  wordsOf,
  type IndexedName,
  type NameIndex,
} from './name-index.js';
import {
  breaksBefore,
  codeAt,
  gapOfFlags,
  SHAPE_ASCII,
  SHAPE_OTHER,
  shapeOfFlags,
  tokenizeName,
  TOKEN_ACRONYM,
  TOKEN_CAPITAL,
  type NameToken,
} from './name-tokens.js';
import { MatcherMemo, NOT_KEPT, ScannedText, type WordForms } from './matcher-memo.js';
import { NearSpellings } from './near-spellings.js';
import { SpanPrefixes, type PrefixStep } from './span-prefixes.js';
import { foldSpelling, joinKeys, phoneticKey, translitKey } from './translit-key.js';

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

/** Rankings are kept apart by how the span was found: mode, codes only, and key tier. */
function rankingSlot(origin: SpanOrigin): number {
  return (
    (origin.mode === 'running' ? 4 : 0) +
    (origin.exactOnly ? 2 : 0) +
    (origin.tier === 'key' ? 0 : 1)
  );
}

/** How a span was found, beyond its words. */
interface SpanOrigin extends Pick<SpanQuery, 'mode' | 'exactOnly' | 'pageWords'> {
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
) => EntityRef | null | undefined;

/** A span's tokens: given, or words `from` to `to` of a scanned text, made when needed. */
type SpanSource = readonly NameToken[] | ScannedText;

/** All-caps words this short are codes or acronyms ("DAM", "QSW"), matched only as spelled. */
const MAX_CODE_LENGTH = 4;

function looksLikeCode(tokens: readonly NameToken[]): boolean {
  return tokens.length === 1 && tokens.every((t) => t.acronym && t.text.length <= MAX_CODE_LENGTH);
}

const NO_PAGE: PageWords = { has: () => false };

/** A-Z to a-z; any other code as it is. */
function lowerAscii(code: number): number {
  return code >= 0x41 && code <= 0x5a ? code | 0x20 : code;
}

/**
 * Whether lower-case word `i` may start a span ({@link NameIndex.lowerStarters}), told for most words
 * from their length and first letters before the word is built.
 */
function mayStartLowerAt(index: NameIndex, scanned: ScannedText, i: number): boolean {
  const { text, starts, ends, flags } = scanned.tokens;
  const shape = shapeOfFlags(flags[i] ?? 0);
  if (shape === SHAPE_OTHER) return scanned.entry(i).lowerStarter;
  const start = starts[i] ?? 0;
  const length = (ends[i] ?? 0) - start;
  let first = codeAt(text, start);
  let second = length > 1 ? codeAt(text, start + 1) : NaN;
  if (shape === SHAPE_ASCII) {
    first = lowerAscii(first);
    second = lowerAscii(second);
  }
  return mayStartLowerShape(index, length, first, second) && scanned.entry(i).lowerStarter;
}

/** Only text outside ASCII can differ in Unicode normalization. */
const NON_ASCII = /[^ -~\t\n\r]/;

/**
 * The forms of a folded word: its key as a span's first word and the step that key starts,
 * and its spelling form. An Arabic word that starts no name may be one behind fused particles
 * ("بدوما"): then the key and step are the name's, past the particles.
 */
function wordForms(folded: string, prefixes: SpanPrefixes): WordForms {
  let key = translitKey(contentWord(folded, 0));
  let step = prefixes.first(key);
  let particles = 0;
  if (step === null && isArabicWord(folded)) {
    for (const n of particleLengths(folded)) {
      const stemKey = translitKey(contentWord(afterParticles(folded, n), 0));
      const stemStep = prefixes.first(stemKey);
      if (stemStep !== null) {
        [key, step, particles] = [stemKey, stemStep, n];
        break;
      }
    }
  }
  return { key, form: foldSpelling(folded), step, particles };
}

/**
 * Builds the matcher for a gazetteer: spellings are indexed by transliteration key once, then
 * each page is tokenized once and its word n-grams are looked up in the index.
 */
export function createNameMatcher(gazetteer: Gazetteer, options: MatcherOptions = {}): NameMatcher {
  const tuning: DecideTuning = { ...DEFAULT_TUNING, ...options.tuning };
  const rankingsKept = options.rankingCacheSize ?? DEFAULT_RANKING_CACHE_SIZE;
  const index = buildNameIndex(gazetteer);
  const prefixes = new SpanPrefixes(index);
  const near = new NearSpellings(index);
  const memo = new MatcherMemo(index, (folded) => wordForms(folded, prefixes), rankingsKept);
  const formsOf = (folded: string): WordForms => memo.formsOf(folded);

  /**
   * The ranking of a span's candidates, kept by its text: ranking depends on the span's text
   * alone, and only the pick asks the page. Undefined when the key has no candidates.
   */
  const rankingOf = (
    source: SpanSource,
    surface: string,
    origin: SpanOrigin,
    key: string,
    from = 0,
    to = 0,
  ): RankedSpan | undefined => {
    const candidates =
      origin.tier === 'key' ? index.byKey.get(key) : index.byPhoneticKey.get(phoneticKey(key));
    if (candidates === undefined) return undefined;
    const slot = rankingSlot(origin);
    let ranked = memo.ranking(slot, surface);
    if (ranked === undefined) {
      let tokens = source instanceof ScannedText ? source.span(from, to) : source;
      const particles = source instanceof ScannedText ? particlesOf(source, from) : 0;
      const [head, ...rest] = tokens;
      if (particles > 0 && head) tokens = [withoutParticles(head, particles), ...rest];
      const content = contentTokens(tokens);
      const folded = wordsOf(content);
      const query: SpanQuery = {
        mode: origin.mode,
        exactOnly: origin.exactOnly,
        pageWords: origin.pageWords,
        words: content,
        surface: NON_ASCII.test(surface) ? surface.normalize('NFC') : surface,
        written: tokens.map((t) => t.folded).join(' '),
        folded: folded.join(' '),
        form: formOfTokens(content, (w) => formsOf(w).form),
        key,
      };
      ranked = rankCandidates(candidates, query, tuning);
      memo.keepRanking(slot, surface, ranked);
    }
    return ranked;
  };

  /** The entity of a ranked span; undefined when no candidate is close enough at all. */
  // One context serves every pick (a pick never starts another): it notes whether the pick
  // asked the page, which decides whether the pick can be kept.
  let askedPage = false;
  let pickOrigin: SpanOrigin | undefined;
  const pick: PickContext = {
    key: '',
    mode: 'running',
    level: undefined,
    pageWords: () => {
      askedPage = true;
      return pickOrigin?.pageWords() ?? NO_PAGE;
    },
  };
  const pickRanked = (
    ranked: RankedSpan,
    origin: SpanOrigin,
    key: string,
  ): EntityRef | null | undefined => {
    if (ranked.candidates.length === 0) return undefined;
    // Running text is always searched with no designated level, so the ranking's slot and
    // text fix everything the pick reads but the page.
    const keepsPick = memo.keeps && origin.mode === 'running' && origin.level === undefined;
    if (keepsPick) {
      const known = memo.pick(ranked);
      if (known !== undefined) return known;
    }
    pick.key = key;
    pick.mode = origin.mode;
    pick.level = origin.level;
    pickOrigin = origin;
    askedPage = false;
    const entity = pickEntity(ranked, pick, tuning);
    if (keepsPick && !askedPage) memo.keepPick(ranked, entity);
    return entity;
  };

  /** Particles in front of word `i` of a scanned text, as far as its forms are known. */
  const particlesOf = (scanned: ScannedText, i: number): number =>
    scanned.entry(i).forms?.particles ?? 0;

  const lookup: SpanLookup = (tokens, surface, origin) => {
    const key = joinKeys(wordsOf(contentTokens(tokens)).map((w) => formsOf(w).key));
    const ranked = rankingOf(tokens, surface, origin, key);
    return ranked === undefined ? undefined : pickRanked(ranked, origin, key);
  };

  /** The name key's candidates first; only when none is close enough, the phonetic key's. */
  const lookupTiers = (tokens: readonly NameToken[], surface: string, origin: SpanOrigin) => {
    const found = lookup(tokens, surface, origin);
    return found === undefined ? lookup(tokens, surface, { ...origin, tier: 'phonetic' }) : found;
  };

  /**
   * A standalone name that no key finds, compared by its stem with the gazetteer's stems
   * ({@link NearSpellings}): undefined when no stem is close enough.
   */
  const lookupNear = (tokens: readonly NameToken[], surface: string, origin: SpanOrigin) => {
    const content = contentTokens(tokens);
    const stem = near.query(formOfTokens(content, (w) => formsOf(w).form));
    const candidates = stem === undefined ? undefined : near.candidates(stem);
    if (stem === undefined || candidates === undefined) return undefined;
    const query: SpanQuery = {
      mode: origin.mode,
      exactOnly: origin.exactOnly,
      pageWords: origin.pageWords,
      words: content,
      surface,
      written: tokens.map((t) => t.folded).join(' '),
      folded: wordsOf(content).join(' '),
      form: stem.form,
      key: stem.key,
    };
    return pickRanked(rankCandidates(candidates, query, tuning), origin, stem.key);
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
        exactOnly: looksLikeCode(tokens),
        pageWords: () => NO_PAGE,
        tier: 'key',
      };
      const found = lookupTiers(tokens, name.trim(), origin);
      if (found) return found;
      // A name that some key finds but cannot decide stays undecided: no nearer tier for it.
      let undecided = found === null;
      const joined = found === undefined ? joinedWord(tokens) : undefined;
      if (joined) {
        const whole = lookupTiers([joined], joined.text, origin);
        if (whole) return whole;
        undecided ||= whole === null;
      }
      let span = { tokens, surface: name.trim(), origin };
      const inner = stripDesignators(tokens);
      const first = inner?.[0];
      const last = inner?.[inner.length - 1];
      if (inner && first && last) {
        const level = designatedLevel(tokens);
        span = {
          tokens: inner,
          surface: name.slice(first.start, last.end),
          origin: { ...origin, level },
        };
        const named = lookupTiers(span.tokens, span.surface, span.origin);
        if (named) return named;
        undecided ||= named === null;
      }
      if (undecided || origin.exactOnly) return null;
      return lookupNear(span.tokens, span.surface, span.origin) ?? null;
    },
    findMentions(text: string, context?: string): FoundMention[] {
      const scanned = memo.tokenize(text);
      const { count, ends, flags } = scanned.tokens;
      let onPage: PageWords | undefined;
      const pageWords = (): PageWords => {
        onPage ??= memo.pageWordsOf(
          scanned,
          context === undefined ? undefined : memo.tokenize(context),
        );
        return onPage;
      };
      // Spans of running text are found one way, codes aside: two origins serve the text.
      const running: SpanOrigin = {
        mode: 'running',
        exactOnly: false,
        pageWords,
        tier: 'key',
      };
      const runningCode: SpanOrigin = { ...running, exactOnly: true };
      const lookupSpan = (from: number, to: number, step: PrefixStep) => {
        const key = step.key;
        const start = spanStart(scanned, from, particlesOf(scanned, from));
        const end = ends[to] ?? 0;
        const exactOnly =
          from === to &&
          ((flags[from] ?? 0) & TOKEN_ACRONYM) !== 0 &&
          end - start <= MAX_CODE_LENGTH;
        const origin = exactOnly ? runningCode : running;
        // A span's ranking depends on its text alone: it is kept with its word (one word) or
        // its step (more), and found again without slicing the text or asking the rankings.
        const keeper = memo.keeps ? (from === to ? scanned.entry(from) : step) : undefined;
        let ranked = keeper === undefined ? NOT_KEPT : memo.keptSpan(keeper, text, start, end);
        if (ranked === NOT_KEPT) {
          const surface = text.slice(start, end);
          ranked = rankingOf(scanned, surface, origin, key, from, to);
          if (keeper !== undefined) memo.keepSpan(keeper, surface, ranked);
        }
        if (ranked === undefined) return null;
        if (onlyLikeness(ranked) && withinLongerName(scanned, from, to)) return null;
        return pickRanked(ranked, origin, key) ?? null;
      };
      const mentions: FoundMention[] = [];
      let i = 0;
      while (i < count) {
        // Most words are lower case and can start no name: skip them on their first letters.
        if (((flags[i] ?? 0) & TOKEN_CAPITAL) === 0 && !mayStartLowerAt(index, scanned, i)) {
          i += 1;
          continue;
        }
        const found = matchAt(scanned, i, index, prefixes, memo, lookupSpan);
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

/** Span ends that name something, and their steps, as {@link matchAt} grows a span. */
const spanEnds: number[] = [];
const endSteps: PrefixStep[] = [];

/** The longest mention starting at token `i`, or null. */
function matchAt(
  scanned: ScannedText,
  i: number,
  index: NameIndex,
  prefixes: SpanPrefixes,
  memo: MatcherMemo,
  lookup: (from: number, to: number, step: PrefixStep) => EntityRef | null,
): SpanMatch | null {
  const { count, starts, ends, flags, text } = scanned.tokens;
  if (i >= count) return null;
  let start = starts[i] ?? 0;
  if (((flags[i] ?? 0) & TOKEN_ACRONYM) !== 0) {
    const entity = single(index.byAcronym.get(text.slice(start, ends[i])));
    if (entity) return { start, end: ends[i] ?? 0, entity, next: i + 1 };
  }
  const word = scanned.entry(i);
  const article = word.article;
  const nextFlags = i + 1 < count ? (flags[i + 1] ?? 0) : undefined;
  const introduces =
    article &&
    nextFlags !== undefined &&
    articleIntroduces(word.folded, gapOfFlags(nextFlags), (nextFlags & TOKEN_CAPITAL) !== 0);
  // An article-like word that does not introduce the next one ("As Jayrud said") is not a name.
  if (!introduces && article) return null;
  const first = introduces ? i + 1 : i;
  if (first >= count) return null;
  if (((flags[first] ?? 0) & TOKEN_CAPITAL) === 0 && !scanned.entry(first).firstWord) return null;
  // Grow the span word by word while its key still starts some gazetteer spelling. The ends
  // that name something go to scratch arrays: matchAt runs for every capitalised word.
  let found = 0;
  let step: PrefixStep | null = null;
  for (let end = first; end < count && end - first < index.maxTokens; end += 1) {
    if (end > first && breaksBefore(flags[end] ?? 0)) break;
    const entry = scanned.entry(end);
    if (entry.article) continue;
    // The first word's step is kept with its forms: most spans end there.
    if (step === null) {
      const forms = memo.formsOfEntry(entry);
      step = forms.step;
      if (forms.particles > 0) start = spanStart(scanned, end, forms.particles);
    } else {
      step = prefixes.after(step, memo.laterKeyOf(entry));
    }
    if (step === null) break;
    if (step.namesAlone) {
      spanEnds[found] = end;
      endSteps[found] = step;
      found += 1;
    }
  }
  for (let k = found - 1; k >= 0; k -= 1) {
    const end = spanEnds[k] ?? first;
    const endStep = endSteps[k];
    if (endStep === undefined) continue;
    const entity = lookup(i, end, endStep);
    if (entity) {
      // A designator after the name ("Idlib province") picks the unit, but the mention is the
      // name: the canonical text then reads "Idlib province", not "Idlib province province".
      let last = end;
      while (last > first && isTrailingDesignator(scanned.folded(last))) last -= 1;
      if (last > first && scanned.folded(last) === 'sub') last -= 1;
      return { start, end: ends[last] ?? 0, entity, next: end + 1 };
    }
  }
  return null;
}

/**
 * Whether the span of words `from` to `to` sits inside a longer run of capitalised words that
 * names something else: a capitalised word right after it, or right before it where that word
 * does not begin a sentence ("the Russian Center", "Daily Sabah", "Maarat Hurma"). A mere
 * likeness is not taken there; an exact spelling still is.
 */
function withinLongerName(scanned: ScannedText, from: number, to: number): boolean {
  const { count, flags } = scanned.tokens;
  const joined = (i: number) => gapOfFlags(flags[i] ?? 0) === 'space';
  const capital = (i: number) => ((flags[i] ?? 0) & TOKEN_CAPITAL) !== 0;
  if (to + 1 < count && joined(to + 1) && capital(to + 1) && !scanned.entry(to + 1).article) {
    return true;
  }
  return from > 0 && joined(from) && capital(from - 1) && !breaksBefore(flags[from - 1] ?? 0);
}

/** Where a span starting at word `i` begins: after the word's fused particles, if any. */
function spanStart(scanned: ScannedText, i: number, particles: number): number {
  const start = scanned.tokens.starts[i] ?? 0;
  if (particles === 0) return start;
  return start + lettersEnd(scanned.tokens.text.slice(start, scanned.tokens.ends[i]), particles);
}

const MARK = /\p{M}/u;

/** The UTF-16 length of the first `letters` letters of `text`, their marks (harakat) included. */
function lettersEnd(text: string, letters: number): number {
  let at = 0;
  for (let seen = 0; seen < letters && at < text.length; seen += 1) {
    at += 1;
    while (at < text.length && MARK.test(text.charAt(at))) at += 1;
  }
  return at;
}

/** A token without its first `particles` letters, which are fused Arabic particles. */
function withoutParticles(token: NameToken, particles: number): NameToken {
  const skip = lettersEnd(token.text, particles);
  return {
    ...token,
    start: token.start + skip,
    text: token.text.slice(skip),
    folded: afterParticles(token.folded, particles),
  };
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
