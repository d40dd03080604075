/**
 * Fits the text cleaner's article classifier (config/rules/text-model.json) on the plain-text
 * benchmark dumps, and says how well it generalizes: grouped cross-validation, where the w3m
 * and lynx dumps of one page always fall in the same fold, next to the in-sample figure.
 *
 *   npm run fit:text-model [-- --cases ../shared/textbench/cases.jsonl] [--folds 5] [--dry-run]
 *
 * Labels come from the gold bodies: a block is article text when most of its 4-word shingles
 * are in the gold. Deterministic: no random numbers, Newton's method from zero weights.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { format, resolveConfig } from 'prettier';
import {
  blockStats,
  contextFeatures,
  CONTEXT_FEATURES,
  localFeatures,
  LOCAL_FEATURES,
} from '../src/clean/text/block-features.js';
import { cleanText, segmentText } from '../src/clean/text/clean-text.js';
import { predict, readRulesJson, type TextModel } from '../src/clean/text/text-model.js';
import { compileTextRules, type TextRules } from '../src/clean/text/text-rules.js';

const ROOT = join(import.meta.dirname, '..', '..');
const MODEL_PATH = join(ROOT, 'config', 'rules', 'text-model.json');
/** L2 penalty on the weights (not the bias): few features, but pages of one site look alike. */
const L2 = 1;
const NEWTON_STEPS = 30;
/** A block is article text when at least this share of its shingles is in the gold body. */
const LABEL_SHARE = 0.5;
const THRESHOLDS = [0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6];

interface Case {
  id: string;
  renderer: string;
  text: string;
  gold: string;
}

interface Scorer {
  stringShingleMatching(gold: string, predicted: string): [number, number, number];
  metricsFromTpFpFns(rows: Array<[number, number, number]>): {
    f1: number;
    precision: number;
    recall: number;
  };
  ngrams(text: string): string[];
}

function argument(name: string, fallback: string): string {
  const at = process.argv.indexOf(name);
  return at > 0 ? (process.argv[at + 1] ?? fallback) : fallback;
}

/** Solves A x = b by Gaussian elimination with partial pivoting (A is small and symmetric). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[pivot]![c]!)) pivot = r;
    [m[c], m[pivot]] = [m[pivot]!, m[c]!];
    const d = m[c]![c]!;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r]![c]! / d;
      for (let k = c; k <= n; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  return m.map((row, i) => row[n]! / row[i]!);
}

interface Sample {
  x: number[];
  y: number;
  w: number;
}

/** Weighted L2-regularised logistic regression by Newton's method; the bias is the last weight. */
function fitLogistic(samples: Sample[], dims: number): { weights: number[]; bias: number } {
  const beta = new Array<number>(dims + 1).fill(0);
  for (let step = 0; step < NEWTON_STEPS; step++) {
    const grad = new Array<number>(dims + 1).fill(0);
    const hess = Array.from({ length: dims + 1 }, () => new Array<number>(dims + 1).fill(0));
    for (const s of samples) {
      const x = [...s.x, 1];
      let z = 0;
      for (let i = 0; i <= dims; i++) z += beta[i]! * x[i]!;
      const p = 1 / (1 + Math.exp(-z));
      const g = s.w * (s.y - p);
      const h = s.w * p * (1 - p);
      for (let i = 0; i <= dims; i++) {
        grad[i]! += g * x[i]!;
        for (let j = 0; j <= i; j++) hess[i]![j]! += h * x[i]! * x[j]!;
      }
    }
    for (let i = 0; i <= dims; i++) for (let j = 0; j < i; j++) hess[j]![i] = hess[i]![j]!;
    for (let i = 0; i < dims; i++) {
      grad[i]! -= L2 * beta[i]!;
      hess[i]![i]! += L2;
    }
    const delta = solve(hess, grad);
    let change = 0;
    for (let i = 0; i <= dims; i++) {
      beta[i]! += delta[i]!;
      change = Math.max(change, Math.abs(delta[i]!));
    }
    if (change < 1e-7) break;
  }
  return { weights: beta.slice(0, dims), bias: beta[dims]! };
}

