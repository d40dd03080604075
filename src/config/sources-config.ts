import { z } from 'zod';
import { envList, type ConfigSection } from './config-section.js';

export const SourcesConfig = z.object({
  /**
   * Folders a schedule job may read seed pages and URL lists from, besides `paths.seedsDir`
   * and `config/`: a job names its folder or file in Redis, and Redis is no authority on which
   * local files a worker reads. @default []
   */
  localDirs: envList(z.string().min(1))
    .default([])
    .describe('Folders schedule jobs may read seeds and URL lists from (besides seeds/, config/)'),
});
export type SourcesConfig = z.infer<typeof SourcesConfig>;

export const sourcesSection: ConfigSection<typeof SourcesConfig> = {
  schema: SourcesConfig,
  env: { localDirs: 'NEWSNORM_SOURCE_DIRS' },
};
