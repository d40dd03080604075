/** Stable codes of source failures (all permanent: the document itself is wrong). */
export const SourceErrorCode = {
  /** Not well-formed XML. */
  MALFORMED: 'SOURCE_MALFORMED',
  /** Well-formed, but neither RSS, Atom, RDF nor a sitemap. */
  UNKNOWN_FORMAT: 'SOURCE_UNKNOWN_FORMAT',
  /** More entries than fetch.maxFeedItems. */
  TOO_MANY_ITEMS: 'SOURCE_TOO_MANY_ITEMS',
  /** A sitemap index lists more child sitemaps than fetch.maxChildSitemaps (reported, the first are read). */
  TOO_MANY_SITEMAPS: 'SOURCE_TOO_MANY_SITEMAPS',
  /** Larger than a feed or sitemap may be, once decompressed, or than its thread's heap holds. */
  TOO_LARGE: 'SOURCE_TOO_LARGE',
  /** Reading it took longer than a worker allows one source (fetch.sourceTimeoutMs). */
  TOO_SLOW: 'SOURCE_TOO_SLOW',
} as const;
export type SourceErrorCode = (typeof SourceErrorCode)[keyof typeof SourceErrorCode];
