import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentHash, hammingDistance, simhash } from '../../src/record/content-hash.js';
import { ROOT } from '../helpers/cli.js';

/** Near-duplicates stay within this many bits; unrelated texts land near 32 of 64. */
const NEAR_BITS = 10;
const FAR_BITS = 18;

describe('content hash and simhash', () => {
  const a = readFileSync(join(ROOT, 'seeds', '002_ca96faed848cebce.txt'), 'utf8');
  const b = readFileSync(join(ROOT, 'seeds', '004_675f98535424584b.txt'), 'utf8');

  it('hashes canonical title and body as the contract says', () => {
    // sha256 of "T\nB", as `printf 'T\nB' | sha256sum` prints it.
    expect(contentHash('T', 'B')).toBe(
      'e1725446192b97dc9f6faa7e5c3ebe3960b960b7947a6c0981f69aa6f6af6ce6',
    );
  });

  it('gives near-duplicates close simhashes and different stories distant ones', () => {
    const edited = a
      .replace('tentative agreement', 'provisional agreement')
      .replace('Sunday', 'Monday');
    expect(simhash(a)).toMatch(/^[0-9a-f]{16}$/);
    expect(hammingDistance(simhash(a), simhash(edited))).toBeLessThanOrEqual(NEAR_BITS);
    expect(hammingDistance(simhash(a), simhash(b))).toBeGreaterThanOrEqual(FAR_BITS);
    expect(simhash(a)).toBe(simhash(a));
  });

  it('counts shingle bits as the plain per-bit count does (the contract value, bit for bit)', () => {
    const texts = ['', ' ', 'one', 'one two', 'one two three', 'Ünïcödé wörds, العربية 𝒳 x'];
    for (const name of readdirSync(join(ROOT, 'seeds'))) {
      texts.push(readFileSync(join(ROOT, 'seeds', name), 'utf8'));
    }
    // Texts of every length around the lane spill (15 shingles) and the word buffer's growth.
    const words = a.split(/\s+/);
    for (const n of [14, 15, 16, 17, 18, 30, 31, 32, 33, 1500]) {
      texts.push(Array.from({ length: n }, (_, i) => words[i % words.length]).join(' '));
    }
    for (const text of texts) expect(simhash(text)).toBe(simhashPerBit(text));
  });
});

/** The simhash as first written: words, then shingles, then one counter update per bit. */
function simhashPerBit(text: string): string {
  const FNV_BASIS = 0x811c9dc5;
  const FNV_PRIME = 0x01000193;
  // Words: runs of UTF-16 code units that are letters or digits, each lower-cased alone.
  const words: Array<[number, number]> = [];
  let lo = FNV_BASIS;
  let hi = ~FNV_BASIS >>> 0;
  let inWord = false;
  for (const ch of [...text.split(''), ' ']) {
    if (/[\p{L}\p{N}]/u.test(ch)) {
      const c = ch.toLowerCase().charCodeAt(0);
      lo = Math.imul(lo ^ c, FNV_PRIME);
      hi = Math.imul(hi ^ c, FNV_PRIME);
      inWord = true;
    } else if (inWord) {
      words.push([lo, hi]);
      lo = FNV_BASIS;
      hi = ~FNV_BASIS >>> 0;
      inWord = false;
    }
  }
  const fmix = (h: number) => {
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    return h >>> 0;
  };
  const weights = new Array<number>(64).fill(0);
  const count = Math.max(1, words.length - 2);
  for (let i = 0; i < count; i++) {
    let sLo = FNV_BASIS;
    let sHi = ~FNV_BASIS >>> 0;
    for (const [lo, hi] of words.slice(i, i + 3)) {
      sLo = Math.imul(sLo ^ lo, FNV_PRIME);
      sHi = Math.imul(sHi ^ hi, FNV_PRIME);
    }
    for (let bit = 0; bit < 32; bit++) {
      weights[bit]! += (fmix(sLo) >>> bit) & 1 ? 1 : -1;
      weights[bit + 32]! += (fmix(sHi) >>> bit) & 1 ? 1 : -1;
    }
  }
  let outLo = 0;
  let outHi = 0;
  for (let bit = 0; bit < 32; bit++) {
    if (weights[bit]! > 0) outLo |= 1 << bit;
    if (weights[bit + 32]! > 0) outHi |= 1 << bit;
  }
  return (outHi >>> 0).toString(16).padStart(8, '0') + (outLo >>> 0).toString(16).padStart(8, '0');
}
