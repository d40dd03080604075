import { readdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { z } from 'zod';
import { PermanentError } from '../../errors.js';
import { compileHtmlRules, HtmlRulesFile, SiteProfile, type HtmlRules } from './html-rules.js';

/** Where the general HTML rules live when the caller names no file. */
export const DEFAULT_HTML_RULES = 'config/rules/html.json';

async function readJson<T extends z.ZodType>(file: string, schema: T): Promise<z.infer<T>> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new PermanentError('CONFIG_INVALID', `cannot read ${file}: ${String(error)}`, {
      cause: error,
    });
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    throw new PermanentError('CONFIG_INVALID', `${file}:\n${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

/**
 * Loads config/rules/html.json and every site profile in `sitesDir` (*.json, in name order),
 * validated and compiled. A missing sites folder means no profiles.
 */
export async function loadHtmlRules(paths: {
  sitesDir: string;
  /** @default "config/rules/html.json" */
  htmlRules?: string;
}): Promise<HtmlRules> {
  const file = await readJson(paths.htmlRules ?? DEFAULT_HTML_RULES, HtmlRulesFile);
  let names: string[] = [];
  try {
    names = (await readdir(paths.sitesDir)).filter((name) => name.endsWith('.json')).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const sites = await Promise.all(
    names.map((name) => readJson(path.join(paths.sitesDir, name), SiteProfile)),
  );
  try {
    return compileHtmlRules(file, sites);
  } catch (error) {
    const where = `${paths.htmlRules ?? DEFAULT_HTML_RULES} or ${paths.sitesDir}`;
    throw new PermanentError('CONFIG_INVALID', `${where}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
