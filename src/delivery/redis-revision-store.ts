import type { Redis } from 'ioredis';
import { APPEND_ENTRY_LUA } from './redis-stream-sink.js';
import { defineScript, type ScriptCall } from './define-script.js';
import type {
  ContentVersion,
  RevisionClaim,
  RevisionStatus,
  RevisionStore,
  SinkClaim,
  SinkDecision,
  SinkLease,
  SinkStatus,
} from './revision-store.js';
import type { RecordKeys } from './record-keys.js';

/**
 * One step for a job about to write a record: decide the revision as decideRevision does
 * (src/delivery/revision-store.ts: 1, +1 when the content hash changes, and nothing for content
 * read before the current revision's: `stale`), then say for each sink whether it already has
 * this revision (`done`), whether another job is writing it right now (`busy`: a live lease),
 * or whether this job may write it (`go`, with a lease taken for `leaseMs` on sinks that cannot
 * mark their own delivery). A sink that gives its position has the attempt kept (`attempt:`)
 * until the revision is marked: a later job finding one answers `check` with that position,
 * so the sink can see whether the write landed before writing it again. The stream sink, when
 * the job hands over the record's JSON, is written here and marked at once (`written`): one
 * round trip, and the same atomic write-and-mark as its own script.
 * KEYS[1] ledger hash, KEYS[2] stream. ARGV: content hash, lease token, lease ms, stream max
 * length, record id, JSON head and tail (around the revision; empty when nothing is appended),
 * read time in ms (empty: unknown), then one "L:<sink>[:<position>]" (lease), "A:<sink>" (atomic
 * sink, no lease) or "S:<sink>" (the stream, appended here) per sink.
 * Returns {revision, status, then per sink: status or "check:<position>"}.
 */
const CLAIM_SCRIPT = `${APPEND_ENTRY_LUA}
local stored = redis.call('HMGET', KEYS[1], 'hash', 'rev', 'at')
local rev = tonumber(stored[2]) or 0
local at = tonumber(stored[3])
local readAt = tonumber(ARGV[8])
local status
if rev == 0 then
  status = 'new'
elseif stored[1] == ARGV[1] then
  status = 'unchanged'
elseif readAt and at and readAt < at then
  status = 'stale'
else
  status = 'revised'
end
if status == 'new' or status == 'revised' then
  rev = rev + 1
  redis.call('HSET', KEYS[1], 'hash', ARGV[1], 'rev', rev)
end
if status ~= 'stale' and readAt and (not at or readAt > at) then
  redis.call('HSET', KEYS[1], 'at', ARGV[8])
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local result = {rev, status}
for i = 9, #ARGV do
  local mode, sink, position = string.match(ARGV[i], '^(%a):([^:]+):?(.*)$')
  local answer = 'go'
  if status == 'stale' or (tonumber(redis.call('HGET', KEYS[1], 'sink:' .. sink)) or 0) >= rev then
    answer = 'done'
  elseif mode == 'S' then
    local revText = string.format('%d', rev)
    appendEntry(KEYS[2], ARGV[4], ARGV[5], revText, ARGV[1], ARGV[6] .. revText .. ARGV[7])
    redis.call('HSET', KEYS[1], 'sink:' .. sink, rev)
    answer = 'written'
  elseif mode == 'L' then
    local lease = redis.call('HGET', KEYS[1], 'lease:' .. sink)
    if lease then
      local lrev, token, expires = string.match(lease, '^(%d+):([^:]+):(%d+)$')
      if tonumber(lrev) == rev and token ~= ARGV[2] and tonumber(expires) > now then
        answer = 'busy'
      end
    end
    if answer == 'go' then
      redis.call('HSET', KEYS[1], 'lease:' .. sink, rev .. ':' .. ARGV[2] .. ':' .. (now + tonumber(ARGV[3])))
      local attempt = redis.call('HGET', KEYS[1], 'attempt:' .. sink)
      local arev, since = nil, nil
      if attempt then arev, since = string.match(attempt, '^(%d+):(.*)$') end
      if arev and tonumber(arev) == rev then
        answer = 'check:' .. since
      elseif position ~= '' then
        redis.call('HSET', KEYS[1], 'attempt:' .. sink, rev .. ':' .. position)
      end
    end
  end
  result[#result + 1] = answer
end
return result
`;

/**
 * Records that sinks have the given revision and drops their leases and kept attempts; never
 * moves a marker backwards, so a slow job holding an older revision cannot make a newer one look
 * undelivered. KEYS[1] ledger hash; ARGV[1] revision; ARGV[2..] sink names.
 */
