import { CanonicalRecord, SCHEMA_VERSION, type RecordSource } from './canonical-record.js';
import { contentHash, simhash } from './content-hash.js';
import { projectBySchema } from './project-by-schema.js';
import { recordId } from './record-id.js';

/** A record before the store has given it a revision. */
export type RecordDraft = Omit<CanonicalRecord, 'revision'>;

/** What the record takes from the cleaned page (a CleanPage has these, and more). */
export type PageFields = Pick<
  CanonicalRecord,
  'title' | 'publishedAt' | 'authors' | 'tags' | 'lang' | 'body' | 'comments'
> & {
  /** The page's own canonical URL (rel=canonical, og:url), when it states one. */
  canonicalUrl: string | null;
  site: string | null;
};

/** What the record takes from name resolution. */
export type NameFields = Pick<CanonicalRecord, 'canonical' | 'entities'>;

export interface BuildRecordInput {
  page: PageFields;
  names: NameFields;
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

/** The record rebuilt by its schema: the contract's fields, in the contract's order. */
const projectRecord = projectBySchema(CanonicalRecord);

/**
 * Gives a draft its revision. The record is rebuilt by the contract's schema, so it serializes
 * exactly as `CanonicalRecord.parse({ ...draft, revision })` would give it back; the draft comes
 * from buildRecord, not from outside, so a full validation pass on every job (a tenth of a
 * worker's time on a seed-sized page) checks nothing new. Tests hold the two equal on every
 * seed and HTML fixture.
 */
export function withRevision(draft: RecordDraft, revision: number): CanonicalRecord {
  return projectRecord({ ...draft, revision });
}
