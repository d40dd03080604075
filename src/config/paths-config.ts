import { z } from 'zod';
import type { ConfigSection } from './config-section.js';

export const PathsConfig = z.object({
  /** Seed pages read by `newsnorm run`. @default "seeds" */
  seedsDir: z.string().default('seeds').describe('Seed pages read by `newsnorm run`'),
  /** JSONL file the in-process driver writes. @default "out/records.jsonl" */
  outFile: z.string().default('out/records.jsonl').describe('JSONL records file'),
  /** Raw page store, addressed by source and content. @default "data/raw" */
  rawDir: z
    .string()
    .default('data/raw')
    .describe('Raw page store (addressed by source and content)'),
  /** Entity gazetteer. @default "config/gazetteer.json" */
  gazetteer: z.string().default('config/gazetteer.json').describe('Entity gazetteer file'),
  /** Cleaning rules for text pages. @default "config/rules/text.json" */
  textRules: z.string().default('config/rules/text.json').describe('Cleaning rules for text pages'),
  /** Site profiles for HTML pages. @default "config/sites" */
  sitesDir: z.string().default('config/sites').describe('Site profiles for HTML pages'),
});

export const pathsSection: ConfigSection<typeof PathsConfig> = {
  schema: PathsConfig,
  env: {
    seedsDir: 'NEWSNORM_SEEDS_DIR',
    outFile: 'NEWSNORM_OUT_FILE',
    rawDir: 'NEWSNORM_RAW_DIR',
    gazetteer: 'NEWSNORM_GAZETTEER',
    textRules: 'NEWSNORM_TEXT_RULES',
    sitesDir: 'NEWSNORM_SITES_DIR',
  },
};
