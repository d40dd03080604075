import { z } from 'zod';
import { envBoolean, type ConfigSection } from './config-section.js';

export const PageConfig = z.object({
  /**
   * Workers clean each page in a thread of their own, bounded by `timeoutMs` and `maxHeapMb`,
   * so that no page holds the event loop that answers /healthz and renews the jobs' locks. Off,
   * pages are cleaned on the event loop itself, unbounded: a hostile page can then freeze a
   * worker until its jobs' locks expire, or kill it. @default true
   */
  thread: envBoolean
    .default(true)
    .describe('Clean pages in a thread of their own in workers, bounded by the two below'),
  /**
   * CPU time one page may take to clean in a worker (its own thread); past it the page fails
   * as CONTENT_TOO_SLOW. Seed-sized pages take about a millisecond, the largest accepted ones
   * well under a second. @default 10000
   */
  timeoutMs: z.coerce
    .number()
    .int()
    .min(100)
    .max(600_000)
    .default(10_000)
    .describe('Longest time cleaning one page may take in a worker (ms)'),
  /**
   * V8 heap of a worker's page thread; a page that needs more fails as CONTENT_TOO_COMPLEX and
   * the worker goes on. @default 128
   */
  maxHeapMb: z.coerce
    .number()
    .int()
    .min(32)
    .max(65_536)
    .default(128)
    .describe("Heap of a worker's page-cleaning thread (MiB)"),
});
export type PageConfig = z.infer<typeof PageConfig>;

export const pageSection: ConfigSection<typeof PageConfig> = {
  schema: PageConfig,
  env: {
    thread: 'NEWSNORM_PAGE_THREAD',
    timeoutMs: 'NEWSNORM_PAGE_TIMEOUT_MS',
    maxHeapMb: 'NEWSNORM_PAGE_MAX_HEAP_MB',
  },
};
