import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/config.js';
import { runCli } from '../helpers/cli.js';

function refusal(env: Record<string, string>): string {
  try {
    loadConfig({ env, file: null });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error(`expected ${JSON.stringify(env)} to be refused`);
}

describe('settings are read strictly', () => {
  it.each([
    ['NEWSNORM_FETCH_CONCURRENCY', ' ', 'queue.fetchConcurrency'],
    ['NEWSNORM_FETCH_CONCURRENCY', ' 8', 'queue.fetchConcurrency'],
    ['NEWSNORM_FETCH_CONCURRENCY', '0x10', 'queue.fetchConcurrency'],
    ['NEWSNORM_JOB_ATTEMPTS', '1e3', 'queue.attempts'],
    ['NEWSNORM_FETCH_MAX_BODY_BYTES', '10MB', 'fetch.maxBodyBytes'],
    ['NEWSNORM_OPS_PORT', '9464.5', 'ops.port'],
    ['NEWSNORM_OPS_PORT', '70000', 'ops.port'],
    ['NEWSNORM_DASHBOARD', 'maybe', 'ops.dashboard'],
    ['NEWSNORM_DASHBOARD', 'yes', 'ops.dashboard'],
    ['NEWSNORM_FETCH_ALLOW_ADDRESSES', '127.0.0.1,localhost', 'fetch.allowAddresses'],
    ['NEWSNORM_FETCH_ALLOW_ADDRESSES', '10.0.0.0/40', 'fetch.allowAddresses'],
    ['NEWSNORM_OPS_HOST', 'not a host', 'ops.host'],
    ['NEWSNORM_PAGE_TIMEOUT_MS', '-5', 'page.timeoutMs'],
    ['NEWSNORM_PAGE_THREAD', 'off', 'page.thread'],
  ])('refuses %s=%j, naming %s and the variable', (variable, value, setting) => {
    const message = refusal({ [variable]: value });
    expect(message).toContain(setting);
    expect(message).toContain(`env ${variable}`);
  });

  it.each([
    [
      'NEWSNORM_FETCH_CONCURRENCY',
      '16',
      (c: ReturnType<typeof loadConfig>) => c.queue.fetchConcurrency,
      16,
    ],
    [
      'NEWSNORM_BACKOFF_JITTER',
      '0.25',
      (c: ReturnType<typeof loadConfig>) => c.queue.backoffJitter,
      0.25,
    ],
    ['NEWSNORM_DASHBOARD', 'true', (c: ReturnType<typeof loadConfig>) => c.ops.dashboard, true],
    ['NEWSNORM_DASHBOARD', '0', (c: ReturnType<typeof loadConfig>) => c.ops.dashboard, false],
    ['NEWSNORM_OPS_HOST', '::1', (c: ReturnType<typeof loadConfig>) => c.ops.host, '::1'],
    ['NEWSNORM_PAGE_THREAD', 'false', (c: ReturnType<typeof loadConfig>) => c.page.thread, false],
    ['NEWSNORM_PAGE_THREAD', '', (c: ReturnType<typeof loadConfig>) => c.page.thread, true],
  ])('reads %s=%j', (variable, value, read, expected) => {
    expect(read(loadConfig({ env: { [variable]: value }, file: null }))).toEqual(expected);
  });

  it('names every bad value at once', () => {
    const message = refusal({ NEWSNORM_OPS_PORT: 'x', NEWSNORM_DASHBOARD: 'on' });
    expect(message).toContain('NEWSNORM_OPS_PORT');
    expect(message).toContain('NEWSNORM_DASHBOARD');
  });

  it.each([
    ['status', 'NEWSNORM_FETCH_CONCURRENCY', '0x10'],
    ['worker', 'NEWSNORM_FETCH_ALLOW_ADDRESSES', 'intranet'],
    ['worker', 'NEWSNORM_OPS_HOST', '300.1.1.1'],
    ['failed', 'NEWSNORM_DASHBOARD', 'maybe'],
  ])('`newsnorm %s` exits 2 naming %s when it is %j', (command, variable, value) => {
    const result = runCli([command], {
      env: { [variable]: value, REDIS_URL: 'redis://127.0.0.1:1' },
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(variable);
    expect(result.stderr.split('\n').filter(Boolean).length).toBeLessThanOrEqual(3);
  });
});