interface Prepared {
  c: Case;
  group: string;
  local: number[][];
  stats: ReturnType<typeof blockStats>;
  labels: number[];
  weights: number[];
}

function shingleCounts(scorer: Scorer, text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const s of scorer.ngrams(text)) counts.set(s, (counts.get(s) ?? 0) + 1);
  return counts;
}

function prepare(c: Case, rules: TextRules, scorer: Scorer): Prepared {
  const { blocks } = segmentText(c.text, rules);
  const stats = blockStats(blocks);
  const gold = shingleCounts(scorer, c.gold);
  const labels = blocks.map((b) => {
    const shingles = scorer.ngrams(b.lines.map((l) => l.text).join(' '));
    if (shingles.length === 0) return 0;
    let hits = 0;
    for (const s of shingles) if (gold.has(s)) hits++;
    return hits / shingles.length >= LABEL_SHARE ? 1 : 0;
  });
  // Each page weighs the same in total, and within it a block weighs by its words, as the metric does.
  const mass = stats.reduce((a, s) => a + 1 + s.units, 0);
  return {
    c,
    group: c.id.replace(/-(?:w3m|lynx)$/, ''),
    local: localFeatures(stats, blocks),
    stats,
    labels,
    weights: stats.map((s) => (100 * (1 + s.units)) / mass),
  };
}

/** A model of zero weights with the cleaner's features: a stand-in until one is fitted. */
function unfitted(): TextModel {
  const zero = (names: readonly string[]) => ({
    features: [...names],
    weights: names.map(() => 0),
    bias: 0,
  });
  return {
    version: 1,
    local: zero(LOCAL_FEATURES),
    context: zero(CONTEXT_FEATURES),
    threshold: 0.5,
  };
}

function fitModel(pages: Prepared[]): Omit<TextModel, 'threshold'> {
  const localFit = fitLogistic(
    pages.flatMap((p) => p.local.map((x, i) => ({ x, y: p.labels[i]!, w: p.weights[i]! }))),
    LOCAL_FEATURES.length,
  );
  const contextSamples = pages.flatMap((p) => {
    const probability = p.local.map((x) => predict(localFit.weights, localFit.bias, x));
    return contextFeatures(probability, p.stats).map((x, i) => ({
      x,
      y: p.labels[i]!,
      w: p.weights[i]!,
    }));
  });
  const contextFit = fitLogistic(contextSamples, CONTEXT_FEATURES.length);
  return {
    version: 1,
    local: { features: [...LOCAL_FEATURES], ...localFit },
    context: { features: [...CONTEXT_FEATURES], ...contextFit },
  };
}

interface Figures {
  f1: number;
  precision: number;
  recall: number;
  w3m: number;
  lynx: number;
}

function evaluate(scorer: Scorer, pages: Prepared[], bodies: string[]): Figures {
  const rows = pages.map((p, i) => scorer.stringShingleMatching(p.c.gold, bodies[i]!));
  const all = scorer.metricsFromTpFpFns(rows);
  const by = (renderer: string) =>
    scorer.metricsFromTpFpFns(rows.filter((_, i) => pages[i]!.c.renderer === renderer)).f1;
  return { ...all, w3m: by('w3m'), lynx: by('lynx') };
}

function bodies(pages: Prepared[], rules: TextRules, model: TextModel): string[] {
  const withModel = { ...rules, model };
  return pages.map((p) => cleanText(p.c.text, withModel).body);
}

