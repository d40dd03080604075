import { createHash } from 'node:crypto';
import type { RedisClient } from './redis-client.js';

/** What a server said identifies the version of a page it sent (RFC 9110 §8.8). */
export interface Validators {
  etag?: string;
  lastModified?: string;
}

/** ETag / Last-Modified per URL, sent back as If-None-Match / If-Modified-Since. */
export interface ValidatorStore {
  get(url: string): Promise<Validators | null>;
  set(url: string, validators: Validators): Promise<void>;
}

/** Validators in process memory: for tests and the in-process driver. */
export class MemoryValidatorStore implements ValidatorStore {
  private readonly byUrl = new Map<string, Validators>();

  async get(url: string): Promise<Validators | null> {
    return this.byUrl.get(url) ?? null;
  }

  async set(url: string, validators: Validators): Promise<void> {
    this.byUrl.set(url, validators);
  }
}

/**
 * Validators in Redis, one small JSON string per URL (key: a hash of the URL, so odd URLs
 * make tidy keys), expiring after `ttlMs` so URLs never polled again do not pile up.
 */
export class RedisValidatorStore implements ValidatorStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly options: { keyPrefix: string; ttlMs: number },
  ) {}

  private key(url: string): string {
    const digest = createHash('sha256').update(url).digest('hex').slice(0, 32);
    return `${this.options.keyPrefix}validators:${digest}`;
  }

  async get(url: string): Promise<Validators | null> {
    const text = await this.redis.get(this.key(url));
    if (text === null) return null;
    try {
      const value = JSON.parse(text) as { etag?: unknown; lastModified?: unknown };
      const validators: Validators = {};
      if (typeof value.etag === 'string') validators.etag = value.etag;
      if (typeof value.lastModified === 'string') validators.lastModified = value.lastModified;
      return validators;
    } catch {
      // A value that is not ours costs one unconditional fetch, not a failed job.
      return null;
    }
  }

  async set(url: string, validators: Validators): Promise<void> {
    await this.redis.set(this.key(url), JSON.stringify(validators), 'PX', this.options.ttlMs);
  }
}
