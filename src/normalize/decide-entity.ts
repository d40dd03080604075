import { COMMON_WORDS } from './common-words.js';
import type { PlaceLevel } from './gazetteer.js';
import type { EntityRef } from './name-matcher.js';
import type { IndexedName } from './name-index.js';
import type { NameToken } from './name-tokens.js';
import { spellingDistance, VOWEL_EDIT_COST } from './spelling-distance.js';

/** A span to decide: its words (articles removed) and the ways to compare it. */
export interface SpanQuery {
  words: readonly NameToken[];
  /** The span's text (NFC), compared with {@link IndexedName.surface}. */
  surface: string;
  /** Folded words with articles, compared with {@link IndexedName.written}. */
  written: string;
  /** Folded words without articles, compared with {@link IndexedName.folded}. */
  folded: string;
  form: string;
  /** The transliteration key the candidates share. */
  key: string;
  /** Running text needs capitals; a standalone name (the `resolve` command) does not. */
  mode: 'standalone' | 'running';
  /** Only exact spellings count: short all-caps words ("DAM") are codes, not transliterations. */
  exactOnly: boolean;
  /** Folded words of the rest of the page, computed only when a decision needs them. */
  pageWords: () => PageWords;
}

/** The capitalised words of a page, by their folded form. */
export interface PageWords {
  has(word: string): boolean;
}

/** Thresholds of the confirmation step; the defaults are tuned on real spelling variants. */
export interface DecideTuning {
  /**
   * Largest spelling distance accepted, per consonant of the span's key. Vowel edits cost 0.3,
   * so a name may have about one vowel per consonant written differently: "Dmeir" for
   * "Dumayr" (0.9 for 3 consonants), not "Koussaie" for "Kisweh" (1.2 for 2).
   * @default 0.3
   */
  maxDistancePerConsonant: number;
  /**
   * A different name (not a homonym) this close to the best one makes a span ambiguous:
   * a little more than one vowel's worth, so a spelling halfway between two names is not
   * forced onto either.
   * @default 0.35
   */
  ambiguityMargin: number;
  /**
   * Entities whose own names are at most this far apart, per consonant of the key, are
   * homonyms (a town and its district, "Manbij" and "Menbij"), decided by the page or the
   * gazetteer's order rather than by which spelling the span happens to be closer to.
   * @default 0.25
   */
  homonymDistancePerConsonant: number;
}

export const DEFAULT_TUNING: DecideTuning = {
  maxDistancePerConsonant: 0.3,
  ambiguityMargin: 0.35,
  homonymDistancePerConsonant: 0.25,
};

/** Every span may differ by this much whatever its length ("Hama" / "Hamah", "Homs" / "Hims"). */
const MIN_ALLOWED_DISTANCE = 2 * VOWEL_EDIT_COST;

/**
 * Above this distance a running-text match is doubtful (one vowel written differently is
 * sure: "Jairoud" for "Jayrud"): it is kept only when the page names the entity's region or
 * the entity itself elsewhere.
 */
const SURE_DISTANCE = VOWEL_EDIT_COST;

/** A one-consonant skeleton ("Bab", "Nawa") says too little: such names match only as spelled. */
const MIN_FUZZY_KEY_LENGTH = 2;

/**
 * A three-letter word is matched only as spelled: too many English words and first names are
 * one vowel away from a short Arabic name ("Bob" / "Bab"). Letters as written count, not the
 * folded form: "Hish" has four even though sh is one letter of its form.
 */
const MIN_FUZZY_FORM_LENGTH = 4;

/** A lone common English word ("Russian", "Hamas") is never taken for a transliteration. */
function isOneCommonWord(query: SpanQuery): boolean {
  const only = query.words.length === 1 ? query.words[0] : undefined;
  return only !== undefined && COMMON_WORDS.has(only.folded);
}

/** Exactness tiers, far smaller than any spelling edit, so they only order equal spellings. */
const TIER_STEP = 0.01;
const IDENTICAL = 0;
const SAME_WITH_ARTICLES = TIER_STEP;
const SAME_WORDS = 2 * TIER_STEP;
const SIMILAR = 3 * TIER_STEP;
/** Scores this close are equally close: below any tier step. */
const SAME_CLOSENESS = TIER_STEP / 2;

/** The ranking of one span's candidates, kept per span text. */
export interface RankedSpan {
  /** One per entity, closest first. */
  candidates: readonly RankedCandidate[];
  /** Whether a candidate that is only similar may be picked. */
  likenessMayWin: boolean;
  /**
   * The homonyms of the closest candidate when no level narrows the choice, null when another
   * name makes the span ambiguous: it depends on the ranking alone, so it is worked out once.
   */
  homonyms?: readonly RankedCandidate[] | null;
}

