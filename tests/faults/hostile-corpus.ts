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

/** URLs and feeds served by the hostile HTTP servers on 127.0.0.1 (or refused before any connection). */
function networkInputs(origin: string, slowOrigin: string): HostileInput[] {
  const f = (name: string, url: string): HostileInput => ({
    name,
    expect: 'fail',
    network: true,
    job: { queue: 'fetch', data: { url, via: 'faults' } },
  });
  const feed = (name: string, url: string, expect: 'fail' | 'any' = 'fail'): HostileInput => ({
    name,
    expect,
    network: true,
    job: { queue: 'schedule', data: { kind: 'feed', url } },
  });
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

/** The whole corpus: pages, then URLs and feeds. */
export function hostileCorpus(origin: string, slowOrigin: string): HostileInput[] {
  return [...pageInputs(), ...networkInputs(origin, slowOrigin)];
}
