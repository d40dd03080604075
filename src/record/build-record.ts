import type { CleanPage } from '../clean/clean-page.js';
import type { ResolvedNames } from '../normalize/resolve-names.js';
import { CanonicalRecord, SCHEMA_VERSION, type RecordSource } from './canonical-record.js';
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
    id: recordId(url, source),
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

/** Gives a draft its revision; validates the whole record against the contract. */
export function withRevision(draft: RecordDraft, revision: number): CanonicalRecord {
  return CanonicalRecord.parse({ ...draft, revision });
}
