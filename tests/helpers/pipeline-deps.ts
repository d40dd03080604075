import { join } from 'node:path';
import { loadConfig } from '../../src/config/config.js';
import { loadPipelineDeps } from '../../src/pipeline/load-pipeline-deps.js';
import type { PipelineDeps } from '../../src/pipeline/process-page.js';
import { ROOT } from './cli.js';

/** The default configuration's rules and gazetteer, read from the repository whatever the cwd. */
export async function loadRepoPipelineDeps(): Promise<PipelineDeps> {
  const config = loadConfig({ env: {}, file: null });
  return loadPipelineDeps({
    paths: {
      ...config.paths,
      textRules: join(ROOT, config.paths.textRules),
      gazetteer: join(ROOT, config.paths.gazetteer),
      sitesDir: join(ROOT, config.paths.sitesDir),
    },
  });
}
