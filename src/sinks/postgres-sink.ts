import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { PermanentError, type PipelineError } from '../errors.js';
import type { CanonicalRecord } from '../record/canonical-record.js';
import { assertSchemaCurrent } from './postgres-migrations.js';
import { createPostgresPool, postgresError, type PostgresSettings } from './postgres-pool.js';
import type { RecordSink } from '../delivery/record-sink.js';

/**
 * One record revision into the three tables, in one statement (so one transaction, one round
 * trip). The upsert only moves a row forward: `records` takes the revision when it is newer
 * than the row's, and only then are the record's entities replaced; `record_revisions` keeps
 * each (id, revision) once. A job that runs twice, a retry, a duplicate enqueue or a late
 * older revision changes nothing the second time. `prior` is the row as it was before the
 * statement, to tell a conflicting write (same revision, other content) apart.
 * $1 id, $2 revision, $3 url, $4 site, $5 title, $6 published_at, $7 lang, $8 content hash,
 * $9 simhash (hex), $10 processed_at, $11 record JSON, $12..$15 entity ids, names, types and
 * mention counts.
 */
const WRITE_RECORD_SQL = `
WITH prior AS (
  SELECT revision, content_hash FROM records WHERE id = $1
), moved AS (
  INSERT INTO records AS r
    (id, revision, url, site, title, published_at, lang, content_hash, simhash, processed_at, record)
  VALUES ($1, $2, $3, $4, $5, $6::timestamptz, $7, $8, ('x' || $9)::bit(64)::bigint,
          $10::timestamptz, $11::jsonb)
  ON CONFLICT (id) DO UPDATE SET
    revision = excluded.revision, url = excluded.url, site = excluded.site,
    title = excluded.title, published_at = excluded.published_at, lang = excluded.lang,
    content_hash = excluded.content_hash, simhash = excluded.simhash,
    processed_at = excluded.processed_at, record = excluded.record
  WHERE r.revision < excluded.revision
  RETURNING r.id
), kept AS (
  INSERT INTO record_revisions (id, revision, content_hash, processed_at, record)
  VALUES ($1, $2, $8, $10::timestamptz, $11::jsonb)
  ON CONFLICT (id, revision) DO NOTHING
  RETURNING id
), dropped AS (
  DELETE FROM record_entities e USING moved
  WHERE e.record_id = moved.id AND e.entity_id <> ALL ($12::text[])
), listed AS (
  INSERT INTO record_entities (record_id, entity_id, name, type, mentions)
  SELECT moved.id, x.entity_id, x.name, x.type, x.mentions
  FROM moved, unnest($12::text[], $13::text[], $14::text[], $15::int[])
    AS x (entity_id, name, type, mentions)
  ON CONFLICT (record_id, entity_id) DO UPDATE
    SET name = excluded.name, type = excluded.type, mentions = excluded.mentions
)
SELECT (SELECT count(*) FROM moved)::int AS moved,
       (SELECT count(*) FROM kept)::int AS kept,
       (SELECT revision FROM prior) AS prior_revision,
       (SELECT content_hash FROM prior) AS prior_hash
`;

interface WriteRow {
  moved: number;
  kept: number;
  prior_revision: number | null;
  prior_hash: string | null;
}

/** What a write did: `moved` the row forward (new or newer), and `kept` a new revision row. */
export interface PostgresWriteResult {
  moved: boolean;
  kept: boolean;
}

/**
 * Tries of one write while the database is unreachable (a pooled connection the server
 * closed, a restart): a blip costs a moment, not a failed job. Longer outages fail the write
 * as retryable and the job's own backoff takes over.
 */
const UNAVAILABLE_ATTEMPTS = 3;
/** Pause before the second try; doubles after each. */
const FIRST_RETRY_DELAY_MS = 250;

/**
 * Records in PostgreSQL (`records`, `record_revisions`, `record_entities`; see
 * migrations/0001_records.sql), through a connection pool. Exactly once per revision rests on
 * the database alone: the write is a forward-only upsert, so it may be repeated at will.
 */
export class PostgresSink implements RecordSink {
  readonly name = 'postgres';

  constructor(
    readonly pool: pg.Pool,
    private readonly url: string,
  ) {}

