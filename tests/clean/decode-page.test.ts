import { describe, expect, it } from 'vitest';
import { decodePage } from '../../src/clean/decode-page.js';
import type { PipelineError } from '../../src/errors.js';

function page(body: Uint8Array | string, contentType: string | null = null) {
  return {
    uri: 'test',
    contentType,
    body: typeof body === 'string' ? new TextEncoder().encode(body) : body,
  };
}

/** "دمشق" (Damascus) in windows-1256. */
const DAMASCUS_1256 = [0xcf, 0xe3, 0xd4, 0xde];

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return `${(error as PipelineError).code}: ${(error as Error).message}`;
  }
  return 'no error';
}

describe('decodePage', () => {
  it('tells HTML from text by the server first, then by the first tag', () => {
    expect(decodePage(page('<script>x</script><p>Hello</p>', 'text/html')).format).toBe('html');
    expect(decodePage(page('<p>shown as text</p>', 'text/plain')).format).toBe('text');
    expect(decodePage(page('<!DOCTYPE html><html><body>Hi</body></html>')).format).toBe('html');
    expect(decodePage(page('Plain words on a page.')).format).toBe('text');
  });

  it('reads the charset from the header, a BOM, <meta charset> or an XML prolog', () => {
    const html = (prefix: string) =>
      Uint8Array.from([...Buffer.from(prefix, 'latin1'), ...DAMASCUS_1256, ...Buffer.from('</p>')]);
    expect(decodePage(page(html('<p>'), 'text/html; charset=windows-1256')).text).toContain('دمشق');
    expect(decodePage(page(html('<meta charset="windows-1256"><p>'))).text).toContain('دمشق');
    const xhtml = '<?xml version="1.0" encoding="windows-1256"?><html><body><p>';
    const decoded = decodePage(page(html(xhtml), 'application/xhtml+xml'));
    expect(decoded).toMatchObject({ format: 'html', charset: 'windows-1256' });
    expect(decoded.text).toContain('دمشق');
    const bom = Uint8Array.from([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('Hello there')]);
    expect(decodePage(page(bom)).text).toBe('Hello there');
  });

  it('refuses what is not a page, with a code and a reason', () => {
    expect(codeOf(() => decodePage(page('')))).toBe('CONTENT_EMPTY: empty page (0 bytes)');
    expect(codeOf(() => decodePage(page('  \n\t ')))).toMatch(/^CONTENT_EMPTY/);
    expect(codeOf(() => decodePage(page('%PDF-1.7 ...')))).toBe(
      'CONTENT_BINARY: a PDF file, not a page',
    );
    expect(codeOf(() => decodePage(page(Uint8Array.from([1, 2, 3, 0, 0, 5, 6, 7]))))).toMatch(
      /^CONTENT_BINARY/,
    );
    expect(codeOf(() => decodePage(page('{"title": "not a page"}')))).toMatch(/^CONTENT_JSON/);
    expect(
      codeOf(() => decodePage(page(Uint8Array.from([0x63, 0x61, 0x66, 0xe9, 0x20, 0x61])))),
    ).toBe('CONTENT_ENCODING: not valid UTF-8 and no charset declared');
    expect(codeOf(() => decodePage(page('<p>x</p>', 'text/html; charset=klingon')))).toMatch(
      /^CONTENT_CHARSET/,
    );
  });

  it('decodes a page in full after a page of the same charset failed halfway', () => {
    const truncated = new Uint8Array([...new TextEncoder().encode('Jayrud '), 0xe2, 0x82]);
    expect(codeOf(() => decodePage(page(truncated, 'text/plain; charset=utf-8')))).toMatch(
      /^CONTENT_ENCODING/,
    );
    const text = 'Jayrud — Qalamoun';
    expect(decodePage(page(text, 'text/plain; charset=utf-8')).text).toBe(text);
  });

  it('counts control characters wherever they stand, not only from the start', () => {
    const prose = 'Ordinary words of a page. '.repeat(20);
    expect(codeOf(() => decodePage(page(`${prose}\u0001`)))).toBe('no error');
    expect(codeOf(() => decodePage(page(`${prose}${'\u0001'.repeat(20)}`)))).toMatch(
      /^CONTENT_BINARY/,
    );
  });
});

describe('decodePage: WHATWG charset labels', () => {
  /** “Jayrud” – a quote, in windows-1252 bytes: 0x93 and 0x94 are curly quotes, 0x96 a dash. */
  const QUOTED_1252 = [0x93, ...Buffer.from('Jayrud'), 0x94, 0x20, 0x96, 0x20, 0xe9];
  const body = (before: string) => Uint8Array.from([...Buffer.from(before), ...QUOTED_1252]);

  it.each([
    ['text/html; charset=iso-8859-1', '<p>'],
    ['text/html; charset=latin1', '<p>'],
    ['text/html; charset=windows-1252', '<p>'],
    ['text/plain; charset=us-ascii', ''],
    ['text/html', '<meta charset="iso-8859-1"><p>'],
    ['text/html', '<meta http-equiv="Content-Type" content="text/html; charset=latin1"><p>'],
  ])('reads %s %j as windows-1252, curly quotes and all', (contentType, before) => {
    const decoded = decodePage(page(body(before), contentType));
    expect(decoded.charset).toBe('windows-1252');
    expect(decoded.text).toContain('\u201cJayrud\u201d \u2013 \u00e9');
    expect(decoded.text).not.toMatch(/[\u0080-\u009f]/);
  });

  it('refuses a charset it cannot decode, naming it', () => {
    expect(codeOf(() => decodePage(page('<p>x</p>', 'text/html; charset=iso-2022-kr')))).toMatch(
      /^CONTENT_CHARSET: /,
    );
  });
});

describe('decodePage: size of what a text page may hold', () => {
  it('refuses a text page longer than a book, as permanent CONTENT_TOO_LONG', () => {
    const text = 'Qalamoun Jayrud al-Ruhaybah '.repeat(80_000);
    expect(codeOf(() => decodePage(page(text, 'text/plain')))).toMatch(
      /^CONTENT_TOO_LONG: text page of 2240000 characters \(more than 2000000\)/,
    );
  });
});
