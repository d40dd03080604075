import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFetchDispatcher } from '../../src/fetch/fetch-dispatcher.js';
import { toFetchError } from '../../src/fetch/map-fetch-error.js';
import type { ResolveHost } from '../../src/fetch/resolve-host.js';
import { startHttpServer, type TestHttpServer } from '../helpers/http-server.js';

let server: TestHttpServer;

beforeAll(async () => {
  server = await startHttpServer();
  server.route(
    '/',
    (_req, res) => void res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'),
  );
});
afterAll(() => server.stop());

describe('createFetchDispatcher', () => {
  // A resolver that answers like a rebinding DNS server would, without any real DNS query.
  const resolveHost: ResolveHost = async (name) =>
    name === 'rebind.test'
      ? [{ address: '10.0.0.1', family: 4 }]
      : name === 'local.test'
        ? [{ address: '127.0.0.1', family: 4 }]
        : [];

  it('checks addresses again when the socket opens: a private answer never connects', async () => {
    const agent = createFetchDispatcher(
      { connectTimeoutMs: 1_000, allowAddresses: ['127.0.0.1'], maxHeaderBytes: 65_536 },
      resolveHost,
    );
    try {
      const error = await agent
        .request({ origin: `http://rebind.test:${server.port}`, path: '/', method: 'GET' })
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(error).not.toBeNull();
      const mapped = toFetchError(error, 'http://rebind.test/');
      expect(mapped.code).toBe('FETCH_ADDRESS_REFUSED');
      expect(mapped.message).toContain('10.0.0.1');
    } finally {
      await agent.close();
    }
  });

  it('connects when the resolved address is allowed', async () => {
    const agent = createFetchDispatcher(
      { connectTimeoutMs: 1_000, allowAddresses: ['127.0.0.1'], maxHeaderBytes: 65_536 },
      resolveHost,
    );
    try {
      const before = server.connections();
      const response = await agent.request({
        origin: `http://local.test:${server.port}`,
        path: '/',
        method: 'GET',
      });
      expect(await response.body.text()).toBe('ok');
      expect(server.connections()).toBe(before + 1);
    } finally {
      await agent.close();
    }
  });
});
