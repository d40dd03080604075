import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import type { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodePage } from '../../src/clean/decode-page.js';
import { PermanentError, RetryableError } from '../../src/errors.js';
import { fetchPage, saveValidators, type FetchResult } from '../../src/fetch/fetch-page.js';
import { LocalHostGate } from '../../src/fetch/host-gate.js';
import { MemoryValidatorStore } from '../../src/fetch/validator-store.js';
import { startHttpServer, type TestHttpServer } from '../helpers/http-server.js';
import { countingAgent, testFetchConfig, testFetchDeps } from './fetch-test-deps.js';
import { failure } from './expect-failure.js';

const HTML = '<!doctype html><html><head><title>t</title></head><body><p>Jayrud</p></body></html>';

let server: TestHttpServer;
let agent: Agent;
let connectedTo: string[];

function fetched(result: FetchResult) {
  if (result.status !== 'fetched') throw new Error(`expected a page, got ${result.status}`);
  return result;
}

/** Encodes text as windows-1256 by inverting the decoder's table (Node has no legacy encoders). */
function encodeWindows1256(text: string): Buffer {
  const decoder = new TextDecoder('windows-1256');
  const table = new Map<string, number>();
  for (let byte = 0; byte < 256; byte++) table.set(decoder.decode(Uint8Array.of(byte)), byte);
  return Buffer.from(
    [...text].map((ch) => {
      const byte = table.get(ch);
      if (byte === undefined) throw new Error(`no windows-1256 byte for ${ch}`);
      return byte;
    }),
  );
}

beforeAll(async () => {
  server = await startHttpServer();
  ({ agent, connectedTo } = countingAgent());
  server.route('/page', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(HTML);
  });
  server.route('/moved', (_req, res) => {
    res.writeHead(301, { location: '/page' }).end();
  });
  server.route('/loop-a', (_req, res) => void res.writeHead(302, { location: '/loop-b' }).end());
  server.route('/loop-b', (_req, res) => void res.writeHead(302, { location: '/loop-a' }).end());
  for (let i = 0; i < 6; i++) {
    server.route(`/chain-${i}`, (_req, res) => {
      res.writeHead(302, { location: `/chain-${i + 1}` }).end();
    });
  }
  server.route('/to-private', (_req, res) => {
    res.writeHead(302, { location: 'http://10.0.0.1/admin' }).end();
  });
  server.route('/to-metadata', (_req, res) => {
    res.writeHead(307, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
  });
  server.route('/to-metadata-v6', (_req, res) => {
    res.writeHead(302, { location: 'http://[fd00:ec2::254]/latest/' }).end();
  });
  server.route('/to-mapped', (_req, res) => {
    res.writeHead(302, { location: 'http://[::ffff:169.254.169.254]/' }).end();
  });
  server.route('/to-file', (_req, res) => {
    res.writeHead(302, { location: 'file:///etc/passwd' }).end();
  });
  server.route('/slow-headers', () => {
    // Never answers: the headers timeout must end the request.
  });
  server.route('/slow-body', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.write('<html><body>');
    // Then silence: the body timeout must end the request.
  });
  server.route('/trickle', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    const timer = setInterval(() => res.write('<p>.</p>'), 50);
    res.on('close', () => clearInterval(timer));
  });
  server.route('/huge-declared', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html', 'content-length': String(50 * 1024 * 1024) });
    res.write('<html>');
  });
  server.route('/huge-chunked', async (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    const chunk = Buffer.alloc(64 * 1024, 'a');
    for (let i = 0; i < 64 && !res.destroyed; i++) {
      if (!res.write(chunk)) await new Promise((r) => res.once('drain', r).once('close', r));
    }
    res.end();
  });
  server.route('/gzip', (_req, res) => {
    res
      .writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' })
      .end(gzipSync(HTML));
  });
  server.route('/brotli', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'br' });
    res.end(brotliCompressSync(HTML));
  });
  server.route('/deflate', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'deflate' });
    res.end(deflateSync(HTML));
  });
  server.route('/corrupt-gzip', (_req, res) => {
    const bytes = gzipSync(HTML);
    bytes.fill(0x55, 12, 40);
    res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' }).end(bytes);
  });
  server.route('/png', (_req, res) => {
    res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.alloc(1000));
  });
  server.route('/json', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  server.route('/text', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end('Latest News: Jayrud');
  });
  server.route('/rate-limited', (_req, res) => {
    res.writeHead(429, { 'retry-after': '7', 'content-type': 'text/plain' }).end('slow down');
  });
  server.route('/unavailable', (_req, res) => {
    const at = new Date(Date.now() + 120_000).toUTCString();
    res.writeHead(503, { 'retry-after': at }).end();
  });
  server.route('/server-error', (_req, res) => void res.writeHead(500).end());
  server.route('/gone', (_req, res) => void res.writeHead(410).end());
  server.route('/forbidden', (_req, res) => void res.writeHead(403).end());
  server.route('/validated', (req, res) => {
    if (req.headers['if-none-match'] === '"v1"') {
      res.writeHead(304, { etag: '"v1"' }).end();
      return;
    }
    res.writeHead(200, {
      'content-type': 'text/html',
      etag: '"v1"',
      'last-modified': 'Tue, 01 Jun 2021 10:00:00 GMT',
    });
    res.end(HTML);
  });
});

