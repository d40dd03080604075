import { z } from 'zod';

/** Schema version of the record contract; bump only with a migration note in the README. */
export const SCHEMA_VERSION = 1;

export const EntityType = z.enum(['place', 'group', 'person', 'other']);
export type EntityType = z.infer<typeof EntityType>;

export const Mention = z.object({
  field: z.enum(['title', 'body']),
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
  surface: z.string().min(1),
});
export type Mention = z.infer<typeof Mention>;

export const RecordEntity = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  type: EntityType,
  mentions: z.array(Mention),
});
export type RecordEntity = z.infer<typeof RecordEntity>;

export const RecordComment = z.object({
  author: z.string().nullable(),
  text: z.string(),
  depth: z.number().int().nonnegative(),
  spam: z.boolean(),
});
export type RecordComment = z.infer<typeof RecordComment>;

export const SourceKind = z.enum(['seed', 'fetch', 'file']);
export type SourceKind = z.infer<typeof SourceKind>;

export const RecordSource = z.object({
  kind: SourceKind,
  uri: z.string().min(1),
  site: z.string().nullable(),
  retrievedAt: z.iso.datetime({ offset: true }).nullable(),
});
export type RecordSource = z.infer<typeof RecordSource>;

const HEX_SHA256 = /^[0-9a-f]{64}$/;
const HEX_64BIT = /^[0-9a-f]{16}$/;

/**
 * The canonical record: the contract downstream services rely on (schema version 1).
 * Fields may be added; none of these may change meaning.
 */
export const CanonicalRecord = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  id: z
    .string()
    .min(1)
    .describe('Stable across re-ingestion: from the canonical URL, else the source URI'),
  revision: z.number().int().min(1).describe('1, then +1 only when contentHash changes'),
  url: z
    .string()
    .nullable()
    .describe('Canonical URL (rel=canonical / og:url, else the fetched URL)'),
  source: RecordSource,
  title: z.string().describe('Cleaned title, original spellings'),
  publishedAt: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/)
    .nullable()
    .describe(
      'ISO 8601, only as precise as the page states; null when the page gives no full date',
    ),
  authors: z.array(z.string()),
  tags: z.array(z.string()),
  lang: z.string().nullable(),
  body: z
    .string()
    .describe('Cleaned article text, original spellings, paragraphs joined by "\\n\\n"'),
  canonical: z
    .object({ title: z.string(), body: z.string() })
    .describe('The same text with every entity mention replaced by the canonical name'),
  entities: z.array(RecordEntity),
  comments: z.array(RecordComment),
  contentHash: z
    .string()
    .regex(HEX_SHA256)
    .describe('sha256 of canonical.title + "\\n" + canonical.body'),
  simhash: z.string().regex(HEX_64BIT).describe('64-bit hex simhash of the canonical body'),
  processedAt: z.iso.datetime({ offset: true }),
  pipelineVersion: z.string().min(1),
});
export type CanonicalRecord = z.infer<typeof CanonicalRecord>;
