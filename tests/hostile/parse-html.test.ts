import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AnyNode } from 'domhandler';
import { DomUtils, parseDocument } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import {
  MAX_ELEMENTS,
  MAX_OPEN_ELEMENTS,
  MAX_TEXT_NODE_CHARS,
  parseHtml,
} from '../../src/clean/html/parse-html.js';
import type { PipelineError } from '../../src/errors.js';

const render = (node: AnyNode) => DomUtils.getOuterHTML(node);
const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'html');

function depthOf(node: AnyNode): number {
  let deepest = 0;
  const stack: Array<[AnyNode, number]> = [[node, 0]];
  while (stack.length > 0) {
    const [n, d] = stack.pop()!;
    deepest = Math.max(deepest, d);
    if ('children' in n) for (const c of n.children) stack.push([c, d + 1]);
  }
  return deepest;
}

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return (error as PipelineError).code;
  }
  return 'no error';
}

describe('parseHtml', () => {
  it('builds the same tree as htmlparser2 for ordinary pages, HTML comments left out', () => {
    for (const name of readdirSync(FIXTURES).filter((n) => n.endsWith('.html'))) {
      const html = readFileSync(join(FIXTURES, name), 'utf8');
      const expected = parseDocument(html);
      for (const comment of DomUtils.filter((n) => n.type === 'comment', expected)) {
        DomUtils.removeElement(comment);
      }
      expect(render(parseHtml(html)), name).toBe(render(expected));
    }
  });

  it('keeps at most MAX_OPEN_ELEMENTS elements open: deeper ones become siblings', () => {
    const html = `<body>${'<div>'.repeat(90_000)}<p>Jayrud</p>`;
    const document = parseHtml(html);
    expect(depthOf(document)).toBeLessThanOrEqual(MAX_OPEN_ELEMENTS + 2);
    expect(render(document)).toContain('<p>Jayrud</p>');
  });

  it('refuses a page of more than MAX_ELEMENTS elements (300,000 unclosed divs)', () => {
    expect(codeOf(() => parseHtml(`<body>${'<div>'.repeat(300_000)}`))).toBe('CONTENT_TOO_COMPLEX');
    expect(MAX_ELEMENTS).toBeLessThan(300_000);
  });

  it('refuses a text node longer than MAX_TEXT_NODE_CHARS, but not a long script', () => {
    const long = 'a'.repeat(MAX_TEXT_NODE_CHARS + 1);
    expect(codeOf(() => parseHtml(`<body><p>${long}</p>`))).toBe('CONTENT_TOO_LONG');
    expect(codeOf(() => parseHtml(`<script>${long}</script><p>x</p>`))).toBe('no error');
    const jsonLd = `<script type="application/ld+json">"${long}"</script>`;
    expect(codeOf(() => parseHtml(jsonLd))).toBe('CONTENT_TOO_LONG');
  });
});
