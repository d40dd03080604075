import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export const SHARED = join(import.meta.dirname, '..', '..', '..', 'shared');
export const GOLD_DIR = join(SHARED, 'gold');

export interface GoldSeed {
  seed: string;
  title: string;
  publishedAt: string | null;
  body: string[];
  boilerplate: string[];
  comments: { texts: string[]; spam: string[] };
  tags: string[];
}

export function goldAvailable(): boolean {
  return existsSync(GOLD_DIR);
}

export function readGoldSeeds(): GoldSeed[] {
  return readdirSync(GOLD_DIR)
    .filter((f) => /^\d{3}_.*\.json$/.test(f))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(GOLD_DIR, f), 'utf8')) as GoldSeed);
}

function tokens(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const t of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])
    counts.set(t, (counts.get(t) ?? 0) + 1);
  return counts;
}

/** Token-multiset F1 between a prediction and the gold text. */
export function tokenF1(predicted: string, gold: string): number {
  const p = tokens(predicted);
  const g = tokens(gold);
  let overlap = 0;
  let pn = 0;
  let gn = 0;
  for (const n of p.values()) pn += n;
  for (const n of g.values()) gn += n;
  for (const [t, n] of p) overlap += Math.min(n, g.get(t) ?? 0);
  if (pn === 0 || gn === 0) return pn === gn ? 1 : 0;
  const precision = overlap / pn;
  const recall = overlap / gn;
  return precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
}

/** Titles compared with quote style folded. */
export function foldQuotes(text: string): string {
  return text.replace(/[‘’‛`´]/g, "'").replace(/[“”„]/g, '"');
}
