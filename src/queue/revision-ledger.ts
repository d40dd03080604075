import type { Redis } from 'ioredis';
import { defineScript, type ScriptCall } from './define-script.js';
import { deliveredField, type RecordKeys } from './record-keys.js';

/**
 * Compares the content hash with the stored one and bumps the revision when it changed, in one
 * step, so two jobs racing on one record never hand out the same revision twice.
 * KEYS[1] ledger hash; ARGV[1] content hash. Returns the ledger after the update (HGETALL).
 */
const CLAIM_SCRIPT = `
local stored = redis.call('HMGET', KEYS[1], 'hash', 'rev')
if stored[1] ~= ARGV[1] then
  redis.call('HSET', KEYS[1], 'hash', ARGV[1], 'rev', (tonumber(stored[2]) or 0) + 1)
end
return redis.call('HGETALL', KEYS[1])
`;

/**
 * Records that sinks have the given revision; never moves a marker backwards, so a slow job
 * holding an older revision cannot make a newer one look undelivered.
 * KEYS[1] ledger hash; ARGV[1] revision; ARGV[2..] ledger fields.
 */
const MARK_SCRIPT = `
local rev = tonumber(ARGV[1])
for i = 2, #ARGV do
  if (tonumber(redis.call('HGET', KEYS[1], ARGV[i])) or 0) < rev then
    redis.call('HSET', KEYS[1], ARGV[i], rev)
  end
end
return 1
`;

export interface RevisionClaim {
  revision: number;
  /** Sink name → latest revision it has received. */
  delivered: Map<string, number>;
}

/** The revision store of the distributed driver: one Redis hash per record id. */
export class RevisionLedger {
  private readonly claimScript: ScriptCall;
  private readonly markScript: ScriptCall;

  constructor(
    redis: Redis,
    private readonly keys: RecordKeys,
  ) {
    this.claimScript = defineScript(redis, 'newsnormClaimRevision', 1, CLAIM_SCRIPT);
    this.markScript = defineScript(redis, 'newsnormMarkDelivered', 1, MARK_SCRIPT);
  }

  /** The revision this content has (new content: the next one), and what each sink has. */
  async claim(recordId: string, contentHash: string): Promise<RevisionClaim> {
    const flat = (await this.claimScript([this.keys.ledger(recordId)], [contentHash])) as string[];
    const fields = new Map<string, string>();
    for (let i = 0; i + 1 < flat.length; i += 2) fields.set(flat[i]!, flat[i + 1]!);
    const delivered = new Map<string, number>();
    for (const [field, value] of fields) {
      if (field.startsWith('sink:')) delivered.set(field.slice('sink:'.length), Number(value));
    }
    return { revision: Number(fields.get('rev')), delivered };
  }

  /** Marks a revision delivered to these sinks. */
  async markDelivered(recordId: string, revision: number, sinkNames: string[]): Promise<void> {
    if (sinkNames.length === 0) return;
    await this.markScript(
      [this.keys.ledger(recordId)],
      [revision, ...sinkNames.map(deliveredField)],
    );
  }
}
