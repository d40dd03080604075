import { normalizeUrl } from '../record/record-id.js';
import { parseSource } from './parse-source.js';
import { urlProblem } from './url-list.js';

/** Unfetchable URLs named in a result; the rest are counted (a feed may list thousands). */
const MAX_INVALID_NAMED = 100;

/** A URL a source listed that cannot be fetched. */
export interface RejectedUrl {
  url: string;
  reason: string;
}

/** A source's URLs as the seen-URL set takes them. */
export interface FetchableUrls {
  /** Normalized (normalizeUrl), each once, in source order. */
  urls: string[];
  /** URLs that are not fetchable http(s) URLs, with why (the first MAX_INVALID_NAMED). */
  invalid: RejectedUrl[];
  /** How many URLs were not fetchable, named or not. */
  invalidCount: number;
}

/** What one feed or sitemap lists, read from its bytes. */
export type SourceLinks =
  | ({ kind: 'feed' | 'sitemap'; itemCount: number } & FetchableUrls)
  | {
      kind: 'sitemap-index';
      /** The first `maxChildSitemaps` child sitemaps, absolute. */
      sitemaps: string[];
      /** How many child sitemaps the index lists. */
      sitemapCount: number;
    };

export interface SourceLinkOptions {
  /** Entries one source may list (more fail). @default 50000 */
  maxItems?: number;
  /** Child sitemaps of an index kept. @default all */
  maxChildSitemaps?: number;
}

/**
 * Normalizes `urls` (normalizeUrl), drops unfetchable ones into `invalid`, and keeps each
 * normalized URL once: the step between any source and the seen-URL set.
 */
export function fetchableUrls(urls: readonly string[]): FetchableUrls {
  const invalid: RejectedUrl[] = [];
  let invalidCount = 0;
  const unique = new Set<string>();
  for (const url of urls) {
    const problem = urlProblem(url);
    if (problem === null) unique.add(normalizeUrl(url));
    else if (++invalidCount <= MAX_INVALID_NAMED) invalid.push({ url, reason: problem });
  }
  return { urls: [...unique], invalid, invalidCount };
}

/**
 * Reads a feed or sitemap (parseSource: bounded, malformed input refused) into what a poll
 * needs of it, so that a caller in another thread gets strings, not the parsed document.
 */
export function readSourceLinks(
  bytes: Uint8Array,
  baseUrl: string,
  options: SourceLinkOptions = {},
): SourceLinks {
  const doc = parseSource(
    bytes,
    baseUrl,
    options.maxItems === undefined ? {} : { maxItems: options.maxItems },
  );
  if (doc.kind === 'sitemap-index') {
    return {
      kind: doc.kind,
      sitemaps: doc.sitemaps.slice(0, options.maxChildSitemaps ?? doc.sitemaps.length),
      sitemapCount: doc.sitemaps.length,
    };
  }
  const links = fetchableUrls(doc.items.map((item) => item.url));
  return { kind: doc.kind, itemCount: doc.items.length, ...links };
}
