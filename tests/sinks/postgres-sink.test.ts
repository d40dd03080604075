import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { PipelineError } from '../../src/errors.js';
import { PermanentError, RetryableError } from '../../src/errors.js';
import { processPage } from '../../src/pipeline/process-page.js';
import { readSourceFile } from '../../src/raw/read-source-file.js';
import { withRevision } from '../../src/record/build-record.js';
import { contentHash } from '../../src/record/content-hash.js';
import type { CanonicalRecord } from '../../src/record/canonical-record.js';
import {
  assertSchemaCurrent,
  loadMigrations,
  migrate,
  schemaStatus,
} from '../../src/sinks/postgres-migrations.js';
import { PostgresSink, publishedInstant } from '../../src/sinks/postgres-sink.js';
import { ROOT } from '../helpers/cli.js';
import { loadRepoPipelineDeps } from '../helpers/pipeline-deps.js';
import {
  postgresTestsEnabled,
  startPostgres,
  tableSnapshot,
  type TestPostgres,
} from '../helpers/postgres-server.js';

const SEEDS = join(ROOT, 'seeds');

async function emptyTables(server: TestPostgres) {
  await server.pool.query('TRUNCATE records, record_revisions, record_entities');
}

/** The same record with other content: a changed page. */
function changed(record: CanonicalRecord, revision: number): CanonicalRecord {
  const body = `${record.canonical.body}\n\nA paragraph added later.`;
  return {
    ...record,
    revision,
    body: `${record.body}\n\nA paragraph added later.`,
    canonical: { ...record.canonical, body },
    entities: record.entities.slice(1),
    contentHash: contentHash(record.canonical.title, body),
    processedAt: new Date(Date.parse(record.processedAt) + 60_000).toISOString(),
  };
}

