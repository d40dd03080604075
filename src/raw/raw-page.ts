import { z } from 'zod';
import { SourceKind } from '../record/canonical-record.js';

/**
 * Largest page cleaned, read from disk or decoded: fetch.maxBodyBytes' default, so a saved page
 * cannot be larger than a fetched one; past it the name matcher alone holds a worker's event
 * loop for many seconds.
 */
export const MAX_PAGE_BYTES = 10 * 1024 * 1024;

/** Where a raw page came from and what the server said about it. */
export const RawPageMeta = z.object({
  kind: SourceKind,
  /** A file path (seed, file) or the fetched URL. */
  uri: z.string().min(1),
  /** The URL the page was finally served from, after redirects; null for files. */
  url: z.string().nullable(),
  retrievedAt: z.iso.datetime({ offset: true }).nullable(),
  contentType: z.string().nullable(),
  headers: z.record(z.string(), z.string()),
  /**
   * For a page read from disk: where it was found (sourceKeyOfFile), the record id's source
   * when the page states no URL. Absent on fetched pages and on pages stored before it existed.
   */
  sourceKey: z.string().min(1).optional(),
});
export type RawPageMeta = z.infer<typeof RawPageMeta>;

/** A page exactly as received: bytes plus metadata. */
export interface RawPage extends RawPageMeta {
  body: Uint8Array;
}
