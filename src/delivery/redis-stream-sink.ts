import type { Redis } from 'ioredis';
import { defineScript, type ScriptCall } from './define-script.js';
import { deliveredField, type RecordKeys } from './record-keys.js';
import type { CanonicalRecord } from '../record/canonical-record.js';
import type { SelfMarkingSink } from './self-marking-sink.js';

/**
 * Lua: `appendEntry(stream, maxLen, id, revision, contentHash, recordJson)` adds a record's
 * stream entry. The one definition of the entry's fields, for this sink's own write and for the
 * revision ledger's claim, which appends the entry in the same step as it hands out the revision.
 */
export const APPEND_ENTRY_LUA = `
local function appendEntry(stream, maxLen, id, rev, hash, json)
  return redis.call('XADD', stream, 'MAXLEN', '~', maxLen, '*',
    'id', id, 'revision', rev, 'contentHash', hash, 'record', json)
end
`;

/**
 * Appends the entry and its delivery marker in one step: a job that runs twice (retry, crash
 * after the write, duplicate enqueue) finds the marker and adds nothing.
 * KEYS[1] ledger hash, KEYS[2] stream; ARGV: marker field, revision, max length, id,
 * content hash, record JSON. Returns the entry id, or false when already delivered.
 */
const XADD_ONCE_SCRIPT = `${APPEND_ENTRY_LUA}
local rev = tonumber(ARGV[2])
if (tonumber(redis.call('HGET', KEYS[1], ARGV[1])) or 0) >= rev then return false end
local entry = appendEntry(KEYS[2], ARGV[3], ARGV[4], ARGV[2], ARGV[5], ARGV[6])
redis.call('HSET', KEYS[1], ARGV[1], rev)
return entry
`;

export interface RedisStreamSinkOptions {
  keys: RecordKeys;
  /** Approximate cap on entries (XADD MAXLEN ~). */
  maxLen: number;
}

/**
 * A Redis Stream of records for downstream consumer groups. Entry fields: `id`, `revision`,
 * `contentHash`, `record` (the canonical record as JSON). Exactly once per (id, revision).
 */
export class RedisStreamSink implements SelfMarkingSink {
  readonly name = 'stream';
  readonly marksOwnDelivery = true;
  private readonly xaddOnce: ScriptCall;

  constructor(
    redis: Redis,
    private readonly options: RedisStreamSinkOptions,
  ) {
    this.xaddOnce = defineScript(redis, 'newsnormXaddOnce', 2, XADD_ONCE_SCRIPT);
  }

  /** The stream key and its cap, for a claim that appends the entry itself. */
  get target(): { stream: string; maxLen: number } {
    return { stream: this.options.keys.stream, maxLen: this.options.maxLen };
  }

  async write(record: CanonicalRecord, json = JSON.stringify(record)): Promise<void> {
    const { keys, maxLen } = this.options;
    await this.xaddOnce(
      [keys.ledger(record.id), keys.stream],
      // The JSON as bytes, as the claim sends it: one UTF-8 pass instead of ioredis's two.
      [
        deliveredField(this.name),
        record.revision,
        maxLen,
        record.id,
        record.contentHash,
        Buffer.from(json),
      ],
    );
  }

  async close(): Promise<void> {}
}

/** True for the Redis Stream sink, whose write a revision claim can make in its own step. */
export function appendsInClaim(sink: { name: string }): sink is RedisStreamSink {
  return sink instanceof RedisStreamSink;
}
