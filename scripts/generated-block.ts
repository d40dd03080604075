import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { format, resolveConfig } from 'prettier';

/** The lines that enclose a generated part of a document. */
export interface GeneratedBlock {
  begin: string;
  end: string;
}

/** Replaces the generated part of a document, between the block's two lines, with `body`. */
export function withGeneratedBlock(doc: string, block: GeneratedBlock, body: string): string {
  const begin = doc.indexOf(block.begin);
  const end = doc.indexOf(block.end);
  if (begin === -1 || end < begin) {
    throw new Error(`the document has no "${block.begin}" … "${block.end}" block`);
  }
  return `${doc.slice(0, begin)}${block.begin}\n\n${body}\n\n${doc.slice(end)}`;
}

/**
 * A document as the repository's Prettier formats it, so that `prettier --check` and the
 * staleness tests agree.
 */
export async function formattedAs(file: string, doc: string): Promise<string> {
  const options = (await resolveConfig(file)) ?? {};
  return format(doc, { ...options, filepath: file });
}

/**
 * `node dist/scripts/X.js [--check] [FILE]`: rewrites a document's generated part, or with
 * --check exits 1 when it is stale.
 */
export async function regenerate(
  argv: string[],
  defaultFile: string,
  update: (file: string, current: string) => Promise<string>,
  command: string,
): Promise<number> {
  const check = argv.includes('--check');
  const file = resolve(argv.find((a) => !a.startsWith('--')) ?? defaultFile);
  const current = readFileSync(file, 'utf8');
  const next = await update(file, current);
  if (check) {
    if (next === current) return 0;
    process.stderr.write(`${file}: generated part is stale; run ${command}\n`);
    return 1;
  }
  if (next !== current) writeFileSync(file, next);
  process.stdout.write(`${next === current ? 'unchanged' : 'wrote'} ${file}\n`);
  return 0;
}
