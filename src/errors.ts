/**
 * Errors say what the worker must do with a job: a RetryableError is tried again with backoff,
 * a PermanentError fails the job at once. Codes are stable; operators filter on them.
 */
export class PipelineError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Timeouts, 5xx, 429, a connection reset: the same job may succeed later. */
export class RetryableError extends PipelineError {
  /** Earliest time to try again, when the server said so (Retry-After). */
  retryAfterMs: number | undefined;
}

/** Empty, binary, too large, not found, refused by policy: trying again cannot help. */
export class PermanentError extends PipelineError {}

export function errorCode(error: unknown): string {
  return error instanceof PipelineError ? error.code : 'INTERNAL';
}
