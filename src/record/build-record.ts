import type { CleanPage } from '../clean/clean-page.js';
import type { ResolvedNames } from '../normalize/resolve-names.js';
import { SCHEMA_VERSION, type CanonicalRecord, type RecordSource } from './canonical-record.js';
import { contentHash, simhash } from './content-hash.js';
import { recordId } from './record-id.js';

/** A record before the store has given it a revision. */
export type RecordDraft = Omit<CanonicalRecord, 'revision'>;

export interface BuildRecordInput {
  page: CleanPage;
  names: ResolvedNames;
  source: Omit<RecordSource, 'site'>;
  /** The URL the page was served from, when it was fetched. */
  fetchedUrl: string | null;
  /** Where a page read from disk was found (sourceKeyOfFile); null for fetched pages. */
  sourceKey?: string | null;
}

export interface BuildRecordDeps {
  pipelineVersion: string;
  now: () => Date;
}

/** Assembles the canonical record from the stage outputs. */
export function buildRecord(input: BuildRecordInput, deps: BuildRecordDeps): RecordDraft {
  const { page, names, source } = input;
  const url = page.canonicalUrl ?? input.fetchedUrl;
  const site = page.site ?? (url ? new URL(url).hostname : null);
  return {
    schemaVersion: SCHEMA_VERSION,
    id: recordId(url, source, input.sourceKey ?? null),
    url,
    source: { ...source, site },
    title: page.title,
    publishedAt: page.publishedAt,
    authors: page.authors,
    tags: page.tags,
    lang: page.lang,
    body: page.body,
    canonical: names.canonical,
    entities: names.entities,
    comments: page.comments,
    contentHash: contentHash(names.canonical.title, names.canonical.body),
    simhash: simhash(names.canonical.body),
    processedAt: deps.now().toISOString(),
    pipelineVersion: deps.pipelineVersion,
  };
}

/**
 * Gives a draft its revision. The record is assembled field by field in the contract's order,
 * with nothing but the contract's fields, so it serializes exactly as
 * `CanonicalRecord.parse({ ...draft, revision })` would give it back; the draft comes from
 * buildRecord, not from outside, so a full validation pass on every job (a tenth of a
 * worker's time on a seed-sized page) checks nothing new. Tests hold the two equal on every
 * seed and HTML fixture.
 */
export function withRevision(draft: RecordDraft, revision: number): CanonicalRecord {
  const { source, canonical } = draft;
  return {
    schemaVersion: draft.schemaVersion,
    id: draft.id,
    revision,
    url: draft.url,
    source: {
      kind: source.kind,
      uri: source.uri,
      site: source.site,
      retrievedAt: source.retrievedAt,
    },
    title: draft.title,
    publishedAt: draft.publishedAt,
    authors: draft.authors.slice(),
    tags: draft.tags.slice(),
    lang: draft.lang,
    body: draft.body,
    canonical: { title: canonical.title, body: canonical.body },
    entities: draft.entities.map((e) => ({
      id: e.id,
      name: e.name,
      type: e.type,
      mentions: e.mentions.map((m) => ({
        field: m.field,
        start: m.start,
        end: m.end,
        surface: m.surface,
      })),
    })),
    comments: draft.comments.map((c) => ({
      author: c.author,
      text: c.text,
      depth: c.depth,
      spam: c.spam,
    })),
    contentHash: draft.contentHash,
    simhash: draft.simhash,
    processedAt: draft.processedAt,
    pipelineVersion: draft.pipelineVersion,
  };
}
