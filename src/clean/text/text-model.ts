import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { PermanentError } from '../../errors.js';
import {
  blockStats,
  contextFeatures,
  CONTEXT_FEATURES,
  localFeatures,
  LOCAL_FEATURES,
  type BlockStats,
} from './block-features.js';
import type { TextBlock } from './text-blocks.js';

const Logistic = z.object({
  features: z.array(z.string()),
  weights: z.array(z.number()),
  bias: z.number(),
});

/**
 * The article classifier's weights, fitted by `npm run fit:text-model` (scripts/fit-text-model.ts)
 * and loaded from config/rules/: a first pass on each block's own features, a second on what
 * the first pass said of its neighbours and of the page's main run of prose.
 */
export const TextModel = z.object({
  version: z.literal(1),
  local: Logistic,
  context: Logistic,
  /** A block whose second-pass probability reaches this is article text. */
  threshold: z.number().min(0).max(1),
  /** How the model was measured when it was fitted (kept for the reader, not used). */
  evaluation: z.record(z.string(), z.unknown()).optional(),
});
export type TextModel = z.infer<typeof TextModel>;

function checkFeatures(
  part: z.infer<typeof Logistic>,
  names: readonly string[],
  where: string,
): void {
  const same =
    part.features.length === names.length &&
    part.weights.length === names.length &&
    part.features.every((f, i) => f === names[i]);
  if (!same) {
    throw new PermanentError(
      'RULES_INVALID',
      `${where}: features [${part.features.join(', ')}] do not match the cleaner's [${names.join(', ')}]; refit with npm run fit:text-model`,
    );
  }
}

export function compileTextModel(json: unknown, origin: string): TextModel {
  const parsed = TextModel.safeParse(json);
  if (!parsed.success) {
    throw new PermanentError(
      'RULES_INVALID',
      `${origin}: invalid text model\n${z.prettifyError(parsed.error)}`,
    );
  }
  checkFeatures(parsed.data.local, LOCAL_FEATURES, `${origin}: local`);
  checkFeatures(parsed.data.context, CONTEXT_FEATURES, `${origin}: context`);
  return parsed.data;
}

/** A rules or model file's JSON; an unreadable or malformed file is a RULES_UNREADABLE error. */
export async function readRulesJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as unknown;
  } catch (cause) {
    throw new PermanentError('RULES_UNREADABLE', `${path}: ${(cause as Error).message}`, { cause });
  }
}

export async function loadTextModel(path: string): Promise<TextModel> {
  return compileTextModel(await readRulesJson(path), path);
}

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

export function predict(weights: readonly number[], bias: number, x: readonly number[]): number {
  let z = bias;
  for (let i = 0; i < weights.length; i++) z += weights[i]! * x[i]!;
  return sigmoid(z);
}

export interface BlockVerdicts {
  stats: BlockStats[];
  /** First pass: the block on its own. */
  local: number[];
  /** Second pass: the block among its neighbours; compare with the model's threshold. */
  probability: number[];
}

/** Scores every block of a page: how likely it is article text. */
export function scoreBlocks(
  blocks: TextBlock[],
  model: Pick<TextModel, 'local' | 'context'>,
): BlockVerdicts {
  const stats = blockStats(blocks);
  const local = localFeatures(stats, blocks).map((x) =>
    predict(model.local.weights, model.local.bias, x),
  );
  const probability = contextFeatures(local, stats).map((x) =>
    predict(model.context.weights, model.context.bias, x),
  );
  return { stats, local, probability };
}
