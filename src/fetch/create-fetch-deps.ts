import type { FetchConfig } from '../config/fetch-config.js';
import { createAddressPolicy } from './address-policy.js';
import { createFetchDispatcher } from './fetch-dispatcher.js';
import type { FetchDeps } from './fetch-page.js';
import { LocalHostGate } from './host-gate.js';
import type { RedisClient } from './redis-client.js';
import { RedisHostGate } from './redis-host-gate.js';
import type { ResolveHost } from './resolve-host.js';
import { createRobotsFetcher } from './fetch-robots-txt.js';
import { RobotsCache } from './robots.js';
import { MemoryValidatorStore, RedisValidatorStore } from './validator-store.js';

/** A lease outlives the longest fetch by this much before Redis drops it as abandoned. */
const LEASE_MARGIN_MS = 5_000;

/** FetchDeps plus what must be closed at shutdown. */
export interface FetchRuntime {
  deps: FetchDeps;
  /** Closes the undici Agent (idle sockets); does not touch the Redis client. */
  close(): Promise<void>;
}

export interface CreateFetchDepsOptions {
  /**
   * A Redis client (ioredis): host gate, validators shared by every worker. Without one,
   * both live in this process only (the in-process driver).
   */
  redis?: RedisClient;
  /** @default the system resolver */
  resolveHost?: ResolveHost;
}

/**
 * Builds everything fetchPage needs from the fetch config, once per process: the guarded
 * undici Agent, the address policy, the host gate (Redis or local), robots.txt cache and
 * validator store. Workers call it at start-up and `close()` on shutdown.
 */
export function createFetchDeps(
  config: FetchConfig,
  options: CreateFetchDepsOptions = {},
): FetchRuntime {
  const dispatcher = createFetchDispatcher(config, options.resolveHost);
  const { redis } = options;
  const keyPrefix = config.redisKeyPrefix;
  const base: FetchDeps = {
    dispatcher,
    config,
    policy: createAddressPolicy(config.allowAddresses),
    hostGate: redis
      ? new RedisHostGate(redis, { keyPrefix, leaseTtlMs: config.totalTimeoutMs + LEASE_MARGIN_MS })
      : new LocalHostGate(),
    ...(options.resolveHost ? { resolveHost: options.resolveHost } : {}),
  };
  const robots = new RobotsCache({
    userAgentName: config.userAgentName,
    ttlMs: config.robotsTtlMs,
    fetchRobotsTxt: createRobotsFetcher(base, config.maxRobotsBytes),
  });
  const validators = redis
    ? new RedisValidatorStore(redis, { keyPrefix, ttlMs: config.validatorTtlMs })
    : new MemoryValidatorStore();
  return {
    deps: { ...base, robots, validators },
    close: () => dispatcher.close(),
  };
}
