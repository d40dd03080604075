import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isRunning, RecordsFileError } from './jsonl-record-file.js';

/** Longest a run waits for another run's hold on the same records file before it refuses. */
export const RECORDS_LOCK_WAIT_MS = 10 * 60_000;
/** How often a waiting run looks at the lock again. */
const LOCK_POLL_MS = 100;

/** Who holds a records file: written into `<file>.lock`. */
interface LockOwner {
  pid: number;
  host: string;
  startedAt: string;
}

export interface RecordsFileLock {
  readonly path: string;
  /** Removes the lock file, if it is still this run's. */
  release(): void;
}

export interface LockOptions {
  /** @default RECORDS_LOCK_WAIT_MS */
  waitMs?: number;
  /** Called once when the file is held by another run and this one starts waiting. */
  onWait?: (message: string) => void;
}

/**
 * Holds a records file for one run: `<file>.lock` is created exclusively (O_EXCL) with the
 * owner's pid, host and start time. A second run on the file waits for it (at most `waitMs`),
 * then refuses with a RecordsFileError naming the owner, so two runs never overwrite each
 * other's records. A lock left by a run of this host that is no longer running (killed) is
 * taken over; one from another host is not, since its process cannot be seen from here.
 */
export async function lockRecordsFile(
  file: string,
  options: LockOptions = {},
): Promise<RecordsFileLock> {
  const path = `${file}.lock`;
  const mine: LockOwner = {
    pid: process.pid,
    host: hostname(),
    startedAt: new Date().toISOString(),
  };
  const text = `${JSON.stringify(mine)}\n`;
  const deadline = Date.now() + (options.waitMs ?? RECORDS_LOCK_WAIT_MS);
  let told = false;
  try {
    mkdirSync(dirname(file), { recursive: true });
  } catch (error) {
    throw new RecordsFileError(`${file}: cannot make its folder (${(error as Error).message})`, {
      cause: error,
    });
  }
  for (;;) {
    try {
      writeFileSync(path, text, { flag: 'wx' });
      const release = () => {
        process.off('exit', release);
        if (readQuietly(path) === text) rmSync(path, { force: true });
      };
      // A run that stops on a usage error exits at once: its lock goes with it.
      process.once('exit', release);
      return { path, release };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new RecordsFileError(
          `${path}: cannot create the lock file (${(error as Error).message})`,
          {
            cause: error,
          },
        );
      }
    }
    const owner = parseOwner(readQuietly(path));
    if (owner && owner.host === mine.host && !isRunning(owner.pid)) {
      // Its run was killed: the lock protects nothing any more.
      rmSync(path, { force: true });
      continue;
    }
    const held = owner
      ? `run pid ${owner.pid} on host ${owner.host} since ${owner.startedAt}`
      : 'another run';
    if (Date.now() >= deadline) {
      throw new RecordsFileError(
        `${file} is being written by ${held}; waited ${Math.round((options.waitMs ?? RECORDS_LOCK_WAIT_MS) / 1000)} s ` +
          `(if that run is gone, remove ${path})`,
      );
    }
    if (!told) {
      told = true;
      options.onWait?.(`${file} is being written by ${held}: waiting for it to finish`);
    }
    await sleep(LOCK_POLL_MS);
  }
}

function readQuietly(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

function parseOwner(text: string | null): LockOwner | null {
  if (text === null) return null;
  try {
    const owner = JSON.parse(text) as Partial<LockOwner>;
    if (typeof owner.pid !== 'number' || typeof owner.host !== 'string') return null;
    return { pid: owner.pid, host: owner.host, startedAt: String(owner.startedAt ?? '?') };
  } catch {
    // Being written this instant, or not ours: treated as held, looked at again shortly.
    return null;
  }
}
