import type { ErrorCode } from '../error-codes.js';

/** The stable code of a job that failed because Redis refused a write. */
export const WRITE_REFUSED_CODE: ErrorCode = 'REDIS_WRITE_REFUSED';

/**
 * Redis's replies when it takes no writes: out of memory under `maxmemory` with noeviction
 * ("OOM command not allowed when used memory > 'maxmemory'"), or a read-only replica
 * ("READONLY You can't write against a read only replica").
 */
const REFUSAL = /\bOOM command not allowed\b|\bREADONLY\b/;

/** Why Redis refused a write, when this error says it did; null for any other error. */
export function writeRefusal(error: unknown): string | null {
  const message = error instanceof Error ? error.message : String(error);
  const match = REFUSAL.exec(message);
  if (!match) return null;
  return match[0].startsWith('OOM') ? 'out of memory (maxmemory)' : 'read-only replica';
}
