import type { Redis } from 'ioredis';
import { defineScript, type ScriptCall } from '../queue/define-script.js';
import { deliveredField, type RecordKeys } from '../queue/record-keys.js';
import type { CanonicalRecord } from '../record/canonical-record.js';
import type { SelfMarkingSink } from './self-marking-sink.js';

/**
 * Appends the entry and its delivery marker in one step: a job that runs twice (retry, crash
 * after the write, duplicate enqueue) finds the marker and adds nothing.
 * KEYS[1] ledger hash, KEYS[2] stream; ARGV: marker field, revision, max length, id,
 * content hash, record JSON. Returns the entry id, or false when already delivered.
 */
const XADD_ONCE_SCRIPT = `
local rev = tonumber(ARGV[2])
if (tonumber(redis.call('HGET', KEYS[1], ARGV[1])) or 0) >= rev then return false end
local entry = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], '*',
  'id', ARGV[4], 'revision', ARGV[2], 'contentHash', ARGV[5], 'record', ARGV[6])
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

  async write(record: CanonicalRecord): Promise<void> {
    const { keys, maxLen } = this.options;
    await this.xaddOnce(
      [keys.ledger(record.id), keys.stream],
      [
        deliveredField(this.name),
        record.revision,
        maxLen,
        record.id,
        record.contentHash,
        JSON.stringify(record),
      ],
    );
  }

  async close(): Promise<void> {}
}
