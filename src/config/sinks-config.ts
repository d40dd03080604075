import { z } from 'zod';
import { envList, type ConfigSection } from './config-section.js';

export const SinkName = z.enum(['file', 'stream', 'webhook', 'postgres']);
export type SinkName = z.infer<typeof SinkName>;

export const SinksConfig = z
  .object({
    /** Where workers write records; several at once. @default ["file","stream"] */
    enabled: envList(SinkName)
      .default(['file', 'stream'])
      .describe('Sinks the workers write (file, stream, webhook, postgres)'),
    /** JSONL file every worker process appends to. @default "out/worker-records.jsonl" */
    filePath: z.string().min(1).default('out/worker-records.jsonl').describe('JSONL sink file'),
    /** Stream name, under the queue prefix (`{newsnorm}:records`). @default "records" */
    streamName: z.string().min(1).default('records').describe('Redis Stream of records'),
    /**
     * Approximate cap on stream entries (XADD MAXLEN ~): old entries go first, read or not. A
     * seed-sized record takes about 10 KB of Redis memory, so the default holds about 500 MB.
     * @default 50000
     */
    streamMaxLen: z.coerce
      .number()
      .int()
      .min(1)
      .default(50_000)
      .describe('Approximate cap on stream entries (XADD MAXLEN ~)'),
    /** Webhook receiving one POST per record revision. @default null */
    webhookUrl: z
      .string()
      .url()
      .nullable()
      .default(null)
      .describe('Webhook receiving one POST per record revision'),
    /** HMAC-SHA256 key signing the webhook body (X-Newsnorm-Signature). @default null */
    webhookSecret: z
      .string()
      .min(16, 'at least 16 characters')
      .nullable()
      .default(null)
      .describe('HMAC-SHA256 key signing webhook bodies (X-Newsnorm-Signature)'),
    /** Time allowed for one webhook POST. @default 10000 */
    webhookTimeoutMs: z.coerce
      .number()
      .int()
      .min(1)
      .default(10_000)
      .describe('Time allowed for one webhook POST (ms)'),
    /**
     * Bytes read from a webhook receiver's answer (its error text, for the failure reason); the
     * rest is dropped unread, however much the receiver sends. @default 16384
     */
    webhookMaxResponseBytes: z.coerce
      .number()
      .int()
      .min(256)
      .max(16 * 1024 * 1024)
      .default(16 * 1024)
      .describe("Bytes read from a webhook receiver's answer (the rest is dropped)"),
    /** POST tries per record within one job before the job itself is retried. @default 3 */
    webhookAttempts: z.coerce
      .number()
      .int()
      .min(1)
      .max(20)
      .default(3)
      .describe('POST tries per record within one job'),
    /**
     * PostgreSQL database of the postgres sink and `newsnorm db`
     * (`postgres://user:password@host:5432/db`). @default null
     */
    databaseUrl: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'a postgres:// or postgresql:// URL')
      .nullable()
      .default(null)
      .describe('PostgreSQL URL of the postgres sink and `newsnorm db`'),
    /** Connections each process keeps to PostgreSQL at most. @default 10 */
    postgresPoolSize: z.coerce
      .number()
      .int()
      .min(1)
      .max(1000)
      .default(10)
      .describe('PostgreSQL connections per process at most'),
    /** Time allowed to get a connection, and for one write, before it fails (retryable). @default 10000 */
    postgresTimeoutMs: z.coerce
      .number()
      .int()
      .min(1)
      .default(10_000)
      .describe('Time allowed to connect to PostgreSQL and for one write (ms)'),
  })
  .superRefine((c, ctx) => {
    if (c.enabled.includes('postgres') && !c.databaseUrl) {
      ctx.addIssue({
        code: 'custom',
        path: ['databaseUrl'],
        message: 'the postgres sink needs DATABASE_URL',
      });
    }
    if (!c.enabled.includes('webhook')) return;
    if (!c.webhookUrl) {
      ctx.addIssue({
        code: 'custom',
        path: ['webhookUrl'],
        message: 'the webhook sink needs a URL',
      });
    }
    if (!c.webhookSecret) {
      ctx.addIssue({
        code: 'custom',
        path: ['webhookSecret'],
        message: 'the webhook sink needs a signing secret',
      });
    }
  });
export type SinksConfig = z.infer<typeof SinksConfig>;

export const sinksSection: ConfigSection<typeof SinksConfig> = {
  schema: SinksConfig,
  env: {
    enabled: 'NEWSNORM_SINKS',
    filePath: 'NEWSNORM_SINK_FILE',
    streamName: 'NEWSNORM_STREAM',
    streamMaxLen: 'NEWSNORM_STREAM_MAXLEN',
    webhookUrl: 'NEWSNORM_WEBHOOK_URL',
    webhookSecret: 'NEWSNORM_WEBHOOK_SECRET',
    webhookTimeoutMs: 'NEWSNORM_WEBHOOK_TIMEOUT_MS',
    webhookAttempts: 'NEWSNORM_WEBHOOK_ATTEMPTS',
    databaseUrl: 'DATABASE_URL',
    postgresPoolSize: 'NEWSNORM_PG_POOL_SIZE',
    postgresTimeoutMs: 'NEWSNORM_PG_TIMEOUT_MS',
    webhookMaxResponseBytes: 'NEWSNORM_WEBHOOK_MAX_RESPONSE_BYTES',
  },
};
