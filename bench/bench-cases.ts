import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

/** Where the shared benchmark lives, relative to the repository root. */
export const BENCH_DIR = '../shared/bench';

/** One benchmark page: the captured HTML and the article body a person marked. */
export interface BenchCase {
  id: string;
  url: string;
  html: string;
  gold: string;
}

/** Corpus figures, as the benchmark's evaluate.py computes them. */
export interface BenchScore {
  f1: number;
  precision: number;
  recall: number;
  /** Pages whose prediction holds no word at all. */
  empty: number;
  pages: number;
}

type ShingleCounts = [number, number, number];

interface Scorer {
  tokenize(text: string): string[];
  stringShingleMatching(gold: string, predicted: string): ShingleCounts;
  metricsFromTpFpFns(rows: ShingleCounts[]): { f1: number; precision: number; recall: number };
  fmt(value: number, digits?: number): string;
}

/** The cases file and scorer, or null when the shared benchmark is not on this machine. */
export function benchPaths(root = process.cwd()): { cases: string; scorer: string } | null {
  const dir = path.resolve(root, BENCH_DIR);
  const cases = path.join(dir, 'cases.jsonl');
  const scorer = path.join(dir, 'score.mjs');
  return existsSync(cases) && existsSync(scorer) ? { cases, scorer } : null;
}

export async function readCases(file: string): Promise<BenchCase[]> {
  const text = await readFile(file, 'utf8');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as BenchCase);
}

/** Loads the benchmark's own scorer (score.mjs), so figures match its CLI exactly. */
export async function loadScorer(file: string): Promise<Scorer> {
  return (await import(pathToFileURL(file).href)) as Scorer;
}

/** Per-page shingle figures, for finding the pages that cost the most. */
export interface PageScore {
  id: string;
  url: string;
  precision: number;
  recall: number;
}

/** Scores predictions (by case id) with score.mjs's metric; missing ones count as empty. */
export function scorePredictions(
  scorer: Scorer,
  cases: readonly BenchCase[],
  predictions: ReadonlyMap<string, string>,
): { score: BenchScore; pages: PageScore[] } {
  const rows: ShingleCounts[] = [];
  const pages: PageScore[] = [];
  let empty = 0;
  for (const c of cases) {
    const text = predictions.get(c.id) ?? '';
    if (scorer.tokenize(text).length === 0) empty++;
    const row = scorer.stringShingleMatching(c.gold, text);
    rows.push(row);
    const [tp, fp, fn] = row;
    pages.push({
      id: c.id,
      url: c.url,
      precision: tp + fp > 0 ? tp / (tp + fp) : 0,
      recall: tp + fn > 0 ? tp / (tp + fn) : 0,
    });
  }
  const metrics = scorer.metricsFromTpFpFns(rows);
  return { score: { ...metrics, empty, pages: cases.length }, pages };
}
