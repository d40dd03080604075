import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CleanPage } from '../../src/clean/clean-page.js';
import { cleanHtml } from '../../src/clean/html/clean-html.js';
import type { HtmlRules } from '../../src/clean/html/html-rules.js';
import { loadHtmlRules } from '../../src/clean/html/load-html-rules.js';

/**
 * Golden pages in the style of the seed sites: each tests/fixtures/html/NAME.html has a
 * NAME.expected.json beside it with the metadata, `with` snippets the body must hold, `without`
 * snippets it must not (each reported as removed), and the comments in order.
 */
type Expected = Pick<
  CleanPage,
  'title' | 'publishedAt' | 'authors' | 'tags' | 'lang' | 'site' | 'canonicalUrl'
> & {
  url: string;
  paragraphs: number;
  with: string[];
  without: string[];
  comments: Array<{ author: string | null; depth: number; spam: boolean; startsWith: string }>;
};

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/html');
const names = readdirSync(FIXTURES)
  .filter((name) => name.endsWith('.html'))
  .map((name) => name.slice(0, -'.html'.length));

let withProfiles: HtmlRules;
let generalOnly: HtmlRules;

beforeAll(async () => {
  withProfiles = await loadHtmlRules({ sitesDir: 'config/sites' });
  generalOnly = { ...withProfiles, sites: [] };
});

describe.each(names)('HTML fixture %s', (name) => {
  const html = readFileSync(path.join(FIXTURES, `${name}.html`), 'utf8');
  const expected = JSON.parse(
    readFileSync(path.join(FIXTURES, `${name}.expected.json`), 'utf8'),
  ) as Expected;

  for (const [label, rules] of [
    ['with site profiles', () => withProfiles],
    ['with general rules only', () => generalOnly],
  ] as const) {
    it(`extracts the article ${label}`, () => {
      const page = cleanHtml({ html, url: expected.url }, rules());
      expect(page.title).toBe(expected.title);
      expect(page.publishedAt).toBe(expected.publishedAt);
      expect(page.authors).toEqual(expected.authors);
      expect(page.tags).toEqual(expected.tags);
      expect(page.lang).toBe(expected.lang);
      expect(page.site).toBe(expected.site);
      expect(page.canonicalUrl).toBe(expected.canonicalUrl);
      expect(page.body.split('\n\n')).toHaveLength(expected.paragraphs);
      for (const snippet of expected.with) expect(page.body).toContain(snippet);
      for (const snippet of expected.without) expect(page.body).not.toContain(snippet);
      expect(page.body).not.toMatch(/\w\n\n?\w*[a-z][A-Z]/);
    });

    it(`splits the comments out of the body ${label}`, () => {
      const page = cleanHtml({ html, url: expected.url }, rules());
      expect(page.comments.map(({ author, depth, spam }) => ({ author, depth, spam }))).toEqual(
        expected.comments.map(({ author, depth, spam }) => ({ author, depth, spam })),
      );
      page.comments.forEach((comment, i) => {
        expect(comment.text.startsWith(expected.comments[i]?.startsWith ?? '\u0000')).toBe(true);
        expect(page.body).not.toContain(comment.text.slice(0, 40));
      });
    });

    it(`reports every removed snippet with a rule ${label}`, () => {
      const page = cleanHtml({ html, url: expected.url }, rules());
      const removedText = page.removed.map((r) => r.text).join('\n');
      for (const snippet of expected.without) {
        if (page.comments.some((c) => c.text.includes(snippet))) continue;
        expect(removedText, `"${snippet}" removed but not reported`).toContain(snippet);
      }
      for (const removal of page.removed) {
        expect(removal.rule).not.toBe('');
        expect(page.body, `[${removal.rule}] reported removed but kept`).not.toContain(
          removal.text,
        );
      }
    });
  }
});
