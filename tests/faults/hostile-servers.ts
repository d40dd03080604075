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
  /** Origin of the server whose header block is a megabyte long. */
  bigHeadersOrigin: string;
  /** A webhook receiver that answers every POST with 300 MB, for as long as it is read. */
  webhookUrl: string;
  /** Bytes the webhook receiver managed to send in its largest answer. */
  webhookLargestAnswer(): number;
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
  // Short relative links: 30 MB of XML, under the 50 MB a sitemap may be, 2 MB gzipped.
  const items = Array.from({ length: 1_000_000 }, (_, i) => `<item><link>/${i}</link></item>`);
  const million = gzipSync(`<?xml version="1.0"?><rss><channel>${items.join('')}</channel></rss>`);
  http.route('/feed-million.xml.gz', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/gzip' }).end(million);
  });
  // 50,000 items (the cap) with a long description each: 43 MB of XML, 0.3 MB gzipped, seconds
  // of parsing. All link to one page, so that reading it is the test, not fetching 50,000.
  const description = 'Clashes were reported near Jayrud in Eastern Qalamoun. '.repeat(15);
  const longItems = Array.from(
    { length: 50_000 },
    (_, i) =>
      `<item><title>Report ${i}</title><link>/page.html</link><description>${description}</description></item>`,
  );
  const long = gzipSync(`<?xml version="1.0"?><rss><channel>${longItems.join('')}</channel></rss>`);
  http.route('/feed-50000-long.xml.gz', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/gzip' }).end(long);
  });
  // A 20,000-character entity used 10,000 times: 200 MB once expanded.
  http.route(
    '/feed-entity-bomb.xml',
    xml(
      `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY big "${'laugh'.repeat(4_000)}">]>` +
        `<rss><channel><item><title>${'&big;'.repeat(10_000)}</title><link>/x</link></item></channel></rss>`,
    ),
  );
  http.route(
    '/feed-external-entity.xml',
    xml(
      '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>' +
        '<rss><channel><item><link>&x;</link></item></channel></rss>',
    ),
  );
  http.route(
    '/feed-deep.xml',
    xml(
      `<?xml version="1.0"?><rss><channel>${'<item>'.repeat(10_000)}${'</item>'.repeat(10_000)}</channel></rss>`,
    ),
  );
  const children = Array.from(
    { length: 10_000 },
    (_, i) => `<sitemap><loc>/child-${i}.xml</loc></sitemap>`,
  ).join('');
  http.route('/sitemap-index-10000.xml', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/xml' });
    res.end(`<?xml version="1.0"?><sitemapindex>${children}</sitemapindex>`);
  });
  for (let i = 0; i < 50; i++) {
    http.route(`/child-${i}.xml`, (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/xml' });
      res.end(`<urlset><url><loc>/child-page-${i}.html</loc></url></urlset>`);
    });
    http.route(`/child-page-${i}.html`, (_req, res) => {
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end(`<html><body>${article}</body></html>`);
    });
  }
  http.route('/encodings', (_req, res) => {
    const tokens = Array.from({ length: 2500 }, () => 'gzip').join(', ');
    res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': tokens }).end('hello');
  });
  for (let i = 0; i < 5; i++) {
    http.route(`/slow-hop-${i}`, (_req, res) => {
      const timer = setTimeout(() => {
        if (i < 4) res.writeHead(302, { location: `/slow-hop-${i + 1}` }).end();
        else
          res
            .writeHead(200, { 'content-type': 'text/html' })
            .end(`<html><body>${article}</body></html>`);
      }, 2_000);
      timers.add(timer as unknown as NodeJS.Timeout);
    });
  }
  http.route('/latin1.html', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=iso-8859-1' });
    res.end(Buffer.from(`<html><body><p>\x93Jayrud\x94 ${article}</p></body></html>`, 'latin1'));
  });
  // robots.txt: one rule, then a megabyte of comments nobody needs to read.
  http.route('/robots.txt', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(`User-agent: *\nDisallow: /private/\n${`# ${'x'.repeat(1022)}\n`.repeat(2048)}`);
  });
  let largestAnswer = 0;
  http.route('/webhook', async (req, res) => {
    for await (const chunk of req) void chunk;
    res.writeHead(200, { 'content-type': 'text/plain' });
    const chunk = Buffer.alloc(MIB, 'a');
    let sent = 0;
    for (let i = 0; i < 300 && !res.destroyed; i++) {
      sent += chunk.length;
      largestAnswer = Math.max(largestAnswer, sent);
      if (!res.write(chunk)) await new Promise((r) => res.once('drain', r).once('close', r));
    }
    res.end();
  });
  http.route('/feed-html.xml', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' }).end(`<html><body>${article}</body></html>`);
  });

  // Raw TCP servers answering each request by hand; robots.txt answers at once (404), as the
  // hostile part is the page itself.
  const sockets = new Set<Socket>();
  const rawServer = async (answer: (socket: Socket) => void) => {
    const server = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {});
      socket.once('data', (request: Buffer) => {
        if (request.toString('latin1').startsWith('GET /robots.txt ')) {
          socket.end('HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
        } else {
          answer(socket);
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return server;
  };
  // Slow-loris: a status line, then one header byte a second, never the end of the headers.
  const slow = await rawServer((socket) => {
    socket.write('HTTP/1.1 200 OK\r\nX-Slow: ');
    drip(
      () => !socket.destroyed && socket.write('a'),
      () => socket.destroy(),
    );
  });
  const slowPort = (slow.address() as AddressInfo).port;
  // A megabyte of response headers.
  const bigHeaders = await rawServer((socket) => {
    socket.write('HTTP/1.1 200 OK\r\ncontent-type: text/html\r\n');
    const line = `x-filler: ${'a'.repeat(1000)}\r\n`;
    for (let i = 0; i < 1024 && !socket.destroyed; i++) socket.write(line);
    socket.end('content-length: 2\r\n\r\nok');
  });
  const bigHeadersPort = (bigHeaders.address() as AddressInfo).port;
  return {
    http,
    slowOrigin: `http://127.0.0.1:${slowPort}`,
    bigHeadersOrigin: `http://127.0.0.1:${bigHeadersPort}`,
    webhookUrl: `${http.origin}/webhook`,
    webhookLargestAnswer: () => largestAnswer,
    async stop() {
      for (const timer of timers) clearInterval(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => slow.close(() => resolve()));
      await new Promise<void>((resolve) => bigHeaders.close(() => resolve()));
      await http.stop();
    },
  };
}
