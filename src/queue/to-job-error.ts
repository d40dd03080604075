import { UnrecoverableError } from 'bullmq';
import { PermanentError, errorCode } from '../errors.js';
import { WRITE_REFUSED_CODE, writeRefusal } from '../ops/write-refusal.js';

/**
 * The one place pipeline errors become BullMQ outcomes: a PermanentError fails the job at once
 * (UnrecoverableError, no retry), anything else is rethrown so attempts and backoff apply. The
 * message starts with the stable code, so `newsnorm failed` shows it.
 */
export function toJobError(error: unknown): Error {
  if (error instanceof PermanentError) {
    return new UnrecoverableError(`${error.code}: ${error.message}`);
  }
  if (error instanceof Error) {
    // Redis taking no writes is no fault of the job: the workers re-queue these once it does.
    const code = writeRefusal(error) !== null ? WRITE_REFUSED_CODE : errorCode(error);
    error.message = `${code}: ${error.message}`;
    return error;
  }
  return new Error(`INTERNAL: ${String(error)}`);
}
