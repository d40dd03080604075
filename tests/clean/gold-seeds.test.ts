import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cleanText } from '../../src/clean/text/clean-text.js';
import { loadTextRules, type TextRules } from '../../src/clean/text/text-rules.js';
import { foldQuotes, goldAvailable, readGoldSeeds, tokenF1 } from '../helpers/gold.js';

const ROOT = join(import.meta.dirname, '..', '..');
/** Issue 2's floors: every seed at least this body F1, and the mean at least MEAN_F1. */
const MIN_F1 = 0.98;
const MEAN_F1 = 0.99;

describe.skipIf(!goldAvailable())('text seeds against ../shared/gold', () => {
  let rules: TextRules;
  beforeAll(async () => {
    rules = await loadTextRules(join(ROOT, 'config/rules/text.json'));
  });
  const golds = goldAvailable() ? readGoldSeeds() : [];
  const scores: number[] = [];

  it.each(golds.map((g) => [g.seed, g] as const))('%s', (_name, gold) => {
    const page = cleanText(readFileSync(join(ROOT, 'seeds', gold.seed), 'utf8'), rules);
    const f1 = tokenF1(page.body, gold.body.join('\n\n'));
    scores.push(f1);
    expect(f1, `body F1 of ${gold.seed}`).toBeGreaterThanOrEqual(MIN_F1);
    expect(foldQuotes(page.title)).toBe(foldQuotes(gold.title));
    expect(page.publishedAt).toBe(gold.publishedAt);
    expect(page.tags).toEqual(gold.tags);
    for (const boilerplate of gold.boilerplate) {
      expect(page.body, 'boilerplate left in body').not.toContain(boilerplate.trim());
      expect(page.title, 'boilerplate left in title').not.toContain(boilerplate.trim());
    }
    for (const text of gold.comments.texts) {
      expect(
        page.comments.some((c) => c.text.includes(text)),
        `comment "${text}" found`,
      ).toBe(true);
      expect(page.body, 'comment left in body').not.toContain(text);
    }
    const flagged = page.comments.filter((c) => c.spam);
    expect(flagged.length).toBe(gold.comments.spam.length);
    for (const spam of gold.comments.spam) {
      expect(
        flagged.some((c) => c.text.includes(spam)),
        `spam "${spam}" flagged`,
      ).toBe(true);
    }
  });

  it(`mean body F1 is at least ${MEAN_F1}`, () => {
    expect(scores).toHaveLength(golds.length);
    const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
    expect(mean).toBeGreaterThanOrEqual(MEAN_F1);
  });
});

describe('text pages without a headline line', () => {
  it('keep their prose as the body, with an empty title', async () => {
    const rules = await loadTextRules(join(ROOT, 'config/rules/text.json'));
    const first =
      'With a body about Douma, where the council met on Sunday to discuss the water supply.';
    const second =
      'And a second paragraph here, in which the mayor said the pumps would be repaired by spring.';
    const page = cleanText(`Home\n\n${first}\n\n${second}\n`, rules);
    expect(page.title).toBe('');
    expect(page.body).toBe(`${first}\n\n${second}`);
    expect(page.removed).toHaveLength(1);
    expect(page.removed[0]!.text).toBe('Home');
    expect(page.removed[0]!.rule).toMatch(/^masthead \(classifier 0\.\d\d\)$/);
  });
});
