import { EXIT } from '../config/exit-status.js';
import type { ErrorCode } from '../error-codes.js';
import { PipelineError } from '../errors.js';
import { RecordsFileError } from '../sinks/jsonl-record-file.js';

/**
 * Awaits what a command needs before it does anything (its seeds folder, rules, gazetteer,
 * records file): one that cannot be used (a PipelineError, with its code, or a
 * RecordsFileError) stops the process with its message, exit status 2, as nothing has been
 * done yet.
 */
export async function beforeWork<T>(step: Promise<T>): Promise<T> {
  try {
    return await step;
  } catch (error) {
    if (error instanceof PipelineError) {
      process.stderr.write(`newsnorm: ${error.message} [${error.code}]\n`);
    } else if (error instanceof RecordsFileError) {
      process.stderr.write(`newsnorm: ${error.message}\n`);
    } else {
      throw error;
    }
    process.exit(EXIT.config);
  }
}

/** One line on stderr for an input that failed: the file, the reason, the code. */
export function reportFailure(path: string, code: ErrorCode, message: string): void {
  process.stderr.write(`newsnorm: ${path}: ${message} [${code}]\n`);
}
