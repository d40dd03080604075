import { Agent, buildConnector } from 'undici';
import { FetchConfig } from '../../src/config/fetch-config.js';
import { createAddressPolicy } from '../../src/fetch/address-policy.js';
import type { FetchDeps } from '../../src/fetch/fetch-page.js';

/** Fetch config for tests: 127.0.0.1 allowed, short timeouts, no per-host wait. */
export function testFetchConfig(overrides: Partial<FetchConfig> = {}): FetchConfig {
  return FetchConfig.parse({
    allowAddresses: ['127.0.0.1'],
    contactUrl: 'https://example.org/test-contact',
    connectTimeoutMs: 2_000,
    headersTimeoutMs: 2_000,
    bodyTimeoutMs: 2_000,
    totalTimeoutMs: 5_000,
    maxBodyBytes: 1024 * 1024,
    minHostIntervalMs: 0,
    maxHostConcurrency: 4,
    ...overrides,
  });
}

/** An undici Agent that records the host of every connection it opens. */
export function countingAgent(): { agent: Agent; connectedTo: string[] } {
  const connectedTo: string[] = [];
  const connect = buildConnector({ timeout: 2_000 });
  const agent = new Agent({
    connect: (options, callback) => {
      connectedTo.push(options.hostname);
      connect(options, callback);
    },
  });
  return { agent, connectedTo };
}

/** FetchDeps around `agent` with the test policy and config. */
export function testFetchDeps(
  agent: Agent,
  config: FetchConfig = testFetchConfig(),
  extra: Partial<FetchDeps> = {},
): FetchDeps {
  return {
    dispatcher: agent,
    config,
    policy: createAddressPolicy(config.allowAddresses),
    ...extra,
  };
}
