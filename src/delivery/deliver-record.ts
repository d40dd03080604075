import { randomUUID } from 'node:crypto';
import { RetryableError } from '../errors.js';
import { withRevision, type RecordDraft } from '../record/build-record.js';
import { madeRecord, recordFromJson, recordText, type MadeRecord } from '../record/record-json.js';
import { isCheckable, type RecordSink } from './record-sink.js';
import type { RevisionStatus, RevisionStore } from './revision-store.js';
import { marksOwnDelivery } from './self-marking-sink.js';

export interface DeliverDeps {
  store: RevisionStore;
  sinks: readonly RecordSink[];
  /**
   * How long a writer may hold the right to write a record revision to a sink. Another writer
   * of the same record waits (SINK_BUSY, retried) meanwhile; after it, a crashed writer's turn
   * passes on.
   */
  leaseMs: number;
}

export interface Delivery {
  id: string;
  revision: number;
  status: RevisionStatus;
  /** Sinks written by this call; empty when every sink had the revision (or it was stale). */
  written: string[];
}

/**
 * A record draft → its revision → the sinks that lack it: the one step `run`, `reprocess` and
 * the process workers share. The store decides the revision (forward only: stale content
 * reaches no sink) and which sinks need it; each is written, then marked delivered. The
 * record is serialized once, for every sink. A record made elsewhere (MadeRecord: its JSON,
 * from a worker's page thread) is delivered from its JSON, never parsed unless a sink reads
 * more of it than its identity.
 */
export async function deliverRecord(
  draft: RecordDraft | MadeRecord,
  readAtMs: number | null,
  deps: DeliverDeps,
): Promise<Delivery> {
  const made = 'json' in draft ? draft : madeRecord(draft);
  const { json } = made;
  const token = randomUUID();
  const sinks = await Promise.all(
    deps.sinks.map(async (sink) => ({
      name: sink.name,
      atomic: marksOwnDelivery(sink),
      ...(isCheckable(sink) ? { position: await sink.position() } : {}),
    })),
  );
  const claim = await deps.store.claim(
    { id: draft.id, contentHash: draft.contentHash, readAtMs, json },
    sinks,
    { token, ms: deps.leaseMs },
  );
  const { revision } = claim;
  const statusOf = (sink: RecordSink) => claim.sinks.get(sink.name)?.status;
  const written = deps.sinks.filter((s) => statusOf(s) === 'written').map((s) => s.name);
  const pending = deps.sinks.filter((s) => statusOf(s) === 'go' || statusOf(s) === 'check');
  const busy = deps.sinks.filter((s) => statusOf(s) === 'busy').map((s) => s.name);
  if (pending.length > 0) {
    const record = 'json' in draft ? recordFromJson(made, revision) : withRevision(draft, revision);
    const text = recordText(json, revision);
    const outcomes = await Promise.allSettled(
      pending.map(async (sink) => {
        const since = claim.sinks.get(sink.name)?.since;
        const landed =
          since !== undefined &&
          isCheckable(sink) &&
          (await sink.wrote(record.id, revision, since));
        if (!landed) await sink.write(record, text);
        if (!marksOwnDelivery(sink))
          await deps.store.markDelivered(record.id, revision, [sink.name]);
        if (!landed) written.push(sink.name);
      }),
    );
    const failed = pending.filter((_, i) => outcomes[i]!.status === 'rejected').map((s) => s.name);
    if (failed.length > 0) {
      await deps.store.release(record.id, token, failed).catch(() => {});
      // The sinks that succeeded are marked: the retry writes only the ones that failed.
      throw (outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult).reason;
    }
  }
  if (busy.length > 0) {
    throw new RetryableError(
      'SINK_BUSY',
      `record ${draft.id} revision ${revision} is being written to ${busy.join(', ')} by another job`,
    );
  }
  return { id: draft.id, revision, status: claim.status, written };
}
