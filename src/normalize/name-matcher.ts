import type { EntityType } from '../record/canonical-record.js';

/** An entity as the gazetteer names it. */
export interface EntityRef {
  id: string;
  name: string;
  type: EntityType;
}

/** A span of text that names an entity; offsets are UTF-16 indexes into the searched text. */
export interface FoundMention {
  start: number;
  end: number;
  surface: string;
  entity: EntityRef;
}

/** Resolves names against one loaded gazetteer. Built once, used for many pages. */
export interface NameMatcher {
  /** The entity a standalone name refers to, or null when unknown or ambiguous. */
  resolve(name: string): EntityRef | null;
  /**
   * Every entity mention in running text, non-overlapping, in text order.
   * `context` is the other text of the same page (for instance the title when searching the
   * body), so that entities already seen on the page can confirm doubtful candidates.
   */
  findMentions(text: string, context?: string): FoundMention[];
}
