import { createHash } from 'node:crypto';

/** sha256 of canonical.title + "\n" + canonical.body, as the record contract defines it. */
export function contentHash(canonicalTitle: string, canonicalBody: string): string {
  return createHash('sha256').update(`${canonicalTitle}\n${canonicalBody}`).digest('hex');
}

const FNV_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
/** FNV-1a, 32 bits, twice: a second basis (the first, bit-flipped) for the high half, so the halves do not correlate. */
const FNV_BASIS_HIGH = ~FNV_BASIS >>> 0;

/** Word shingles of this size feed the simhash: long enough to keep word order, short enough to survive edits. */
const SIMHASH_SHINGLE_WORDS = 3;

/**
 * 64-bit simhash over lower-cased word shingles, as 16 hex digits. Near-duplicate texts
 * (the same story on two sites, a revision that fixed a typo) differ in few bits.
 */
export function simhash(text: string): string {
  // Words are read and hashed in one pass over char codes (letters and digits, lower-cased),
  // without building strings: the text path spends most of its time here otherwise.
  const wordLo: number[] = [];
  const wordHi: number[] = [];
  let lo = FNV_BASIS;
  let hi = FNV_BASIS_HIGH;
  let inWord = false;
  for (let i = 0; i <= text.length; i++) {
    let c = i < text.length ? text.charCodeAt(i) : 0x20;
    let wordChar: boolean;
    if (c < 0x80) {
      if (c >= 0x41 && c <= 0x5a) c += 0x20;
      wordChar = (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39);
    } else {
      const ch = text[i]!;
      wordChar = WORD_CHAR.test(ch);
      if (wordChar) c = ch.toLowerCase().charCodeAt(0);
    }
    if (wordChar) {
      lo = Math.imul(lo ^ c, FNV_PRIME);
      hi = Math.imul(hi ^ c, FNV_PRIME);
      inWord = true;
    } else if (inWord) {
      wordLo.push(lo >>> 0);
      wordHi.push(hi >>> 0);
      lo = FNV_BASIS;
      hi = FNV_BASIS_HIGH;
      inWord = false;
    }
  }
  // A bit of the result is set when more than half the shingles set it. The shingles' bits are
  // counted eight at a time: lane l of counter j counts bit j + 8l, and the counters are
  // emptied into the totals before a lane can reach 256.
  const lanes = new Uint32Array(16);
  const ones = new Int32Array(64);
  const count = Math.max(1, wordLo.length - SIMHASH_SHINGLE_WORDS + 1);
  let pending = 0;
  for (let i = 0; i < count; i++) {
    let sLo = FNV_BASIS;
    let sHi = FNV_BASIS_HIGH;
    for (let j = 0; j < SIMHASH_SHINGLE_WORDS && i + j < wordLo.length; j++) {
      sLo = Math.imul(sLo ^ wordLo[i + j]!, FNV_PRIME);
      sHi = Math.imul(sHi ^ wordHi[i + j]!, FNV_PRIME);
    }
    sLo = finalize(sLo);
    sHi = finalize(sHi);
    for (let j = 0; j < 8; j++) {
      lanes[j] = lanes[j]! + ((sLo >>> j) & EVERY_EIGHTH_BIT);
      lanes[j + 8] = lanes[j + 8]! + ((sHi >>> j) & EVERY_EIGHTH_BIT);
    }
    pending++;
    if (pending === MAX_LANE_COUNT || i === count - 1) {
      emptyLanes(lanes, ones);
      pending = 0;
    }
  }
  let outLo = 0;
  let outHi = 0;
  for (let bit = 0; bit < 32; bit++) {
    if (2 * ones[bit]! > count) outLo |= 1 << bit;
    if (2 * ones[bit + 32]! > count) outHi |= 1 << bit;
  }
  return (outHi >>> 0).toString(16).padStart(8, '0') + (outLo >>> 0).toString(16).padStart(8, '0');
}

const WORD_CHAR = /[\p{L}\p{N}]/u;

/** Bits 0, 8, 16 and 24: one per 8-bit lane. */
const EVERY_EIGHTH_BIT = 0x01010101;
/** Counts an 8-bit lane holds. */
const MAX_LANE_COUNT = 255;

/** Adds the lanes' counts to the totals per bit position (lane l of counter j is bit j + 8l). */
function emptyLanes(lanes: Uint32Array, ones: Int32Array): void {
  for (let j = 0; j < 16; j++) {
    const lane = lanes[j]!;
    const base = j < 8 ? j : 32 + (j - 8);
    for (let l = 0; l < 4; l++)
      ones[base + 8 * l] = ones[base + 8 * l]! + ((lane >>> (8 * l)) & 0xff);
    lanes[j] = 0;
  }
}

/** murmur3's finalizer: spreads every input bit over the whole word, so each simhash bit is fair. */
function finalize(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Number of differing bits between two simhashes. */
export function hammingDistance(a: string, b: string): number {
  let x = BigInt(`0x${a}`) ^ BigInt(`0x${b}`);
  let bits = 0;
  while (x) {
    bits += Number(x & 1n);
    x >>= 1n;
  }
  return bits;
}