/** The threshold with the best F1 on the pages the model was fitted on. */
function pickThreshold(
  scorer: Scorer,
  pages: Prepared[],
  rules: TextRules,
  fitted: Omit<TextModel, 'threshold'>,
): number {
  let best = THRESHOLDS[0]!;
  let bestF1 = -1;
  for (const threshold of THRESHOLDS) {
    const { f1 } = evaluate(scorer, pages, bodies(pages, rules, { ...fitted, threshold }));
    if (f1 > bestF1) {
      bestF1 = f1;
      best = threshold;
    }
  }
  return best;
}

const round = (x: number) => Math.round(x * 1000) / 1000;
const show = (f: Figures) =>
  `F1 ${f.f1.toFixed(3)} precision ${f.precision.toFixed(3)} recall ${f.recall.toFixed(3)} (w3m ${f.w3m.toFixed(3)}, lynx ${f.lynx.toFixed(3)})`;

async function main(): Promise<void> {
  const casesPath = resolve(
    argument('--cases', join(ROOT, '..', 'shared', 'textbench', 'cases.jsonl')),
  );
  const scorerPath = resolve(join(casesPath, '..', '..', 'bench', 'score.mjs'));
  if (!existsSync(casesPath) || !existsSync(scorerPath)) {
    console.error(`fit-text-model: needs ${casesPath} and ${scorerPath}`);
    process.exit(2);
  }
  const folds = Number(argument('--folds', '5'));
  const scorer = (await import(pathToFileURL(scorerPath).href)) as Scorer;
  // The rules without the committed model, which may not match the features any more.
  const rulesPath = join(ROOT, 'config', 'rules', 'text.json');
  const rules = compileTextRules(await readRulesJson(rulesPath), rulesPath, unfitted());
  const cases = readFileSync(casesPath, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Case);
  const pages = cases.map((c) => prepare(c, rules, scorer));

  // Folds by page, never by dump: both renderings of a page are seen together or not at all.
  const groups = [...new Set(pages.map((p) => p.group))].sort();
  const foldOf = new Map(groups.map((g, i) => [g, i % folds]));
  const cvBodies = new Array<string>(pages.length).fill('');
  for (let k = 0; k < folds; k++) {
    const train = pages.filter((p) => foldOf.get(p.group) !== k);
    const fitted = fitModel(train);
    const threshold = pickThreshold(scorer, train, rules, fitted);
    const model = { ...fitted, threshold };
    pages.forEach((p, i) => {
      if (foldOf.get(p.group) === k) cvBodies[i] = cleanText(p.c.text, { ...rules, model }).body;
    });
  }
  const cv = evaluate(scorer, pages, cvBodies);

  const fitted = fitModel(pages);
  const threshold = pickThreshold(scorer, pages, rules, fitted);
  const model: TextModel = { ...fitted, threshold };
  const inSample = evaluate(scorer, pages, bodies(pages, rules, model));
  console.log(`pages ${groups.length}, dumps ${pages.length}, threshold ${threshold}`);
  console.log(`in-sample            ${show(inSample)}`);
  console.log(`grouped ${folds}-fold CV   ${show(cv)}`);

  const out: TextModel = {
    ...model,
    local: {
      ...model.local,
      weights: model.local.weights.map(round),
      bias: round(model.local.bias),
    },
    context: {
      ...model.context,
      weights: model.context.weights.map(round),
      bias: round(model.context.bias),
    },
    evaluation: {
      data: 'textbench (w3m and lynx dumps, gold bodies)',
      dumps: pages.length,
      inSampleF1: round(inSample.f1),
      groupedCvF1: round(cv.f1),
      groupedCvRecall: round(cv.recall),
      folds,
    },
  };
  if (process.argv.includes('--dry-run')) return;
  // Written as the repository's formatter would, so a refit leaves `prettier --check` passing.
  const style = (await resolveConfig(MODEL_PATH)) ?? {};
  writeFileSync(MODEL_PATH, await format(JSON.stringify(out), { ...style, parser: 'json' }));
  console.log(`wrote ${MODEL_PATH}`);
}

await main();
