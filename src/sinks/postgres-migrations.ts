import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type pg from 'pg';
import { PermanentError } from '../errors.js';
import { PACKAGE_ROOT } from '../version.js';

/** One numbered SQL file of `migrations/`: `0001_records.sql` is version 1, named "records". */
export interface Migration {
  version: number;
  name: string;
  sql: string;
  /** sha256 of the file, kept when applied: a file changed afterwards is refused. */
  checksum: string;
}

/** The folder of the project's migrations, shipped with the package. */
export const MIGRATIONS_DIR = join(PACKAGE_ROOT, 'migrations');

/** Table where the database keeps which migrations it has had. */
const MIGRATIONS_TABLE = 'newsnorm_migrations';

/**
 * Key of the advisory lock held while migrating: two `db migrate` run at once (two deploys)
 * apply each migration once, one after the other.
 */
const MIGRATION_LOCK_KEY = 0x6e65_7773; // "news"

const MIGRATION_FILE = /^(\d{4})_([a-z0-9_]+)\.sql$/;

/** The migrations in a folder, by version; files not named like `0001_name.sql` are refused. */
export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  const migrations = readdirSync(dir)
    .filter((name) => name.endsWith('.sql'))
    .sort()
    .map((file) => {
      const match = MIGRATION_FILE.exec(file);
      if (!match) {
        throw new PermanentError(
          'POSTGRES_MIGRATION_INVALID',
          `${join(dir, file)}: a migration is named like 0002_what_it_does.sql`,
        );
      }
      const sql = readFileSync(join(dir, file), 'utf8');
      return {
        version: Number(match[1]),
        name: match[2]!,
        sql,
        checksum: createHash('sha256').update(sql).digest('hex'),
      };
    });
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new PermanentError(
        'POSTGRES_MIGRATION_INVALID',
        `${dir}: migration ${m.version} follows ${i}: versions go 1, 2, 3… with no gap or repeat`,
      );
    }
  });
  return migrations;
}

/** Where the database's schema stands against the migrations this newsnorm has. */
export interface SchemaStatus {
  /** The highest migration the database has had; 0 for a database never migrated. */
  version: number;
  /** The highest migration this newsnorm has. */
  latest: number;
  /** Migrations not applied yet, in order. */
  pending: Migration[];
}

interface AppliedRow {
  version: number;
  name: string;
  checksum: string;
}

async function appliedMigrations(client: pg.Pool | pg.PoolClient): Promise<AppliedRow[]> {
  const exists = await client.query<{ exists: boolean }>(
    'SELECT to_regclass($1) IS NOT NULL AS exists',
    [MIGRATIONS_TABLE],
  );
  if (!exists.rows[0]?.exists) return [];
  const applied = await client.query<AppliedRow>(
    `SELECT version, name, checksum FROM ${MIGRATIONS_TABLE} ORDER BY version`,
  );
  return applied.rows;
}

/**
 * The database's schema version and the migrations it lacks. A migration applied with other
 * content than this newsnorm's file (edited after it ran) is refused: the schema is not what
 * the code expects.
 */
export async function schemaStatus(
  client: pg.Pool | pg.PoolClient,
  migrations: Migration[] = loadMigrations(),
): Promise<SchemaStatus> {
  const applied = await appliedMigrations(client);
  for (const row of applied) {
    const ours = migrations.find((m) => m.version === row.version);
    if (ours && ours.checksum !== row.checksum) {
      throw new PermanentError(
        'POSTGRES_MIGRATION_CHANGED',
        `migration ${row.version} (${row.name}) was applied with other content than ` +
          `migrations/${fileName(ours)}: a migration must never change once applied; ` +
          'put the change in a new numbered file',
      );
    }
  }
  const version = applied.at(-1)?.version ?? 0;
  return {
    version,
    latest: migrations.length,
    pending: migrations.filter((m) => m.version > version),
  };
}

/**
 * Throws POSTGRES_SCHEMA_BEHIND unless the database has every migration this newsnorm has:
 * a worker or run must not write records into tables that lack what the code writes. A newer
 * schema (migrated for a newer newsnorm) is fine: migrations only add.
 */
export async function assertSchemaCurrent(
  client: pg.Pool | pg.PoolClient,
  migrations: Migration[] = loadMigrations(),
): Promise<SchemaStatus> {
  const status = await schemaStatus(client, migrations);
  if (status.pending.length > 0) {
    throw new PermanentError(
      'POSTGRES_SCHEMA_BEHIND',
      `the database schema is at version ${status.version}, this newsnorm needs ${status.latest}` +
        ` (${status.pending.map(fileName).join(', ')} not applied): run \`newsnorm db migrate\` first`,
    );
  }
  return status;
}

/**
 * Applies the pending migrations in order, each in its own transaction with its row in the
 * migrations table, under an advisory lock. Calls `onApplied` after each one.
 */
export async function migrate(
  pool: pg.Pool,
  migrations: Migration[] = loadMigrations(),
  onApplied: (migration: Migration, ms: number) => void = () => {},
): Promise<SchemaStatus> {
  const client = await pool.connect();
  // A connection lost mid-migration fails the statement under way, which says so; unheard,
  // the client's own error event would end the process instead.
  client.on('error', () => {});
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (
           version    integer PRIMARY KEY,
           name       text NOT NULL,
           checksum   text NOT NULL,
           applied_at timestamptz NOT NULL DEFAULT now()
         )`,
      );
      // Read under the lock: another migrator may just have applied some.
      const { pending } = await schemaStatus(client, migrations);
      for (const migration of pending) {
        const started = performance.now();
        await client.query('BEGIN');
        try {
          await client.query(migration.sql);
          await client.query(
            `INSERT INTO ${MIGRATIONS_TABLE} (version, name, checksum) VALUES ($1, $2, $3)`,
            [migration.version, migration.name, migration.checksum],
          );
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK').catch(() => {});
          throw new MigrationError(migration, error);
        }
        onApplied(migration, performance.now() - started);
      }
      return await schemaStatus(client, migrations);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => {});
    }
  } finally {
    client.release();
  }
}

/** A migration's SQL failed; nothing of it was applied (its transaction rolled back). */
export class MigrationError extends PermanentError {
  constructor(
    readonly migration: Migration,
    cause: unknown,
  ) {
    super(
      'POSTGRES_MIGRATION_FAILED',
      `migration ${fileName(migration)} failed, nothing of it applied: ${(cause as Error).message}`,
      { cause },
    );
  }
}

export function fileName(m: Pick<Migration, 'version' | 'name'>): string {
  return `${String(m.version).padStart(4, '0')}_${m.name}.sql`;
}
