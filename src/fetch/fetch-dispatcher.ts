import { Agent } from 'undici';
import type { FetchConfig } from '../config/fetch-config.js';
import { createAddressPolicy } from './address-policy.js';
import { createGuardedLookup, type ResolveHost } from './resolve-host.js';

/** Idle keep-alive sockets are closed after this: news hosts are revisited within seconds, not minutes. */
const KEEP_ALIVE_TIMEOUT_MS = 10_000;

/**
 * The undici Agent fetchPage expects: connect timeout from config, and a DNS lookup that
 * refuses the same addresses fetchPage refuses, so a name re-resolved at connect time
 * cannot slip to a private address. One per process; close it on shutdown.
 */
export function createFetchDispatcher(
  config: Pick<FetchConfig, 'connectTimeoutMs' | 'allowAddresses' | 'maxHeaderBytes'>,
  resolveHost?: ResolveHost,
): Agent {
  const policy = createAddressPolicy(config.allowAddresses);
  return new Agent({
    connect: { timeout: config.connectTimeoutMs, lookup: createGuardedLookup(policy, resolveHost) },
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    maxHeaderSize: config.maxHeaderBytes,
  });
}
