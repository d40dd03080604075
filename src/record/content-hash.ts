import { createHash } from 'node:crypto';

/** sha256 of canonical.title + "\n" + canonical.body, as the record contract defines it. */
export function contentHash(canonicalTitle: string, canonicalBody: string): string {
  return createHash('sha256').update(`${canonicalTitle}\n${canonicalBody}`).digest('hex');
}

const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK_64 = (1n << 64n) - 1n;

function fnv1a64(text: string): bigint {
  let hash = FNV_OFFSET;
  for (let i = 0; i < text.length; i++) {
    hash ^= BigInt(text.charCodeAt(i));
    hash = (hash * FNV_PRIME) & MASK_64;
  }
  return hash;
}

/** Word shingles of this size feed the simhash: long enough to keep word order, short enough to survive edits. */
const SIMHASH_SHINGLE_WORDS = 3;

/**
 * 64-bit simhash over lower-cased word shingles, as 16 hex digits. Near-duplicate texts
 * (the same story on two sites, a revision that fixed a typo) differ in few bits.
 */
export function simhash(text: string): string {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const weights = new Int32Array(64);
  const count = Math.max(1, words.length - SIMHASH_SHINGLE_WORDS + 1);
  for (let i = 0; i < count; i++) {
    const shingle = words.slice(i, i + SIMHASH_SHINGLE_WORDS).join(' ');
    const h = fnv1a64(shingle);
    const lo = Number(h & 0xffffffffn);
    const hi = Number(h >> 32n);
    for (let bit = 0; bit < 32; bit++) {
      weights[bit]! += (lo >>> bit) & 1 ? 1 : -1;
      weights[bit + 32]! += (hi >>> bit) & 1 ? 1 : -1;
    }
  }
  let result = 0n;
  for (let bit = 0; bit < 64; bit++) if (weights[bit]! > 0) result |= 1n << BigInt(bit);
  return result.toString(16).padStart(16, '0');
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
