import { z } from 'zod';
import { SourceKind } from '../record/canonical-record.js';

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
});
export type RawPageMeta = z.infer<typeof RawPageMeta>;

/** A page exactly as received: bytes plus metadata. */
export interface RawPage extends RawPageMeta {
  body: Uint8Array;
}
