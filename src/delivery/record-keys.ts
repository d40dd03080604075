/**
 * Redis keys newsnorm owns beside BullMQ's, all under the queue prefix: its hash tag puts
 * them in the queues' Cluster slot, so one Lua script may touch the ledger and the stream.
 */
export interface RecordKeys {
  /** Hash of a record's latest revision: `hash`, `rev`, and `sink:<name>` = revision delivered. */
  ledger(recordId: string): string;
  /** The stream downstream services read. */
  stream: string;
}

export function recordKeys(prefix: string, streamName: string): RecordKeys {
  return {
    ledger: (recordId) => `${prefix}:record:${recordId}`,
    stream: `${prefix}:${streamName}`,
  };
}

/** The ledger field holding the revision a sink has received. */
export function deliveredField(sinkName: string): string {
  return `sink:${sinkName}`;
}
