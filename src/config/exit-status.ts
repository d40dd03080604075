/** Exit codes of every command and worker process: scripts and crontabs branch on them. */
export const EXIT = {
  ok: 0,
  /** Some inputs failed; the others were processed. */
  partial: 1,
  /** Bad configuration or usage: nothing was done. */
  config: 2,
} as const;
