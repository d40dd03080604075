import { gunzipSync } from 'node:zlib';
import { PermanentError } from '../errors.js';
import { feedItems, type SourceItem } from './feed.js';
import { sitemapContent } from './sitemap.js';
import { SourceErrorCode } from './source-error-codes.js';
import { assertEntryCount, decodeXml, parseXml } from './xml-document.js';

/** The sitemap protocol's own limit on an uncompressed sitemap; feeds are far smaller. */
export const MAX_SOURCE_BYTES = 50 * 1024 * 1024;
/** Entries read from one source when the caller does not say (fetch.maxFeedItems' default). */
const DEFAULT_MAX_ITEMS = 50_000;

/** A feed or sitemap, read. */
export type SourceDocument =
  | { kind: 'feed'; items: SourceItem[] }
  | { kind: 'sitemap'; items: SourceItem[] }
  | { kind: 'sitemap-index'; sitemaps: string[] };

function gunzipBounded(bytes: Uint8Array, what: string): Uint8Array {
  try {
    return gunzipSync(bytes, { maxOutputLength: MAX_SOURCE_BYTES });
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') {
      throw new PermanentError(
        SourceErrorCode.TOO_LARGE,
        `${what} decompresses to more than ${MAX_SOURCE_BYTES} bytes`,
        { cause },
      );
    }
    throw new PermanentError(SourceErrorCode.MALFORMED, `${what} is not valid gzip`, { cause });
  }
}

/**
 * Reads an RSS 2.0 / RSS 1.0 / Atom feed, an XML sitemap (news sitemaps included) or a
 * sitemap index from its bytes, gzip-compressed or not (`sitemap.xml.gz`). Relative links
 * resolve against `baseUrl`. Malformed or unknown documents throw PermanentError with a
 * SourceErrorCode and the position of the fault.
 */
export function parseSource(
  bytes: Uint8Array,
  baseUrl: string,
  options: { maxItems?: number } = {},
): SourceDocument {
  const what = `source ${baseUrl}`;
  const plain = bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipBounded(bytes, what) : bytes;
  if (plain.length > MAX_SOURCE_BYTES) {
    throw new PermanentError(
      SourceErrorCode.TOO_LARGE,
      `${what} is larger than ${MAX_SOURCE_BYTES} bytes`,
    );
  }
  assertEntryCount(plain, options.maxItems ?? DEFAULT_MAX_ITEMS, what);
  const doc = parseXml(decodeXml(plain), what);
  const items = feedItems(doc, baseUrl);
  if (items !== null) return { kind: 'feed', items };
  const sitemap = sitemapContent(doc, baseUrl);
  if (sitemap?.kind === 'urlset') return { kind: 'sitemap', items: sitemap.items };
  if (sitemap?.kind === 'index') return { kind: 'sitemap-index', sitemaps: sitemap.sitemaps };
  const root = Object.keys(doc).find((key) => !key.startsWith('?')) ?? '(none)';
  throw new PermanentError(
    SourceErrorCode.UNKNOWN_FORMAT,
    `${what} is XML but not RSS, Atom or a sitemap (root element <${root}>)`,
  );
}
