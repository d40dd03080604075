import { PermanentError } from '../errors.js';
import { FetchErrorCode } from './fetch-error-codes.js';

/** What a fetch is for, which decides the content types it accepts. */
export type AcceptKind = 'page' | 'feed' | 'any';

/** Media types that can be a news page: decodePage turns them into text. */
const PAGE_TYPES = new Set(['text/html', 'application/xhtml+xml', 'text/plain']);

/**
 * Media types feeds and sitemaps are served as in the wild: the XML family, gzip for
 * `sitemap.xml.gz`, and octet-stream, which many servers send for `.gz` files.
 */
const FEED_TYPES = new Set([
  'application/rss+xml',
  'application/atom+xml',
  'application/rdf+xml',
  'application/xml',
  'text/xml',
  'application/gzip',
  'application/x-gzip',
  'application/octet-stream',
  'text/plain',
]);

/** The Accept header sent for each kind. */
export const ACCEPT_HEADER: Record<AcceptKind, string> = {
  page: 'text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8',
  feed: 'application/rss+xml,application/atom+xml,application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.5',
  any: '*/*',
};

/** The bare media type of a Content-Type header, lower-cased ("text/html"). */
export function mediaType(contentType: string | undefined): string | null {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  return type ? type : null;
}

/**
 * Refuses a response whose Content-Type the fetch cannot use, before its body is read. A
 * missing Content-Type is let through: decodePage sniffs the bytes and refuses binaries.
 */
export function checkContentType(contentType: string | undefined, accept: AcceptKind): void {
  if (accept === 'any') return;
  const type = mediaType(contentType);
  if (type === null) return;
  const allowed = accept === 'page' ? PAGE_TYPES : FEED_TYPES;
  // Feeds are also served with vendor types such as application/vnd.x+xml.
  if (allowed.has(type) || (accept === 'feed' && type.endsWith('+xml'))) return;
  throw new PermanentError(
    FetchErrorCode.CONTENT_TYPE,
    `content type ${type} is not ${accept === 'page' ? 'a page (HTML, XHTML or plain text)' : 'a feed or sitemap'}`,
  );
}
