import { parentPort, workerData } from 'node:worker_threads';
import type { Config } from '../config/config.js';
import { PipelineError, RetryableError } from '../errors.js';
import type { RawPage } from '../raw/raw-page.js';
import { loadPipelineDeps } from './load-pipeline-deps.js';
import { processPage } from './process-page.js';
import { recordJson } from '../record/record-json.js';
import type { PageReply, PageRequest, SerializedError } from './isolated-pages.js';

/**
 * The thread side of IsolatedPages: loads the rules and gazetteer once, then runs processPage
 * on each page it is sent and answers with the record draft or the error.
 */
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

const port = parentPort!;
const { paths } = workerData as { paths: Config['paths'] };
try {
  const deps = await loadPipelineDeps({ paths });
  port.on('message', (request: PageRequest) => {
    let reply: PageReply;
    try {
      const draft = processPage(request.page as RawPage, deps).record;
      // Serialized here too: a large record's JSON would otherwise hold the worker's loop.
      reply = { id: request.id, record: { draft, json: recordJson(draft) } };
    } catch (error) {
      reply = { id: request.id, error: serialize(error) };
    }
    port.postMessage(reply);
  });
  port.postMessage({ ready: true } satisfies PageReply);
} catch (error) {
  port.postMessage({ startFailed: serialize(error) } satisfies PageReply);
}