/** A gazetteer spelling close enough to a span, with how close. */
export interface RankedCandidate {
  name: IndexedName;
  /** Exactness tier: identical, same with articles, same words, or similar. */
  tier: number;
  /** Tier plus spelling distance: lower is closer. */
  score: number;
}

function tierOf(query: SpanQuery, name: IndexedName): number {
  if (name.surface === query.surface) return IDENTICAL;
  if (name.written === query.written) return SAME_WITH_ARTICLES;
  if (name.folded === query.folded) return SAME_WORDS;
  return SIMILAR;
}

/**
 * A spelling with the article where the span has none, or the other way round, ranks below
 * one that agrees, even one of the next tier: the article is all that tells the Damascus
 * suburb "al-Hama" from the city "Hama" when the gazetteer knows both.
 */
const ARTICLE_DISAGREES = 1.5 * TIER_STEP;

/** Spellings are written with articles when they have more words than without. */
function articlePenalty(query: SpanQuery, name: IndexedName, tier: number): number {
  if (tier <= SAME_WITH_ARTICLES) return 0;
  const queryArticled = query.written.length !== query.folded.length;
  const nameArticled = name.written.length !== name.folded.length;
  return queryArticled === nameArticled ? 0 : ARTICLE_DISAGREES;
}

/** What running text allows a span, worked out once per span rather than per candidate. */
interface SpanShape {
  /** No capital at all: not a name in running text. */
  uncapitalised: boolean;
  /** Lower-case words, which must be spelled as in the gazetteer ("eastern Qalamun"). */
  lowerWords: readonly string[];
  /** A likeness is allowed: no common English word ("Russian" is not "Ras al-Ayn"). */
  mayBeLikeness: boolean;
}

function shapeOf(query: SpanQuery): SpanShape {
  return {
    uncapitalised: !query.words.some((w) => w.capital),
    lowerWords: query.words.filter((w) => !w.capital).map((w) => w.folded),
    mayBeLikeness: !query.words.some((w) => COMMON_WORDS.has(w.folded)),
  };
}

/**
 * Whether a span of running text may be this spelling: lower-case words spelled as in the
 * gazetteer, and a mere likeness only with as many words as the spelling.
 */
function runningTextAgrees(
  query: SpanQuery,
  shape: SpanShape,
  name: IndexedName,
  tier: number,
): boolean {
  if (!shape.lowerWords.every((w) => name.words.includes(w))) return false;
  return tier < SIMILAR || (shape.mayBeLikeness && query.words.length === name.words.length);
}

function regionMentioned(name: IndexedName, pageWords: PageWords): boolean {
  return name.regionWords.length > 0 && name.regionWords.every((w) => pageWords.has(w));
}

function entityMentioned(name: IndexedName, pageWords: PageWords): boolean {
  return name.words.every((w) => pageWords.has(w));
}

/** A w or y starting a word, also French ou before a vowel ("Ouaar" for Wa'r). */
const INITIAL_GLIDE = /^(?:[wy]|ou(?=[aeiy]))/;

/**
 * The consonants a span's spelling is allowed edits for: its key's, and each w or y that
 * starts a word. The key leaves those out with the half-vowels, but no Arabic word starts with
 * a vowel: there they are the consonants و and ي ("Yaarubiyah", "Wa'r").
 */
function consonantsOf(query: SpanQuery): number {
  let count = query.key.length;
  for (const word of query.words) if (INITIAL_GLIDE.test(word.folded)) count += 1;
  return count;
}

/** Whether no candidate of a ranking is spelled as the span: every one is a mere likeness. */
export function onlyLikeness(ranked: RankedSpan): boolean {
  return ranked.candidates.every((c) => c.tier === SIMILAR);
}

/** What picking among ranked candidates needs to know about the span and its page. */
export type PickContext = Pick<SpanQuery, 'key' | 'mode' | 'pageWords'> & {
  /** The level designators around the span said ("Hama Governorate"), if any. */
  level?: PlaceLevel | undefined;
};

/**
 * Confirms one entity among the gazetteer spellings that share a span's key, or abstains.
 * The closest spelling wins when it is close enough and no other entity comes near it, or
 * when it is an exact spelling and the others are not. Among homonyms the page decides (it
 * names one candidate's region), else closeness, level and the gazetteer's order; a different
 * name as close as the best leaves no entity.
 * A doubtful match in running text needs support from the page.
 */
export function decideEntity(
  candidates: readonly IndexedName[],
  query: SpanQuery,
  tuning: DecideTuning = DEFAULT_TUNING,
): EntityRef | null {
  return pickEntity(rankCandidates(candidates, query, tuning), query, tuning);
}

/**
 * The candidates close enough to a span, one per entity, closest first. This depends on the
 * span's text only, never on the page, so it can be kept and reused for the same text.
 */
