import { fetchPage, saveValidators, type FetchDeps } from '../fetch/fetch-page.js';
import { errorCode } from '../errors.js';
import type { RawPage } from '../raw/raw-page.js';
import { SourceErrorCode } from './source-error-codes.js';
import type { SeenUrls } from './seen-urls.js';
import {
  fetchableUrls,
  readSourceLinks,
  type RejectedUrl,
  type SourceLinkOptions,
  type SourceLinks,
} from './source-links.js';

export type { RejectedUrl } from './source-links.js';

/** Child sitemaps read from one sitemap index per poll (fetch.maxChildSitemaps' default). */
export const MAX_CHILD_SITEMAPS = 50;

export interface NewUrls {
  /** Normalized URLs never seen before, in source order: enqueue these. */
  newUrls: string[];
  /** URLs that are not fetchable http(s) URLs (the first hundred). */
  invalid: RejectedUrl[];
}

/**
 * Normalizes `urls` (normalizeUrl), drops unfetchable ones into `invalid`, and keeps only
 * those the seen set has not seen, marking them seen. The step between any source (URL
 * list, feed, sitemap) and the fetch queue.
 */
export async function selectNewUrls(urls: readonly string[], seen: SeenUrls): Promise<NewUrls> {
  const fetchable = fetchableUrls(urls);
  return { newUrls: await seen.addNew(fetchable.urls), invalid: fetchable.invalid };
}

/**
 * Reads a source's bytes into its links (readSourceLinks). Workers run it in a thread of its
 * own: parsing a large feed takes seconds of CPU.
 */
export type ReadSourceLinks = (
  bytes: Uint8Array,
  baseUrl: string,
  options: SourceLinkOptions,
) => Promise<SourceLinks>;

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
 * Polls one feed or sitemap: fetches it with fetchPage (conditional, polite, safe), reads it
 * (`deps.readLinks`, by default readSourceLinks here), follows a sitemap index one level down
 * (at most MAX_CHILD_SITEMAPS children), and returns the URLs not seen before. A failure of
 * the source itself throws (fetch or SOURCE_* errors); a failing child sitemap is reported in
 * `errors`. The source's bytes go to `readLinks` and are not read again.
 */
export async function pollSource(
  url: string,
  deps: { fetch: FetchDeps; seen: SeenUrls; readLinks?: ReadSourceLinks },
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
  const read: ReadSourceLinks = deps.readLinks ?? (async (...args) => readSourceLinks(...args));
  const fetchOptions = {
    accept: 'feed' as const,
    ...(options.signal ? { signal: options.signal } : {}),
  };
  const fetched = await fetchPage(url, deps.fetch, fetchOptions);
  const empty = { source: url, newUrls: [], invalid: [], errors: [], itemCount: 0 };
  if (fetched.status === 'not-modified') return { ...empty, kind: 'not-modified' };
  const doc = await read(fetched.page.body, fetched.page.url ?? url, {
    ...limits,
    maxChildSitemaps: maxChildren,
  });
  if (doc.kind !== 'sitemap-index') {
    const newUrls = await deps.seen.addNew(doc.urls);
    await saveValidators(fetched.page, deps.fetch.validators);
    return { ...empty, newUrls, invalid: doc.invalid, kind: doc.kind, itemCount: doc.itemCount };
  }
  const errors: PollResult['errors'] = [];
  // Each URL once over the whole index; collected child by child, so that no step handles
  // more than one child's URLs (fetch.maxFeedItems) at once.
  const listed = new Set<string>();
  const invalid: RejectedUrl[] = [];
  const children: RawPage[] = [];
  let itemCount = 0;
  for (const child of doc.sitemaps) {
    try {
      const childPage = await fetchPage(child, deps.fetch, fetchOptions);
      if (childPage.status === 'not-modified') continue;
      const childDoc = await read(childPage.page.body, childPage.page.url ?? child, limits);
      if (childDoc.kind === 'sitemap-index') {
        errors.push({
          url: child,
          code: 'SOURCE_NESTED_INDEX',
          message: 'a sitemap index inside a sitemap index is not followed',
        });
        continue;
      }
      itemCount += childDoc.itemCount;
      for (const u of childDoc.urls) listed.add(u);
      invalid.push(...childDoc.invalid);
      children.push(childPage.page);
    } catch (error) {
      errors.push({ url: child, code: errorCode(error), message: (error as Error).message });
    }
  }
  if (doc.sitemapCount > maxChildren) {
    errors.push({
      url,
      code: SourceErrorCode.TOO_MANY_SITEMAPS,
      message: `index lists ${doc.sitemapCount} sitemaps; read the first ${maxChildren} (fetch.maxChildSitemaps)`,
    });
  }
  const newUrls = await deps.seen.addNew([...listed]);
  // Only now are the listed URLs safely marked seen: a crash before this refetches in full.
  for (const page of [fetched.page, ...children]) await saveValidators(page, deps.fetch.validators);
  return { ...empty, newUrls, invalid, errors, kind: 'sitemap-index', itemCount };
}
