import { Worker } from 'node:worker_threads';
import type { Config } from '../config/config.js';
import type { PipelineError } from '../errors.js';
import { isErrorCode } from '../error-codes.js';
import { errorOfCode, PermanentError, RetryableError } from '../errors.js';
import type { RawPage } from '../raw/raw-page.js';
import type { RecordDraft } from '../record/build-record.js';
import type { RecordJson } from '../record/record-json.js';

/** A page's record draft and its JSON text, made in the thread. */
export interface IsolatedRecord {
  draft: RecordDraft;
  json: RecordJson;
}

/** A page sent to the thread. */
export interface PageRequest {
  id: number;
  page: RawPage;
}

/** An error as it crosses the thread boundary. */
export interface SerializedError {
  kind: 'permanent' | 'retryable' | 'internal';
  code: string;
  message: string;
  stack?: string;
}

/** What the thread answers: a record draft or an error per page, and once whether it started. */
export type PageReply =
  | { id: number; record: IsolatedRecord }
  | { id: number; error: SerializedError }
  | { ready: true }
  | { startFailed: SerializedError };

export interface IsolatedPagesOptions {
  /** Where the thread loads its rules, site profiles and gazetteer from. */
  paths: Config['paths'];
  /** Longest CPU work on one page; past it the thread is replaced and the page refused. */
  timeoutMs: number;
  /** The thread's V8 old-generation heap; a page that needs more is refused. */
  maxHeapMb: number;
}

interface Pending {
  id: number;
  page: RawPage;
  resolve: (record: IsolatedRecord) => void;
  reject: (error: Error) => void;
}

function revive(error: SerializedError): Error {
  if (error.kind !== 'internal' && isErrorCode(error.code)) {
    return errorOfCode(error.code, error.message);
  }
  const revived = new Error(error.message);
  if (error.stack) revived.stack = error.stack;
  return revived;
}

/**
 * processPage in a worker thread of its own, one page at a time, so that no page's CPU work
 * holds the worker's event loop (its /healthz, its jobs' lock renewals, its Redis replies):
 * the loop stays free however long a page takes. A page that runs past `timeoutMs` or fills
 * the thread's heap is refused with a permanent error (CONTENT_TOO_SLOW, CONTENT_TOO_COMPLEX)
 * and the thread is replaced; the pages queued behind it go on in the new one.
 */
export class IsolatedPages {
  private worker: Worker | null = null;
  private ready: Promise<void> | null = null;
  private readonly queue: Pending[] = [];
  private current: Pending | null = null;
  private timer: NodeJS.Timeout | undefined;
  private nextId = 0;
  private closed = false;

  constructor(private readonly options: IsolatedPagesOptions) {}

  /** Starts the thread now and waits until its rules are loaded (start-up errors surface here). */
  async start(): Promise<void> {
    await this.thread();
  }

  /** The record draft of a page as processPage makes it, and its JSON; rejects as processPage throws. */
  process(page: RawPage): Promise<IsolatedRecord> {
    if (this.closed) return Promise.reject(new Error('page thread is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, page, resolve, reject });
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    for (const p of this.queue.splice(0)) p.reject(new Error('page thread is closed'));
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
  }

  private thread(): Promise<void> {
    if (this.ready) return this.ready;
    const worker = new Worker(new URL('./page-thread.js', import.meta.url), {
      workerData: { paths: this.options.paths },
      resourceLimits: { maxOldGenerationSizeMb: this.options.maxHeapMb },
      stdout: false,
      stderr: false,
    });
    this.worker = worker;
    this.ready = new Promise<void>((resolve, reject) => {
      worker.on('message', (reply: PageReply) => {
        if ('ready' in reply) resolve();
        else if ('startFailed' in reply) reject(revive(reply.startFailed));
        else this.answer(reply);
      });
      worker.on('error', (error: NodeJS.ErrnoException) => {
        reject(error);
        this.lost(worker, error);
      });
      worker.on('exit', (code) => {
        const error = new Error(`page thread exited with code ${code}`);
        reject(error);
        this.lost(worker, error);
      });
    });
    // A thread that failed to start is forgotten, so the next page tries a new one.
    this.ready.catch(() => this.forget(worker));
    return this.ready;
  }

  private pump(): void {
    if (this.current || this.closed) return;
    const next = this.queue.shift();
    if (!next) return;
    this.current = next;
    this.thread().then(
      () => {
        if (this.current !== next || !this.worker) return;
        // A copy of the bytes is moved to the thread; the caller's buffer stays whole.
        const body = new Uint8Array(next.page.body);
        const request: PageRequest = { id: next.id, page: { ...next.page, body } };
        this.worker.postMessage(request, [body.buffer]);
        this.timer = setTimeout(() => this.timedOut(next), this.options.timeoutMs);
      },
      (error: Error) => this.settle(next, error),
    );
  }

  private answer(
    reply: { id: number; record: IsolatedRecord } | { id: number; error: SerializedError },
  ) {
    const pending = this.current;
    if (!pending || pending.id !== reply.id) return;
    this.settle(pending, 'record' in reply ? reply.record : revive(reply.error));
  }

  private settle(pending: Pending, outcome: IsolatedRecord | Error): void {
    if (this.current !== pending) return;
    clearTimeout(this.timer);
    this.current = null;
    if (outcome instanceof Error) pending.reject(outcome);
    else pending.resolve(outcome);
    this.pump();
  }

  private timedOut(pending: Pending): void {
    if (this.current !== pending) return;
    const worker = this.worker;
    this.forget(worker);
    void worker?.terminate();
    this.settle(
      pending,
      new PermanentError(
        'CONTENT_TOO_SLOW',
        `cleaning the page took longer than ${this.options.timeoutMs} ms (page.timeoutMs); stopped`,
      ),
    );
  }

  /** The thread died (heap full, or a crash): the page it held is refused or retried. */
  private lost(worker: Worker, error: NodeJS.ErrnoException): void {
    if (this.worker !== worker) return;
    this.forget(worker);
    const pending = this.current;
    if (!pending) return;
    const outcome: PipelineError =
      error.code === 'ERR_WORKER_OUT_OF_MEMORY'
        ? new PermanentError(
            'CONTENT_TOO_COMPLEX',
            `cleaning the page needed more than ${this.options.maxHeapMb} MB of heap (page.maxHeapMb); stopped`,
          )
        : new RetryableError('PAGE_THREAD_FAILED', `page thread failed: ${error.message}`);
    this.settle(pending, outcome);
  }

  private forget(worker: Worker | null): void {
    if (worker && this.worker === worker) {
      this.worker = null;
      this.ready = null;
    }
  }
}
