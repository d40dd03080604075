import { PipelineError, PermanentError, RetryableError } from '../errors.js';
import { FetchErrorCode } from './fetch-error-codes.js';

/** undici and Node error codes that mean "this took too long". */
const TIMEOUT_CODES = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT',
  'ABORT_ERR',
]);

/** Network failures worth retrying: the peer or the path may be fine a minute later. */
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_DESTROYED',
  'UND_ERR_ABORTED',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

function findPipelineError(error: unknown): PipelineError | null {
  for (let e = error, depth = 0; e && depth < 5; e = (e as Error).cause, depth++) {
    if (e instanceof PipelineError) return e;
  }
  return null;
}

/**
 * Turns whatever a request threw into a PipelineError with a stable code: a PipelineError
 * anywhere in the cause chain wins (an address refused inside the connector), timeouts and
 * network failures are retryable, anything unknown is retryable too so no page is lost to
 * a bug in classification.
 */
export function toFetchError(error: unknown, url: string): PipelineError {
  const known = findPipelineError(error);
  if (known) return known;
  const err = error as NodeJS.ErrnoException & { name?: string };
  const code = err.code ?? '';
  if (TIMEOUT_CODES.has(code) || err.name === 'TimeoutError' || err.name === 'AbortError') {
    return new RetryableError(FetchErrorCode.TIMEOUT, `timed out fetching ${url}: ${err.message}`, {
      cause: error,
    });
  }
  if (NETWORK_CODES.has(code)) {
    return new RetryableError(FetchErrorCode.NETWORK, `${code} fetching ${url}: ${err.message}`, {
      cause: error,
    });
  }
  if (code === 'UND_ERR_HEADERS_OVERFLOW') {
    return new PermanentError(
      FetchErrorCode.HEADERS_TOO_LARGE,
      `response headers from ${url} are larger than fetch.maxHeaderBytes`,
      { cause: error },
    );
  }
  if (code === 'ERR_INVALID_URL' || code === 'UND_ERR_INVALID_ARG') {
    return new PermanentError(FetchErrorCode.URL_INVALID, `${url}: ${err.message}`, {
      cause: error,
    });
  }
  return new RetryableError(
    FetchErrorCode.NETWORK,
    `fetching ${url} failed: ${err.message ?? String(error)}`,
    { cause: error },
  );
}
