import type { ServerResponse } from 'node:http';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { startHttpServer, type TestHttpServer } from '../helpers/http-server.js';

/** Bytes in one mebibyte. */
const MIB = 1024 * 1024;
/** How often the slow servers send their next byte: below any single read timeout. */
const DRIP_MS = 1000;
/** Slow servers give up after this, so nothing outlives the scenario. */
const DRIP_LIMIT_MS = 60_000;

export interface HostileServers {
  http: TestHttpServer;
  /** Origin of the slow-loris server (headers one byte a second). */
  slowOrigin: string;
  stop(): Promise<void>;
}

/** The servers hostile URLs point at, all on 127.0.0.1. */
export async function startHostileServers(): Promise<HostileServers> {
  const http = await startHttpServer();
  const timers = new Set<NodeJS.Timeout>();
  const drip = (write: () => boolean, end: () => void) => {
    const started = Date.now();
    const timer = setInterval(() => {
      if (Date.now() - started > DRIP_LIMIT_MS || !write()) {
        clearInterval(timer);
        timers.delete(timer);
        end();
      }
    }, DRIP_MS);
    timers.add(timer);
  };
  const article = '<p>Jaysh al-Islam fighters left Jayrud in Eastern Qalamoun.</p>'.repeat(20);
  http.route('/page.html', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' }).end(`<html><body>${article}</body></html>`);
  });
  http.route('/loop-a', (_req, res) => void res.writeHead(302, { location: '/loop-b' }).end());
  http.route('/loop-b', (_req, res) => void res.writeHead(302, { location: '/loop-a' }).end());
  http.route('/trickle', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.write('<html><body>');
    drip(
      () => !res.destroyed && res.write('.'),
      () => res.destroy(),
    );
  });
  const huge = Buffer.alloc(12 * MIB, 'a');
  http.route('/huge', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html', 'content-length': huge.length }).end(huge);
  });
  const bomb = gzipSync(Buffer.alloc(64 * MIB));
  http.route('/bomb', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' }).end(bomb);
  });
  http.route('/image', (_req, res) => {
    res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.alloc(1024));
  });
  const xml = (body: string) => (_req: unknown, res: ServerResponse) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(body);
  };
  http.route(
    '/feed-truncated.xml',
    xml('<?xml version="1.0"?><rss><channel><item><link>http://127'),
  );
  http.route(
    '/feed-entities.xml',
    xml(
      '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">' +
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">' +
        '<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">]>' +
        '<rss><channel><item><link>&f;</link></item></channel></rss>',
    ),
  );
  http.route('/feed-html.xml', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' }).end(`<html><body>${article}</body></html>`);
  });

  // Slow-loris: a status line, then one header byte a second, never the end of the headers.
  const sockets = new Set<Socket>();
  const slow = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    socket.once('data', (request: Buffer) => {
      // robots.txt answers at once: the slow part is the page itself.
      if (request.toString('latin1').startsWith('GET /robots.txt ')) {
        socket.end('HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
        return;
      }
      socket.write('HTTP/1.1 200 OK\r\nX-Slow: ');
      drip(
        () => !socket.destroyed && socket.write('a'),
        () => socket.destroy(),
      );
    });
  });
  await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
  const slowPort = (slow.address() as AddressInfo).port;
  return {
    http,
    slowOrigin: `http://127.0.0.1:${slowPort}`,
    async stop() {
      for (const timer of timers) clearInterval(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => slow.close(() => resolve()));
      await http.stop();
    },
  };
}
