/**
 * Stable codes of fetch failures. Operators filter failed jobs on them; never rename one.
 * Retryable ones: FETCH_TIMEOUT, FETCH_NETWORK, FETCH_RATE_LIMITED, FETCH_UNAVAILABLE,
 * FETCH_SERVER_ERROR, ROBOTS_UNAVAILABLE, HOST_BUSY. Every other one is permanent.
 */
export const FetchErrorCode = {
  /** Not a URL at all. */
  URL_INVALID: 'FETCH_URL_INVALID',
  /** A scheme other than http or https. */
  SCHEME_REFUSED: 'FETCH_SCHEME_REFUSED',
  /** A URL carrying a user name or password. */
  CREDENTIALS_REFUSED: 'FETCH_CREDENTIALS_REFUSED',
  /** The host resolves to an address the policy refuses (loopback, private, metadata...). */
  ADDRESS_REFUSED: 'FETCH_ADDRESS_REFUSED',
  /** The host name does not resolve. */
  DNS_FAILED: 'FETCH_DNS_FAILED',
  /** robots.txt disallows the URL for our user agent. */
  ROBOTS_DISALLOWED: 'ROBOTS_DISALLOWED',
  /** robots.txt answered 5xx or could not be reached: try later, do not crawl meanwhile. */
  ROBOTS_UNAVAILABLE: 'ROBOTS_UNAVAILABLE',
  /** The host's politeness slot is too far away: retry the job later. */
  HOST_BUSY: 'HOST_BUSY',
  /** Connect, headers, body or whole-request timeout. */
  TIMEOUT: 'FETCH_TIMEOUT',
  /** Connection refused or reset, socket closed early. */
  NETWORK: 'FETCH_NETWORK',
  /** 429 Too Many Requests. */
  RATE_LIMITED: 'FETCH_RATE_LIMITED',
  /** 503 Service Unavailable. */
  UNAVAILABLE: 'FETCH_UNAVAILABLE',
  /** Any other 5xx. */
  SERVER_ERROR: 'FETCH_SERVER_ERROR',
  /** 404 or 410. */
  NOT_FOUND: 'FETCH_NOT_FOUND',
  /** Any other 4xx, or a status no fetcher can use. */
  HTTP_STATUS: 'FETCH_HTTP_STATUS',
  /** The response's header block is larger than fetch.maxHeaderBytes. */
  HEADERS_TOO_LARGE: 'FETCH_HEADERS_TOO_LARGE',
  /** The body is larger than the limit, on the wire or after decompression. */
  TOO_LARGE: 'FETCH_TOO_LARGE',
  /** A content type that is not a page (or not a feed, when fetching a feed). */
  CONTENT_TYPE: 'FETCH_CONTENT_TYPE',
  /** A Content-Encoding that is unknown, corrupt, or lists too many codings. */
  BAD_ENCODING: 'FETCH_BAD_ENCODING',
  /** A redirect back to a URL already visited. */
  REDIRECT_LOOP: 'FETCH_REDIRECT_LOOP',
  /** More redirects than allowed. */
  TOO_MANY_REDIRECTS: 'FETCH_TOO_MANY_REDIRECTS',
  /** A 3xx without a usable Location. */
  BAD_REDIRECT: 'FETCH_BAD_REDIRECT',
} as const;
export type FetchErrorCode = (typeof FetchErrorCode)[keyof typeof FetchErrorCode];
