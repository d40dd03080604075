import pg from 'pg';
import { redactUrl } from '../config/config.js';
import { PermanentError, PipelineError, RetryableError } from '../errors.js';
import { scrubSecrets, urlPasswords } from '../ops/redact-secrets.js';

/** What a connection pool to newsnorm's database needs from the configuration. */
export interface PostgresSettings {
  /** `postgres://user:password@host:5432/db` */
  url: string;
  /** Connections kept at most. */
  poolSize: number;
  /** Time allowed to get a connection, and for one statement. */
  timeoutMs: number;
  /**
   * Time allowed for one statement when it is not `timeoutMs`; 0 for none (migrations, which
   * may build an index over millions of rows).
   */
  statementTimeoutMs?: number;
}

/** A pooled connection unused this long is closed; the next write opens one again. */
const IDLE_CONNECTION_MS = 30_000;

/**
 * A node-postgres pool. `onError` hears about connections that fail while idle (the server
 * restarted, the network dropped): the pool drops them and connects anew when asked, so such
 * an error is news for the log, not a crash.
 */
export function createPostgresPool(
  settings: PostgresSettings,
  onError: (error: PipelineError) => void = () => {},
): pg.Pool {
  const statementMs = settings.statementTimeoutMs ?? settings.timeoutMs;
  const pool = new pg.Pool({
    connectionString: settings.url,
    max: settings.poolSize,
    connectionTimeoutMillis: settings.timeoutMs,
    idleTimeoutMillis: IDLE_CONNECTION_MS,
    ...(statementMs > 0
      ? {
          statement_timeout: statementMs,
          // The server's own timeout ends a statement; this one also ends a wait on a dead socket.
          query_timeout: statementMs + 1000,
        }
      : {}),
    keepAlive: true,
    application_name: 'newsnorm',
  });
  pool.on('error', (error) => onError(postgresError(error, settings.url)));
  return pool;
}

/** SQLSTATE classes of errors in the data itself: the same record would fail again. */
const DATA_ERROR_CLASSES = new Set(['22', '54']);
/** SQLSTATE classes of a server that is going away or cannot take work now. */
const UNAVAILABLE_CLASSES = new Set(['08', '53', '57']);

/**
 * A PipelineError for what node-postgres threw, saying what the job must do: the database
 * unreachable or going away is SINK_POSTGRES_UNAVAILABLE, a statement it refused (permissions,
 * read-only, a missing table) SINK_POSTGRES_REFUSED, both retryable; a record whose data it
 * cannot store (SQLSTATE classes 22, 54) is SINK_POSTGRES_REJECTED, permanent. The message
 * names the database with its password replaced, and never carries the password itself.
 */
export function postgresError(error: unknown, url: string): PipelineError {
  if (error instanceof PipelineError) return error;
  const err = error as Error & { code?: string };
  const where = redactUrl(url);
  const reason = scrubPassword(err.message || String(error), url);
  const sqlState = typeof err.code === 'string' && /^[0-9A-Z]{5}$/.test(err.code) ? err.code : null;
  if (sqlState === null || UNAVAILABLE_CLASSES.has(sqlState.slice(0, 2))) {
    return new RetryableError(
      'SINK_POSTGRES_UNAVAILABLE',
      `PostgreSQL at ${where} unavailable: ${reason}`,
      { cause: error },
    );
  }
  if (DATA_ERROR_CLASSES.has(sqlState.slice(0, 2))) {
    return new PermanentError(
      'SINK_POSTGRES_REJECTED',
      `PostgreSQL at ${where} cannot store this record: ${reason} (SQLSTATE ${sqlState})`,
      { cause: error },
    );
  }
  return new RetryableError(
    'SINK_POSTGRES_REFUSED',
    `PostgreSQL at ${where} refused the write: ${reason} (SQLSTATE ${sqlState})`,
    { cause: error },
  );
}

/** The database URL's password (as written and decoded) replaced wherever it appears. */
export function scrubPassword(text: string, url: string): string {
  return scrubSecrets(text, urlPasswords(url));
}
