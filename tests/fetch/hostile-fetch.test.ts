import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { Agent, buildConnector } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PermanentError, RetryableError } from '../../src/errors.js';
import { fetchPage, type FetchResult } from '../../src/fetch/fetch-page.js';
import { LocalHostGate } from '../../src/fetch/host-gate.js';
import { createRobotsFetcher } from '../../src/fetch/fetch-robots-txt.js';
import { RobotsCache } from '../../src/fetch/robots.js';
import { WebhookSink } from '../../src/sinks/webhook-sink.js';
import { startHttpServer, type TestHttpServer } from '../helpers/http-server.js';
import { failure } from './expect-failure.js';
import { testFetchConfig, testFetchDeps } from './fetch-test-deps.js';

/** Bytes in one mebibyte. */
const MIB = 1024 * 1024;

let server: TestHttpServer;
let agent: Agent;
/** Every host a connection was asked for; only loopback ones are really opened. */
const attempted: string[] = [];

/**
 * An Agent that opens connections to loopback only: any other address is recorded as
 * attempted and refused here, so a policy that lets one through fails the test without a
 * packet leaving the machine.
 */
function loopbackOnlyAgent(): Agent {
  const connect = buildConnector({ timeout: 2_000 });
  return new Agent({
    connect: (options, callback) => {
      attempted.push(options.hostname);
      if (options.hostname === '127.0.0.1' || options.hostname === '[::1]') {
        connect(options, callback);
      } else {
        callback(new Error(`test connector: no connection to ${options.hostname}`), null);
      }
    },
  });
}

function fetched(result: FetchResult) {
  if (result.status !== 'fetched') throw new Error(`expected a page, got ${result.status}`);
  return result;
}

beforeAll(async () => {
  server = await startHttpServer();
  agent = loopbackOnlyAgent();
});

afterAll(async () => {
  await agent.close();
  await server.stop();
});

describe('IPv6 forms of private and loopback addresses', () => {
  it.each([
    ['[::7f00:1]', 'IPv4-compatible'],
    ['[2002:7f00:1::1]', 'loopback (in 6to4 IPv6)'],
    ['[64:ff9b:1::7f00:1]', 'local-use NAT64'],
    ['[64:ff9b::7f00:1]', 'loopback (in NAT64 IPv6)'],
    ['[64:ff9b::a00:1]', 'private (in NAT64 IPv6)'],
    ['[2001:0:7f00:1::1]', 'loopback (in Teredo server IPv6)'],
    ['[fec0::1]', 'site-local'],
    ['[fd12:3456::1]', 'unique-local'],
  ])('a redirect to %s is refused before any connection (%s)', async (host, reason) => {
    const path = `/to-${host.replace(/\W/g, '')}`;
    server.route(path, (_req, res) => {
      res.writeHead(302, { location: `http://${host}:${server.port}/admin` }).end();
    });
    attempted.length = 0;
    const error = await failure(fetchPage(`${server.origin}${path}`, testFetchDeps(agent)));
    expect(error).toBeInstanceOf(PermanentError);
    expect(error.code).toBe('FETCH_ADDRESS_REFUSED');
    expect(error.message).toContain(reason);
    expect(attempted.every((h) => h === '127.0.0.1')).toBe(true);
  });
});

describe('Content-Encoding', () => {
  it('refuses a header listing thousands of codings before making a decoder', async () => {
    server.route('/encodings', (_req, res) => {
      const tokens = Array.from({ length: 2500 }, () => 'gzip').join(', ');
      res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': tokens }).end('hello');
    });
    const rssBefore = process.memoryUsage().rss;
    for (let i = 0; i < 8; i++) {
      const error = await failure(fetchPage(`${server.origin}/encodings`, testFetchDeps(agent)));
      expect(error).toBeInstanceOf(PermanentError);
      expect(error.code).toBe('FETCH_BAD_ENCODING');
      expect(error.message).toContain('2500 codings, more than fetch.maxContentEncodings (3)');
    }
    // Each zlib stream holds its window: 2,500 of them cost 175 MB a fetch.
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(64 * MIB);
  });

  it('still undoes a short list of codings', async () => {
    const html = '<html><body><p>Jayrud</p></body></html>';
    server.route('/twice', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip, gzip' });
      res.end(gzipSync(gzipSync(html)));
    });
    const result = fetched(await fetchPage(`${server.origin}/twice`, testFetchDeps(agent)));
    expect(Buffer.from(result.page.body).toString('utf8')).toBe(html);
  });
});

