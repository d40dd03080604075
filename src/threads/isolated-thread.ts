import { Worker, type Transferable } from 'node:worker_threads';
import { isErrorCode } from '../error-codes.js';
import type { PipelineError } from '../errors.js';
import { errorOfCode } from '../errors.js';

/** An error as it crosses the thread boundary. */
export interface SerializedError {
  kind: 'permanent' | 'retryable' | 'internal';
  code: string;
  message: string;
  stack?: string;
}

/** A request sent to the thread. */
export interface ThreadRequest<Req> {
  id: number;
  request: Req;
}

/** What the thread answers: a result or an error per request, and once whether it started. */
export type ThreadReply<Res> =
  | { id: number; result: Res }
  | { id: number; error: SerializedError }
  | { ready: true }
  | { startFailed: SerializedError };

/** How much one request may cost the thread. */
export interface ThreadLimits {
  /** Longest work on one request; past it the thread is replaced and the request refused. */
  timeoutMs: number;
  /** The thread's V8 old-generation heap; a request that needs more is refused. */
  maxHeapMb: number;
}

export interface IsolatedThreadOptions extends ThreadLimits {
  /** The thread's script, a module that calls serveThread. */
  script: URL;
  /** Given to the script as `workerData`. */
  workerData: unknown;
  /** What a request fails with: past `timeoutMs`, past `maxHeapMb`, or when the thread dies. */
  errors: {
    tooSlow(): PipelineError;
    tooBig(): PipelineError;
    failed(message: string): PipelineError;
  };
}

interface Pending<Req, Res> {
  id: number;
  request: Req;
  transfer: readonly Transferable[];
  resolve: (result: Res) => void;
  reject: (error: Error) => void;
}

/** The error a serialized one stands for, with its kind and code. */
export function reviveError(error: SerializedError): Error {
  if (error.kind !== 'internal' && isErrorCode(error.code)) {
    return errorOfCode(error.code, error.message);
  }
  const revived = new Error(error.message);
  if (error.stack) revived.stack = error.stack;
  return revived;
}

/**
 * Work run in a worker thread of its own, one request at a time, so that no request's CPU
 * work holds this thread's event loop (a worker's /healthz, its jobs' lock renewals, its Redis
 * replies): the loop stays free however long a request takes. A request that runs past
 * `timeoutMs` or fills the thread's heap is refused with the error `errors` gives, and the
 * thread is replaced; the requests queued behind it go on in the new one.
 */
export class IsolatedThread<Req, Res> {
  private worker: Worker | null = null;
  private ready: Promise<void> | null = null;
  private readonly queue: Pending<Req, Res>[] = [];
  private current: Pending<Req, Res> | null = null;
  private timer: NodeJS.Timeout | undefined;
  private nextId = 0;
  private closed = false;

  constructor(private readonly options: IsolatedThreadOptions) {}

  /** Starts the thread now and waits until it is ready (start-up errors surface here). */
  async start(): Promise<void> {
    await this.thread();
  }

  /**
   * The thread's answer to `request`; rejects with the error the thread threw. Objects in
   * `transfer` (ArrayBuffers) are moved to the thread, not copied: the caller loses them.
   */
  run(request: Req, transfer: readonly Transferable[] = []): Promise<Res> {
    if (this.closed) return Promise.reject(new Error('thread is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, request, transfer, resolve, reject });
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    for (const p of this.queue.splice(0)) p.reject(new Error('thread is closed'));
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
  }

  private thread(): Promise<void> {
    if (this.ready) return this.ready;
    const worker = new Worker(this.options.script, {
      workerData: this.options.workerData,
      resourceLimits: { maxOldGenerationSizeMb: this.options.maxHeapMb },
      stdout: false,
      stderr: false,
    });
    this.worker = worker;
    this.ready = new Promise<void>((resolve, reject) => {
      worker.on('message', (reply: ThreadReply<Res>) => {
        if ('ready' in reply) resolve();
        else if ('startFailed' in reply) reject(reviveError(reply.startFailed));
        else this.answer(reply);
      });
      worker.on('error', (error: NodeJS.ErrnoException) => {
        reject(error);
        this.lost(worker, error);
      });
      worker.on('exit', (code) => {
        const error = new Error(`thread exited with code ${code}`);
        reject(error);
        this.lost(worker, error);
      });
    });
    // A thread that failed to start is forgotten, so the next request tries a new one.
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
        const message: ThreadRequest<Req> = { id: next.id, request: next.request };
        this.worker.postMessage(message, next.transfer);
        this.timer = setTimeout(() => this.timedOut(next), this.options.timeoutMs);
      },
      (error: Error) => this.settle(next, error),
    );
  }

  private answer(reply: { id: number; result: Res } | { id: number; error: SerializedError }) {
    const pending = this.current;
    if (!pending || pending.id !== reply.id) return;
    this.settle(pending, 'result' in reply ? { result: reply.result } : reviveError(reply.error));
  }

  private settle(pending: Pending<Req, Res>, outcome: { result: Res } | Error): void {
    if (this.current !== pending) return;
    clearTimeout(this.timer);
    this.current = null;
    if (outcome instanceof Error) pending.reject(outcome);
    else pending.resolve(outcome.result);
    this.pump();
  }

  private timedOut(pending: Pending<Req, Res>): void {
    if (this.current !== pending) return;
    const worker = this.worker;
    this.forget(worker);
    void worker?.terminate();
    this.settle(pending, this.options.errors.tooSlow());
  }

  /** The thread died (heap full, or a crash): the request it held is refused or retried. */
  private lost(worker: Worker, error: NodeJS.ErrnoException): void {
    if (this.worker !== worker) return;
    this.forget(worker);
    const pending = this.current;
    if (!pending) return;
    const { errors } = this.options;
    this.settle(
      pending,
      error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? errors.tooBig() : errors.failed(error.message),
    );
  }

  private forget(worker: Worker | null): void {
    if (worker && this.worker === worker) {
      this.worker = null;
      this.ready = null;
    }
  }
}
