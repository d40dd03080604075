import { createHash } from 'node:crypto';

/** sha256 of canonical.title + "\n" + canonical.body, as the record contract defines it. */
export function contentHash(canonicalTitle: string, canonicalBody: string): string {
  return createHash('sha256').update(`${canonicalTitle}\n${canonicalBody}`).digest('hex');
}

/** FNV-1a, 32 bits, from a given offset basis: two bases give two independent halves of 64 bits. */
function fnv1a32(text: string, basis: number): number {
  let hash = basis;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

const FNV_BASIS = 0x811c9dc5;
/** A second basis (FNV-1a's, bit-flipped) for the high half, so the halves do not correlate. */
const FNV_BASIS_HIGH = ~FNV_BASIS >>> 0;

/** Word shingles of this size feed the simhash: long enough to keep word order, short enough to survive edits. */
const SIMHASH_SHINGLE_WORDS = 3;

/**
 * 64-bit simhash over lower-cased word shingles, as 16 hex digits. Near-duplicate texts
 * (the same story on two sites, a revision that fixed a typo) differ in few bits.
 */
export function simhash(text: string): string {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  // Each word is hashed once (two halves); a shingle's hash mixes its words' hashes in order.
  const wordLo = words.map((w) => fnv1a32(w, FNV_BASIS));
  const wordHi = words.map((w) => fnv1a32(w, FNV_BASIS_HIGH));
  const weights = new Int32Array(64);
  const count = Math.max(1, words.length - SIMHASH_SHINGLE_WORDS + 1);
  for (let i = 0; i < count; i++) {
    let lo = FNV_BASIS;
    let hi = FNV_BASIS_HIGH;
    for (let j = 0; j < SIMHASH_SHINGLE_WORDS && i + j < words.length; j++) {
      lo = Math.imul(lo ^ wordLo[i + j]!, 0x01000193);
      hi = Math.imul(hi ^ wordHi[i + j]!, 0x01000193);
    }
    lo = finalize(lo);
    hi = finalize(hi);
    for (let bit = 0; bit < 32; bit++) {
      weights[bit]! += (lo >>> bit) & 1 ? 1 : -1;
      weights[bit + 32]! += (hi >>> bit) & 1 ? 1 : -1;
    }
  }
  let lo = 0;
  let hi = 0;
  for (let bit = 0; bit < 32; bit++) {
    if (weights[bit]! > 0) lo |= 1 << bit;
    if (weights[bit + 32]! > 0) hi |= 1 << bit;
  }
  return (hi >>> 0).toString(16).padStart(8, '0') + (lo >>> 0).toString(16).padStart(8, '0');
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
