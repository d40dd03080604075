import { PermanentError, RetryableError } from '../errors.js';
import { IsolatedThread, type ThreadLimits } from '../threads/isolated-thread.js';
import { SourceErrorCode } from './source-error-codes.js';
import type { SourceLinkOptions, SourceLinks } from './source-links.js';

/** A source sent to the thread: its bytes (moved, not copied) and where relative links resolve. */
export interface SourceRequest {
  bytes: Uint8Array;
  baseUrl: string;
  options: SourceLinkOptions;
}

/**
 * readSourceLinks in a worker thread of its own, one source at a time: decompressing, counting
 * and parsing a feed or sitemap of tens of megabytes takes seconds of CPU, which would hold the
 * worker's event loop (its /healthz, its jobs' lock renewals). A source that runs past
 * `timeoutMs` (SOURCE_TOO_SLOW) or fills the thread's heap (SOURCE_TOO_LARGE) is refused and
 * the thread replaced.
 */
export class IsolatedSources {
  private readonly thread: IsolatedThread<SourceRequest, SourceLinks>;

  constructor(limits: ThreadLimits) {
    const { timeoutMs, maxHeapMb } = limits;
    this.thread = new IsolatedThread({
      script: new URL('./source-thread.js', import.meta.url),
      workerData: null,
      timeoutMs,
      maxHeapMb,
      errors: {
        tooSlow: () =>
          new PermanentError(
            SourceErrorCode.TOO_SLOW,
            `reading the source took longer than ${timeoutMs} ms (fetch.sourceTimeoutMs); stopped`,
          ),
        tooBig: () =>
          new PermanentError(
            SourceErrorCode.TOO_LARGE,
            `reading the source needed more than ${maxHeapMb} MB of heap (fetch.sourceMaxHeapMb); stopped`,
          ),
        failed: (message) =>
          new RetryableError('SOURCE_THREAD_FAILED', `source thread failed: ${message}`),
      },
    });
  }

  /**
   * The links of a source's bytes, read in the thread. The bytes are moved there when they
   * fill their buffer (a fetched body does), else copied: the caller must not read them after.
   */
  read(bytes: Uint8Array, baseUrl: string, options: SourceLinkOptions): Promise<SourceLinks> {
    const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
    const moved = whole && bytes.buffer instanceof ArrayBuffer ? bytes : bytes.slice();
    return this.thread.run({ bytes: moved, baseUrl, options }, [moved.buffer as ArrayBuffer]);
  }

  close(): Promise<void> {
    return this.thread.close();
  }
}
