import { afterEach, describe, expect, test, vi } from 'vitest';
import type * as Prerequisites from './ci-prerequisites.js';

/** The globalSetup, loaded afresh so that it reads the environment set by the test. */
async function freshSetup(): Promise<typeof Prerequisites> {
  vi.resetModules();
  return import('./ci-prerequisites.js');
}

describe('test prerequisites under CI=true', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  test('a missing redis-server fails the run with what to install', async () => {
    vi.stubEnv('REDIS_SERVER_BIN', '/nonexistent/redis-server');
    vi.stubEnv('CI', 'true');
    const { default: setup } = await freshSetup();
    expect(() => setup()).toThrow(
      /redis-server not found \(Debian: apt-get install -y redis-server/,
    );
  });

  test('missing PostgreSQL programs fail the run', async () => {
    vi.stubEnv('POSTGRES_BIN_DIR', '/nonexistent/bin');
    vi.stubEnv('CI', 'true');
    const { default: setup } = await freshSetup();
    expect(() => setup()).toThrow(/PostgreSQL server programs \(initdb, postgres\) not found/);
  });

  test('outside CI the same gap is left to the suites, which skip with a warning', async () => {
    vi.stubEnv('REDIS_SERVER_BIN', '/nonexistent/redis-server');
    vi.stubEnv('CI', '');
    const { default: setup, missingPrerequisites } = await freshSetup();
    expect(() => setup()).not.toThrow();
    expect(missingPrerequisites().some((m) => m.startsWith('redis-server not found'))).toBe(true);
  });
});
