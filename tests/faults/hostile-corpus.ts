import { gzipSync } from 'node:zlib';
import type { RawPage } from '../../src/raw/raw-page.js';

/** Bytes in one mebibyte. */
const MIB = 1024 * 1024;

/** Which queue an input goes to, and with what. */
export type HostileJob =
  | { queue: 'process'; page: RawPage }
  | { queue: 'process'; data: unknown }
  | { queue: 'fetch'; data: unknown }
  | { queue: 'schedule'; data: unknown };

/** One hostile input: what it is, the job carrying it, and whether it must fail. */
export interface HostileInput {
  name: string;
  /** "fail": must end failed with a stable code; "any": a record or a coded failure. */
  expect: 'fail' | 'any';
  /** Needs the fetch layer in the worker (fetch and feed jobs). */
  network: boolean;
  job: HostileJob;
  /** The stable code it must end with ("OK" for a completed job), when one is known. */
  code?: string;
}

function page(name: string, body: Uint8Array | string, contentType: string | null): RawPage {
  return {
    kind: 'file',
    uri: `faults/hostile/${name}`,
    url: null,
    retrievedAt: null,
    contentType,
    headers: {},
    body: typeof body === 'string' ? new TextEncoder().encode(body) : body,
  };
}

const html = (body: string) =>
  `<!doctype html><html><head><title>Hostile page</title></head><body>${body}</body></html>`;
const ARTICLE =
  '<p>Jaysh al-Islam fighters left Jayrud and al-Ruhaybah in Eastern Qalamoun, local sources said on Monday.</p>';

/** Pages that arrive as stored raw pages (the process queue). */
function pageInputs(): HostileInput[] {
  const p = (
    name: string,
    expect: 'fail' | 'any',
    body: Uint8Array | string,
    type: string | null,
  ) => ({
    name,
    expect,
    network: false,
    job: { queue: 'process' as const, page: page(name, body, type) },
  });
  const png = Uint8Array.from([
    0x89,
    0x50,
    0x4e,
    0x47,
    0x0d,
    0x0a,
    0x1a,
    0x0a,
    ...Array(4096).fill(0),
  ]);
  const random = Uint8Array.from({ length: 64 * 1024 }, (_, i) => (i * 2654435761) >>> 24);
  const invalidUtf8 = new Uint8Array([
    ...new TextEncoder().encode('Jayrud '),
    0xff,
    0xfe,
    0xc3,
    0x28,
    0xa0,
    0xa1,
    0xe2,
    0x28,
    0xa1,
    ...new TextEncoder().encode(' Qalamoun\n'.repeat(50)),
  ]);
  return [
    p('empty.txt', 'fail', '', null),
    p('whitespace-only.txt', 'fail', ' \n\t\r\n'.repeat(1000), 'text/plain'),
    p('binary-png.png', 'fail', png, 'image/png'),
    p('binary-random.bin', 'fail', random, null),
    p(
      'pdf.pdf',
      'fail',
      '%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n',
      'application/pdf',
    ),
    p('gzip-bytes.html', 'fail', gzipSync(html(ARTICLE.repeat(50))), 'text/html'),
    p(
      'json.json',
      'fail',
      JSON.stringify({ title: 'not a page', items: [1, 2, 3] }),
      'application/json',
    ),
    p('invalid-utf8.txt', 'any', invalidUtf8, null),
    p('nul-bytes.txt', 'any', `Title\n\n${'Jayrud\u0000 Qalamoun '.repeat(2000)}`, 'text/plain'),
    p(
      'page-20mb.html',
      'any',
      html(ARTICLE.repeat(Math.ceil((20 * MIB) / ARTICLE.length))),
      'text/html',
    ),
    p(
      'one-line-5mb.txt',
      'any',
      'Qalamoun Jayrud al-Ruhaybah '.repeat(Math.ceil((5 * MIB) / 28)),
      'text/plain',
    ),
    p(
      'nested-100000-divs.html',
      'any',
      html(`${'<div>'.repeat(100_000)}${ARTICLE}${'</div>'.repeat(100_000)}`),
      'text/html',
    ),
    p('unclosed-200000-p.html', 'any', html(`${ARTICLE}${'<p>x'.repeat(200_000)}`), 'text/html'),
    p(
      'nested-10000-tables.html',
      'any',
      html(`${'<table><tr><td>'.repeat(10_000)}${ARTICLE}`),
      'text/html',
    ),
    p(
      'attribute-2mb.html',
      'any',
      html(`<div title="${'a'.repeat(2 * MIB)}">${ARTICLE}</div>`),
      'text/html',
    ),
    // A record with an empty body, or a refusal: either way the outcome is visible.
    p(
      'script-only.html',
      'any',
      html(`<script>${'var a = 1;'.repeat(10_000)}</script><style>p{}</style>`),
      'text/html',
    ),
    p('million-short-lines.txt', 'any', 'a\n'.repeat(1_000_000), 'text/plain'),
    p(
      'entity-flood.html',
      'any',
      html(`<p>${'&amp;&#x41;&lt;'.repeat(200_000)}</p>${ARTICLE}`),
      'text/html',
    ),
    p(
      'name-repeated-100000.txt',
      'any',
      `Jayrud\n\n${'Jayrud Jeroud Qalamoun al-Ruhaybah. '.repeat(25_000)}`,
      'text/plain',
    ),
    p(
      'bidi-zero-width.txt',
      'any',
      `Title\n\n${'\u202eJayrud\u200b\u200dQalamoun\u2066 '.repeat(5000)}`,
      'text/plain',
    ),
    p(
      'control-chars.txt',
      'any',
      `Title\n\n${'\u0001\u0002\u0007\u001b[31mJayrud\u007f '.repeat(5000)}`,
      'text/plain',
    ),
    p(
      'utf16le-bom.txt',
      'any',
      Uint8Array.from(
        Buffer.from(
          `\ufeffJayrud and Qalamoun\n\n${'Jaysh al-Islam left Jayrud. '.repeat(100)}`,
          'utf16le',
        ),
      ),
      null,
    ),
    p(
      'rss-as-page.xml',
      'any',
      '<?xml version="1.0"?><rss><channel><title>x</title><item><link>http://127.0.0.1/</link></item></channel></rss>',
      'application/rss+xml',
    ),
    p(
      'comment-flood.html',
      'any',
      html(
        `${ARTICLE}<div class="comments">${'<div class="comment"><p>spam spam</p></div>'.repeat(50_000)}</div>`,
      ),
      'text/html',
    ),
    ...hardenedPageInputs(p),
    {
      name: 'raw page missing from the store',
      expect: 'fail',
      network: false,
      job: { queue: 'process', data: { rawHash: '0'.repeat(64), uri: 'faults/hostile/missing' } },
    },
    {
      name: 'process job data of the wrong shape',
      expect: 'fail',
      network: false,
      job: { queue: 'process', data: { rawHash: '../../etc/passwd', uri: 42 } },
    },
  ];
}

