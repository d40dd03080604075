import type { PageWords, RankedSpan } from './decide-entity.js';
import type { EntityRef } from './name-matcher.js';
import { isArticle } from './name-article.js';
import { contentWord, type NameIndex } from './name-index.js';
import {
  foldedAt,
  scanTokens,
  SHAPE_OTHER,
  shapeOfFlags,
  tokenAt,
  TOKEN_CAPITAL,
  type NameToken,
  type TextTokens,
} from './name-tokens.js';
import type { PrefixStep } from './span-prefixes.js';
import { WordTable } from './word-table.js';

/**
 * What the matcher remembers between spans and pages, apart from how it matches: the forms of
 * each word it met, the last texts it scanned, the words of the last page, the rankings of
 * span texts and the picks that never asked the page. Everything here is a memo: dropping any
 * of it changes how fast the matcher is, never what it finds.
 */

/** Tokenized texts kept: a page's title and body. */
const RECENT_TOKENIZATIONS = 2;

/** Word keys kept between pages; past this many distinct words the cache starts afresh. */
const MAX_CACHED_WORDS = 200_000;

/** Ranking slots: spans are ranked apart by mode, codes only, and key tier (3 bits). */
export const RANKING_SLOTS = 8;

/** The forms of a word that the matcher works out from its fold, once. */
export interface WordForms {
  key: string;
  form: string;
  /** The word alone, as the first of a span, starts some gazetteer spelling's key: its step. */
  step: PrefixStep | null;
  /** The key of the word after a span's first word (fused article removed), once asked. */
  laterKey?: string;
  /**
   * Letters of the word that are Arabic particles written in front of the name it starts
   * ("والقلمون"): the span begins after them. 0 for most words.
   */
  particles: number;
}

/**
 * Something a span of running text is found through, which keeps the ranking of the last
 * span found through it, by the span's exact text: a word for one-word spans, the span's
 * {@link PrefixStep} for longer ones. Most spans recur with their text, and are found again
 * without slicing the text or asking the rankings.
 */
export interface SpanKeeper {
  /** The span's exact text, and its ranking, undefined when it has no candidate. */
  spanAs?: string;
  spanRanked?: RankedSpan | undefined;
  /** The {@link MatcherMemo.generation} `spanRanked` was learned in. */
  spanGeneration?: number;
}

/** What the matcher knows of a folded word; its forms are worked out when first asked. */
export interface WordEntry extends SpanKeeper {
  folded: string;
  article: boolean;
  /** One of {@link NameIndex.lowerStarters}: lower case, it may still start a span. */
  lowerStarter: boolean;
  /** One of {@link NameIndex.firstWords}. */
  firstWord: boolean;
  forms?: WordForms;
  /** The last page whose capitalised words include this one, by its stamp. */
  onPage?: number;
}

/**
 * A scanned text whose words are folded, and made tokens, only when a span may start or run
 * there: most words of running text are skipped on their offsets and flags alone.
 */
export class ScannedText {
  readonly tokens: TextTokens;
  // Sized up front: filling an empty array at scattered indexes would make it a dictionary.
  private readonly entries: Array<WordEntry | undefined>;
  /** Made on the first token asked for: many texts need none. */
  private made: Array<NameToken | undefined> | undefined;

  constructor(
    text: string,
    private readonly words: WordTable<WordEntry>,
  ) {
    this.tokens = scanTokens(text);
    this.entries = new Array<WordEntry | undefined>(this.tokens.count).fill(undefined);
  }

  /** The entry of word `i`: ASCII words are found by their characters. */
  entry(i: number): WordEntry {
    let entry = this.entries[i];
    if (entry === undefined) {
      const { text, starts, ends, flags } = this.tokens;
      entry =
        shapeOfFlags(flags[i] ?? 0) === SHAPE_OTHER
          ? this.words.of(foldedAt(this.tokens, i))
          : this.words.ofAscii(text, starts[i] ?? 0, ends[i] ?? 0);
      this.entries[i] = entry;
    }
    return entry;
  }

  folded(i: number): string {
    return this.entry(i).folded;
  }

  token(i: number): NameToken | undefined {
    if (i >= this.tokens.count) return undefined;
    this.made ??= new Array<NameToken | undefined>(this.tokens.count).fill(undefined);
    let token = this.made[i];
    if (token === undefined) {
      token = tokenAt(this.tokens, i, this.folded(i));
      this.made[i] = token;
    }
    return token;
  }

  /** Tokens `from` to `to`, both included. */
  span(from: number, to: number): NameToken[] {
    const out: NameToken[] = [];
    for (let i = from; i <= to; i += 1) {
      const token = this.token(i);
      if (token) out.push(token);
    }
    return out;
  }
}

/** Returned by {@link MatcherMemo.keptSpan} when the word holds no ranking for that text. */
export const NOT_KEPT = Symbol('not kept');

/**
 * The matcher's memos. `formsOfWord` works out a word's forms (the matching rule); the memo
 * decides only when that runs. `rankingsKept` bounds the rankings kept (0: none, and no pick
 * or one-word span is kept either, as both hang on a kept ranking).
 */
export class MatcherMemo {
  readonly words: WordTable<WordEntry>;
  /** Whether rankings, one-word spans and page-free picks are kept at all. */
  readonly keeps: boolean;
  /** Bumped whenever the rankings are dropped: what words learned from them is dropped too. */
  generation = 0;

