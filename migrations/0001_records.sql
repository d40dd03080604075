-- newsnorm's records, for downstream services to query. Written by the postgres sink
-- (src/sinks/postgres-sink.ts); applied by `newsnorm db migrate`. Never edit a migration that
-- has been applied anywhere: add the next numbered file instead.

-- One row per record id: its current revision, typed columns to filter on, the whole record.
CREATE TABLE records (
  id           text PRIMARY KEY,
  revision     integer NOT NULL CHECK (revision >= 1),
  url          text,
  site         text,
  title        text NOT NULL,
  -- The stated publication time; a date alone is its midnight UTC, a time without an offset is
  -- read as UTC. The text as the page stated it is record->>'publishedAt'.
  published_at timestamptz,
  lang         text,
  content_hash text NOT NULL,
  -- The 64-bit simhash as a signed bigint: lpad(to_hex(simhash), 16, '0') is the record's hex;
  -- bit_count((a.simhash # b.simhash)::bit(64)) is the Hamming distance of two records.
  simhash      bigint NOT NULL,
  processed_at timestamptz NOT NULL,
  record       jsonb NOT NULL,
  -- Full text over the canonical title (weight A) and body (weight B): entity names as the
  -- gazetteer spells them, whatever spelling the page used. The 'simple' configuration
  -- lowercases and does not stem, so it serves every language the same way.
  search       tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('simple', coalesce(record #>> '{canonical,title}', '')), 'A') ||
    setweight(to_tsvector('simple', left(coalesce(record #>> '{canonical,body}', ''), 200000)), 'B')
  ) STORED
);

CREATE INDEX records_site_published_idx ON records (site, published_at);
CREATE INDEX records_published_idx ON records (published_at);
CREATE INDEX records_processed_idx ON records (processed_at);
CREATE INDEX records_url_idx ON records (url);
CREATE INDEX records_content_hash_idx ON records (content_hash);
CREATE INDEX records_search_idx ON records USING gin (search);

-- Every revision of every record, kept: (id, revision) once.
CREATE TABLE record_revisions (
  id           text NOT NULL REFERENCES records (id) ON DELETE CASCADE,
  revision     integer NOT NULL CHECK (revision >= 1),
  content_hash text NOT NULL,
  processed_at timestamptz NOT NULL,
  record       jsonb NOT NULL,
  PRIMARY KEY (id, revision)
);

-- The entities of each record's current revision: "records mentioning X" is one index scan.
CREATE TABLE record_entities (
  record_id text NOT NULL REFERENCES records (id) ON DELETE CASCADE,
  entity_id text NOT NULL,
  name      text NOT NULL,
  type      text NOT NULL,
  mentions  integer NOT NULL,
  PRIMARY KEY (record_id, entity_id)
);

CREATE INDEX record_entities_entity_idx ON record_entities (entity_id, record_id);

-- Whole records are compressed with lz4 where the server has it (PostgreSQL 14+, built with
-- lz4, as Debian's and the official images are): it costs the server about a third less CPU
-- per write than the default pglz. Elsewhere they stay with pglz.
DO $$
BEGIN
  -- EXECUTE: a server older than 14 cannot even parse the statement.
  EXECUTE 'ALTER TABLE records ALTER COLUMN record SET COMPRESSION lz4';
  EXECUTE 'ALTER TABLE record_revisions ALTER COLUMN record SET COMPRESSION lz4';
EXCEPTION WHEN OTHERS THEN
  RAISE NOTICE 'records stay compressed with pglz: %', SQLERRM;
END
$$;
