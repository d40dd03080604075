import type { RecordJson } from '../record/record-json.js';

/**
 * Where record revisions are decided: one contract, RevisionStore, with a file-backed store
 * (`newsnorm run` and `reprocess`, from the records file) and a Redis one (the process
 * workers, src/delivery/redis-revision-store.ts). Both apply decideRevision; sinks only write
 * what a store hands them.
 */

/** Content a run or a job built for a record id, as a store judges it. */
export interface ContentVersion {
  id: string;
  contentHash: string;
  /**
   * When the page this content was built from was read from its source (ms since the epoch):
   * a fetch's retrievedAt, a seed's enqueue time. Content read before the current revision's
   * is stale. null when unknown (no order is then assumed).
   */
  readAtMs: number | null;
  /** The record's JSON around its revision, for a store that writes a sink in the claim. */
  json?: RecordJson;
}

/**
 * - `new`: the id's first revision;
 * - `revised`: the content changed: the next revision;
 * - `unchanged`: the current revision's content (sinks that lack it still get it);
 * - `stale`: other content read before the current revision's (a retried or late job): it
 *   gets no revision and goes to no sink.
 */
export type RevisionStatus = 'new' | 'revised' | 'unchanged' | 'stale';

/** What a store keeps of a record's current revision. */
export interface RevisionState {
  revision: number;
  contentHash: string;
  readAtMs: number | null;
}

export interface RevisionDecision {
  revision: number;
  status: RevisionStatus;
}

/**
 * The rule every store applies (the Redis store runs the same in Lua, and a test holds the two
 * equal): revisions start at 1, move by one when the content hash changes, and never move for
 * content older than the current revision's, so no sink ever gets old text under a new number.
 */
export function decideRevision(
  current: RevisionState | undefined,
  content: ContentVersion,
): RevisionDecision {
  if (!current) return { revision: 1, status: 'new' };
  if (current.contentHash === content.contentHash) {
    return { revision: current.revision, status: 'unchanged' };
  }
  if (
    content.readAtMs !== null &&
    current.readAtMs !== null &&
    content.readAtMs < current.readAtMs
  ) {
    return { revision: current.revision, status: 'stale' };
  }
  return { revision: current.revision + 1, status: 'revised' };
}

/** The state after a decision: an unchanged or stale claim keeps the revision it found. */
export function nextState(
  current: RevisionState | undefined,
  content: ContentVersion,
  decision: RevisionDecision,
): RevisionState {
  if (decision.status === 'stale') return current!;
  const times = [current?.readAtMs, content.readAtMs].filter((t) => typeof t === 'number');
  const readAtMs = times.length > 0 ? Math.max(...times) : null;
  return { revision: decision.revision, contentHash: content.contentHash, readAtMs };
}

/**
 * What a sink must do with the claimed revision:
 * - `done`: it has it (or a later one), or the content is stale;
 * - `busy`: another job is writing it now (a live lease): try again later;
 * - `go`: write it, then mark it delivered;
 * - `written`: the store wrote it itself in the claim (the Redis Stream);
 * - `check`: an earlier attempt began writing it and never marked it (a crash, or a mark Redis
 *   refused): look from `since` whether the write landed before writing again.
 */
export type SinkStatus = 'done' | 'busy' | 'go' | 'written' | 'check';

export interface SinkClaim {
  name: string;
  /** The sink records its own delivery atomically with its write: no lease is taken. */
  atomic: boolean;
  /** Where the sink stands before this attempt (CheckableSink.position), kept with the attempt. */
  position?: string;
}

export interface SinkDecision {
  status: SinkStatus;
  /** For `check`: the position the earlier attempt started from. */
  since?: string;
}

export interface RevisionClaim extends RevisionDecision {
  /** Per sink, by name. */
  sinks: Map<string, SinkDecision>;
}

/** A job's right to write a record to its sinks, for `ms` (then another job may). */
export interface SinkLease {
  token: string;
  ms: number;
}

/**
 * The contract: claim a revision for an id and a content hash (decideRevision) and learn what
 * each sink needs; mark a revision delivered to sinks; give up a claim's leases after a failed
 * write. Implementations: FileRevisionStore (one process, the records file), RedisRevisionStore
 * (any number of worker processes).
 */
export interface RevisionStore {
  claim(
    content: ContentVersion,
    sinks: readonly SinkClaim[],
    lease: SinkLease,
  ): Promise<RevisionClaim>;
  markDelivered(id: string, revision: number, sinkNames: readonly string[]): Promise<void>;
  release(id: string, token: string, sinkNames: readonly string[]): Promise<void>;
}

/**
 * The in-process store of `newsnorm run` and `reprocess`: the revisions of the records file
 * as it was opened, then this run's claims, in memory (an id, a hash, two numbers a record).
 * One process holds the file (lockRecordsFile), so no lease is needed.
 */
export class FileRevisionStore implements RevisionStore {
  /** Per id: the current revision and the revision each sink has. */
  private readonly records = new Map<string, RevisionState & { delivered: Map<string, number> }>();

  /** `existing`: the records already in the sinks (the records file as opened), by id. */
  constructor(existing: Iterable<[string, RevisionState]>, sinkNames: readonly string[]) {
    for (const [id, state] of existing) {
      this.records.set(id, {
        ...state,
        delivered: new Map(sinkNames.map((s) => [s, state.revision])),
      });
    }
  }

  async claim(content: ContentVersion, sinks: readonly SinkClaim[]): Promise<RevisionClaim> {
    const current = this.records.get(content.id);
    const decision = decideRevision(current, content);
    const delivered = current?.delivered ?? new Map<string, number>();
    this.records.set(content.id, { ...nextState(current, content, decision), delivered });
    const statuses = new Map<string, SinkDecision>();
    for (const sink of sinks) {
      const has = delivered.get(sink.name) ?? 0;
      statuses.set(sink.name, {
        status: decision.status === 'stale' || has >= decision.revision ? 'done' : 'go',
      });
    }
    return { ...decision, sinks: statuses };
  }

  async markDelivered(id: string, revision: number, sinkNames: readonly string[]): Promise<void> {
    const delivered = this.records.get(id)?.delivered;
    if (!delivered) return;
    for (const name of sinkNames) delivered.set(name, Math.max(delivered.get(name) ?? 0, revision));
  }

  async release(): Promise<void> {}
}
