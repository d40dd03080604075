import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createNameMatcher } from '../../src/normalize/create-name-matcher.js';
import { loadGazetteer } from '../../src/normalize/gazetteer.js';
import { MatcherMemo, NOT_KEPT } from '../../src/normalize/matcher-memo.js';
import { buildNameIndex } from '../../src/normalize/name-index.js';
import type { RankedSpan } from '../../src/normalize/decide-entity.js';

const GAZETTEER_PATH = new URL('../../config/gazetteer.json', import.meta.url).pathname;
const HTML_DIR = new URL('../fixtures/html/', import.meta.url).pathname;

/** The fixture pages' text, markup stripped: real pages with many names, some repeated. */
const PAGES = readdirSync(HTML_DIR)
  .filter((f) => f.endsWith('.html'))
  .sort()
  .map((f) =>
    readFileSync(HTML_DIR + f, 'utf8')
      .replace(/<[^>]*>/g, ' ')
      .replace(/\s+/g, ' '),
  );

function ranking(): RankedSpan {
  return { candidates: [] } as unknown as RankedSpan;
}

describe('matcher memo', () => {
  it('finds the same mentions with every memo kept, none kept, or dropped at every ranking', async () => {
    const gazetteer = await loadGazetteer(GAZETTEER_PATH);
    const kept = createNameMatcher(gazetteer);
    const none = createNameMatcher(gazetteer, { rankingCacheSize: 0 });
    const churning = createNameMatcher(gazetteer, { rankingCacheSize: 1 });
    expect(PAGES.length).toBeGreaterThan(0);
    // Twice over, so the second pass reads what the first one kept.
    for (const text of [...PAGES, ...PAGES]) {
      const expected = none.findMentions(text, PAGES[0]);
      expect(expected.length).toBeGreaterThan(0);
      expect(kept.findMentions(text, PAGES[0])).toEqual(expected);
      expect(churning.findMentions(text, PAGES[0])).toEqual(expected);
    }
  });

  it('drops every ranking past its bound and forgets what words learned from them', () => {
    const index = buildNameIndex({
      entities: [{ id: 'x', name: 'Douma', type: 'place', aliases: [] }],
    });
    const memo = new MatcherMemo(
      index,
      (folded) => ({ key: folded, form: folded, step: null, particles: 0 }),
      2,
    );
    const [a, b, c] = [ranking(), ranking(), ranking()];
    memo.keepRanking(0, 'Douma', a);
    memo.keepRanking(1, 'Duma', b);
    expect(memo.ranking(0, 'Douma')).toBe(a);
    const word = memo.tokenize('in Douma').entry(1);
    memo.keepSpan(word, 'Douma', a);
    expect(memo.keptSpan(word, 'in Douma', 3, 8)).toBeUndefined(); // no candidate: kept as none
    expect(memo.keptSpan(word, 'in Duma', 3, 7)).toBe(NOT_KEPT);
    memo.keepRanking(0, 'Dumah', c);
    expect(memo.ranking(0, 'Douma')).toBeUndefined();
    expect(memo.ranking(1, 'Duma')).toBeUndefined();
    expect(memo.ranking(0, 'Dumah')).toBe(c);
    expect(memo.keptSpan(word, 'in Douma', 3, 8)).toBe(NOT_KEPT);
  });

  it('scans a text once while it is one of the last two', () => {
    const index = buildNameIndex({ entities: [] });
    const memo = new MatcherMemo(
      index,
      (folded) => ({ key: folded, form: folded, step: null, particles: 0 }),
      0,
    );
    const title = memo.tokenize('Title');
    const body = memo.tokenize('Body text');
    expect(memo.tokenize('Title')).toBe(title);
    expect(memo.tokenize('Body text')).toBe(body);
    memo.tokenize('Another page');
    expect(memo.tokenize('Title')).not.toBe(title);
    expect(memo.keeps).toBe(false);
  });
});
