import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, test } from 'vitest';
import { ROOT } from '../helpers/cli.js';

/** Lints `text` as if it were the file at `path`, with the repository's ESLint config. */
async function ruleIdsFor(path: string, text: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: ROOT });
  const [result] = await eslint.lintText(text, { filePath: join(ROOT, path) });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe('the import rules of eslint.config.js', { timeout: 120_000 }, () => {
  test('refuse an import from a higher layer', async () => {
    const ids = await ruleIdsFor(
      'src/record/layer-probe.ts',
      "import { buildProgram } from '../cli/main.js';\nexport const probe = buildProgram;\n",
    );
    expect(ids).toContain('import-x/no-restricted-paths');
  });

  test('refuse an import from another folder of the same layer', async () => {
    const ids = await ruleIdsFor(
      'src/clean/layer-probe.ts',
      "import { fetchPage } from '../fetch/fetch-page.js';\nexport const probe = fetchPage;\n",
    );
    expect(ids).toContain('import-x/no-restricted-paths');
  });

  test('refuse an import cycle', async () => {
    // fetch-page.ts imports read-body.ts: read-body importing fetch-page closes a cycle.
    const ids = await ruleIdsFor(
      'src/fetch/read-body.ts',
      "import { fetchPage } from './fetch-page.js';\nexport const probe = fetchPage;\n",
    );
    expect(ids).toContain('import-x/no-cycle');
  });

  test('accept an import from a lower layer', async () => {
    const ids = await ruleIdsFor(
      'src/pipeline/layer-probe.ts',
      "import { recordId } from '../record/record-id.js';\nexport const probe = recordId;\n",
    );
    expect(ids).toEqual([]);
  });
});
