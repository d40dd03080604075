import { z } from 'zod';
import { parseAllowEntry } from './ip-address.js';
import { envList, type ConfigSection } from './config-section.js';

function isAllowEntry(entry: string): boolean {
  try {
    parseAllowEntry(entry);
    return true;
  } catch {
    return false;
  }
}

/** Bytes in one mebibyte, for readable defaults. */
const MIB = 1024 * 1024;

export const FetchConfig = z.object({
  /** Product token sent in User-Agent and matched against robots.txt groups. @default "newsnorm" */
  userAgentName: z
    .string()
    .regex(/^[A-Za-z][\w.-]*$/, 'a robots.txt product token (letters, digits, "-", "_", ".")')
    .default('newsnorm')
    .describe('Crawler name in User-Agent and robots.txt'),
  /** Where site owners reach the operator; appended to the User-Agent. @default "https://example.org/newsnorm-bot" */
  contactUrl: z
    .url({ protocol: /^https?$/ })
    .default('https://example.org/newsnorm-bot')
    .describe('Contact URL sent in User-Agent'),
  /** TCP (and TLS) connect timeout. @default 10000 */
  connectTimeoutMs: z.coerce
    .number()
    .int()
    .positive()
    .default(10_000)
    .describe('TCP and TLS connect timeout (ms)'),
  /** Time allowed for the response headers to arrive. @default 15000 */
  headersTimeoutMs: z.coerce
    .number()
    .int()
    .positive()
    .default(15_000)
    .describe('Time allowed for response headers to arrive (ms)'),
  /** Longest silence between two body chunks. @default 15000 */
  bodyTimeoutMs: z.coerce
    .number()
    .int()
    .positive()
    .default(15_000)
    .describe('Longest silence between two body chunks (ms)'),
  /**
   * The whole request, every redirect hop included, from the first hop's turn at its host to
   * the last body byte (the wait for the first turn is not counted). @default 60000
   */
  totalTimeoutMs: z.coerce
    .number()
    .int()
    .positive()
    .default(60_000)
    .describe('Whole request including redirects (ms)'),
  /** Largest body kept, counted on the wire and again after decompression. @default 10485760 */
  maxBodyBytes: z.coerce
    .number()
    .int()
    .positive()
    .default(10 * MIB)
    .describe('Largest body kept, on the wire and after decompression'),
  /**
   * Content-Encoding codings undone on one response; each costs a zlib stream, so a longer
   * list fails as FETCH_BAD_ENCODING. @default 3
   */
  maxContentEncodings: z.coerce
    .number()
    .int()
    .min(1)
    .max(16)
    .default(3)
    .describe('Content-Encoding codings undone on one response (more fail)'),
  /**
   * Bytes of response headers accepted; more fail as FETCH_HEADERS_TOO_LARGE (big cookies and
   * security policies fit well below). @default 65536
   */
  maxHeaderBytes: z.coerce
    .number()
    .int()
    .min(1024)
    .max(16 * MIB)
    .default(64 * 1024)
    .describe('Largest response header block accepted (bytes)'),
  /**
   * Bytes of robots.txt read and parsed; the rest is ignored, as RFC 9309 allows past
   * 500 KiB. @default 512000
   */
  maxRobotsBytes: z.coerce
    .number()
    .int()
    .min(500 * 1024)
    .max(16 * MIB)
    .default(500 * 1024)
    .describe('Bytes of robots.txt read and parsed (the rest is ignored)'),
  /**
   * Entries one feed or sitemap may list (the sitemap protocol's own limit); a longer one
   * fails as SOURCE_TOO_MANY_ITEMS before anything is enqueued. @default 50000
   */
  maxFeedItems: z.coerce
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .default(50_000)
    .describe('Entries one feed or sitemap may list (more fail)'),
  /**
   * Child sitemaps read from one sitemap index per poll (news sites list the fresh ones
   * first); the others are reported as SOURCE_TOO_MANY_SITEMAPS. @default 50
   */
  maxChildSitemaps: z.coerce
    .number()
    .int()
    .min(1)
    .max(50_000)
    .default(50)
    .describe('Child sitemaps read from one sitemap index (the rest are reported)'),
  /**
   * Time a worker allows one feed or sitemap to be read (decompressed, counted, parsed) in its
   * source thread; past it the source fails as SOURCE_TOO_SLOW. A 10 MB sitemap of 25,000 URLs
   * took about 4 s on a busy 2-core machine. @default 30000
   */
  sourceTimeoutMs: z.coerce
    .number()
    .int()
    .min(100)
    .max(600_000)
    .default(30_000)
    .describe('Longest time reading one feed or sitemap may take in a worker (ms)'),
  /**
   * V8 heap of a worker's source thread; a feed or sitemap that needs more fails as
   * SOURCE_TOO_LARGE and the worker goes on. A 20 MB sitemap of 50,000 URLs with news tags
   * needs about 200 MiB. @default 256
   */
  sourceMaxHeapMb: z.coerce
    .number()
    .int()
    .min(32)
    .max(65_536)
    .default(256)
    .describe("Heap of a worker's feed- and sitemap-reading thread (MiB)"),
  /** Redirects followed before giving up. @default 5 */
  maxRedirects: z.coerce
    .number()
    .int()
    .min(0)
    .default(5)
    .describe('Redirects followed before giving up'),
  /**
   * Addresses or CIDR ranges that the address policy admits although they are loopback,
   * private, link-local... (e.g. "127.0.0.1" for tests, "10.1.0.0/16" for an intranet).
   * @default []
   */
  allowAddresses: envList(
    z.string().refine(isAllowEntry, 'an IP address or CIDR range (e.g. 127.0.0.1, 10.1.0.0/16)'),
  )
    .default([])
    .describe('Addresses or CIDR ranges admitted although private or loopback'),
  /** Minimum time between two request starts to one host, across all workers. @default 1000 */
  minHostIntervalMs: z.coerce
    .number()
    .int()
    .min(0)
    .default(1_000)
    .describe('Minimum time between two requests to one host, across workers (ms)'),
  /**
   * Requests in flight to one host at once, across all workers. With 1, the interval runs from
   * the end of the previous response, so arrivals at the host are the interval apart whatever
   * the network does; above 1 it spaces request starts only, and arrivals may come a few ms
   * closer. @default 1
   */
  maxHostConcurrency: z.coerce
    .number()
    .int()
    .positive()
    .default(1)
    .describe(
      'Requests in flight to one host, across workers (1 keeps arrivals the interval apart)',
    ),
  /** A job waits at most this long for its host's turn, then is retried later. @default 30000 */
  maxHostWaitMs: z.coerce
    .number()
    .int()
    .positive()
    .default(30_000)
    .describe('Longest wait for a host turn before the job is retried later (ms)'),
  /** How long a parsed robots.txt is trusted. @default 3600000 */
  robotsTtlMs: z.coerce
    .number()
    .int()
    .positive()
    .default(60 * 60 * 1000)
    .describe('How long a parsed robots.txt is trusted (ms)'),
  /** Upper bound on a Crawl-delay honoured; a larger one is capped, not obeyed blindly. @default 60000 */
  maxCrawlDelayMs: z.coerce
    .number()
    .int()
    .min(0)
    .default(60_000)
    .describe('Cap on an honoured robots.txt Crawl-delay (ms)'),
  /** ETag / Last-Modified kept per URL for this long. @default 2592000000 (30 days) */
  validatorTtlMs: z.coerce
    .number()
    .int()
    .positive()
    .default(30 * 24 * 60 * 60 * 1000)
    .describe('How long ETag / Last-Modified are kept per URL (ms)'),
  /** A URL no feed, sitemap or list has named for this long leaves the seen-URL set. @default 2592000000 (30 days) */
  seenUrlTtlMs: z.coerce
    .number()
    .int()
    .positive()
    .default(30 * 24 * 60 * 60 * 1000)
    .describe('How long a URL no source lists any more is remembered as seen (ms)'),
  /** Prefix of every Redis key the fetch side writes (use a hash tag on Redis Cluster). @default "newsnorm:" */
  redisKeyPrefix: z
    .string()
    .default('newsnorm:')
    .describe('Prefix of the Redis keys the fetch side writes'),
});
export type FetchConfig = z.infer<typeof FetchConfig>;

