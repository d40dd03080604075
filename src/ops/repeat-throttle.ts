import type { Logger } from 'pino';

/**
 * Within this long after an error is logged, the same error again is counted, not logged: a
 * Redis outage retried every two seconds by several connections is one line and a count a
 * minute, not thousands of lines.
 */
export const REPEAT_WINDOW_MS = 60_000;

/**
 * Past this many kinds of error remembered, those whose window is over and that owe no count
 * are forgotten: messages that name a job or a key would otherwise pile up for the life of
 * the worker.
 */
const SWEEP_ABOVE_KINDS = 64;

/** Logs an error event; repeats of the same message and cause inside the window are counted. */
export interface ErrorLog {
  error(fields: Record<string, unknown>, err: Error, msg: string): void;
  /**
   * The trouble is over (the connection is ready again): says so at info level with how many
   * repeats went unlogged, when any error was logged since the last recovery; nothing otherwise.
   * The next error is logged at once.
   */
  recovered(msg: string): void;
  /** Kinds of error remembered (for tests: it stays bounded). */
  readonly kinds: number;
}

interface Seen {
  loggedAt: number;
  /** Repeats since the last line written for this key. */
  suppressed: number;
}

export function createErrorLog(logger: Logger, now: () => number = Date.now): ErrorLog {
  const seen = new Map<string, Seen>();
  const keyOf = (msg: string, err: Error) =>
    `${msg}\u0000${(err as NodeJS.ErrnoException).code ?? ''}\u0000${err.message}`;
  return {
    error(fields, err, msg) {
      const key = keyOf(msg, err);
      const entry = seen.get(key);
      const at = now();
      if (entry && at - entry.loggedAt < REPEAT_WINDOW_MS) {
        entry.suppressed += 1;
        return;
      }
      const repeats = entry?.suppressed ?? 0;
      logger.error({ ...fields, err, ...(repeats > 0 ? { repeatsUnlogged: repeats } : {}) }, msg);
      if (!entry && seen.size >= SWEEP_ABOVE_KINDS) {
        for (const [k, e] of seen) {
          if (e.suppressed === 0 && at - e.loggedAt >= REPEAT_WINDOW_MS) seen.delete(k);
        }
      }
      seen.set(key, { loggedAt: at, suppressed: 0 });
    },
    get kinds() {
      return seen.size;
    },
    recovered(msg) {
      if (seen.size === 0) return;
      let repeats = 0;
      for (const entry of seen.values()) repeats += entry.suppressed;
      seen.clear();
      logger.info({ repeatsUnlogged: repeats }, msg);
    },
  };
}
