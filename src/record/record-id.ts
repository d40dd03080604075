import { createHash } from 'node:crypto';
import { basename, dirname, resolve } from 'node:path';

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
 * Where a page read from disk was found, as a key that stays the same when the same folder is
 * read again from another working directory or machine: its kind, the name of the folder
 * holding it and its file name (`seed:seeds/002_ca96faed848cebce.txt`). Two folders with
 * same-named files give different keys; the folder's own path above its name does not count,
 * so moving or copying the folder keeps the ids. Computed where the file is read, against the
 * reader's working directory.
 */
export function sourceKeyOfFile(kind: string, path: string): string {
  const absolute = resolve(path);
  return `${kind}:${basename(dirname(absolute))}/${basename(absolute)}`;
}

/**
 * A record id: stable across re-ingestion. From the canonical URL when the page has one,
 * else from the page's source key (sourceKeyOfFile: the folder and file a page was read
 * from); pages stored before source keys existed fall back to their file name (seeds) or URI.
 */
export function recordId(
  canonicalUrl: string | null,
  source: { kind: string; uri: string },
  sourceKey: string | null = null,
): string {
  const key = canonicalUrl
    ? `url:${normalizeUrl(canonicalUrl)}`
    : sourceKey !== null
      ? `source:${sourceKey}`
      : source.kind === 'seed'
        ? `seed:${basename(source.uri)}`
        : `${source.kind}:${source.uri}`;
  return createHash('sha256').update(key).digest('hex').slice(0, 32);
}