  private readonly recent: ScannedText[] = [];
  // Keyed by the span's text alone, one map per slot: no key string is built per lookup.
  private readonly rankings = Array.from(
    { length: RANKING_SLOTS },
    () => new Map<string, RankedSpan>(),
  );
  private rankingsSize = 0;
  // A pick that never asked the page is the same on every page: kept with the kept ranking.
  private readonly pageFreePicks = new WeakMap<RankedSpan, EntityRef | null>();
  private pageStamp = 0;
  private lastPage: { a: ScannedText; b: ScannedText | undefined; words: PageWords } | undefined;

  constructor(
    index: NameIndex,
    private readonly formsOfWord: (folded: string) => WordForms,
    private readonly rankingsKept: number,
  ) {
    this.keeps = rankingsKept > 0;
    this.words = new WordTable<WordEntry>(
      (folded) => ({
        folded,
        article: isArticle(folded),
        lowerStarter: index.lowerStarters.has(folded),
        firstWord: index.firstWords.has(folded),
      }),
      MAX_CACHED_WORDS,
    );
  }

  /** A word's forms, worked out the first time they are asked. */
  formsOfEntry(entry: WordEntry): WordForms {
    entry.forms ??= this.formsOfWord(entry.folded);
    return entry.forms;
  }

  formsOf(folded: string): WordForms {
    return this.formsOfEntry(this.words.of(folded));
  }

  /** The key of a word as a later word of a span: {@link contentWord} past the first. */
  laterKeyOf(entry: WordEntry): string {
    const forms = this.formsOfEntry(entry);
    forms.laterKey ??= this.formsOf(contentWord(entry.folded, 1)).key;
    return forms.laterKey;
  }

  /**
   * The scanned text, kept with the last few: the title and body of a page are each searched
   * once and serve once as the other's context, so a body is not tokenized twice.
   */
  tokenize(text: string): ScannedText {
    // Lengths first: comparing two long texts of different lengths must not read them.
    const hit = this.recent.find(
      (r) => r.tokens.text.length === text.length && r.tokens.text === text,
    );
    if (hit) return hit;
    const scanned = new ScannedText(text, this.words);
    this.recent.unshift(scanned);
    if (this.recent.length > RECENT_TOKENIZATIONS) this.recent.pop();
    return scanned;
  }

  /**
   * The capitalised words of a page (a text and its context), kept for the pair: a page's
   * words are the same whether its title or its body is searched. Names on a page are
   * capitalised: only those words can confirm a doubtful candidate. They are stamped on their
   * word entries, which the search has mostly looked up already.
   */
  pageWordsOf(a: ScannedText, b: ScannedText | undefined): PageWords {
    const last = this.lastPage;
    if (last !== undefined && ((last.a === a && last.b === b) || (last.a === b && last.b === a))) {
      return last.words;
    }
    this.pageStamp += 1;
    const stamp = this.pageStamp;
    const texts = b === undefined ? [a] : [a, b];
    const mark = (entryOf: (scanned: ScannedText, i: number) => WordEntry) => {
      for (const scanned of texts) {
        const { count, flags } = scanned.tokens;
        for (let i = 0; i < count; i += 1)
          if (((flags[i] ?? 0) & TOKEN_CAPITAL) !== 0) entryOf(scanned, i).onPage = stamp;
      }
    };
    mark((scanned, i) => scanned.entry(i));
    const words = this.words;
    let table = words.resets;
    const pageWords: PageWords = {
      has: (word) => {
        // A table started afresh since has other entries: the page's words are marked again.
        if (words.resets !== table) {
          mark((scanned, i) => words.of(scanned.folded(i)));
          table = words.resets;
        }
        return words.find(word)?.onPage === stamp;
      },
    };
    this.lastPage = { a, b, words: pageWords };
    return pageWords;
  }

  /** The ranking kept for a span's text in `slot`: a ranking depends on that text alone. */
  ranking(slot: number, surface: string): RankedSpan | undefined {
    return this.rankings[slot]?.get(surface);
  }

  /** Keeps a ranking; past the bound every ranking is dropped and the generation moves on. */
  keepRanking(slot: number, surface: string, ranked: RankedSpan): void {
    if (!this.keeps) return;
    if (this.rankingsSize >= this.rankingsKept) {
      for (const kept of this.rankings) kept.clear();
      this.rankingsSize = 0;
      this.generation += 1;
    }
    this.rankings[slot]?.set(surface, ranked);
    this.rankingsSize += 1;
  }

  /**
   * The ranking `keeper` keeps for the span written `text[start, end)`; {@link NOT_KEPT} when
   * it keeps none for that text.
   */
  keptSpan(
    word: SpanKeeper,
    text: string,
    start: number,
    end: number,
  ): RankedSpan | undefined | typeof NOT_KEPT {
    return word.spanGeneration === this.generation &&
      word.spanAs?.length === end - start &&
      text.startsWith(word.spanAs, start)
      ? word.spanRanked
      : NOT_KEPT;
  }

  /** Keeps a span's ranking with what it was found through, as of the current generation. */
  keepSpan(word: SpanKeeper, surface: string, ranked: RankedSpan | undefined): void {
    word.spanAs = surface;
    word.spanRanked = ranked?.candidates.length === 0 ? undefined : ranked;
    word.spanGeneration = this.generation;
  }

  /** The pick kept for a ranking; undefined when none is. */
  pick(ranked: RankedSpan): EntityRef | null | undefined {
    return this.pageFreePicks.get(ranked);
  }

  /** Keeps a pick that never asked the page. */
  keepPick(ranked: RankedSpan, entity: EntityRef | null): void {
    this.pageFreePicks.set(ranked, entity);
  }
}
