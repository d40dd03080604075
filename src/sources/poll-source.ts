import { fetchPage, saveValidators, type FetchDeps } from '../fetch/fetch-page.js';
import { errorCode } from '../errors.js';
import type { RawPage } from '../raw/raw-page.js';
import { normalizeUrl } from '../record/record-id.js';
import { parseSource } from './parse-source.js';
import { SourceErrorCode } from './source-error-codes.js';
import type { SeenUrls } from './seen-urls.js';
import { urlProblem } from './url-list.js';

/** Child sitemaps read from one sitemap index per poll (fetch.maxChildSitemaps' default). */
export const MAX_CHILD_SITEMAPS = 50;

/** A URL a source listed that cannot be fetched. */
export interface RejectedUrl {
  url: string;
  reason: string;
}

export interface NewUrls {
  /** Normalized URLs never seen before, in source order: enqueue these. */
  newUrls: string[];
  /** URLs that are not fetchable http(s) URLs. */
  invalid: RejectedUrl[];
}

/**
 * Normalizes `urls` (normalizeUrl), drops unfetchable ones into `invalid`, and keeps only
 * those the seen set has not seen, marking them seen. The step between any source (URL
 * list, feed, sitemap) and the fetch queue.
 */
export async function selectNewUrls(urls: readonly string[], seen: SeenUrls): Promise<NewUrls> {
  const invalid: RejectedUrl[] = [];
  const normalized: string[] = [];
  const inBatch = new Set<string>();
  for (const url of urls) {
    const problem = urlProblem(url);
    if (problem !== null) {
      invalid.push({ url, reason: problem });
      continue;
    }
    const key = normalizeUrl(url);
    if (inBatch.has(key)) continue;
    inBatch.add(key);
    normalized.push(key);
  }
  return { newUrls: await seen.addNew(normalized), invalid };
}

/** What one poll of a feed or sitemap found. */
export interface PollResult extends NewUrls {
  source: string;
  /** What the source was; "not-modified" when the server answered 304. */
  kind: 'feed' | 'sitemap' | 'sitemap-index' | 'not-modified';
  /** Entries listed (over all child sitemaps for an index). */
  itemCount: number;
  /** Child sitemaps that failed; the others were still read. */
  errors: Array<{ url: string; code: string; message: string }>;
}

/**
 * Polls one feed or sitemap: fetches it with fetchPage (conditional, polite, safe), parses
 * it, follows a sitemap index one level down (at most MAX_CHILD_SITEMAPS children), and
 * returns the URLs not seen before. A failure of the source itself throws (fetch or
 * SOURCE_* errors); a failing child sitemap is reported in `errors`.
 */
export async function pollSource(
  url: string,
  deps: { fetch: FetchDeps; seen: SeenUrls },
  options: {
    signal?: AbortSignal;
    /** Entries one source may list. @default 50000 */
    maxItems?: number;
    /** Child sitemaps read from an index. @default MAX_CHILD_SITEMAPS */
    maxChildSitemaps?: number;
  } = {},
): Promise<PollResult> {
  const maxChildren = options.maxChildSitemaps ?? MAX_CHILD_SITEMAPS;
  const limits = options.maxItems === undefined ? {} : { maxItems: options.maxItems };
  const fetchOptions = {
    accept: 'feed' as const,
    ...(options.signal ? { signal: options.signal } : {}),
  };
  const fetched = await fetchPage(url, deps.fetch, fetchOptions);
  const empty = { source: url, newUrls: [], invalid: [], errors: [], itemCount: 0 };
  if (fetched.status === 'not-modified') return { ...empty, kind: 'not-modified' };
  const doc = parseSource(fetched.page.body, fetched.page.url ?? url, limits);
  if (doc.kind !== 'sitemap-index') {
    const found = await selectNewUrls(
      doc.items.map((item) => item.url),
      deps.seen,
    );
    await saveValidators(fetched.page, deps.fetch.validators);
    return { ...empty, ...found, kind: doc.kind, itemCount: doc.items.length };
  }
  const errors: PollResult['errors'] = [];
  const listed: string[] = [];
  const children: RawPage[] = [];
  for (const child of doc.sitemaps.slice(0, maxChildren)) {
    try {
      const childPage = await fetchPage(child, deps.fetch, fetchOptions);
      if (childPage.status === 'not-modified') continue;
      const childDoc = parseSource(childPage.page.body, childPage.page.url ?? child, limits);
      if (childDoc.kind === 'sitemap-index') {
        errors.push({
          url: child,
          code: 'SOURCE_NESTED_INDEX',
          message: 'a sitemap index inside a sitemap index is not followed',
        });
        continue;
      }
      listed.push(...childDoc.items.map((item) => item.url));
      children.push(childPage.page);
    } catch (error) {
      errors.push({ url: child, code: errorCode(error), message: (error as Error).message });
    }
  }
  if (doc.sitemaps.length > maxChildren) {
    errors.push({
      url,
      code: SourceErrorCode.TOO_MANY_SITEMAPS,
      message: `index lists ${doc.sitemaps.length} sitemaps; read the first ${maxChildren} (fetch.maxChildSitemaps)`,
    });
  }
  const found = await selectNewUrls(listed, deps.seen);
  // Only now are the listed URLs safely marked seen: a crash before this refetches in full.
  for (const page of [fetched.page, ...children]) await saveValidators(page, deps.fetch.validators);
  return { ...empty, ...found, errors, kind: 'sitemap-index', itemCount: listed.length };
}