export function rankCandidates(
  candidates: readonly IndexedName[],
  query: SpanQuery,
  tuning: DecideTuning = DEFAULT_TUNING,
): RankedSpan {
  const maxDistance = Math.max(
    MIN_ALLOWED_DISTANCE,
    tuning.maxDistancePerConsonant * consonantsOf(query),
  );
  const running = query.mode === 'running';
  const shape = running ? shapeOf(query) : undefined;
  if (shape?.uncapitalised) return { candidates: [], likenessMayWin: false };
  // Likeness is not tried for codes, nor in running text for a short skeleton (see below).
  // In running text likeness is not even tried where it may not win (see likenessMayWin);
  // a standalone name still ranks such candidates, which can make it ambiguous.
  const likenessAllowed =
    !query.exactOnly &&
    (!running || likenessMayWin(query)) &&
    (shape === undefined || shape.mayBeLikeness);
  const byEntity = new Map<string, RankedCandidate>();
  // Where each kept candidate stands in `candidates`: of one entity's equally close
  // spellings, the first is kept, whatever order the groups come in.
  const keptAt = new Map<string, number>();
  for (const group of formGroups(candidates)) {
    // Spellings of another form are only similar: one distance serves the whole group.
    const sameForm = group.form === query.form;
    let distance = 0;
    if (!sameForm) {
      if (!likenessAllowed) continue;
      // Each letter of length difference costs at least a vowel edit: skip hopeless ones.
      const lengthGap = Math.abs(query.form.length - group.form.length);
      if (lengthGap * VOWEL_EDIT_COST > maxDistance) continue;
      distance = spellingDistance(query.form, group.form, maxDistance);
      if (distance > maxDistance) continue;
    }
    for (let k = 0; k < group.names.length; k += 1) {
      const name = group.names[k]!;
      const tier = sameForm ? tierOf(query, name) : SIMILAR;
      if (tier === SIMILAR && !likenessAllowed) continue;
      if (shape && !runningTextAgrees(query, shape, name, tier)) continue;
      const score = tier + distance + articlePenalty(query, name, tier);
      const at = group.positions[k]!;
      const seen = byEntity.get(name.ref.id);
      if (
        seen === undefined ||
        score < seen.score ||
        (score === seen.score && at < (keptAt.get(name.ref.id) ?? Infinity))
      ) {
        byEntity.set(name.ref.id, { name, tier, score });
        keptAt.set(name.ref.id, at);
      }
    }
  }
  const ranked = [...byEntity.values()].sort(
    (a, b) => a.score - b.score || a.name.rank - b.name.rank,
  );
  return { candidates: ranked, likenessMayWin: likenessMayWin(query) };
}

/** Spellings of one key that share a form, with where each stands among the key's spellings. */
interface FormGroup {
  form: string;
  names: IndexedName[];
  positions: number[];
}

/** Groups of the candidate lists ranked so far; a gazetteer's lists never change. */
const formGroupsOf = new WeakMap<readonly IndexedName[], readonly FormGroup[]>();

/**
 * A key's spellings grouped by form: many spell one form (a name, its French spelling, the
 * same name of another place), and ranking measures each form once.
 */
function formGroups(candidates: readonly IndexedName[]): readonly FormGroup[] {
  let groups = formGroupsOf.get(candidates);
  if (groups === undefined) {
    const byForm = new Map<string, FormGroup>();
    candidates.forEach((name, position) => {
      const group = byForm.get(name.form);
      if (group) {
        group.names.push(name);
        group.positions.push(position);
      } else {
        byForm.set(name.form, { form: name.form, names: [name], positions: [position] });
      }
    });
    groups = [...byForm.values()];
    formGroupsOf.set(candidates, groups);
  }
  return groups;
}

/**
 * Whether a mere likeness may name the span: not for a short skeleton or word ("Bab" /
 * "Bob"), nor for a lone common English word ("Russian", "Hamas").
 */
function likenessMayWin(query: SpanQuery): boolean {
  return (
    consonantsOf(query) >= MIN_FUZZY_KEY_LENGTH &&
    query.folded.replace(/ /g, '').length >= MIN_FUZZY_FORM_LENGTH &&
    !isOneCommonWord(query)
  );
}

/** The entity among ranked candidates, with the page's help where the text alone cannot tell. */
export function pickEntity(
  ranked: RankedSpan,
  context: PickContext,
  tuning: DecideTuning = DEFAULT_TUNING,
): EntityRef | null {
  const chosen = settle(ranked, context, tuning);
  if (chosen === undefined) return null;
  // Such a candidate may still make a span ambiguous, but never names it by likeness alone.
  if (chosen.tier === SIMILAR && !ranked.likenessMayWin) return null;
  if (context.mode === 'running' && chosen.score - SIMILAR > SURE_DISTANCE) {
    const pageWords = context.pageWords();
    if (!regionMentioned(chosen.name, pageWords) && !entityMentioned(chosen.name, pageWords)) {
      return null;
    }
  }
  return chosen.name.ref;
}

