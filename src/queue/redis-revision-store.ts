import type { Redis } from 'ioredis';
import type { RecordJson } from '../record/record-json.js';
import { APPEND_ENTRY_LUA } from '../sinks/redis-stream-sink.js';
import { defineScript, type ScriptCall } from './define-script.js';
import type { RecordKeys } from './record-keys.js';

/**
 * One step for a job about to write a record: compare the content hash with the stored one and
 * bump the revision when it changed (two racing jobs never get the same revision), then say
 * for each sink whether it already has this revision (`done`), whether another job is writing
 * it right now (`busy`: a live lease), or whether this job may write it (`go`, with a lease
 * taken for `leaseMs` on sinks that cannot mark their own delivery). The stream sink, when the
 * job hands over the record's JSON, is written here and marked at once (`written`): one round
 * trip, and the same atomic write-and-mark as its own script.
 * KEYS[1] ledger hash, KEYS[2] stream. ARGV: content hash, lease token, lease ms, stream max
 * length, record id, JSON head and tail (around the revision; empty when nothing is appended),
 * then one "L:<sink>" (lease), "A:<sink>" (atomic sink, no lease) or "S:<sink>" (the stream,
 * appended here) per sink. Returns {revision, status per sink}.
 */
const CLAIM_SCRIPT = `${APPEND_ENTRY_LUA}
local stored = redis.call('HMGET', KEYS[1], 'hash', 'rev')
local rev = tonumber(stored[2]) or 0
if stored[1] ~= ARGV[1] then
  rev = rev + 1
  redis.call('HSET', KEYS[1], 'hash', ARGV[1], 'rev', rev)
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local result = {rev}
for i = 8, #ARGV do
  local mode, sink = string.sub(ARGV[i], 1, 1), string.sub(ARGV[i], 3)
  local status = 'go'
  if (tonumber(redis.call('HGET', KEYS[1], 'sink:' .. sink)) or 0) >= rev then
    status = 'done'
  elseif mode == 'S' then
    local revText = string.format('%d', rev)
    appendEntry(KEYS[2], ARGV[4], ARGV[5], revText, ARGV[1], ARGV[6] .. revText .. ARGV[7])
    redis.call('HSET', KEYS[1], 'sink:' .. sink, rev)
    status = 'written'
  elseif mode == 'L' then
    local lease = redis.call('HGET', KEYS[1], 'lease:' .. sink)
    if lease then
      local lrev, token, expires = string.match(lease, '^(%d+):([^:]+):(%d+)$')
      if tonumber(lrev) == rev and token ~= ARGV[2] and tonumber(expires) > now then
        status = 'busy'
      end
    end
    if status == 'go' then
      redis.call('HSET', KEYS[1], 'lease:' .. sink, rev .. ':' .. ARGV[2] .. ':' .. (now + tonumber(ARGV[3])))
    end
  end
  result[#result + 1] = status
end
return result
`;

/**
 * Records that sinks have the given revision and drops their leases; never moves a marker
 * backwards, so a slow job holding an older revision cannot make a newer one look undelivered.
 * KEYS[1] ledger hash; ARGV[1] revision; ARGV[2..] sink names.
 */
const MARK_SCRIPT = `
local rev = tonumber(ARGV[1])
for i = 2, #ARGV do
  if (tonumber(redis.call('HGET', KEYS[1], 'sink:' .. ARGV[i])) or 0) < rev then
    redis.call('HSET', KEYS[1], 'sink:' .. ARGV[i], rev)
  end
  redis.call('HDEL', KEYS[1], 'lease:' .. ARGV[i])
end
return 1
`;

/** Drops this job's leases (a write failed): the retry need not wait for them to expire. */
const RELEASE_SCRIPT = `
for i = 2, #ARGV do
  local lease = redis.call('HGET', KEYS[1], 'lease:' .. ARGV[i])
  if lease and string.match(lease, '^%d+:([^:]+):') == ARGV[1] then
    redis.call('HDEL', KEYS[1], 'lease:' .. ARGV[i])
  end
end
return 1
`;

export type SinkStatus = 'done' | 'busy' | 'go' | 'written';

export interface SinkClaim {
  name: string;
  /** The sink records its own delivery atomically with its write: no lease is taken. */
  atomic: boolean;
}

/** A stream entry the claim appends for the record, when its sink lacks the revision. */
export interface ClaimAppend {
  /** The stream sink's name (its delivery field in the ledger). */
  sink: string;
  stream: string;
  maxLen: number;
  json: RecordJson;
}

export interface RevisionClaim {
  revision: number;
  /** Per sink, in the order asked. */
  status: Map<string, SinkStatus>;
}

/**
 * The revision store of the distributed driver: one Redis hash per record id holding the
 * content hash, the revision, the revision each sink has received and live write leases.
 */
export class RevisionLedger {
  private readonly claimScript: ScriptCall;
  private readonly markScript: ScriptCall;
  private readonly releaseScript: ScriptCall;

  constructor(
    redis: Redis,
    private readonly keys: RecordKeys,
  ) {
    this.claimScript = defineScript(redis, 'newsnormClaimRevision', 2, CLAIM_SCRIPT);
    this.markScript = defineScript(redis, 'newsnormMarkDelivered', 1, MARK_SCRIPT);
    this.releaseScript = defineScript(redis, 'newsnormReleaseLeases', 1, RELEASE_SCRIPT);
  }

  /**
   * The revision of this content, and what each sink needs (see CLAIM_SCRIPT). With `append`,
   * its sink (one of `sinks`) is written here when it lacks the revision: status `written`.
   */
  async claim(
    recordId: string,
    contentHash: string,
    sinks: SinkClaim[],
    lease: { token: string; ms: number },
    append?: ClaimAppend,
  ): Promise<RevisionClaim> {
    const reply = (await this.claimScript(
      [this.keys.ledger(recordId), append?.stream ?? this.keys.stream],
      [
        contentHash,
        lease.token,
        lease.ms,
        append?.maxLen ?? '',
        recordId,
        // As bytes: ioredis would take a string's UTF-8 length in one pass and encode it in
        // another; an 8 KB record costs the claim about 15 µs of CPU less this way.
        append ? Buffer.from(append.json.head) : '',
        append ? Buffer.from(append.json.tail) : '',
        ...sinks.map((s) => `${s.name === append?.sink ? 'S' : s.atomic ? 'A' : 'L'}:${s.name}`),
      ],
    )) as [number, ...SinkStatus[]];
    const [revision, ...statuses] = reply;
    return { revision, status: new Map(sinks.map((s, i) => [s.name, statuses[i]!])) };
  }

  /** Marks a revision delivered to these sinks and drops their leases. */
  async markDelivered(recordId: string, revision: number, sinkNames: string[]): Promise<void> {
    if (sinkNames.length === 0) return;
    await this.markScript([this.keys.ledger(recordId)], [revision, ...sinkNames]);
  }

  /** Drops the leases this token holds on these sinks. */
  async release(recordId: string, token: string, sinkNames: string[]): Promise<void> {
    if (sinkNames.length === 0) return;
    await this.releaseScript([this.keys.ledger(recordId)], [token, ...sinkNames]);
  }
}
