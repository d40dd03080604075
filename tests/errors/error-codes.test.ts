import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { updatedReadme } from '../../scripts/error-codes-doc.js';
import { ERROR_CODES, isErrorCode } from '../../src/error-codes.js';
import { errorOfCode, PermanentError, RetryableError } from '../../src/errors.js';

const README = join(import.meta.dirname, '..', '..', 'README.md');

describe('the table of error codes', () => {
  test("README's error section is up to date (run `npm run docs:errors` when this fails)", async () => {
    const current = readFileSync(README, 'utf8');
    expect(await updatedReadme(README, current)).toBe(current);
  });

  test('a changed table makes the README stale, and regenerating restores it', async () => {
    const current = readFileSync(README, 'utf8');
    const tampered = current.replace(/(\| `FETCH_UNAVAILABLE` +\| )retryable/, '$1permanent');
    expect(tampered).not.toBe(current);
    expect(await updatedReadme(README, tampered)).toBe(current);
  });

  test('every code has a kind and a one-line meaning, and meanings differ', () => {
    const meanings = new Set<string>();
    for (const [code, { kind, meaning }] of Object.entries(ERROR_CODES)) {
      expect(code).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
      expect(['retryable', 'permanent']).toContain(kind);
      expect(meaning.trim(), code).not.toBe('');
      expect(meaning, code).not.toContain('\n');
      expect(meanings.has(meaning), `${code} repeats another code's meaning`).toBe(false);
      meanings.add(meaning);
    }
  });

  test('an error read back from its code has the class its row gives', () => {
    expect(errorOfCode('FETCH_UNAVAILABLE', 'x')).toBeInstanceOf(RetryableError);
    expect(errorOfCode('FETCH_DISABLED', 'x')).toBeInstanceOf(PermanentError);
    expect(isErrorCode('FETCH_UNAVAILABLE')).toBe(true);
    expect(isErrorCode('toString')).toBe(false);
  });
});
