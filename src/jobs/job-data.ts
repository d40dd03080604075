import { createHash } from 'node:crypto';
import { z } from 'zod';
import { normalizeUrl } from '../record/record-id.js';

const HttpUrl = z.url({ protocol: /^https?$/ });

/** A fetch job: one URL to fetch, store raw and hand to the process queue. */
export const FetchJobData = z.object({
  url: HttpUrl,
  /** The feed, list or schedule that found the URL, for operators reading failed jobs. */
  via: z.string().nullable().default(null),
});
export type FetchJobData = z.infer<typeof FetchJobData>;

/** A process job: a raw page in the raw store, by its sha256. */
export const ProcessJobData = z.object({
  rawHash: z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 hex digest'),
  /** Where the page came from (seed path or URL), for operators reading failed jobs. */
  uri: z.string().min(1),
  /**
   * When the page was read from its source (a fetch's retrievedAt, a seed's enqueue time):
   * a job whose page was read before the record's current revision delivers nothing.
   * Absent in jobs queued before it existed: the raw page's retrievedAt, if any, stands in.
   */
  readAt: z.iso.datetime({ offset: true }).optional(),
});
export type ProcessJobData = z.infer<typeof ProcessJobData>;

/** A schedule job: a source to expand into fetch or process jobs. */
export const SourceJobData = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('feed'), url: HttpUrl }),
  z.object({ kind: z.literal('urls'), file: z.string().min(1) }),
  z.object({ kind: z.literal('seeds'), dir: z.string().min(1) }),
]);
export type SourceJobData = z.infer<typeof SourceJobData>;

/** Length of the hex digest kept in a fetch job id: 160 bits, collisions out of reach. */
const URL_ID_HEX_CHARS = 40;

/**
 * The fetch job id of a URL: a digest of its normalized form, so two links to one page are
 * one job. A digest because BullMQ refuses ids with ":" and every URL has one.
 */
export function fetchJobId(url: string): string {
  return `url-${createHash('sha256').update(normalizeUrl(url)).digest('hex').slice(0, URL_ID_HEX_CHARS)}`;
}

/** The process job id of a raw page: its content hash, so the same page is one job. */
export function processJobId(rawHash: string): string {
  return `raw-${rawHash}`;
}
