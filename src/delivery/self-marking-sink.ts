import type { RecordSink } from './record-sink.js';

/** A sink whose write records its own delivery marker atomically (the Redis Stream sink). */
export interface SelfMarkingSink extends RecordSink {
  readonly marksOwnDelivery: true;
}

export function marksOwnDelivery(sink: RecordSink): sink is SelfMarkingSink {
  return (sink as Partial<SelfMarkingSink>).marksOwnDelivery === true;
}
