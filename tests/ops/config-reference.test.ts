import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  renderConfigReference,
  updatedOperationsDoc,
  withConfigReference,
} from '../../scripts/config-reference.js';
import { SECTIONS } from '../../src/config/config.js';

const DOC = join(import.meta.dirname, '..', '..', 'docs', 'OPERATIONS.md');

describe('configuration reference in docs/OPERATIONS.md', () => {
  test('is up to date with the zod schemas (run `npm run docs:config` when this fails)', async () => {
    const current = readFileSync(DOC, 'utf8');
    expect(await updatedOperationsDoc(DOC, current)).toBe(current);
  });

  test('names every setting of every section with its variable and a description', () => {
    const reference = renderConfigReference();
    for (const [name, section] of Object.entries(SECTIONS)) {
      for (const field of Object.keys(section.schema.shape)) {
        const row = reference.split('\n').find((l) => l.startsWith(`| \`${name}.${field}\` |`));
        expect(row, `${name}.${field}`).toBeDefined();
        const cells = row!.split(' | ');
        const variable = (section.env as Record<string, string | undefined>)[field];
        if (variable) expect(cells[1]).toBe(`\`${variable}\``);
        expect(cells[4]!.replace(/\s*\|$/, ''), `${name}.${field} has no .describe()`).not.toBe('');
      }
    }
  });

  test('a changed schema makes the document stale', () => {
    const current = readFileSync(DOC, 'utf8');
    const tampered = current.replace('`NEWSNORM_OPS_PORT`', '`NEWSNORM_OLD_PORT`');
    expect(tampered).not.toBe(current);
    expect(withConfigReference(tampered)).not.toBe(tampered);
  });
});
