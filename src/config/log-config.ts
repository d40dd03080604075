import { z } from 'zod';
import type { ConfigSection } from './config-section.js';

export const LogConfig = z.object({
  /** pino level. @default "info" */
  level: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
    .describe('Log level'),
});

export const logSection: ConfigSection<typeof LogConfig> = {
  schema: LogConfig,
  env: { level: 'LOG_LEVEL' },
};
