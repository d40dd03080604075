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

/** Word hashes of the text being hashed, kept between calls so that a page allocates none. */
const INITIAL_WORDS = 1024;
/** Past this many words (a page of some 400 KB) the buffers are not kept between calls. */
const MAX_KEPT_WORDS = 1 << 16;
let wordLo = new Int32Array(INITIAL_WORDS);
let wordHi = new Int32Array(INITIAL_WORDS);

/**
 * Shingle bits are counted four bit positions to a 32-bit word, in 4-bit lanes
 * (`0x11111111` picks one bit a lane): up to 15 shingles fit before a lane overflows.
 */
const LANE_BITS = 0x11111111;
const LANE_MAX = 0xf;

/**
 * 64-bit simhash over lower-cased word shingles, as 16 hex digits. Near-duplicate texts
 * (the same story on two sites, a revision that fixed a typo) differ in few bits.
 */
export function simhash(text: string): string {
  // Words are read and hashed in one pass over char codes (letters and digits, lower-cased),
  // without building strings: the text path spends most of its time here otherwise.
  let words = 0;
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
      if (words === wordLo.length) growWords();
      wordLo[words] = lo;
      wordHi[words] = hi;
      words++;
      lo = FNV_BASIS;
      hi = FNV_BASIS_HIGH;
      inWord = false;
    }
  }
  // A bit of the simhash is set when more than half of the shingles have it. Each shingle's
  // bits are added to lane counters (a0..a3 for the low half, b0..b3 for the high), spilled
  // into `ones` before they overflow: a few operations a shingle instead of one per bit.
  const ones = new Int32Array(64);
  const count = Math.max(1, words - SIMHASH_SHINGLE_WORDS + 1);
  let a0 = 0;
  let a1 = 0;
  let a2 = 0;
  let a3 = 0;
  let b0 = 0;
  let b1 = 0;
  let b2 = 0;
  let b3 = 0;
  let inLanes = 0;
  for (let i = 0; i < count; i++) {
    let sLo = FNV_BASIS;
    let sHi = FNV_BASIS_HIGH;
    for (let j = 0; j < SIMHASH_SHINGLE_WORDS && i + j < words; j++) {
      sLo = Math.imul(sLo ^ wordLo[i + j]!, FNV_PRIME);
      sHi = Math.imul(sHi ^ wordHi[i + j]!, FNV_PRIME);
    }
    sLo = finalize(sLo);
    sHi = finalize(sHi);
    a0 += sLo & LANE_BITS;
    a1 += (sLo >>> 1) & LANE_BITS;
    a2 += (sLo >>> 2) & LANE_BITS;
    a3 += (sLo >>> 3) & LANE_BITS;
    b0 += sHi & LANE_BITS;
    b1 += (sHi >>> 1) & LANE_BITS;
    b2 += (sHi >>> 2) & LANE_BITS;
    b3 += (sHi >>> 3) & LANE_BITS;
    if (++inLanes === LANE_MAX || i === count - 1) {
      spillLanes(ones, 0, a0, a1, a2, a3);
      spillLanes(ones, 32, b0, b1, b2, b3);
      a0 = a1 = a2 = a3 = b0 = b1 = b2 = b3 = 0;
      inLanes = 0;
    }
  }
  let outLo = 0;
  let outHi = 0;
  for (let bit = 0; bit < 32; bit++) {
    if (2 * ones[bit]! > count) outLo |= 1 << bit;
    if (2 * ones[bit + 32]! > count) outHi |= 1 << bit;
  }
  // A huge page's word buffers are let go, not kept for every page after it.
  if (wordLo.length > MAX_KEPT_WORDS) {
    wordLo = new Int32Array(INITIAL_WORDS);
    wordHi = new Int32Array(INITIAL_WORDS);
  }
  return (outHi >>> 0).toString(16).padStart(8, '0') + (outLo >>> 0).toString(16).padStart(8, '0');
}

function growWords(): void {
  const lo = new Int32Array(wordLo.length * 2);
  const hi = new Int32Array(wordHi.length * 2);
  lo.set(wordLo);
  hi.set(wordHi);
  wordLo = lo;
  wordHi = hi;
}

/** Adds lane counters to the bit counts from `base`: lane k of counter r counts bit 4k + r. */
function spillLanes(
  ones: Int32Array,
  base: number,
  l0: number,
  l1: number,
  l2: number,
  l3: number,
): void {
  for (let shift = 0; shift < 32; shift += 4) {
    const bit = base + shift;
    ones[bit] = ones[bit]! + ((l0 >>> shift) & LANE_MAX);
    ones[bit + 1] = ones[bit + 1]! + ((l1 >>> shift) & LANE_MAX);
    ones[bit + 2] = ones[bit + 2]! + ((l2 >>> shift) & LANE_MAX);
    ones[bit + 3] = ones[bit + 3]! + ((l3 >>> shift) & LANE_MAX);
  }
}

const WORD_CHAR = /[\p{L}\p{N}]/u;

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