const MARK_SCRIPT = `
local rev = tonumber(ARGV[1])
for i = 2, #ARGV do
  if (tonumber(redis.call('HGET', KEYS[1], 'sink:' .. ARGV[i])) or 0) < rev then
    redis.call('HSET', KEYS[1], 'sink:' .. ARGV[i], rev)
  end
  redis.call('HDEL', KEYS[1], 'lease:' .. ARGV[i])
  local attempt = redis.call('HGET', KEYS[1], 'attempt:' .. ARGV[i])
  if attempt and tonumber(string.match(attempt, '^(%d+):')) <= rev then
    redis.call('HDEL', KEYS[1], 'attempt:' .. ARGV[i])
  end
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

/** The stream the claim appends a record's entry to, when its sink lacks the revision. */
export interface ClaimStream {
  /** The stream sink's name (its delivery field in the ledger). */
  sink: string;
  stream: string;
  maxLen: number;
}

/**
 * The revision store of the distributed driver: one Redis hash per record id holding the
 * content hash, the revision, the read time of its content, the revision each sink has
 * received, live write leases and unfinished write attempts.
 */
export class RedisRevisionStore implements RevisionStore {
  private readonly claimScript: ScriptCall;
  private readonly markScript: ScriptCall;
  private readonly releaseScript: ScriptCall;

  constructor(
    redis: Redis,
    private readonly keys: RecordKeys,
    /** The Redis Stream sink, written by the claim itself when the content carries its JSON. */
    private readonly stream: ClaimStream | null = null,
  ) {
    this.claimScript = defineScript(redis, 'newsnormClaimRevision', 2, CLAIM_SCRIPT);
    this.markScript = defineScript(redis, 'newsnormMarkDelivered', 1, MARK_SCRIPT);
    this.releaseScript = defineScript(redis, 'newsnormReleaseLeases', 1, RELEASE_SCRIPT);
  }

  /**
   * The revision of this content, and what each sink needs (see CLAIM_SCRIPT). When the content
   * carries its JSON and the stream sink is among `sinks`, the stream is written here when it
   * lacks the revision: status `written`.
   */
  async claim(
    content: ContentVersion,
    sinks: readonly SinkClaim[],
    lease: SinkLease,
  ): Promise<RevisionClaim> {
    const json = content.json;
    const append =
      this.stream && json && sinks.some((s) => s.name === this.stream!.sink)
        ? { ...this.stream, json }
        : undefined;
    const reply = (await this.claimScript(
      [this.keys.ledger(content.id), append?.stream ?? this.keys.stream],
      [
        content.contentHash,
        lease.token,
        lease.ms,
        append?.maxLen ?? '',
        content.id,
        // As bytes: ioredis would take a string's UTF-8 length in one pass and encode it in
        // another; an 8 KB record costs the claim about 15 µs of CPU less this way.
        append ? Buffer.from(append.json.head) : '',
        append ? Buffer.from(append.json.tail) : '',
        content.readAtMs ?? '',
        ...sinks.map((s) => {
          const mode = s.name === append?.sink ? 'S' : s.atomic ? 'A' : 'L';
          return `${mode}:${s.name}${mode === 'L' && s.position ? `:${s.position}` : ''}`;
        }),
      ],
    )) as [number, RevisionStatus, ...string[]];
    const [revision, status, ...answers] = reply;
    return {
      revision,
      status,
      sinks: new Map(sinks.map((s, i) => [s.name, sinkDecision(answers[i]!)])),
    };
  }

  /** Marks a revision delivered to these sinks and drops their leases and attempts. */
  async markDelivered(
    recordId: string,
    revision: number,
    sinkNames: readonly string[],
  ): Promise<void> {
    if (sinkNames.length === 0) return;
    await this.markScript([this.keys.ledger(recordId)], [revision, ...sinkNames]);
  }

  /** Drops the leases this token holds on these sinks (their attempts stay, to be checked). */
  async release(recordId: string, token: string, sinkNames: readonly string[]): Promise<void> {
    if (sinkNames.length === 0) return;
    await this.releaseScript([this.keys.ledger(recordId)], [token, ...sinkNames]);
  }
}

function sinkDecision(answer: string): SinkDecision {
  if (answer.startsWith('check:')) return { status: 'check', since: answer.slice('check:'.length) };
  return { status: answer as SinkStatus };
}
