import type { RecordComment } from '../record/canonical-record.js';

/** Something the cleaner took out of the page, and the rule that took it. */
export interface Removal {
  rule: string;
  text: string;
}

/** A page with its boilerplate removed: the article, its metadata and its reader comments. */
export interface CleanPage {
  title: string;
  /** Paragraphs joined by "\n\n". */
  body: string;
  publishedAt: string | null;
  authors: string[];
  tags: string[];
  lang: string | null;
  site: string | null;
  /** Canonical URL stated by the page (rel=canonical, og:url); null when it states none. */
  canonicalUrl: string | null;
  comments: RecordComment[];
  removed: Removal[];
}
