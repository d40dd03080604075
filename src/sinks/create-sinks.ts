import type { Redis } from 'ioredis';
import type { SinksConfig } from '../config/sinks-config.js';
import type { PipelineError } from '../errors.js';
import type { RecordKeys } from '../delivery/record-keys.js';
import { AppendJsonlSink } from './append-jsonl-sink.js';
import { postgresSettings } from './postgres-settings.js';
import { PostgresSink } from './postgres-sink.js';
import type { RecordSink } from '../delivery/record-sink.js';
import { RedisStreamSink } from '../delivery/redis-stream-sink.js';
import { WebhookSink } from './webhook-sink.js';

/**
 * The sinks the configuration enables, in its order. The postgres sink is opened here: its
 * database must answer and have every migration, or this throws before any job is taken.
 * `onPostgresError` hears about pooled connections lost while idle.
 */
export async function createSinks(
  config: SinksConfig,
  redis: Redis,
  keys: RecordKeys,
  onPostgresError?: (error: PipelineError) => void,
): Promise<RecordSink[]> {
  return Promise.all(
    config.enabled.map(async (name): Promise<RecordSink> => {
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
        case 'postgres':
          return PostgresSink.open(postgresSettings(config), onPostgresError);
      }
    }),
  );
}
