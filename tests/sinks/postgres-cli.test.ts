import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ROOT, runCli } from '../helpers/cli.js';
import {
  postgresTestsEnabled,
  startPostgres,
  tableSnapshot,
  type TestPostgres,
} from '../helpers/postgres-server.js';
import { readRecords } from '../helpers/records.js';
import { cliBuilt } from '../queue/queue-test-helpers.js';

describe.skipIf(!postgresTestsEnabled() || !cliBuilt())(
  'newsnorm run, reprocess and db with the postgres sink',
  () => {
    let server: TestPostgres;
    let dir: string;
    let env: Record<string, string>;
    beforeAll(async () => {
      server = await startPostgres();
      dir = mkdtempSync(join(tmpdir(), 'newsnorm-pg-cli-'));
      env = {
        DATABASE_URL: server.url,
        NEWSNORM_SINKS: 'postgres',
        NEWSNORM_RAW_DIR: join(dir, 'raw'),
        LOG_LEVEL: 'warn',
      };
    });
    afterAll(async () => {
      await server?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });
    const out = () => join(dir, 'records.jsonl');
    const run = (seeds: string) => runCli(['run', '--seeds', seeds, '--out', out()], { env });

    test('run refuses a database whose schema is behind, and says what to run', () => {
      const result = run(join(ROOT, 'seeds'));
      expect(result.status).toBe(2);
      expect(result.stderr).toContain('[POSTGRES_SCHEMA_BEHIND]');
      expect(result.stderr).toContain('newsnorm db migrate');
      expect(result.stderr).not.toContain(server.password);
      const status = runCli(['db', 'status'], { env });
      expect(status.status).toBe(1);
      expect(status.stdout).toMatch(
        /schema at version 0, 1 migration pending \(0001_records\.sql\)/,
      );
      expect(status.stdout).toContain('newsnorm:***@127.0.0.1');
      expect(status.stdout).not.toContain(server.password);
    });

    test('db migrate applies the schema once; again it has nothing to do', () => {
      const first = runCli(['db', 'migrate'], { env });
      expect(first.status).toBe(0);
      expect(first.stdout).toMatch(/^applied 0001_records\.sql \(\d+ ms\)$/m);
      expect(first.stdout).toMatch(/schema at version 1, current$/m);
      const again = runCli(['db', 'migrate'], { env });
      expect(again.status).toBe(0);
      expect(again.stdout).not.toContain('applied');
      expect(runCli(['db', 'status'], { env }).status).toBe(0);
    });

    test('run on the seeds: one row per record, equal in (id, content_hash) to the records file; again: nothing changes', async () => {
      const seeds = join(ROOT, 'seeds');
      const first = run(seeds);
      expect(first.status, first.stderr).toBe(0);
      expect(first.stderr).toMatch(/→ .*records\.jsonl \+ postgres/);
      const fileRecords = readRecords(out());
      expect(fileRecords).toHaveLength(readdirSync(seeds).length);
      const before = await tableSnapshot(server);
      expect(before.records.map((r) => [r.id, r.content_hash])).toEqual(
        fileRecords.map((r) => [r.id, r.contentHash]).sort((a, b) => (a[0]! < b[0]! ? -1 : 1)),
      );
      expect(before.revisions).toHaveLength(fileRecords.length);

      const second = run(seeds);
      expect(second.status, second.stderr).toBe(0);
      expect(second.stderr).toContain(`0 new, 0 revised, ${fileRecords.length} unchanged`);
      expect(await tableSnapshot(server)).toEqual(before);
    });

    test('a changed page: revision 2 in records, both revisions in record_revisions', async () => {
      // A seed's record id comes from its file name: a copy of the folder is the same records.
      const seeds = join(dir, 'seeds');
      cpSync(join(ROOT, 'seeds'), seeds, { recursive: true });
      const name = readdirSync(seeds).sort()[0]!;
      const text = readFileSync(join(seeds, name), 'utf8');
      const cut = text.indexOf('\n', Math.floor(text.length / 2));
      writeFileSync(
        join(seeds, name),
        `${text.slice(0, cut)}\nA correction was added to this report later that day.\n${text.slice(cut)}`,
      );
      const result = run(seeds);
      expect(result.status, result.stderr).toBe(0);
      expect(result.stderr).toContain('0 new, 1 revised');
      const revised = readRecords(out()).filter((r) => r.revision === 2);
      expect(revised.map((r) => r.source.uri)).toEqual([join(seeds, name)]);
      const { records, revisions } = await tableSnapshot(server);
      expect(records.map((r) => [r.id, r.revision, r.content_hash])).toEqual(
        readRecords(out())
          .map((r) => [r.id, r.revision, r.contentHash])
          .sort((x, y) => (x[0]! < y[0]! ? -1 : 1)),
      );
      expect(revisions.filter((r) => r.id === revised[0]!.id).map((r) => r.revision)).toEqual([
        1, 2,
      ]);
      expect(revisions).toHaveLength(records.length + 1);
    });

    test('reprocess writes the database too; records it lacks are written again', async () => {
      await server.pool.query('TRUNCATE records, record_revisions, record_entities');
      const result = runCli(['reprocess', '--out', out()], { env });
      expect(result.status, result.stderr).toBe(0);
      expect(result.stderr, result.stderr).toMatch(/\d+ unchanged\), 0 failures.*\+ postgres/);
      const ids = new Set(readRecords(out()).map((r) => r.id));
      const rows = (await tableSnapshot(server)).records.map((r) => r.id);
      for (const id of ids) expect(rows).toContain(id);
    });

    test('a database that goes away: each page says so, without the password, and exit 1', async () => {
      const seeds = join(ROOT, 'seeds');
      await server.pool.query('TRUNCATE records, record_revisions, record_entities');
      // The sink is checked at start, so the database goes away between the check and the
      // writes: a server that ends every newsnorm session as soon as it starts writing.
      await server.pool.query(
        `CREATE OR REPLACE FUNCTION refuse_writes() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN PERFORM pg_terminate_backend(pg_backend_pid()); RETURN NEW; END $$`,
      );
      await server.pool.query(
        'CREATE TRIGGER refuse_writes BEFORE INSERT ON records FOR EACH ROW EXECUTE FUNCTION refuse_writes()',
      );
      try {
        const result = run(seeds);
        expect(result.status).toBe(1);
        const lines = result.stderr.split('\n').filter((l) => l.includes('[SINK_POSTGRES_'));
        expect(lines).toHaveLength(readdirSync(seeds).length);
        expect(lines[0]).toMatch(/record not written to postgres \(it is in .*records\.jsonl\)/);
        expect(result.stderr).toContain('newsnorm:***@127.0.0.1');
        expect(result.stderr).not.toContain(server.password);
      } finally {
        await server.pool.query('DROP TRIGGER refuse_writes ON records');
      }
      // The next run writes what the database missed, though the file has it all already.
      const again = run(seeds);
      expect(again.status, again.stderr).toBe(0);
      expect((await tableSnapshot(server)).records).toHaveLength(readdirSync(seeds).length);
    });

    test('db without DATABASE_URL, and an unreachable database, are said plainly', () => {
      const none = runCli(['db', 'migrate'], {
        env: { ...env, NEWSNORM_SINKS: '', DATABASE_URL: '' },
      });
      expect(none.status).toBe(2);
      expect(none.stderr).toContain('DATABASE_URL is not set');
      const closed = server.url.replace(`:${server.port}/`, ':1/');
      const down = runCli(['db', 'status'], { env: { ...env, DATABASE_URL: closed } });
      expect(down.status).toBe(1);
      expect(down.stderr).toMatch(/unavailable: .*ECONNREFUSED.*\[SINK_POSTGRES_UNAVAILABLE\]/);
      expect(down.stderr).not.toContain(server.password);
    });
  },
);
