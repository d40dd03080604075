import { createHmac } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { request, type Dispatcher } from 'undici';
import { PermanentError, RetryableError } from '../errors.js';
import { readBodyPrefix } from '../fetch/read-body.js';
import type { CanonicalRecord } from '../record/canonical-record.js';
import type { RecordSink } from '../delivery/record-sink.js';

/** Header carrying `sha256=<hex HMAC-SHA256 of the body>`, checked by the receiver. */
export const SIGNATURE_HEADER = 'x-newsnorm-signature';
/** Header carrying `<id>:<revision>`: the receiver's idempotency key. */
export const DELIVERY_HEADER = 'x-newsnorm-delivery';

/** First pause between POST tries; doubles each try. */
const FIRST_RETRY_DELAY_MS = 200;
/** Largest body read from an error response, for the failure reason. */
const MAX_ERROR_BODY_CHARS = 200;
/** Bytes of an answer read when the options do not say (sinks.webhookMaxResponseBytes). */
const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024;

export interface WebhookSinkOptions {
  url: string;
  secret: string;
  timeoutMs: number;
  attempts: number;
  /** Bytes of the receiver's answer read; the rest is dropped unread. @default 16384 */
  maxResponseBytes?: number;
  dispatcher?: Dispatcher;
}

/** Signs a body as the receiver verifies it. */
export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * signBody on the body's bytes, computed off the event loop (WebCrypto runs in libuv's thread
 * pool): hashing a record of megabytes would hold the worker's loop for tens of milliseconds.
 */
async function signBytes(body: Uint8Array<ArrayBuffer>, key: Promise<CryptoKey>): Promise<string> {
  const mac = await crypto.subtle.sign('HMAC', await key, body);
  return `sha256=${Buffer.from(mac).toString('hex')}`;
}

/**
 * POSTs each record revision as JSON, signed. Retries network errors, 408, 429 and 5xx a few
 * times; then throws RetryableError so the job's own backoff takes over. Other 4xx answers
 * mean the receiver refuses the record: PermanentError.
 */
export class WebhookSink implements RecordSink {
  readonly name = 'webhook';
  private readonly key: Promise<CryptoKey>;

  constructor(private readonly options: WebhookSinkOptions) {
    this.key = crypto.subtle.importKey(
      'raw',
      Buffer.from(options.secret),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign'],
    );
    // A key that cannot be made fails each write instead, with its reason.
    this.key.catch(() => undefined);
  }

  async write(record: CanonicalRecord, json = JSON.stringify(record)): Promise<void> {
    // Encoded once, for the signature and every try of the POST.
    const body = Buffer.from(json);
    const headers = {
      'content-type': 'application/json',
      [SIGNATURE_HEADER]: await signBytes(body, this.key),
      [DELIVERY_HEADER]: `${record.id}:${record.revision}`,
    };
    let lastReason = '';
    for (let attempt = 1; attempt <= this.options.attempts; attempt++) {
      if (attempt > 1) await sleep(FIRST_RETRY_DELAY_MS * 2 ** (attempt - 2));
      try {
        const response = await request(this.options.url, {
          method: 'POST',
          headers,
          body,
          headersTimeout: this.options.timeoutMs,
          bodyTimeout: this.options.timeoutMs,
          ...(this.options.dispatcher ? { dispatcher: this.options.dispatcher } : {}),
        });
        const answer = await readBodyPrefix(
          response.body,
          this.options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
        );
        const text = answer.toString('utf8').slice(0, MAX_ERROR_BODY_CHARS);
        const status = response.statusCode;
        if (status >= 200 && status < 300) return;
        lastReason = `HTTP ${status} ${text}`.trim();
        if (status !== 408 && status !== 429 && status < 500) {
          throw new PermanentError('WEBHOOK_REJECTED', `webhook refused the record: ${lastReason}`);
        }
      } catch (error) {
        if (error instanceof PermanentError) throw error;
        lastReason = (error as Error).message;
      }
    }
    throw new RetryableError(
      'WEBHOOK_UNAVAILABLE',
      `webhook failed ${this.options.attempts} times: ${lastReason}`,
    );
  }

  async close(): Promise<void> {}
}