  /**
   * A pool to the configured database, checked before any page is run: reachable, and its
   * schema has every migration (else POSTGRES_SCHEMA_BEHIND, which says to run
   * `newsnorm db migrate`).
   */
  static async open(
    settings: PostgresSettings,
    onError?: (error: PipelineError) => void,
  ): Promise<PostgresSink> {
    const pool = createPostgresPool(settings, onError);
    try {
      await assertSchemaCurrent(pool);
    } catch (error) {
      await pool.end().catch(() => {});
      throw postgresError(error, settings.url);
    }
    return new PostgresSink(pool, settings.url);
  }

  async write(record: CanonicalRecord, json = JSON.stringify(record)): Promise<void> {
    await this.upsert(record, json);
  }

  /** Writes one revision; what it changed. */
  async upsert(
    record: CanonicalRecord,
    json = JSON.stringify(record),
  ): Promise<PostgresWriteResult> {
    const row = await this.writeRow(writeParams(record, json));
    const moved = row.moved > 0;
    if (!moved && row.prior_revision === record.revision && row.prior_hash !== record.contentHash) {
      throw new PermanentError(
        'SINK_POSTGRES_REVISION_CONFLICT',
        `records holds revision ${record.revision} of ${record.id} with other content ` +
          `(${record.contentHash} in this write, ${row.prior_hash} in the database): the ` +
          'database was written by another revision store (another records file, another ' +
          'queue prefix)',
      );
    }
    return { moved, kept: row.kept > 0 };
  }

  /** Runs the write statement, trying again while the database is briefly unreachable. */
  private async writeRow(params: unknown[]): Promise<WriteRow> {
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await this.pool.query<WriteRow>({
          name: 'newsnorm_write_record',
          text: WRITE_RECORD_SQL,
          values: params,
        });
        return result.rows[0]!;
      } catch (error) {
        const failure = postgresError(error, this.url);
        if (failure.code !== 'SINK_POSTGRES_UNAVAILABLE' || attempt >= UNAVAILABLE_ATTEMPTS) {
          throw failure;
        }
        await sleep(FIRST_RETRY_DELAY_MS * 2 ** (attempt - 1));
      }
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** The statement's parameters for a record (see WRITE_RECORD_SQL). */
function writeParams(record: CanonicalRecord, json: string): unknown[] {
  // One row per entity id: a second row for one id in one statement would be an error.
  const entities = new Map<string, { name: string; type: string; mentions: number }>();
  for (const e of record.entities) {
    const seen = entities.get(e.id);
    if (seen) seen.mentions += e.mentions.length;
    else entities.set(e.id, { name: e.name, type: e.type, mentions: e.mentions.length });
  }
  const listed = [...entities.values()];
  return [
    record.id,
    record.revision,
    withoutNul(record.url),
    withoutNul(record.source.site),
    withoutNul(record.title),
    publishedInstant(record.publishedAt),
    withoutNul(record.lang),
    record.contentHash,
    record.simhash,
    record.processedAt,
    jsonWithoutNul(json),
    [...entities.keys()],
    listed.map((e) => e.name),
    listed.map((e) => e.type),
    listed.map((e) => e.mentions),
  ];
}

/**
 * PostgreSQL's text and jsonb cannot hold U+0000, which a page may carry: the database gets
 * U+FFFD in its place (the record's contentHash stays the one computed on the page's text).
 */
const REPLACEMENT_CHARACTER = '\ufffd';

function withoutNul<T extends string | null>(text: T): T {
  return (text?.includes('\0') ? text.replaceAll('\0', REPLACEMENT_CHARACTER) : text) as T;
}

/** `\u0000` escapes in JSON text, where the backslash is not itself escaped. */
const JSON_NUL_ESCAPE = /(?<!\\)((?:\\\\)*)\\u0000/g;

function jsonWithoutNul(json: string): string {
  return json.includes('\\u0000') ? json.replace(JSON_NUL_ESCAPE, '$1\\ufffd') : json;
}

/**
 * The instant a stated publication date stands for in `published_at`: a date alone is its
 * midnight UTC, a time without an offset is read as UTC (the page did not say which zone).
 */
export function publishedInstant(publishedAt: string | null): string | null {
  if (publishedAt === null) return null;
  if (!publishedAt.includes('T')) return `${publishedAt}T00:00:00Z`;
  return /(Z|[+-]\d{2}:\d{2})$/.test(publishedAt) ? publishedAt : `${publishedAt}Z`;
}
