import {
  ERROR_CODES,
  type ErrorCode,
  type PermanentCode,
  type RetryableCode,
} from './error-codes.js';

/**
 * Errors say what the worker must do with a job: a RetryableError is tried again with backoff,
 * a PermanentError fails the job at once. Codes are stable; operators filter on them.
 */
export class PipelineError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Timeouts, 5xx, 429, a connection reset: the same job may succeed later. */
export class RetryableError extends PipelineError {
  declare readonly code: RetryableCode;
  constructor(code: RetryableCode, message: string, options?: ErrorOptions) {
    super(code, message, options);
  }
  /** Earliest time to try again, when the server said so (Retry-After). */
  retryAfterMs: number | undefined;
}

/** Empty, binary, too large, not found, refused by policy: trying again cannot help. */
export class PermanentError extends PipelineError {
  declare readonly code: PermanentCode;
  constructor(code: PermanentCode, message: string, options?: ErrorOptions) {
    super(code, message, options);
  }
}

/**
 * The error a code stands for, of the class its row of ERROR_CODES gives: for a code that
 * crossed a boundary as a string (a thread's answer) and is read back.
 */
export function errorOfCode(
  code: ErrorCode,
  message: string,
  options?: ErrorOptions,
): PipelineError {
  return ERROR_CODES[code].kind === 'retryable'
    ? new RetryableError(code as RetryableCode, message, options)
    : new PermanentError(code as PermanentCode, message, options);
}

export function errorCode(error: unknown): ErrorCode {
  return error instanceof PipelineError ? error.code : 'INTERNAL';
}
