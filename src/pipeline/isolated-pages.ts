import type { Config } from '../config/config.js';
import { PermanentError, RetryableError } from '../errors.js';
import type { MadeRecord } from '../record/record-json.js';
import { IsolatedThread, type ThreadLimits } from '../threads/isolated-thread.js';

/** A stored page's record, made in the thread, and when the page was fetched. */
export interface StoredPageRecord {
  record: MadeRecord;
  retrievedAt: string | null;
}

/** A page sent to the thread: its hash in the raw store. */
export interface PageRequest {
  rawHash: string;
}

export interface IsolatedPagesOptions extends ThreadLimits {
  /** Where the thread reads raw pages and loads its rules, site profiles and gazetteer from. */
  paths: Config['paths'];
}

/**
 * processPage in a worker thread of its own, one page at a time, so that no page holds the
 * worker's event loop (its /healthz, its jobs' lock renewals, its Redis replies). The thread
 * reads the page from the raw store itself and answers with the record's JSON: neither the
 * page's bytes nor the record's objects cross to this thread, so what is left here (the
 * revision claim, the sinks) handles text whose size the page limits bound, and no object
 * graph whose size a page could choose. A page that runs past `timeoutMs` or fills the
 * thread's heap is refused with a permanent error (CONTENT_TOO_SLOW, CONTENT_TOO_COMPLEX) and
 * the thread is replaced; the pages queued behind it go on in the new one.
 */
export class IsolatedPages {
  private readonly thread: IsolatedThread<PageRequest, StoredPageRecord>;

  constructor(options: IsolatedPagesOptions) {
    const { timeoutMs, maxHeapMb } = options;
    this.thread = new IsolatedThread({
      script: new URL('./page-thread.js', import.meta.url),
      workerData: { paths: options.paths },
      timeoutMs,
      maxHeapMb,
      errors: {
        tooSlow: () =>
          new PermanentError(
            'CONTENT_TOO_SLOW',
            `cleaning the page took longer than ${timeoutMs} ms (page.timeoutMs); stopped`,
          ),
        tooBig: () =>
          new PermanentError(
            'CONTENT_TOO_COMPLEX',
            `cleaning the page needed more than ${maxHeapMb} MB of heap (page.maxHeapMb); stopped`,
          ),
        failed: (message) =>
          new RetryableError('PAGE_THREAD_FAILED', `page thread failed: ${message}`),
      },
    });
  }

  /** Starts the thread now and waits until its rules are loaded (start-up errors surface here). */
  start(): Promise<void> {
    return this.thread.start();
  }

  /**
   * The record of the page stored under `rawHash`, as processPage makes it, as JSON; rejects as
   * processPage throws, or with RAW_MISSING when the store lacks the page.
   */
  processStored(rawHash: string): Promise<StoredPageRecord> {
    return this.thread.run({ rawHash });
  }

  close(): Promise<void> {
    return this.thread.close();
  }
}
