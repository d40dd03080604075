import { parentPort, type Transferable } from 'node:worker_threads';
import { PipelineError, RetryableError } from '../errors.js';
import type { SerializedError, ThreadReply, ThreadRequest } from './isolated-thread.js';

/** A result and the ArrayBuffers in it to move to the caller rather than copy. */
export interface ThreadAnswer<Res> {
  result: Res;
  transfer?: Transferable[];
}

/** Handles one request in the thread. */
export type ThreadHandler<Req, Res> = (request: Req) => Promise<ThreadAnswer<Res>>;

function serialize(error: unknown): SerializedError {
  if (error instanceof PipelineError) {
    return {
      kind: error instanceof RetryableError ? 'retryable' : 'permanent',
      code: error.code,
      message: error.message,
    };
  }
  const err = error instanceof Error ? error : new Error(String(error));
  return { kind: 'internal', code: 'INTERNAL', message: err.message, stack: err.stack ?? '' };
}

/**
 * The thread side of IsolatedThread: prepares once (`prepare` loads rules, opens stores; its
 * failure is the thread's start-up error), then answers each request with the handler's result
 * or the error it threw, one request at a time.
 */
export async function serveThread<Req, Res>(
  prepare: () => Promise<ThreadHandler<Req, Res>>,
): Promise<void> {
  const port = parentPort!;
  let handle: ThreadHandler<Req, Res>;
  try {
    handle = await prepare();
  } catch (error) {
    port.postMessage({ startFailed: serialize(error) } satisfies ThreadReply<Res>);
    return;
  }
  port.on('message', async ({ id, request }: ThreadRequest<Req>) => {
    try {
      const { result, transfer = [] } = await handle(request);
      port.postMessage({ id, result } satisfies ThreadReply<Res>, transfer);
    } catch (error) {
      port.postMessage({ id, error: serialize(error) } satisfies ThreadReply<Res>);
    }
  });
  port.postMessage({ ready: true } satisfies ThreadReply<Res>);
}
