import type { SinksConfig } from '../config/sinks-config.js';
import { PermanentError } from '../errors.js';
import type { PostgresSettings } from './postgres-pool.js';

/** The pool settings of the configuration; POSTGRES_NOT_CONFIGURED without DATABASE_URL. */
export function postgresSettings(config: SinksConfig): PostgresSettings {
  if (!config.databaseUrl) {
    throw new PermanentError(
      'POSTGRES_NOT_CONFIGURED',
      'DATABASE_URL is not set (postgres://user:password@host:5432/db)',
    );
  }
  return {
    url: config.databaseUrl,
    poolSize: config.postgresPoolSize,
    timeoutMs: config.postgresTimeoutMs,
  };
}
