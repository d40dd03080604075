import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { CanonicalRecord } from '../../src/record/canonical-record.js';
import { WebhookSink } from '../../src/sinks/webhook-sink.js';
import { startHttpServer, type TestHttpServer } from '../helpers/http-server.js';

const SECRET = 'a-webhook-secret-for-tests';
const record = { id: 'abc', revision: 2, title: 't' } as unknown as CanonicalRecord;

describe('webhook sink', () => {
  let http: TestHttpServer;
  let bodies: string[];
  beforeEach(async () => {
    http = await startHttpServer();
    bodies = [];
  });
  afterEach(() => http.stop());

  function sink(attempts = 3) {
    return new WebhookSink({
      url: `${http.origin}/hook`,
      secret: SECRET,
      timeoutMs: 2000,
      attempts,
    });
  }
  function answer(statuses: number[]) {
    http.route('/hook', async (req, res) => {
      let body = '';
      for await (const chunk of req) body += String(chunk);
      bodies.push(body);
      res.writeHead(statuses.shift() ?? 204).end('nope');
    });
  }

  test('POSTs the record signed with HMAC-SHA256 of the body, with its delivery id', async () => {
    answer([204]);
    await sink().write(record);
    const [request] = http.hits('/hook');
    expect(JSON.parse(bodies[0]!)).toEqual(record);
    const mac = createHmac('sha256', SECRET).update(bodies[0]!).digest('hex');
    expect(request!.headers['x-newsnorm-signature']).toBe(`sha256=${mac}`);
    expect(request!.headers['x-newsnorm-delivery']).toBe('abc:2');
    expect(request!.headers['content-type']).toBe('application/json');
  });

  test('retries 5xx and 429, then succeeds', async () => {
    answer([503, 429, 200]);
    await sink(3).write(record);
    expect(http.hits('/hook')).toHaveLength(3);
  });

  test('gives up after its attempts with a retryable error, so the job backs off', async () => {
    answer([500, 502]);
    await expect(sink(2).write(record)).rejects.toMatchObject({
      name: 'RetryableError',
      code: 'WEBHOOK_UNAVAILABLE',
    });
  });

  test('a 4xx refusal is permanent and not retried', async () => {
    answer([400]);
    await expect(sink(3).write(record)).rejects.toMatchObject({
      name: 'PermanentError',
      code: 'WEBHOOK_REJECTED',
    });
    expect(http.hits('/hook')).toHaveLength(1);
  });
});
