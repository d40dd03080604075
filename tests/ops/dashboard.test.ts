import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createDashboardRoute, DASHBOARD_PATH } from '../../src/ops/dashboard-route.js';
import { startOpsServer, type OpsServer } from '../../src/ops/ops-server.js';
import { redisServerAvailable, startRedis, type TestRedis } from '../helpers/redis-server.js';

const enabled = redisServerAvailable();
if (!enabled) console.warn('skipping dashboard test: redis-server is not installed');

describe.skipIf(!enabled)('bull-board dashboard on the operations server', () => {
  let server: TestRedis;
  let redis: Redis;
  let queue: Queue;
  let ops: OpsServer;
  let installed = true;
  beforeAll(async () => {
    server = await startRedis();
    redis = new Redis(server.url, { maxRetriesPerRequest: null });
    queue = new Queue('process', {
      connection: redis,
      prefix: `{dash-${randomBytes(4).toString('hex')}}`,
    });
    await queue.add('process', { uri: 'seeds/x.txt' });
    const route = await createDashboardRoute([queue]);
    installed = route !== null;
    ops = await startOpsServer({
      port: 0,
      registry: new Registry(),
      readiness: async () => ({ ready: true, redis: 'ok', queues: 'open' }),
      extraRoutes: route ? [route] : [],
    });
  });
  afterAll(async () => {
    await ops?.close();
    await queue?.close();
    redis?.disconnect();
    await server?.stop();
  });

  test('serves the dashboard page and its queue API when the optional packages are installed', async (ctx) => {
    if (!installed) ctx.skip();
    const page = await fetch(`${ops.url}${DASHBOARD_PATH}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const api = await fetch(`${ops.url}${DASHBOARD_PATH}/api/queues`);
    expect(api.status).toBe(200);
    const body = (await api.json()) as {
      queues: { name: string; counts: Record<string, number> }[];
    };
    expect(body.queues.map((q) => q.name)).toContain('process');
    expect(body.queues[0]!.counts.waiting).toBe(1);
  });

  test('leaves the built-in routes alone', async () => {
    expect((await fetch(`${ops.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${ops.url}/nothing`)).status).toBe(404);
  });
});
