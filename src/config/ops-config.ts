import { isIP } from 'node:net';
import { z } from 'zod';
import { envBoolean, type ConfigSection } from './config-section.js';

export const OpsConfig = z.object({
  /**
   * Port of the worker's operations server (`/metrics`, `/healthz`, `/readyz`); 0 turns it
   * off. Give each worker process on one machine its own port. @default 0
   */
  port: z.coerce
    .number()
    .int()
    .min(0)
    .max(65_535)
    .default(0)
    .describe('Port of the worker operations server (/metrics, /healthz, /readyz); 0 = off'),
  /** Address the operations server binds; loopback unless a scraper on another host needs it. @default "127.0.0.1" */
  host: z
    .string()
    .refine((v) => v === 'localhost' || isIP(v) !== 0, 'an IP address to bind, or localhost')
    .default('127.0.0.1')
    .describe('Address the operations server binds (loopback by default)'),
  /** A Redis PING slower than this makes `/readyz` answer 503. @default 1000 */
  readyTimeoutMs: z.coerce
    .number()
    .int()
    .min(10)
    .default(1000)
    .describe('Redis PING deadline for /readyz; slower means unready'),
  /** Serves the bull-board queue dashboard under `/dashboard` (when the package is installed). @default false */
  dashboard: envBoolean
    .default(false)
    .describe('Serve the bull-board queue dashboard at /dashboard on the operations server'),
});
export type OpsConfig = z.infer<typeof OpsConfig>;

export const opsSection: ConfigSection<typeof OpsConfig> = {
  schema: OpsConfig,
  env: {
    port: 'NEWSNORM_OPS_PORT',
    host: 'NEWSNORM_OPS_HOST',
    readyTimeoutMs: 'NEWSNORM_READY_TIMEOUT_MS',
    dashboard: 'NEWSNORM_DASHBOARD',
  },
};
