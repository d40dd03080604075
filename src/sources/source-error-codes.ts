import type { ErrorCode } from '../error-codes.js';

/**
 * Short names of the source readers' codes (all permanent: the document itself is wrong).
 * What each means is in the one table of codes (src/error-codes.ts).
 */
export const SourceErrorCode = {
  MALFORMED: 'SOURCE_MALFORMED',
  UNKNOWN_FORMAT: 'SOURCE_UNKNOWN_FORMAT',
  TOO_MANY_ITEMS: 'SOURCE_TOO_MANY_ITEMS',
  TOO_MANY_SITEMAPS: 'SOURCE_TOO_MANY_SITEMAPS',
  TOO_LARGE: 'SOURCE_TOO_LARGE',
  TOO_SLOW: 'SOURCE_TOO_SLOW',
} as const satisfies Record<string, ErrorCode>;
export type SourceErrorCode = (typeof SourceErrorCode)[keyof typeof SourceErrorCode];
