import { describe, expect, it } from 'vitest';
import { parseUrlList } from '../../src/sources/url-list.js';

describe('parseUrlList', () => {
  it('reads one URL per line, skips comments and blanks, reports bad lines by number', () => {
    const text = [
      '# SouthFront pages',
      'https://southfront.example/eastern-qalamoun',
      '',
      '   http://news.example/a?id=1   # trailing comment',
      'ftp://files.example/x',
      'southfront.example/no-scheme',
      'https://user:pw@news.example/secret',
      'https://news.example/has space',
      '\thttps://news.example/tabbed',
    ].join('\r\n');
    const list = parseUrlList(text);
    expect(list.urls).toEqual([
      'https://southfront.example/eastern-qalamoun',
      'http://news.example/a?id=1',
      'https://news.example/tabbed',
    ]);
    expect(list.invalid).toEqual([
      { line: 5, text: 'ftp://files.example/x', reason: 'scheme ftp is not http or https' },
      { line: 6, text: 'southfront.example/no-scheme', reason: 'not an absolute URL' },
      { line: 7, text: 'https://user:pw@news.example/secret', reason: 'carries credentials' },
      { line: 8, text: 'https://news.example/has space', reason: 'contains white space' },
    ]);
  });

  it('keeps a # inside a URL: only a # after white space starts a comment', () => {
    expect(parseUrlList('https://news.example/a#section').urls).toEqual([
      'https://news.example/a#section',
    ]);
  });

  it('handles a BOM and an empty file', () => {
    expect(parseUrlList('\uFEFFhttps://a.example/\n').urls).toEqual(['https://a.example/']);
    expect(parseUrlList('')).toEqual({ urls: [], invalid: [] });
  });
});
