import { codeAt } from './name-tokens.js';

/** Slots of an empty table; it doubles whenever it is half full. */
const INITIAL_SLOTS = 1024;

/** FNV-1a over UTF-16 code units: cheap, and good enough to spread words over the slots. */
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

function lowerAscii(code: number): number {
  return code >= 0x41 && code <= 0x5a ? code | 0x20 : code;
}

/**
 * Folded words with what is known about each, found by their characters: a word of running
 * text that was seen before is found without slicing, lower-casing or hashing a new string.
 * Past `maxWords` distinct words the table starts afresh.
 */
export class WordTable<T> {
  private slots = new Int32Array(INITIAL_SLOTS);
  private words: string[] = [];
  private values: T[] = [];
  /** How many times the table has started afresh: entries from before are no longer in it. */
  resets = 0;

  constructor(
    private readonly describe: (folded: string) => T,
    private readonly maxWords: number,
  ) {}

  /** The entry of the ASCII word `text[start, end)` lower-cased, which is its fold. */
  ofAscii(text: string, start: number, end: number): T {
    let hash = FNV_OFFSET;
    for (let k = start; k < end; k += 1)
      hash = Math.imul(hash ^ lowerAscii(codeAt(text, k)), FNV_PRIME);
    const mask = this.slots.length - 1;
    const length = end - start;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const at = (this.slots[slot] ?? 0) - 1;
      if (at < 0) return this.add(text.slice(start, end).toLowerCase(), hash);
      const word = this.words[at] ?? '';
      if (word.length === length && sameLowered(word, text, start)) return this.values[at] as T;
    }
  }

  /** The entry of an already folded word. */
  of(folded: string): T {
    const hash = hashOf(folded);
    return this.at(folded, hash) ?? this.add(folded, hash);
  }

  /** The entry of an already folded word if the table has one; none is made. */
  find(folded: string): T | undefined {
    return this.at(folded, hashOf(folded));
  }

  private at(folded: string, hash: number): T | undefined {
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const at = (this.slots[slot] ?? 0) - 1;
      if (at < 0) return undefined;
      if (this.words[at] === folded) return this.values[at] as T;
    }
  }

  private add(folded: string, hash: number): T {
    if (this.words.length >= this.maxWords) {
      this.slots = new Int32Array(INITIAL_SLOTS);
      this.words = [];
      this.values = [];
      this.resets += 1;
    } else if ((this.words.length + 1) * 2 > this.slots.length) {
      this.grow();
    }
    const value = this.describe(folded);
    this.words.push(folded);
    this.values.push(value);
    this.place(hash, this.words.length);
    return value;
  }

  private place(hash: number, entry: number): void {
    const mask = this.slots.length - 1;
    let slot = hash & mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
    this.slots[slot] = entry;
  }

  private grow(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    this.words.forEach((word, at) => this.place(hashOf(word), at + 1));
  }
}

function hashOf(word: string): number {
  let hash = FNV_OFFSET;
  for (let k = 0; k < word.length; k += 1) hash = Math.imul(hash ^ codeAt(word, k), FNV_PRIME);
  return hash;
}

/** Whether `word` equals `text` from `start` on, lower-cased, over the word's length. */
function sameLowered(word: string, text: string, start: number): boolean {
  for (let k = 0; k < word.length; k += 1)
    if (codeAt(word, k) !== lowerAscii(codeAt(text, start + k))) return false;
  return true;
}
