import type { PipelineError } from '../../src/errors.js';

/** The error `promise` rejects with; fails the test when it resolves instead. */
export async function failure(promise: Promise<unknown>): Promise<PipelineError> {
  try {
    await promise;
  } catch (error) {
    return error as PipelineError;
  }
  throw new Error('expected a failure, but it succeeded');
}
