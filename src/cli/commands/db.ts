import type { Command } from 'commander';
import type { Pool } from 'pg';
import { EXIT } from '../../config/exit-status.js';
import type { SchemaStatus } from '../../sinks/postgres-migrations.js';

/** What the `db` subcommands use, loaded when one runs. */
async function databaseModules() {
  const [config, configFor, migrations, pool, settings] = await Promise.all([
    import('../../config/config.js'),
    import('../../config/config-for.js'),
    import('../../sinks/postgres-migrations.js'),
    import('../../sinks/postgres-pool.js'),
    import('../../sinks/postgres-settings.js'),
  ]);
  return { ...config, ...configFor, ...migrations, ...pool, ...settings };
}
type DatabaseModules = Awaited<ReturnType<typeof databaseModules>>;

export function registerDbCommand(program: Command): void {
  const db = program
    .command('db')
    .description(
      'The PostgreSQL database of the postgres sink (DATABASE_URL): apply the schema migrations ' +
        'shipped in migrations/, or say where the schema stands.',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  DATABASE_URL=postgres://newsnorm:secret@127.0.0.1:5432/newsnorm newsnorm db migrate\n' +
        '  newsnorm db status\n',
    );
  db.command('migrate')
    .description(
      'Apply the migrations the database lacks, in order, each in its own transaction (safe to ' +
        'run again, and from several machines at once). Workers and runs with the postgres sink ' +
        'refuse to start until it has been run.',
    )
    .addHelpText(
      'after',
      '\nExample:\n  $ newsnorm db migrate\n  applied 0001_records.sql (41 ms)\n' +
        '  postgres://newsnorm:***@127.0.0.1:5432/newsnorm: schema at version 1, current\n\n' +
        'Exit status: 0 when the schema is current, 1 when the database cannot be reached or a\n' +
        'migration failed (nothing of that migration is applied), 2 without DATABASE_URL.',
    )
    .action(() =>
      withDatabase('migrate', async (pool, url, m) => {
        const status = await m.migrate(pool, undefined, (migration, ms) =>
          process.stdout.write(`applied ${m.fileName(migration)} (${ms.toFixed(0)} ms)\n`),
        );
        process.stdout.write(`${describeStatus(url, status, m)}\n`);
        return EXIT.ok;
      }),
    );
  db.command('status')
    .description('Print the schema version of the database and the migrations it lacks.')
    .addHelpText(
      'after',
      '\nExample:\n  $ newsnorm db status\n' +
        '  postgres://newsnorm:***@127.0.0.1:5432/newsnorm: schema at version 0, 1 migration pending (0001_records.sql): run `newsnorm db migrate`\n\n' +
        'Exit status: 0 when the schema is current, 1 when migrations are pending or the\n' +
        'database cannot be reached, 2 without DATABASE_URL.',
    )
    .action(() =>
      withDatabase('status', async (pool, url, m) => {
        const status = await m.schemaStatus(pool);
        process.stdout.write(`${describeStatus(url, status, m)}\n`);
        return status.pending.length === 0 ? EXIT.ok : EXIT.partial;
      }),
    );
}

function describeStatus(url: string, status: SchemaStatus, m: DatabaseModules): string {
  const where = `${m.redactUrl(url)}: schema at version ${status.version}`;
  if (status.pending.length === 0) return `${where}, current`;
  const n = status.pending.length;
  return (
    `${where}, ${n} migration${n > 1 ? 's' : ''} pending ` +
    `(${status.pending.map(m.fileName).join(', ')}): run \`newsnorm db migrate\``
  );
}

/**
 * Runs a `db` subcommand with a one-connection pool, always closed; any failure is one line
 * `newsnorm db <command>: <reason> [CODE]` with exit status 1 (2 without DATABASE_URL).
 */
async function withDatabase(
  command: string,
  fn: (pool: Pool, url: string, m: DatabaseModules) => Promise<number>,
): Promise<void> {
  const m = await databaseModules();
  const config = m.configFor();
  let settings;
  try {
    settings = m.postgresSettings(config.sinks);
  } catch (error) {
    process.stderr.write(`newsnorm db ${command}: ${(error as Error).message}\n`);
    process.exit(EXIT.config);
  }
  const pool = m.createPostgresPool({ ...settings, poolSize: 1, statementTimeoutMs: 0 });
  try {
    process.exitCode = await fn(pool, settings.url, m);
  } catch (error) {
    const failure = m.postgresError(error, settings.url);
    const reason = m.scrubPassword(failure.message, settings.url);
    process.stderr.write(`newsnorm db ${command}: ${reason} [${failure.code}]\n`);
    process.exitCode = EXIT.partial;
  } finally {
    await pool.end().catch(() => {});
  }
}