describe.skipIf(!postgresTestsEnabled())('postgres sink against a real PostgreSQL server', () => {
  let server: TestPostgres;
  let sink: PostgresSink;
  let records: CanonicalRecord[];
  const settings = () => ({ url: server.url, poolSize: 4, timeoutMs: 5000 });

  beforeAll(async () => {
    server = await startPostgres();
    const pipeline = await loadRepoPipelineDeps();
    records = [];
    for (const name of readdirSync(SEEDS).sort()) {
      const raw = await readSourceFile(join(SEEDS, name), 'seed');
      records.push(withRevision(processPage(raw, pipeline).record, 1));
    }
  });
  afterAll(async () => {
    await sink?.close().catch(() => {});
    await server?.stop();
  });

  describe('migrations', () => {
    test('a database never migrated is refused with what to run; migrate brings it current', async () => {
      const error = await PostgresSink.open(settings()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PermanentError);
      expect((error as PipelineError).code).toBe('POSTGRES_SCHEMA_BEHIND');
      expect((error as Error).message).toMatch(/version 0, this newsnorm needs \d+/);
      expect((error as Error).message).toContain('newsnorm db migrate');

      const migrations = loadMigrations();
      const applied: string[] = [];
      // Two migrators at once (two deploys): each migration is applied once.
      const [first, second] = await Promise.all([
        migrate(server.pool, migrations, (m) => applied.push(m.name)),
        migrate(server.pool, migrations, (m) => applied.push(m.name)),
      ]);
      expect(applied).toEqual(migrations.map((m) => m.name));
      expect(first.pending).toEqual([]);
      expect(second.version).toBe(migrations.length);
      expect((await schemaStatus(server.pool)).version).toBe(migrations.length);
      sink = await PostgresSink.open(settings());
    });

    test('a migration edited after it was applied is refused', async () => {
      const edited = loadMigrations().map((m, i) =>
        i === 0 ? { ...m, checksum: 'not-the-applied-one' } : m,
      );
      await expect(assertSchemaCurrent(server.pool, edited)).rejects.toMatchObject({
        code: 'POSTGRES_MIGRATION_CHANGED',
      });
    });
  });

  describe('writes', () => {
    beforeEach(async () => emptyTables(server));

    test('records arrive with their typed columns and whole record; writing them again changes nothing', async () => {
      for (const r of records) await sink.write(r);
      const first = await tableSnapshot(server);
      expect(first.records.map((row) => [row.id, row.content_hash, row.revision])).toEqual(
        [...records]
          .sort((a, b) => (a.id < b.id ? -1 : 1))
          .map((r) => [r.id, r.contentHash, r.revision]),
      );
      for (const r of records) {
        const row = first.records.find((x) => x.id === r.id)!;
        expect(row.record).toEqual(r);
        expect(row.url).toBe(r.url);
        expect(row.site).toBe(r.source.site);
        expect(row.title).toBe(r.title);
        expect(row.lang).toBe(r.lang);
        expect(row.processed_at.toISOString()).toBe(r.processedAt);
        const stated = publishedInstant(r.publishedAt);
        expect(row.published_at?.toISOString() ?? null).toBe(
          stated === null ? null : new Date(stated).toISOString(),
        );
        const hex = (BigInt(row.simhash) & 0xffff_ffff_ffff_ffffn).toString(16).padStart(16, '0');
        expect(hex).toBe(r.simhash);
        const entities = first.entities.filter((e) => e.record_id === r.id);
        expect(entities.map((e) => [e.entity_id, e.mentions]).sort()).toEqual(
          r.entities.map((e) => [e.id, e.mentions.length]).sort(),
        );
      }
      expect(first.revisions).toHaveLength(records.length);

      // The same revisions again (a job run twice, a retry), later and all at once.
      const again = records.map((r) => ({ ...r, processedAt: new Date().toISOString() }));
      await Promise.all(again.map((r) => sink.write(r)));
      expect(await tableSnapshot(server)).toEqual(first);
    });

    test('a new revision moves the row forward, keeps both revisions and replaces the entities', async () => {
      const record = records.find((r) => r.entities.length > 1)!;
      await sink.write(record);
      const next = changed(record, 2);
      expect(await sink.upsert(next)).toEqual({ moved: true, kept: true });
      const { records: rows, revisions, entities } = await tableSnapshot(server);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ revision: 2, content_hash: next.contentHash });
      expect(revisions.map((r) => [r.revision, r.content_hash])).toEqual([
        [1, record.contentHash],
        [2, next.contentHash],
      ]);
      expect(entities.map((e) => e.entity_id).sort()).toEqual(
        next.entities.map((e) => e.id).sort(),
      );

      // Revision 1 arriving late (a slow job) is kept in the history and moves nothing back.
      const late = await tableSnapshot(server);
      expect(await sink.upsert(record)).toEqual({ moved: false, kept: false });
      expect(await tableSnapshot(server)).toEqual(late);
    });

    test('revisions racing on one record: the newest wins, each is kept once', async () => {
      const base = records[0]!;
      const versions = Array.from({ length: 12 }, (_, i) =>
        i === 0 ? base : changed({ ...base, title: `${base.title} ${i}` }, i + 1),
      );
      await Promise.all([...versions, ...versions].reverse().map((r) => sink.write(r)));
      const { records: rows, revisions } = await tableSnapshot(server);
      expect(rows.map((r) => r.revision)).toEqual([12]);
      expect(revisions.map((r) => r.revision)).toEqual(versions.map((v) => v.revision));
    });

    test('one revision with two contents is a conflict, said as such', async () => {
      const record = records[0]!;
      await sink.write(record);
      const other = { ...changed(record, 1) };
      const error = await sink.write(other).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PermanentError);
      expect((error as PipelineError).code).toBe('SINK_POSTGRES_REVISION_CONFLICT');
      expect((error as Error).message).toContain(record.id);
    });

    test('a record with U+0000 (which PostgreSQL text cannot hold) is stored with U+FFFD', async () => {
      const base = records[0]!;
      const record = {
        ...base,
        title: `${base.title}\u0000`,
        body: `\\u0000 stays text, \u0000 is replaced: ${base.body}`,
      };
      await sink.write(record);
      const row = (await tableSnapshot(server)).records[0]!;
      expect(row.title).toBe(`${base.title}\ufffd`);
      expect(row.record.body).toBe(`\\u0000 stays text, \ufffd is replaced: ${base.body}`);
      expect(row.content_hash).toBe(base.contentHash);
    });

    test('full text, entity and site queries find the records', async () => {
      for (const r of records) await sink.write(r);
      const withEntity = records.find((r) => r.entities.length > 0)!;
      const entity = withEntity.entities[0]!;
      const byEntity = await server.pool.query(
        `SELECT r.id FROM record_entities e JOIN records r ON r.id = e.record_id
         WHERE e.entity_id = $1 ORDER BY r.id`,
        [entity.id],
      );
      expect(byEntity.rows.map((r) => r.id)).toEqual(
        records
          .filter((r) => r.entities.some((e) => e.id === entity.id))
          .map((r) => r.id)
          .sort(),
      );
      // The canonical name finds the record whatever spelling its page used.
      const word = entity.name.split(/\s+/).find((w) => /^\p{L}{4,}$/u.test(w))!;
      const byText = await server.pool.query(
        `SELECT id FROM records WHERE search @@ websearch_to_tsquery('simple', $1)`,
        [word],
      );
      expect(byText.rows.map((r) => r.id)).toContain(withEntity.id);
      const site = withEntity.source.site;
      const bySite = await server.pool.query(
        'SELECT id FROM records WHERE site IS NOT DISTINCT FROM $1',
        [site],
      );
      expect(bySite.rows.map((r) => r.id)).toContain(withEntity.id);
    });
  });

  describe('outages', () => {
    test('a stopped database fails the write as retryable, without the password; it works once back', async () => {
      await emptyTables(server);
      await server.halt();
      try {
        const error = await sink.write(records[0]!).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(RetryableError);
        expect((error as PipelineError).code).toBe('SINK_POSTGRES_UNAVAILABLE');
        expect((error as Error).message).toContain(`127.0.0.1:${server.port}`);
        expect((error as Error).message).not.toContain(server.password);
        const opening = await PostgresSink.open(settings()).catch((e: unknown) => e);
        expect((opening as PipelineError).code).toBe('SINK_POSTGRES_UNAVAILABLE');
        expect((opening as Error).message).not.toContain(server.password);
      } finally {
        await server.start();
      }
      await sink.write(records[0]!);
      expect((await tableSnapshot(server)).records).toHaveLength(1);
    });

    test('a write the database refuses is retryable and says why', async () => {
      const role = `reader_${process.pid}`;
      await server.pool.query(`CREATE ROLE ${role} LOGIN PASSWORD 'reader-pass-1'`);
      await server.pool.query(
        `GRANT SELECT ON records, record_revisions, record_entities TO ${role}`,
      );
      await server.pool.query(`GRANT SELECT ON newsnorm_migrations TO ${role}`);
      const url = server.url.replace(/\/\/[^@]*@/, `//${role}:reader-pass-1@`);
      const reader = await PostgresSink.open({ url, poolSize: 1, timeoutMs: 5000 });
      try {
        const error = await reader.write(records[0]!).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(RetryableError);
        expect((error as PipelineError).code).toBe('SINK_POSTGRES_REFUSED');
        expect((error as Error).message).toMatch(/permission denied.*SQLSTATE 42501/);
        expect((error as Error).message).not.toContain('reader-pass-1');
      } finally {
        await reader.close();
      }
    });
  });
});