export const fetchSection: ConfigSection<typeof FetchConfig> = {
  schema: FetchConfig,
  env: {
    userAgentName: 'NEWSNORM_USER_AGENT_NAME',
    contactUrl: 'NEWSNORM_CONTACT_URL',
    connectTimeoutMs: 'NEWSNORM_FETCH_CONNECT_TIMEOUT_MS',
    headersTimeoutMs: 'NEWSNORM_FETCH_HEADERS_TIMEOUT_MS',
    bodyTimeoutMs: 'NEWSNORM_FETCH_BODY_TIMEOUT_MS',
    totalTimeoutMs: 'NEWSNORM_FETCH_TOTAL_TIMEOUT_MS',
    maxBodyBytes: 'NEWSNORM_FETCH_MAX_BODY_BYTES',
    maxContentEncodings: 'NEWSNORM_FETCH_MAX_CONTENT_ENCODINGS',
    maxHeaderBytes: 'NEWSNORM_FETCH_MAX_HEADER_BYTES',
    maxRobotsBytes: 'NEWSNORM_ROBOTS_MAX_BYTES',
    maxFeedItems: 'NEWSNORM_FEED_MAX_ITEMS',
    maxChildSitemaps: 'NEWSNORM_SITEMAP_MAX_CHILDREN',
    sourceTimeoutMs: 'NEWSNORM_SOURCE_TIMEOUT_MS',
    sourceMaxHeapMb: 'NEWSNORM_SOURCE_MAX_HEAP_MB',
    maxRedirects: 'NEWSNORM_FETCH_MAX_REDIRECTS',
    allowAddresses: 'NEWSNORM_FETCH_ALLOW_ADDRESSES',
    minHostIntervalMs: 'NEWSNORM_HOST_MIN_INTERVAL_MS',
    maxHostConcurrency: 'NEWSNORM_HOST_MAX_CONCURRENCY',
    maxHostWaitMs: 'NEWSNORM_HOST_MAX_WAIT_MS',
    robotsTtlMs: 'NEWSNORM_ROBOTS_TTL_MS',
    maxCrawlDelayMs: 'NEWSNORM_MAX_CRAWL_DELAY_MS',
    validatorTtlMs: 'NEWSNORM_VALIDATOR_TTL_MS',
    seenUrlTtlMs: 'NEWSNORM_SEEN_URL_TTL_MS',
    redisKeyPrefix: 'NEWSNORM_REDIS_KEY_PREFIX',
  },
};