/** Builds a page input; `code` pins the outcome where one is known. */
type PageInputOf = (
  name: string,
  expect: 'fail' | 'any',
  body: Uint8Array | string,
  type: string | null,
) => HostileInput;

/**
 * Pages that froze or killed a worker, or were decoded wrong, before per-page work was
 * bounded: each with the code it must now end with.
 */
function hardenedPageInputs(p: PageInputOf): HostileInput[] {
  const pinned = (input: HostileInput, code: string): HostileInput => ({ ...input, code });
  const quoted1252 = Uint8Array.from([
    ...Buffer.from('<html><head><meta charset="iso-8859-1"></head><body><p>'),
    0x93,
    ...Buffer.from(ARTICLE.replace(/<\/?p>/g, '')),
    0x94,
    ...Buffer.from('</p></body></html>'),
  ]);
  return [
    pinned(
      p('divs-300000-unclosed.html', 'fail', `<body>${'<div>'.repeat(300_000)}`, 'text/html'),
      'CONTENT_TOO_COMPLEX',
    ),
    pinned(
      p('divs-1000000-unclosed.html', 'fail', `<body>${'<div>'.repeat(1_000_000)}`, 'text/html'),
      'CONTENT_TOO_COMPLEX',
    ),
    pinned(
      p(
        'divs-90000-unclosed-article.html',
        'any',
        html(`${'<div>'.repeat(90_000)}${ARTICLE}`),
        'text/html',
      ),
      'OK',
    ),
    pinned(
      p('text-node-9.9mb.html', 'fail', `<body><p>${'a'.repeat(9_900_000)}</p>`, 'text/html'),
      'CONTENT_TOO_LONG',
    ),
    pinned(
      p(
        'text-page-9.9mb.txt',
        'fail',
        `Title\n\n${'Jayrud Qalamoun '.repeat(620_000)}`,
        'text/plain',
      ),
      'CONTENT_TOO_LONG',
    ),
    pinned(
      p('elements-150000-flat.html', 'fail', html('<i>x</i>'.repeat(150_000)), 'text/html'),
      'CONTENT_TOO_COMPLEX',
    ),
    pinned(
      p(
        'elements-90000-flat.html',
        'any',
        html(`${ARTICLE}${'<i>x</i>'.repeat(90_000)}`),
        'text/html',
      ),
      'OK',
    ),
    p('svg-nested-100000.html', 'any', html(`${ARTICLE}${'<svg><g>'.repeat(50_000)}`), 'text/html'),
    p('inline-nested-100000.html', 'any', html(`${'<b>'.repeat(100_000)}${ARTICLE}`), 'text/html'),
    p(
      'list-nested-100000.html',
      'any',
      html(`${'<ul><li>'.repeat(50_000)}${ARTICLE}`),
      'text/html',
    ),
    p(
      'attributes-100000.html',
      'any',
      html(
        `<div ${Array.from({ length: 100_000 }, (_, i) => `a${i}="x"`).join(' ')}>${ARTICLE}</div>`,
      ),
      'text/html',
    ),
    p(
      'comments-500000.html',
      'any',
      html(`${ARTICLE}${'<!-- x -->'.repeat(500_000)}`),
      'text/html',
    ),
    pinned(
      p(
        'script-9mb.html',
        'any',
        html(`<script>${'var a = 1;'.repeat(900_000)}</script>${ARTICLE}`),
        'text/html',
      ),
      'OK',
    ),
    p(
      'json-ld-9mb.html',
      'any',
      `<html><head><script type="application/ld+json">{"@type":"NewsArticle","articleBody":"${'word '.repeat(1_800_000)}"}</script></head><body>${ARTICLE}</body></html>`,
      'text/html',
    ),
    pinned(p('windows-1252-as-latin1.html', 'any', quoted1252, 'text/html'), 'OK'),
    pinned(
      p('unknown-charset.html', 'fail', html(ARTICLE), 'text/html; charset=klingon'),
      'CONTENT_CHARSET',
    ),
    pinned(
      // Raw pages are stored by their bytes: a body of its own, or it would be the page above.
      p(
        'replacement-charset.html',
        'fail',
        html(`${ARTICLE}${ARTICLE}`),
        'text/html; charset=iso-2022-kr',
      ),
      'CONTENT_CHARSET',
    ),
  ];
}

