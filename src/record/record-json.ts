import { withRevision, type RecordDraft } from './build-record.js';
import { CanonicalRecord } from './canonical-record.js';

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

/**
 * A record made elsewhere (a worker's page thread), as delivering it needs it: its identity
 * and its JSON text, without the record as objects.
 */
export interface MadeRecord {
  id: string;
  contentHash: string;
  json: RecordJson;
}

/** What a record made elsewhere carries of a draft. */
export function madeRecord(draft: RecordDraft): MadeRecord {
  return { id: draft.id, contentHash: draft.contentHash, json: recordJson(draft) };
}

/** The record's fields in the contract's order. */
const RECORD_FIELDS = Object.keys(CanonicalRecord.shape) as (keyof CanonicalRecord)[];

/**
 * The record of a MadeRecord at `revision`, for sinks: its id, revision and contentHash at
 * once, every other field parsed from the JSON when a sink first reads one. Most sinks write
 * the JSON text and read the identity only, so the record never becomes objects on this thread:
 * a page with 100,000 name mentions would be 100,000 objects, a quarter of a second of one
 * synchronous step.
 */
export function recordFromJson(made: MadeRecord, revision: number): CanonicalRecord {
  let parsed: CanonicalRecord | undefined;
  const whole = () => (parsed ??= JSON.parse(recordText(made.json, revision)) as CanonicalRecord);
  const identity: Partial<CanonicalRecord> = {
    id: made.id,
    revision,
    contentHash: made.contentHash,
  };
  const record = {} as CanonicalRecord;
  for (const field of RECORD_FIELDS) {
    Object.defineProperty(
      record,
      field,
      field in identity
        ? { value: identity[field], enumerable: true }
        : { get: () => whole()[field], enumerable: true },
    );
  }
  return record;
}
