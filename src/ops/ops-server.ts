import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { Readiness } from './readiness.js';

/** A route mounted beside the built-in ones (the dashboard); returns false when not its path. */
export type ExtraRoute = (req: IncomingMessage, res: ServerResponse) => boolean;

export interface OpsServerOptions {
  /** 0 picks a free port (tests). */
  port: number;
  /** @default "127.0.0.1" */
  host?: string;
  registry: Registry;
  /** Called before each `/metrics` answer, to read gauges that live in Redis. */
  beforeScrape?: () => Promise<unknown>;
  readiness: () => Promise<Readiness>;
  extraRoutes?: ExtraRoute[];
}

export interface OpsServer {
  /** The bound port (the chosen one when 0 was asked). */
  port: number;
  /** `http://host:port`. */
  url: string;
  close(): Promise<void>;
}

/**
 * The operations endpoints of a worker process: `/metrics` (Prometheus text), `/healthz`
 * (200 while the process runs its event loop) and `/readyz` (200 when it can take jobs,
 * 503 with the reason when not).
 */
export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer((req, res) => {
    route(req, res, options).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, 'text/plain', `${(error as Error).message}\n`);
      else res.destroy();
    });
  });
  // A scraper's kept-alive connection must not hold the process open at shutdown.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function route(
  req: IncomingMessage,
  res: ServerResponse,
  options: OpsServerOptions,
): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method === 'GET' || req.method === 'HEAD') {
    if (path === '/metrics') {
      await options.beforeScrape?.();
      return send(res, 200, options.registry.contentType, await options.registry.metrics());
    }
    if (path === '/healthz') {
      return sendJson(res, 200, { status: 'ok', pid: process.pid, uptimeS: process.uptime() });
    }
    if (path === '/readyz') {
      const readiness = await options.readiness();
      return sendJson(res, readiness.ready ? 200 : 503, readiness);
    }
  }
  for (const extra of options.extraRoutes ?? []) if (extra(req, res)) return;
  sendJson(res, 404, { error: `no route ${req.method ?? ''} ${path ?? ''}` });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, 'application/json', `${JSON.stringify(body)}\n`);
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}
