import type { Redis } from 'ioredis';
import type { SinksConfig } from '../config/sinks-config.js';
import type { RecordKeys } from '../queue/record-keys.js';
import { AppendJsonlSink } from './append-jsonl-sink.js';
import type { RecordSink } from './record-sink.js';
import { RedisStreamSink } from './redis-stream-sink.js';
import { WebhookSink } from './webhook-sink.js';

/** The sinks the configuration enables, in its order. */
export function createSinks(config: SinksConfig, redis: Redis, keys: RecordKeys): RecordSink[] {
  return config.enabled.map((name): RecordSink => {
    switch (name) {
      case 'file':
        return new AppendJsonlSink(config.filePath);
      case 'stream':
        return new RedisStreamSink(redis, { keys, maxLen: config.streamMaxLen });
      case 'webhook':
        // The config schema refuses the webhook sink without a URL and a secret.
        return new WebhookSink({
          url: config.webhookUrl!,
          secret: config.webhookSecret!,
          timeoutMs: config.webhookTimeoutMs,
          attempts: config.webhookAttempts,
          maxResponseBytes: config.webhookMaxResponseBytes,
        });
    }
  });
}
