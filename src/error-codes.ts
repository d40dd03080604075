/**
 * Every stable error code newsnorm reports, in one table: what a worker does with a job that
 * failed with it (retryable: tried again with backoff; permanent: failed at once, the same input
 * fails again) and what it means, in one line. Operators filter failed jobs, logs and the
 * `newsnorm_pages_failed_total{code}` metric on these codes: never rename one, and never give
 * one code two meanings; add a code instead. The README's error table is generated from this
 * one (`npm run docs:errors`).
 */
export const ERROR_CODES = {
  // Fetching a page: the URL, the address policy, robots.txt, the host's politeness slot.
  FETCH_URL_INVALID: { kind: 'permanent', meaning: 'not a URL at all' },
  FETCH_SCHEME_REFUSED: { kind: 'permanent', meaning: 'a scheme other than http or https' },
  FETCH_CREDENTIALS_REFUSED: {
    kind: 'permanent',
    meaning: 'a URL carrying a user name or password',
  },
  FETCH_ADDRESS_REFUSED: {
    kind: 'permanent',
    meaning: 'the host resolves to an address the policy refuses (loopback, private, metadata…)',
  },
  FETCH_DNS_FAILED: {
    kind: 'permanent',
    meaning: 'the host name does not exist or has no address',
  },
  FETCH_DNS_UNAVAILABLE: {
    kind: 'retryable',
    meaning: 'the resolver could not answer for the host name now (EAI_AGAIN, a server failure)',
  },
  ROBOTS_DISALLOWED: {
    kind: 'permanent',
    meaning: 'robots.txt disallows the URL for our user agent',
  },
  ROBOTS_UNAVAILABLE: {
    kind: 'retryable',
    meaning: 'robots.txt answered 5xx or could not be reached: no crawling of the host meanwhile',
  },
  HOST_BUSY: { kind: 'retryable', meaning: "the host's politeness slot is too far away" },
  FETCH_DISABLED: {
    kind: 'permanent',
    meaning: 'a fetch job reached a worker started without a fetcher (fetching not available)',
  },
  // The server's answer.
  FETCH_TIMEOUT: { kind: 'retryable', meaning: 'connect, headers, body or whole-request timeout' },
  FETCH_NETWORK: { kind: 'retryable', meaning: 'connection refused or reset, socket closed early' },
  FETCH_RATE_LIMITED: { kind: 'retryable', meaning: '429 Too Many Requests' },
  FETCH_UNAVAILABLE: { kind: 'retryable', meaning: '503 Service Unavailable' },
  FETCH_SERVER_ERROR: { kind: 'retryable', meaning: 'any other 5xx status' },
  FETCH_NOT_FOUND: { kind: 'permanent', meaning: '404 Not Found or 410 Gone' },
  FETCH_HTTP_STATUS: {
    kind: 'permanent',
    meaning: 'any other 4xx, or a status no fetcher can use',
  },
  FETCH_HEADERS_TOO_LARGE: {
    kind: 'permanent',
    meaning: "the response's header block is larger than fetch.maxHeaderBytes",
  },
  FETCH_TOO_LARGE: {
    kind: 'permanent',
    meaning: 'the body is larger than the limit, on the wire or after decompression',
  },
  FETCH_CONTENT_TYPE: {
    kind: 'permanent',
    meaning: 'a content type that is not a page (or not a feed, when fetching a feed)',
  },
  FETCH_BAD_ENCODING: {
    kind: 'permanent',
    meaning: 'a Content-Encoding that is unknown, corrupt, or lists too many codings',
  },
  FETCH_REDIRECT_LOOP: { kind: 'permanent', meaning: 'a redirect back to a URL already visited' },
  FETCH_TOO_MANY_REDIRECTS: { kind: 'permanent', meaning: 'more redirects than allowed' },
  FETCH_BAD_REDIRECT: { kind: 'permanent', meaning: 'a 3xx without a usable Location' },
  // Sources: files, URL lists, feeds and sitemaps.
  SOURCE_MISSING: { kind: 'permanent', meaning: 'the source file does not exist' },
  SOURCE_IS_DIRECTORY: { kind: 'permanent', meaning: 'the source path is a folder, not a file' },
  SOURCE_NOT_FILE: { kind: 'permanent', meaning: 'the source path is neither a file nor a folder' },
  SOURCE_UNREADABLE: { kind: 'permanent', meaning: 'the source file or folder cannot be read' },
  SOURCE_NOT_ALLOWED: {
    kind: 'permanent',
    meaning: 'a source folder outside the folders the configuration allows',
  },
  URL_LIST_INVALID: { kind: 'permanent', meaning: 'a line of a URL list is not an http(s) URL' },
  FEED_UNSUPPORTED: {
    kind: 'permanent',
    meaning: 'a feed source reached a process that cannot read feeds',
  },
  SOURCE_MALFORMED: { kind: 'permanent', meaning: 'a feed or sitemap that is not well-formed XML' },
  SOURCE_UNKNOWN_FORMAT: {
    kind: 'permanent',
    meaning: 'well-formed XML, but neither RSS, Atom, RDF nor a sitemap',
  },
  SOURCE_TOO_MANY_ITEMS: { kind: 'permanent', meaning: 'more entries than fetch.maxFeedItems' },
  SOURCE_TOO_MANY_SITEMAPS: {
    kind: 'permanent',
    meaning: 'a sitemap index lists more children than fetch.maxChildSitemaps (the first are read)',
  },
  SOURCE_NESTED_INDEX: {
    kind: 'permanent',
    meaning: 'a sitemap index inside a sitemap index (reported, not followed)',
  },
  SOURCE_TOO_LARGE: {
    kind: 'permanent',
    meaning:
      "larger than a feed or sitemap may be, once decompressed, or than its thread's heap holds",
  },
  SOURCE_TOO_SLOW: {
    kind: 'permanent',
    meaning: 'reading the feed or sitemap took longer than fetch.sourceTimeoutMs',
  },
  SOURCE_THREAD_FAILED: {
    kind: 'retryable',
    meaning: 'the thread reading a feed or sitemap died for a reason other than the document',
  },
  // A page's content.
  CONTENT_EMPTY: { kind: 'permanent', meaning: 'an empty page, or one of white space only' },
  CONTENT_BINARY: { kind: 'permanent', meaning: 'binary data (an image, a PDF…), not a page' },
  CONTENT_CHARSET: { kind: 'permanent', meaning: 'a declared character set nothing can decode' },
  CONTENT_ENCODING: {
    kind: 'permanent',
    meaning: 'bytes that are not valid in the declared (or guessed UTF-8) character set',
  },
  CONTENT_JSON: { kind: 'permanent', meaning: 'a JSON document, not a page' },
  CONTENT_XML: { kind: 'permanent', meaning: 'an XML document (a feed, a sitemap), not a page' },
  CONTENT_TOO_LARGE: { kind: 'permanent', meaning: 'a page of more bytes than a page may have' },
  CONTENT_TOO_LONG: {
    kind: 'permanent',
    meaning: 'more text or markup characters than an article page has',
  },
  CONTENT_TOO_DEEP: { kind: 'permanent', meaning: 'HTML nested deeper than the cleaner follows' },
  CONTENT_TOO_COMPLEX: {
    kind: 'permanent',
    meaning: 'more HTML elements, or more heap to clean, than an article page needs',
  },
  CONTENT_TOO_SLOW: {
    kind: 'permanent',
    meaning: 'cleaning the page took longer than page.timeoutMs',
  },
  CONTENT_NO_ARTICLE: {
    kind: 'permanent',
    meaning: 'no article text left once boilerplate is removed',
  },
  // Rules, models and gazetteers the pipeline loads.
  CONFIG_INVALID: {
    kind: 'permanent',
    meaning: 'an HTML rules file that cannot be read or is invalid',
  },
  RULES_UNREADABLE: {
    kind: 'permanent',
    meaning: 'a text rules or model file that cannot be read',
  },
  RULES_INVALID: {
    kind: 'permanent',
    meaning: 'a text rules or model file that is invalid, or fitted on other features',
  },
  GAZETTEER_UNREADABLE: { kind: 'permanent', meaning: 'the gazetteer file cannot be read' },
  GAZETTEER_INVALID: { kind: 'permanent', meaning: 'the gazetteer is not JSON or not a gazetteer' },
  GEONAMES_UNREADABLE: { kind: 'permanent', meaning: 'the GeoNames table cannot be read' },
  GEONAMES_MALFORMED: {
    kind: 'permanent',
    meaning: 'a line of the GeoNames table that is not a place row (reported, skipped)',
  },
  // Jobs, workers and Redis.
  JOB_DATA_INVALID: {
    kind: 'permanent',
    meaning: "job data that does not match its queue's schema",
  },
  RAW_MISSING: {
    kind: 'permanent',
    meaning: 'the raw page a process job names is not in the raw store',
  },
  PAGE_THREAD_FAILED: {
    kind: 'retryable',
    meaning: 'the thread cleaning a page died for a reason other than the page',
  },
  JOB_STALLED: {
    kind: 'permanent',
    meaning: 'BullMQ failed the job: it stalled (its worker died) more often than allowed',
  },
  JOB_LOCK_LOST: { kind: 'retryable', meaning: "BullMQ's lock on the job was lost while it ran" },
  REDIS_EVICTION_POLICY: {
    kind: 'permanent',
    meaning: 'Redis may evict keys (maxmemory-policy other than noeviction): workers refuse it',
  },
  REDIS_WRITE_REFUSED: {
    kind: 'retryable',
    meaning:
      'Redis refused a write (out of memory, read-only replica…): re-queued once it takes them',
  },
  RECORD_ID_COLLISION: {
    kind: 'permanent',
    meaning: 'two pages of one run have the same record id (the same canonical URL?)',
  },
  // Sinks.
  SINK_BUSY: {
    kind: 'retryable',
    meaning: 'another job is writing the same record revision to a sink',
  },
  SINK_FILE_SHORT_WRITE: {
    kind: 'retryable',
    meaning: 'the records file took part of a line (a full disk)',
  },
  WEBHOOK_UNAVAILABLE: {
    kind: 'retryable',
    meaning: 'the webhook timed out, could not be reached or answered 408, 429 or 5xx',
  },
  WEBHOOK_REJECTED: { kind: 'permanent', meaning: 'the webhook answered any other non-2xx status' },
  SINK_POSTGRES_UNAVAILABLE: {
    kind: 'retryable',
    meaning: 'the database is unreachable, restarting or out of connections',
  },
  SINK_POSTGRES_REFUSED: {
    kind: 'retryable',
    meaning:
      'the database answered with an error (permissions, read-only, disk full; its SQLSTATE)',
  },
  SINK_POSTGRES_REJECTED: {
    kind: 'permanent',
    meaning: "the database cannot store this record's data",
  },
  SINK_POSTGRES_REVISION_CONFLICT: {
    kind: 'permanent',
    meaning: 'the database holds the same revision of the record with other content',
  },
  POSTGRES_NOT_CONFIGURED: {
    kind: 'permanent',
    meaning: 'the postgres sink is on but DATABASE_URL is unset',
  },
  POSTGRES_SCHEMA_BEHIND: {
    kind: 'permanent',
    meaning: 'the database lacks migrations this newsnorm needs: run `newsnorm db migrate`',
  },
  POSTGRES_MIGRATION_INVALID: {
    kind: 'permanent',
    meaning: 'a file in migrations/ is misnamed, or the versions have a gap or a repeat',
  },
  POSTGRES_MIGRATION_CHANGED: {
    kind: 'permanent',
    meaning: 'a migration the database applied has other content than the shipped file',
  },
  POSTGRES_MIGRATION_FAILED: {
    kind: 'permanent',
    meaning: 'a migration failed; nothing of it was applied',
  },
  // Anything else.
  INTERNAL: {
    kind: 'retryable',
    meaning: 'an unexpected error, a bug: retried; the log line `job failed` has the stack',
  },
} as const satisfies Record<string, { kind: 'retryable' | 'permanent'; meaning: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;
type CodeOfKind<K> = {
  [C in ErrorCode]: (typeof ERROR_CODES)[C]['kind'] extends K ? C : never;
}[ErrorCode];
/** A code of a failure that may pass: the job is tried again with backoff. */
export type RetryableCode = CodeOfKind<'retryable'>;
/** A code of a failure that the same input meets again: the job fails at once. */
export type PermanentCode = CodeOfKind<'permanent'>;

/** Whether a string is one of the codes of the table (a code read back from a job or a thread). */
export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_CODES, code);
}
