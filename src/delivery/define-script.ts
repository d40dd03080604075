import type { Redis } from 'ioredis';

/** Script arguments: a Buffer goes to Redis as its bytes, without a UTF-8 encoding step. */
export type ScriptArg = string | number | Buffer;

export type ScriptCall = (keys: string[], args: ScriptArg[]) => Promise<unknown>;

/**
 * Registers a Lua script on a connection (ioredis sends EVALSHA, and the body only once per
 * connection) and returns a function calling it.
 */
export function defineScript(
  redis: Redis,
  name: string,
  numberOfKeys: number,
  lua: string,
): ScriptCall {
  const commands = redis as unknown as Record<string, (...args: ScriptArg[]) => Promise<unknown>>;
  if (typeof commands[name] !== 'function') redis.defineCommand(name, { numberOfKeys, lua });
  return (keys, args) => commands[name]!.call(redis, ...keys, ...args);
}
