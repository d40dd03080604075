import { loadHtmlRules } from '../clean/html/clean-html.js';
import { loadTextRules } from '../clean/text/text-rules.js';
import type { Config } from '../config/config.js';
import { createNameMatcher } from '../normalize/create-name-matcher.js';
import { loadGazetteer } from '../normalize/gazetteer.js';
import { PIPELINE_VERSION } from '../version.js';
import type { PipelineDeps } from './process-page.js';

/** Loads rules, site profiles and the gazetteer named by the config, once per process. */
export async function loadPipelineDeps(config: Pick<Config, 'paths'>): Promise<PipelineDeps> {
  const [textRules, htmlRules, gazetteer] = await Promise.all([
    loadTextRules(config.paths.textRules),
    loadHtmlRules({ sitesDir: config.paths.sitesDir }),
    loadGazetteer(config.paths.gazetteer),
  ]);
  return {
    textRules,
    htmlRules,
    matcher: createNameMatcher(gazetteer),
    pipelineVersion: PIPELINE_VERSION,
    now: () => new Date(),
  };
}
