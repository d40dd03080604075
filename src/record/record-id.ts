import { createHash } from 'node:crypto';
import { basename } from 'node:path';

/** Query parameters that track the visitor, not the page: dropped so one article has one id. */
const TRACKING_PARAMS = /^(utm_[a-z]+|fbclid|gclid|mc_cid|mc_eid|ref|_ga)$/i;

/**
 * The normalized form of a URL: lower-case scheme and host, default port, fragment and
 * tracking parameters dropped, remaining query parameters sorted. Used for record ids and
 * fetch job ids, so the same page reached by two links is one page.
 */
export function normalizeUrl(url: string): string {
  const u = new URL(url);
  u.hash = '';
  u.hostname = u.hostname.toLowerCase();
  const params = [...u.searchParams.entries()]
    .filter(([key]) => !TRACKING_PARAMS.test(key))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  u.search = new URLSearchParams(params).toString();
  if (u.pathname !== '/' && u.pathname.endsWith('/')) u.pathname = u.pathname.slice(0, -1);
  return u.toString();
}

/**
 * A record id: stable across re-ingestion. From the canonical URL when the page has one,
 * else from the source: a seed by its file name (so moving the seeds folder keeps the ids),
 * anything else by its URI.
 */
export function recordId(
  canonicalUrl: string | null,
  source: { kind: string; uri: string },
): string {
  const key = canonicalUrl
    ? `url:${normalizeUrl(canonicalUrl)}`
    : source.kind === 'seed'
      ? `seed:${basename(source.uri)}`
      : `${source.kind}:${source.uri}`;
  return createHash('sha256').update(key).digest('hex').slice(0, 32);
}