/**
 * Picks among the accepted candidates (closest first). Entities whose own names are spelling
 * variants of each other (a town and the district named after it, "Manbij" and "Menbij", two
 * towns of one name) are homonyms, and one of them is picked ({@link settleHomonyms}). A
 * different name about as close as the best makes the span ambiguous. Gazetteer levels narrow
 * the choice first: a designator's level ("X District") rules out the other levels.
 */
function settle(
  ranking: RankedSpan,
  query: PickContext,
  tuning: DecideTuning,
): RankedCandidate | undefined {
  const accepted = ranking.candidates;
  // A designator's level ("Nahiyat X") rules out candidates of other levels, if any has it;
  // when the gazetteer gives every candidate another level, the span names none of them.
  const level = query.level;
  const ranked = level === undefined ? accepted : namesakes(accepted, (l) => l === level);
  if (
    level !== undefined &&
    ranked.every((s) => s.name.level !== undefined && s.name.level !== level)
  ) {
    return undefined;
  }
  const best = ranked[0];
  if (best === undefined || ranked.length === 1) return best;
  let homonyms: readonly RankedCandidate[] | null | undefined =
    level === undefined ? ranking.homonyms : undefined;
  if (homonyms === undefined) {
    homonyms = homonymsOf(ranked, query.key, tuning);
    if (level === undefined) ranking.homonyms = homonyms;
  }
  return homonyms === null ? undefined : settleHomonyms(homonyms, query);
}

/**
 * The candidates whose names are spellings of the closest one's (closest first), or null when
 * a different name is about as close as the closest.
 */
function homonymsOf(
  ranked: readonly RankedCandidate[],
  key: string,
  tuning: DecideTuning,
): RankedCandidate[] | null {
  const best = ranked[0];
  if (best === undefined) return [];
  const homonymDistance = tuning.homonymDistancePerConsonant * key.length;
  const homonyms: RankedCandidate[] = [];
  for (const s of ranked) {
    const isHomonym =
      s === best || spellingDistance(s.name.form, best.name.form) <= homonymDistance;
    if (isHomonym) homonyms.push(s);
    else if (s.score - best.score < tuning.ambiguityMargin) return null;
  }
  return homonyms;
}

/** Levels of a populated place: what a bare name in news text means among its namesakes. */
const POPULATED_LEVELS: ReadonlySet<PlaceLevel | undefined> = new Set(['city', 'town', undefined]);

/**
 * The namesakes whose level fits: those of the level a span's designators said ("Hama
 * District"), or for a bare name the populated places rather than the administrative units
 * named after them. The same list when the level tells none apart.
 */
function namesakes(
  homonyms: readonly RankedCandidate[],
  fits: (level: PlaceLevel | undefined) => boolean,
): readonly RankedCandidate[] {
  const kept = homonyms.filter((s) => fits(s.name.level));
  return kept.length === 0 || kept.length === homonyms.length ? homonyms : kept;
}

/** Administrative levels, highest first: among namesakes with no populated place, the first. */
const LEVEL_ORDER: Readonly<Record<PlaceLevel, number>> = {
  city: 0,
  town: 0,
  governorate: 1,
  district: 2,
  subdistrict: 3,
};

function levelOrder(s: RankedCandidate): number {
  return s.name.level === undefined ? 0 : LEVEL_ORDER[s.name.level];
}

/**
 * Picks among homonyms (namesakes and spellings of one name), closest first: the one whose
 * region the page names; else, of the closest spellings, the populated place, else the
 * highest level, then the gazetteer's first entry. A spelling identical to some namesakes'
 * own name keeps to those.
 */
function settleHomonyms(
  homonyms: readonly RankedCandidate[],
  query: PickContext,
): RankedCandidate | undefined {
  const best = homonyms[0];
  if (best === undefined || homonyms.length === 1) return best;
  const pageWords = query.pageWords();
  const supported = homonyms.filter((s) => regionMentioned(s.name, pageWords));
  if (supported.length === 1) return supported[0];
  const identical =
    best.tier === IDENTICAL ? homonyms.filter((s) => s.tier === IDENTICAL) : homonyms;
  const fitting =
    query.level === undefined ? namesakes(identical, (l) => POPULATED_LEVELS.has(l)) : identical;
  const top = fitting.reduce((a, b) => (b.score < a.score ? b : a));
  const pool = fitting.filter((s) => s.score - top.score < SAME_CLOSENESS);
  return pool.reduce((a, b) => {
    const order = levelOrder(b) - levelOrder(a);
    return order < 0 || (order === 0 && b.name.rank < a.name.rank) ? b : a;
  });
}
