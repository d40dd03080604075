import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/config.js';

describe('fetch config section', () => {
  it('has safe defaults: nothing private allowed, a contact URL, bounded sizes', () => {
    const { fetch } = loadConfig({ env: {}, file: null });
    expect(fetch.allowAddresses).toEqual([]);
    expect(fetch.contactUrl).toMatch(/^https:\/\//);
    expect(fetch.maxBodyBytes).toBe(10 * 1024 * 1024);
    expect(fetch.maxRedirects).toBe(5);
  });

  it('reads the environment, lists comma-separated', () => {
    const { fetch } = loadConfig({
      env: {
        NEWSNORM_FETCH_ALLOW_ADDRESSES: '127.0.0.1, 10.1.0.0/16',
        NEWSNORM_HOST_MIN_INTERVAL_MS: '200',
        NEWSNORM_CONTACT_URL: 'https://ops.example/crawler',
      },
      file: null,
    });
    expect(fetch.allowAddresses).toEqual(['127.0.0.1', '10.1.0.0/16']);
    expect(fetch.minHostIntervalMs).toBe(200);
    expect(fetch.contactUrl).toBe('https://ops.example/crawler');
  });

  it('names the variable of a bad value', () => {
    expect(() => loadConfig({ env: { NEWSNORM_CONTACT_URL: 'mailto:x@y' }, file: null })).toThrow(
      ConfigError,
    );
    expect(() => loadConfig({ env: { NEWSNORM_FETCH_MAX_BODY_BYTES: '-1' }, file: null })).toThrow(
      /fetch\.maxBodyBytes \(env NEWSNORM_FETCH_MAX_BODY_BYTES\)/,
    );
  });
});