afterAll(async () => {
  await agent.close();
  await server.stop();
});

describe('fetchPage', () => {
  it('fetches a page into a RawPage with final URL, headers, time and a contact user agent', async () => {
    const before = Date.now();
    const result = fetched(await fetchPage(`${server.origin}/page`, testFetchDeps(agent)));
    expect(Buffer.from(result.page.body).toString('utf8')).toBe(HTML);
    expect(result.page).toMatchObject({
      kind: 'fetch',
      uri: `${server.origin}/page`,
      url: `${server.origin}/page`,
      contentType: 'text/html; charset=utf-8',
    });
    expect(Date.parse(result.page.retrievedAt ?? '')).toBeGreaterThanOrEqual(before - 1000);
    const ua = server.hits('/page').at(-1)?.headers['user-agent'];
    expect(ua).toBe('newsnorm (+https://example.org/test-contact)');
  });

  it('follows a redirect and reports the final URL', async () => {
    const result = fetched(await fetchPage(`${server.origin}/moved`, testFetchDeps(agent)));
    expect(result.page.url).toBe(`${server.origin}/page`);
    expect(result.page.uri).toBe(`${server.origin}/moved`);
    expect(result.redirects).toEqual([`${server.origin}/page`]);
  });

  it('stops a redirect loop with FETCH_REDIRECT_LOOP', async () => {
    const error = await failure(fetchPage(`${server.origin}/loop-a`, testFetchDeps(agent)));
    expect(error).toBeInstanceOf(PermanentError);
    expect(error.code).toBe('FETCH_REDIRECT_LOOP');
    expect(error.message).toContain('/loop-b');
    expect(server.hits('/loop-a')).toHaveLength(1);
  });

  it('stops after maxRedirects with FETCH_TOO_MANY_REDIRECTS', async () => {
    const deps = testFetchDeps(agent, testFetchConfig({ maxRedirects: 3 }));
    const error = await failure(fetchPage(`${server.origin}/chain-0`, deps));
    expect(error.code).toBe('FETCH_TOO_MANY_REDIRECTS');
    expect(server.hits('/chain-4')).toHaveLength(0);
  });

  it.each([
    ['/to-private', '10.0.0.1', 'private'],
    ['/to-metadata', '169.254.169.254', 'cloud metadata'],
    ['/to-metadata-v6', 'fd00:ec2::254', 'cloud metadata'],
    ['/to-mapped', '::ffff:a9fe:a9fe = 169.254.169.254', 'cloud metadata'],
  ])('refuses a redirect %s to %s before any connection', async (path, address, reason) => {
    const error = await failure(fetchPage(`${server.origin}${path}`, testFetchDeps(agent)));
    expect(error).toBeInstanceOf(PermanentError);
    expect(error.code).toBe('FETCH_ADDRESS_REFUSED');
    expect(error.message).toContain(address);
    expect(error.message).toContain(reason);
    expect(server.hits(path)).toHaveLength(1);
    expect(connectedTo.length).toBeGreaterThan(0);
    expect(connectedTo.every((host) => host === '127.0.0.1')).toBe(true);
  });

  it('refuses a name that resolves to a private address, without connecting', async () => {
    const before = connectedTo.length;
    const deps = testFetchDeps(agent, testFetchConfig(), {
      resolveHost: async () => [{ address: '10.1.2.3', family: 4 }],
    });
    const error = await failure(fetchPage('http://intranet.example/', deps));
    expect(error.code).toBe('FETCH_ADDRESS_REFUSED');
    expect(error.message).toContain('intranet.example (10.1.2.3)');
    expect(connectedTo.length).toBe(before);
  });

  it('refuses loopback when the allowlist does not admit it, with no request sent', async () => {
    const before = server.requests.length;
    const deps = testFetchDeps(agent, testFetchConfig({ allowAddresses: [] }));
    const error = await failure(fetchPage(`${server.origin}/page`, deps));
    expect(error.code).toBe('FETCH_ADDRESS_REFUSED');
    expect(error.message).toContain('loopback');
    expect(server.requests.length).toBe(before);
  });

  it.each([
    ['ftp://127.0.0.1/file', 'FETCH_SCHEME_REFUSED'],
    ['file:///etc/passwd', 'FETCH_SCHEME_REFUSED'],
    ['not a url', 'FETCH_URL_INVALID'],
  ])('refuses %s with %s', async (url, code) => {
    expect((await failure(fetchPage(url, testFetchDeps(agent)))).code).toBe(code);
  });

  it('refuses URLs with credentials without sending them anywhere', async () => {
    const before = server.requests.length;
    const url = `http://user:secret@127.0.0.1:${server.port}/page`;
    const error = await failure(fetchPage(url, testFetchDeps(agent)));
    expect(error.code).toBe('FETCH_CREDENTIALS_REFUSED');
    expect(error.message).not.toContain('secret');
    expect(server.requests.length).toBe(before);
  });

  it('refuses a redirect to a file: URL', async () => {
    const error = await failure(fetchPage(`${server.origin}/to-file`, testFetchDeps(agent)));
    expect(error.code).toBe('FETCH_SCHEME_REFUSED');
  });

  it('times out waiting for headers (FETCH_TIMEOUT, retryable)', async () => {
    const deps = testFetchDeps(agent, testFetchConfig({ headersTimeoutMs: 300 }));
    const started = Date.now();
    const error = await failure(fetchPage(`${server.origin}/slow-headers`, deps));
    expect(error).toBeInstanceOf(RetryableError);
    expect(error.code).toBe('FETCH_TIMEOUT');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('times out a body that stalls (FETCH_TIMEOUT)', async () => {
    const deps = testFetchDeps(agent, testFetchConfig({ bodyTimeoutMs: 300 }));
    const started = Date.now();
    const error = await failure(fetchPage(`${server.origin}/slow-body`, deps));
    expect(error).toBeInstanceOf(RetryableError);
    expect(error.code).toBe('FETCH_TIMEOUT');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('times out a body that trickles forever, on the whole-request deadline', async () => {
    const deps = testFetchDeps(agent, testFetchConfig({ totalTimeoutMs: 600 }));
    const started = Date.now();
    const error = await failure(fetchPage(`${server.origin}/trickle`, deps));
    expect(error.code).toBe('FETCH_TIMEOUT');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('refuses a declared Content-Length over the limit without reading the body', async () => {
    const error = await failure(fetchPage(`${server.origin}/huge-declared`, testFetchDeps(agent)));
    expect(error).toBeInstanceOf(PermanentError);
    expect(error.code).toBe('FETCH_TOO_LARGE');
  });

  it('stops a chunked body once it passes maxBodyBytes', async () => {
    const error = await failure(fetchPage(`${server.origin}/huge-chunked`, testFetchDeps(agent)));
    expect(error.code).toBe('FETCH_TOO_LARGE');
    expect(error.message).toContain('on the wire');
  });

  it('stops a gzip bomb early, counting decompressed bytes', async () => {
    // 1024 gzip members of 16 MiB of zeros each: 16 GiB decoded from about 16 MiB on the
    // wire, more than socket buffers hold, so what the server managed to send shows when
    // the client stopped reading.
    const member = gzipSync(Buffer.alloc(16 * 1024 * 1024));
    const members = 1024;
    let sent = 0;
    server.route('/bomb', async (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' });
      for (let i = 0; i < members && !res.destroyed; i++) {
        sent += member.length;
        if (!res.write(member)) await new Promise((r) => res.once('drain', r).once('close', r));
      }
      res.end();
    });
    const started = Date.now();
    const memoryBefore = process.memoryUsage().rss;
    const error = await failure(fetchPage(`${server.origin}/bomb`, testFetchDeps(agent)));
    expect(error.code).toBe('FETCH_TOO_LARGE');
    expect(error.message).toContain('after decompression');
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(sent).toBeLessThan((member.length * members) / 2);
    expect(process.memoryUsage().rss - memoryBefore).toBeLessThan(200 * 1024 * 1024);
  });

  it.each(['/gzip', '/brotli', '/deflate'])('decodes a %s body', async (path) => {
    const result = fetched(await fetchPage(`${server.origin}${path}`, testFetchDeps(agent)));
    expect(Buffer.from(result.page.body).toString('utf8')).toBe(HTML);
    expect(result.page.headers['content-encoding']).toBeUndefined();
  });

  it('fails a corrupt gzip body permanently with FETCH_BAD_ENCODING', async () => {
    const error = await failure(fetchPage(`${server.origin}/corrupt-gzip`, testFetchDeps(agent)));
    expect(error).toBeInstanceOf(PermanentError);
    expect(error.code).toBe('FETCH_BAD_ENCODING');
  });

  it.each([
    ['/png', 'image/png'],
    ['/json', 'application/json'],
  ])('refuses %s as not a page', async (path, type) => {
    const error = await failure(fetchPage(`${server.origin}${path}`, testFetchDeps(agent)));
    expect(error).toBeInstanceOf(PermanentError);
    expect(error.code).toBe('FETCH_CONTENT_TYPE');
    expect(error.message).toContain(type);
  });

  it('accepts text/plain pages', async () => {
    const result = fetched(await fetchPage(`${server.origin}/text`, testFetchDeps(agent)));
    expect(decodePage(result.page).format).toBe('text');
  });

  it('turns 429 with Retry-After seconds into a RetryableError with retryAfterMs', async () => {
    const error = await failure(fetchPage(`${server.origin}/rate-limited`, testFetchDeps(agent)));
    expect(error).toBeInstanceOf(RetryableError);
    expect(error.code).toBe('FETCH_RATE_LIMITED');
    expect((error as RetryableError).retryAfterMs).toBe(7_000);
  });

  it('holds the host back after a 429 so other jobs do not hit it meanwhile', async () => {
    const hostGate = new LocalHostGate();
    const deps = testFetchDeps(agent, testFetchConfig({ maxHostWaitMs: 1_000 }), { hostGate });
    expect((await failure(fetchPage(`${server.origin}/rate-limited`, deps))).code).toBe(
      'FETCH_RATE_LIMITED',
    );
    const before = server.requests.length;
    const error = await failure(fetchPage(`${server.origin}/page`, deps));
    expect(error).toBeInstanceOf(RetryableError);
    expect(error.code).toBe('HOST_BUSY');
    expect((error as RetryableError).retryAfterMs).toBeGreaterThan(6_000);
    expect(server.requests.length).toBe(before);
  });

  it('turns 503 with a Retry-After date into retryAfterMs', async () => {
    const error = await failure(fetchPage(`${server.origin}/unavailable`, testFetchDeps(agent)));
    expect(error.code).toBe('FETCH_UNAVAILABLE');
    const wait = (error as RetryableError).retryAfterMs ?? 0;
    expect(wait).toBeGreaterThan(100_000);
    expect(wait).toBeLessThanOrEqual(120_000);
  });

  it.each([
    ['/server-error', RetryableError, 'FETCH_SERVER_ERROR'],
    ['/gone', PermanentError, 'FETCH_NOT_FOUND'],
    ['/missing', PermanentError, 'FETCH_NOT_FOUND'],
    ['/forbidden', PermanentError, 'FETCH_HTTP_STATUS'],
  ])('maps %s to %o %s', async (path, kind, code) => {
    const error = await failure(fetchPage(`${server.origin}${path}`, testFetchDeps(agent)));
    expect(error).toBeInstanceOf(kind);
    expect(error.code).toBe(code);
  });

  it('sends stored validators back and returns not-modified on 304', async () => {
    const validators = new MemoryValidatorStore();
    const deps = testFetchDeps(agent, testFetchConfig(), { validators });
    const first = fetched(await fetchPage(`${server.origin}/validated`, deps));
    // Nothing is stored until the caller has kept the page.
    expect(await validators.get(`${server.origin}/validated`)).toBeNull();
    await saveValidators(first.page, validators);
    expect(await validators.get(`${server.origin}/validated`)).toEqual({
      etag: '"v1"',
      lastModified: 'Tue, 01 Jun 2021 10:00:00 GMT',
    });
    const second = await fetchPage(`${server.origin}/validated`, deps);
    expect(second.status).toBe('not-modified');
    const sent = server.hits('/validated').at(-1)?.headers;
    expect(sent?.['if-none-match']).toBe('"v1"');
    expect(sent?.['if-modified-since']).toBe('Tue, 01 Jun 2021 10:00:00 GMT');
    expect(server.hits('/validated')[0]?.headers['if-none-match']).toBeUndefined();
  });

  describe('a windows-1256 Arabic page decodes through decodePage', () => {
    const arabic = 'اشتباكات في القلمون الشرقية قرب جيرود والرحيبة';
    it.each([
      ['the Content-Type charset', 'text/html; charset=windows-1256', ''],
      ['a <meta charset>', 'text/html', '<meta charset="windows-1256">'],
      [
        'a <meta http-equiv>',
        'text/html',
        '<meta http-equiv="Content-Type" content="text/html; charset=windows-1256">',
      ],
    ])('declared by %s', async (_how, contentType, meta) => {
      const path = `/arabic-${encodeURIComponent(_how).length}`;
      const html = `<!doctype html><html lang="ar"><head>${meta}<title>${arabic}</title></head><body><p>${arabic}</p></body></html>`;
      server.route(path, (_req, res) => {
        res.writeHead(200, { 'content-type': contentType }).end(encodeWindows1256(html));
      });
      const result = fetched(await fetchPage(`${server.origin}${path}`, testFetchDeps(agent)));
      const decoded = decodePage(result.page);
      expect(decoded.charset).toBe('windows-1256');
      expect(decoded.text).toContain(arabic);
    });
  });
});