/** URLs and feeds served by the hostile HTTP servers on 127.0.0.1 (or refused before any connection). */
function networkInputs(servers: CorpusServers): HostileInput[] {
  const { origin, slowOrigin } = servers;
  const f = (name: string, url: string, code?: string): HostileInput => ({
    name,
    expect: 'fail',
    network: true,
    job: { queue: 'fetch', data: { url, via: 'faults' } },
    ...(code ? { code } : {}),
  });
  const feed = (
    name: string,
    url: string,
    expect: 'fail' | 'any' = 'fail',
    code?: string,
  ): HostileInput => ({
    name,
    expect,
    network: true,
    job: { queue: 'schedule', data: { kind: 'feed', url } },
    ...(code ? { code } : {}),
  });
  const local = (name: string, data: unknown): HostileInput => ({
    name,
    expect: 'fail',
    network: false,
    job: { queue: 'schedule', data },
    code: 'SOURCE_NOT_ALLOWED',
  });
  const port = origin.split(':')[2];
  const refused = 'FETCH_ADDRESS_REFUSED';
  const hostPort = origin.replace('http://', '');
  return [
    f('URL with credentials', `http://user:secret-pass@${hostPort}/page.html`),
    {
      name: 'file:// URL',
      expect: 'fail',
      network: false,
      job: { queue: 'fetch', data: { url: 'file:///etc/passwd', via: 'faults' } },
    },
    f('loopback address not allowed (127.0.0.2)', `http://127.0.0.2:${hostPort.split(':')[1]}/`),
    f('private address (10.0.0.1)', 'http://10.0.0.1/'),
    f('cloud metadata address (169.254.169.254)', 'http://169.254.169.254/latest/meta-data/'),
    f('redirect loop', `${origin}/loop-a`),
    f('slow-loris headers', `${slowOrigin}/slow`),
    f('body trickle', `${origin}/trickle`),
    f('not found', `${origin}/missing`),
    f('response over the size limit', `${origin}/huge`),
    f('gzip bomb', `${origin}/bomb`),
    f('image content type', `${origin}/image`),
    feed('malformed feed (truncated XML)', `${origin}/feed-truncated.xml`),
    // Safe outcomes: refused, or parsed without expanding the entities (no URL from them).
    feed('malformed feed (entity expansion)', `${origin}/feed-entities.xml`, 'any'),
    feed('feed that is HTML', `${origin}/feed-html.xml`),
    // IPv6 forms that reach a loopback or private IPv4 address, and site-local.
    f('IPv4-compatible IPv6 [::7f00:1]', `http://[::7f00:1]:${port}/`, refused),
    f('6to4 IPv6 [2002:7f00:1::1]', `http://[2002:7f00:1::1]:${port}/`, refused),
    f('local-use NAT64 [64:ff9b:1::7f00:1]', `http://[64:ff9b:1::7f00:1]:${port}/`, refused),
    f('NAT64 well-known [64:ff9b::7f00:1]', `http://[64:ff9b::7f00:1]:${port}/`, refused),
    f('Teredo [2001:0:7f00:1::1]', `http://[2001:0:7f00:1::1]:${port}/`, refused),
    f('site-local IPv6 [fec0::1]', `http://[fec0::1]:${port}/`, refused),
    f('IPv4-mapped loopback [::ffff:127.0.0.2]', `http://[::ffff:127.0.0.2]:${port}/`, refused),
    f('Content-Encoding of 2,500 gzip tokens', `${origin}/encodings`, 'FETCH_BAD_ENCODING'),
    f('1 MB header block', `${servers.bigHeadersOrigin}/`, 'FETCH_HEADERS_TOO_LARGE'),
    f(
      'five redirect hops of 2 s each (8 s total allowed)',
      `${origin}/slow-hop-0`,
      'FETCH_TIMEOUT',
    ),
    f('path disallowed by a 2 MB robots.txt', `${origin}/private/page.html`, 'ROBOTS_DISALLOWED'),
    {
      name: 'page served as iso-8859-1 (windows-1252)',
      expect: 'any',
      network: true,
      job: { queue: 'fetch', data: { url: `${origin}/latin1.html`, via: 'faults' } },
      code: 'OK',
    },
    feed(
      'gzipped feed of 1,000,000 items',
      `${origin}/feed-million.xml.gz`,
      'fail',
      'SOURCE_TOO_MANY_ITEMS',
    ),
    feed(
      'gzipped feed of 50,000 long items (43 MB of XML)',
      `${origin}/feed-50000-long.xml.gz`,
      'any',
    ),
    feed(
      'feed with an entity bomb (20,000 chars x 10,000)',
      `${origin}/feed-entity-bomb.xml`,
      'fail',
      'SOURCE_MALFORMED',
    ),
    feed(
      'feed with an external entity',
      `${origin}/feed-external-entity.xml`,
      'fail',
      'SOURCE_MALFORMED',
    ),
    feed('feed nested 10,000 deep', `${origin}/feed-deep.xml`, 'fail', 'SOURCE_MALFORMED'),
    feed('sitemap index of 10,000 children', `${origin}/sitemap-index-10000.xml`, 'any', 'OK'),
    local('schedule job reading /etc as seeds', { kind: 'seeds', dir: '/etc' }),
    local('schedule job reading /etc/passwd as a URL list', { kind: 'urls', file: '/etc/passwd' }),
    local('schedule job escaping with ..', {
      kind: 'urls',
      file: 'tests/faults/fixtures/../../../package.json',
    }),
    {
      name: 'URL list with bad lines',
      expect: 'fail',
      network: false,
      job: {
        queue: 'schedule',
        data: { kind: 'urls', file: 'tests/faults/fixtures/bad-url-list.txt' },
      },
    },
  ];
}

/** Where the corpus' URLs point: the hostile servers on 127.0.0.1. */
export interface CorpusServers {
  origin: string;
  slowOrigin: string;
  bigHeadersOrigin: string;
}

/** The whole corpus: pages, then URLs and feeds. */
export function hostileCorpus(servers: CorpusServers): HostileInput[] {
  return [...pageInputs(), ...networkInputs(servers)];
}