describe('time limits', () => {
  it('counts fetch.totalTimeoutMs across redirects, not per hop', async () => {
    for (let i = 0; i < 5; i++) {
      server.route(`/slow-hop-${i}`, (_req, res) => {
        setTimeout(() => {
          if (i < 4) res.writeHead(302, { location: `/slow-hop-${i + 1}` }).end();
          else res.writeHead(200, { 'content-type': 'text/html' }).end('<p>late</p>');
        }, 400);
      });
    }
    const deps = testFetchDeps(agent, testFetchConfig({ totalTimeoutMs: 1_000 }));
    const started = Date.now();
    const error = await failure(fetchPage(`${server.origin}/slow-hop-0`, deps));
    const elapsed = Date.now() - started;
    expect(error).toBeInstanceOf(RetryableError);
    expect(error.code).toBe('FETCH_TIMEOUT');
    expect(error.message).toContain('redirects included');
    expect(elapsed).toBeLessThan(1_800);
    expect(server.hits('/slow-hop-4')).toHaveLength(0);
  });
});

describe('oversized headers', () => {
  let raw: Server;
  let port: number;
  const sockets = new Set<Socket>();
  beforeAll(async () => {
    raw = createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => {});
      socket.once('data', () => {
        socket.write('HTTP/1.1 200 OK\r\ncontent-type: text/html\r\n');
        const line = `x-filler: ${'a'.repeat(1000)}\r\n`;
        for (let i = 0; i < 1024 && !socket.destroyed; i++) socket.write(line);
        socket.end('content-length: 2\r\n\r\nok');
      });
    });
    await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
    port = (raw.address() as AddressInfo).port;
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => raw.close(() => resolve()));
  });

  it('fails a 1 MB header block permanently with FETCH_HEADERS_TOO_LARGE', async () => {
    const error = await failure(fetchPage(`http://127.0.0.1:${port}/`, testFetchDeps(agent)));
    expect(error).toBeInstanceOf(PermanentError);
    expect(error.code).toBe('FETCH_HEADERS_TOO_LARGE');
    expect(error.message).toContain('fetch.maxHeaderBytes');
  });
});

describe('answers read only as far as needed', () => {
  it('parses the first fetch.maxRobotsBytes of a huge robots.txt, ignoring the rest', async () => {
    let sent = 0;
    server.route('/robots.txt', async (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('User-agent: *\nDisallow: /private\n');
      const comment = Buffer.from(`# ${'x'.repeat(1022)}\n`);
      for (let i = 0; i < 64 * 1024 && !res.destroyed; i++) {
        sent += comment.length;
        if (!res.write(comment)) await new Promise((r) => res.once('drain', r).once('close', r));
      }
      res.end();
    });
    server.route('/private', (_req, res) => void res.writeHead(200).end('secret'));
    server.route('/public', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<p>public</p>');
    });
    const base = testFetchDeps(agent, testFetchConfig(), { hostGate: new LocalHostGate() });
    const robots = new RobotsCache({
      userAgentName: base.config.userAgentName,
      ttlMs: 60_000,
      fetchRobotsTxt: createRobotsFetcher(base, 500 * 1024),
    });
    const deps = { ...base, robots };
    const error = await failure(fetchPage(`${server.origin}/private`, deps));
    expect(error.code).toBe('ROBOTS_DISALLOWED');
    expect(server.hits('/private')).toHaveLength(0);
    fetched(await fetchPage(`${server.origin}/public`, deps));
    expect(sent).toBeLessThan(16 * MIB);
  });

  it('reads a few kilobytes of a webhook answer, however large, and delivers', async () => {
    let sent = 0;
    server.route('/hook', async (req, res) => {
      for await (const _ of req) void _;
      res.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = Buffer.alloc(MIB, 'a');
      for (let i = 0; i < 300 && !res.destroyed; i++) {
        sent += chunk.length;
        if (!res.write(chunk)) await new Promise((r) => res.once('drain', r).once('close', r));
      }
      res.end();
    });
    const sink = new WebhookSink({
      url: `${server.origin}/hook`,
      secret: 'a-webhook-secret-of-16+',
      timeoutMs: 5_000,
      attempts: 1,
      maxResponseBytes: 16 * 1024,
    });
    const rssBefore = process.memoryUsage().rss;
    const record = { id: 'r1', revision: 1 } as Parameters<WebhookSink['write']>[0];
    await sink.write(record, '{"id":"r1"}');
    expect(sent).toBeLessThan(32 * MIB);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(100 * MIB);
  });
});

describe('charsets', () => {
  it('decodes a page served as iso-8859-1 as windows-1252, as browsers do', async () => {
    const { decodePage } = await import('../../src/clean/decode-page.js');
    server.route('/latin1', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=iso-8859-1' });
      res.end(Buffer.from([...Buffer.from('<p>'), 0x93, ...Buffer.from('Jayrud'), 0x94]));
    });
    const result = fetched(await fetchPage(`${server.origin}/latin1`, testFetchDeps(agent)));
    expect(decodePage(result.page).text).toBe('<p>\u201cJayrud\u201d');
  });
});
