import { withRevision, type RecordDraft } from './build-record.js';

/**
 * A record's JSON text, serialized once, in two parts around its revision:
 * `head + revision + tail` is `JSON.stringify(withRevision(draft, revision))`. The revision
 * store can then write the text of the revision it hands out in the same step (the Redis
 * Stream sink), and every sink of a job shares one serialization.
 */
export interface RecordJson {
  /** Up to and with `"revision":`. */
  head: string;
  /** From the `,` after the revision to the end. */
  tail: string;
}

/** Revision serialized in place of the real one; its text is cut out. */
const REVISION_PLACEHOLDER = 0;
const REVISION_KEY = ',"revision":';

export function recordJson(draft: RecordDraft): RecordJson {
  const text = JSON.stringify(withRevision(draft, REVISION_PLACEHOLDER));
  // Inside a JSON string every `"` is escaped, so the first `,"revision":` is the record's own
  // key (the third: after schemaVersion and id, before any nested object).
  const at = text.indexOf(`${REVISION_KEY}${REVISION_PLACEHOLDER},`);
  if (at < 0) throw new Error('record JSON has no revision field');
  const headEnd = at + REVISION_KEY.length;
  return {
    head: text.slice(0, headEnd),
    tail: text.slice(headEnd + String(REVISION_PLACEHOLDER).length),
  };
}

/** The record's JSON text at this revision. */
export function recordText(json: RecordJson, revision: number): string {
  return `${json.head}${revision}${json.tail}`;
}
