import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisValidatorStore } from '../../src/fetch/validator-store.js';
import { startRedis, type TestRedis } from '../helpers/redis-server.js';

let redis: TestRedis;
let client: Redis;

beforeAll(async () => {
  redis = await startRedis();
  client = new Redis(redis.url);
});
afterAll(async () => {
  client.disconnect();
  await redis.stop();
});

describe('RedisValidatorStore', () => {
  it('keeps validators per URL, shared by every connection, with a TTL', async () => {
    const store = new RedisValidatorStore(client, { keyPrefix: 'v:', ttlMs: 60_000 });
    const url = 'https://news.example/a?b=1';
    expect(await store.get(url)).toBeNull();
    await store.set(url, { etag: 'W/"x"', lastModified: 'Tue, 01 Jun 2021 10:00:00 GMT' });
    const other = new Redis(redis.url);
    try {
      const seenElsewhere = new RedisValidatorStore(other, { keyPrefix: 'v:', ttlMs: 60_000 });
      expect(await seenElsewhere.get(url)).toEqual({
        etag: 'W/"x"',
        lastModified: 'Tue, 01 Jun 2021 10:00:00 GMT',
      });
      expect(await seenElsewhere.get('https://news.example/other')).toBeNull();
    } finally {
      other.disconnect();
    }
    const [key] = await client.keys('v:validators:*');
    expect(await client.pttl(key ?? '')).toBeGreaterThan(50_000);
  });

  it('treats a value it cannot read as absent', async () => {
    const store = new RedisValidatorStore(client, { keyPrefix: 'bad:', ttlMs: 60_000 });
    await store.set('https://x.example/', { etag: '"1"' });
    const [key] = await client.keys('bad:validators:*');
    await client.set(key ?? '', 'not json');
    expect(await store.get('https://x.example/')).toBeNull();
  });
});
