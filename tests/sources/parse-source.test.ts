import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { PermanentError } from '../../src/errors.js';
import { parseSource } from '../../src/sources/parse-source.js';
import { rssFeed } from './source-fixtures.js';

const BASE = 'https://news.example/feed.xml';
const bytes = (text: string) => new TextEncoder().encode(text);

function failure(run: () => unknown): PermanentError {
  try {
    run();
  } catch (error) {
    return error as PermanentError;
  }
  throw new Error('expected parseSource to fail');
}

describe('parseSource', () => {
  it('reads RSS 2.0 items with title and date, in order', () => {
    const doc = parseSource(bytes(rssFeed('https://news.example', 3)), BASE);
    expect(doc).toEqual({
      kind: 'feed',
      items: [1, 2, 3].map((n) => ({
        url: `https://news.example/news/${n}?utm_source=rss&id=${n}`,
        title: `Clashes near Jayrud, part ${n}`,
        publishedAt: `Tue, 01 Jun 2021 10:0${n - 1}:00 GMT`,
      })),
    });
  });

  it('uses a permalink guid when an RSS item has no link, and skips items with neither', () => {
    const xml = `<rss version="2.0"><channel>
      <item><guid>https://news.example/by-guid</guid></item>
      <item><guid isPermaLink="false">opaque-1</guid><title>no link</title></item>
      <item><link>/relative</link></item>
    </channel></rss>`;
    const doc = parseSource(bytes(xml), BASE);
    expect(doc.kind === 'feed' && doc.items.map((i) => i.url)).toEqual([
      'https://news.example/by-guid',
      'https://news.example/relative',
    ]);
  });

  it('reads Atom entries by their alternate link, resolving xml:base', () => {
    const xml = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://atom.example/blog/">
  <title>Atom</title>
  <entry>
    <title type="html">Dmeir &amp; Rheibeh</title>
    <link rel="self" href="https://atom.example/self/1"/>
    <link rel="alternate" type="text/html" href="posts/1"/>
    <published>2021-06-01T10:00:00Z</published>
  </entry>
  <entry><title>Second</title><link href="https://atom.example/posts/2"/><updated>2021-06-02T00:00:00Z</updated></entry>
</feed>`;
    expect(parseSource(bytes(xml), BASE)).toEqual({
      kind: 'feed',
      items: [
        {
          url: 'https://atom.example/blog/posts/1',
          title: 'Dmeir & Rheibeh',
          publishedAt: '2021-06-01T10:00:00Z',
        },
        {
          url: 'https://atom.example/posts/2',
          title: 'Second',
          publishedAt: '2021-06-02T00:00:00Z',
        },
      ],
    });
  });

  it('reads RSS 1.0 (RDF) items', () => {
    const xml = `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
      <channel rdf:about="x"><title>t</title></channel>
      <item rdf:about="https://rdf.example/1"><title>One</title><link>https://rdf.example/1</link></item>
    </rdf:RDF>`;
    const doc = parseSource(bytes(xml), BASE);
    expect(doc.kind === 'feed' && doc.items[0]?.url).toBe('https://rdf.example/1');
  });

  it('reads a news sitemap, gzip-compressed', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url><loc>https://news.example/qalamoun</loc>
    <news:news><news:publication><news:name>N</news:name><news:language>en</news:language></news:publication>
      <news:publication_date>2021-06-01T10:00:00+00:00</news:publication_date><news:title>Qalamoun</news:title></news:news>
  </url>
  <url><loc>https://news.example/plain</loc><lastmod>2021-05-01</lastmod></url>
</urlset>`;
    expect(parseSource(gzipSync(xml), 'https://news.example/sitemap.xml.gz')).toEqual({
      kind: 'sitemap',
      items: [
        {
          url: 'https://news.example/qalamoun',
          title: 'Qalamoun',
          publishedAt: '2021-06-01T10:00:00+00:00',
        },
        { url: 'https://news.example/plain', title: null, publishedAt: '2021-05-01' },
      ],
    });
  });

  it('reads a sitemap index', () => {
    const xml = `<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <sitemap><loc>https://news.example/s1.xml</loc></sitemap>
      <sitemap><loc>https://news.example/s2.xml.gz</loc><lastmod>2021-06-01</lastmod></sitemap>
    </sitemapindex>`;
    expect(parseSource(bytes(xml), BASE)).toEqual({
      kind: 'sitemap-index',
      sitemaps: ['https://news.example/s1.xml', 'https://news.example/s2.xml.gz'],
    });
  });

  it('decodes a feed by its XML declaration encoding (windows-1256)', () => {
    const decoder = new TextDecoder('windows-1256');
    const table = new Map<string, number>();
    for (let b = 0; b < 256; b++) table.set(decoder.decode(Uint8Array.of(b)), b);
    const title = 'القلمون';
    const xml = `<?xml version="1.0" encoding="windows-1256"?><rss version="2.0"><channel><item><title>${title}</title><link>https://ar.example/1</link></item></channel></rss>`;
    const encoded = Uint8Array.from([...xml].map((ch) => table.get(ch) ?? 0x3f));
    const doc = parseSource(encoded, BASE);
    expect(doc.kind === 'feed' && doc.items[0]?.title).toBe(title);
  });

  it('refuses malformed XML with a clear error and its position', () => {
    const error = failure(() => parseSource(bytes('<rss><channel><item></channel></rss>'), BASE));
    expect(error).toBeInstanceOf(PermanentError);
    expect(error.code).toBe('SOURCE_MALFORMED');
    expect(error.message).toMatch(/not well-formed XML: .+ \(line \d+, column \d+\)/);
  });

  it('refuses well-formed XML that is no feed or sitemap, naming its root', () => {
    const error = failure(() =>
      parseSource(bytes('<?xml version="1.0"?><html><body/></html>'), BASE),
    );
    expect(error.code).toBe('SOURCE_UNKNOWN_FORMAT');
    expect(error.message).toContain('<html>');
  });

  it('refuses broken gzip', () => {
    const error = failure(() => parseSource(Uint8Array.of(0x1f, 0x8b, 1, 2, 3), BASE));
    expect(error.code).toBe('SOURCE_MALFORMED');
  });
});
