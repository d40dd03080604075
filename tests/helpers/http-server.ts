import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';

/** One request as the server saw it. */
export interface RecordedRequest {
  method: string;
  path: string;
  /** Path and query as sent. */
  url: string;
  headers: IncomingMessage['headers'];
  /** performance.now() when the request line arrived, in ms (monotonic). */
  atMs: number;
}

export type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/** A real HTTP server on 127.0.0.1 for fetch tests, like ky's create-http-test-server. */
export interface TestHttpServer {
  /** "http://127.0.0.1:PORT" */
  origin: string;
  port: number;
  /** Every request received, in arrival order. */
  requests: RecordedRequest[];
  /** TCP connections accepted so far. */
  connections(): number;
  /** Routes by path (no query); unknown paths answer 404. */
  route(path: string, handler: Handler): void;
  /** Requests received for one path. */
  hits(path: string): RecordedRequest[];
  stop(): Promise<void>;
}

export async function startHttpServer(): Promise<TestHttpServer> {
  const routes = new Map<string, Handler>();
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    requests.push({
      method: req.method ?? 'GET',
      path,
      url: req.url ?? '/',
      headers: req.headers,
      atMs: performance.now(),
    });
    const handler = routes.get(path);
    if (!handler) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    Promise.resolve(handler(req, res)).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(error));
    });
  });
  server.on('connection', (socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    requests,
    connections: () => connections,
    route: (path, handler) => void routes.set(path, handler),
    hits: (path) => requests.filter((r) => r.path === path),
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
