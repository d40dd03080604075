/**
 * The few Redis commands the fetch side needs, as a structural type: an ioredis client (or
 * Cluster) fits it, and fetch code never imports ioredis itself.
 */
export interface RedisClient {
  eval(script: string, numKeys: number, ...args: (string | number)[]): Promise<unknown>;
  get(key: string): Promise<string | null>;
  set(key: string, value: string, mode: 'PX', ttlMs: number): Promise<unknown>;
}
