import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startRedis, type TestRedis } from '../helpers/redis-server.js';
import { startWorker, type WorkerProcess } from '../queue/queue-test-helpers.js';

/**
 * What a test file of real worker processes shares: its own redis-server and a client for the
 * file, and the workers a test starts, killed after each test.
 */
export function redisSuite() {
  let server: TestRedis | undefined;
  let redis: Redis | undefined;
  const workers: WorkerProcess[] = [];
  beforeAll(async () => {
    server = await startRedis();
    redis = new Redis(server.url, { maxRetriesPerRequest: null });
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()));
  });
  afterAll(async () => {
    redis?.disconnect();
    await server?.stop();
  });
  return {
    get server(): TestRedis {
      return server!;
    },
    get redis(): Redis {
      return redis!;
    },
    /** Starts `newsnorm worker`, stopped after the test. */
    async worker(env: Record<string, string>, args: string[] = []): Promise<WorkerProcess> {
      const worker = await startWorker(env, args);
      workers.push(worker);
      return worker;
    },
  };
}
