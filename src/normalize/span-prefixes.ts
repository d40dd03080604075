import type { SpanKeeper } from './matcher-memo.js';
import type { NameIndex } from './name-index.js';
import { appendKey } from './translit-key.js';

/**
 * A span's key that starts some gazetteer spelling's key, with the steps known past it. It
 * keeps the ranking of the last span of running text that ended on it as a whole name.
 */
export interface PrefixStep extends SpanKeeper {
  key: string;
  /** The key is a whole spelling's key, not only the start of one. */
  namesAlone: boolean;
  /** The step after one more word, by that word's key; null where no spelling goes on so. */
  next: Map<string, PrefixStep | null>;
}

/**
 * Steps remembered past one prefix: the words that follow a name in running text are many,
 * so each prefix keeps the first ones it meets and works out the rest each time.
 */
const MAX_STEPS_KEPT = 256;

/**
 * The prefixes of the gazetteer's keys as steps from word to word: growing a span by a word
 * is a lookup by that word's key (a string already made and hashed) rather than a new key
 * joined and hashed for every word of every span.
 */
export class SpanPrefixes {
  private readonly steps = new Map<string, PrefixStep>();

  constructor(private readonly index: NameIndex) {}

  /** The step of a span's first key, or null when no spelling starts so. */
  first(key: string): PrefixStep | null {
    return this.index.prefixes.has(key) ? this.stepOf(key) : null;
  }

  /** The step after `step` grown by a word of key `wordKey` ({@link appendKey}), or null. */
  after(step: PrefixStep, wordKey: string): PrefixStep | null {
    const known = step.next.get(wordKey);
    if (known !== undefined) return known;
    const next = this.first(appendKey(step.key, wordKey));
    if (step.next.size < MAX_STEPS_KEPT) step.next.set(wordKey, next);
    return next;
  }

  private stepOf(key: string): PrefixStep {
    let step = this.steps.get(key);
    if (step === undefined) {
      step = { key, namesAlone: this.index.byKey.has(key), next: new Map() };
      this.steps.set(key, step);
    }
    return step;
  }
}
