import { readFileSync } from 'node:fs';
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

  it('sets each bit that most shingles set, on texts longer than a counter lane holds', () => {
    // The same words over and over: every shingle is one of three, so the majority is known.
    // 256 and more shingles make the counting empty its 8-bit lanes at least once.
    for (const words of [300, 256 + 2, 255 + 2, 1000]) {
      const text = Array.from({ length: words }, (_, i) => ['alpha', 'beta', 'gamma'][i % 3]).join(
        ' ',
      );
      expect(simhash(text)).toBe(simhash('alpha beta gamma alpha beta gamma alpha beta gamma'));
    }
  });
});
