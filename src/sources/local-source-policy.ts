import { realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { PermanentError } from '../errors.js';

/** Folder of the project's own configuration, where URL lists usually live. */
const CONFIG_DIR = 'config';

/** A path as it really is on disk (links followed); as written when it does not exist. */
async function realPath(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    return resolve(path);
  }
}

/**
 * Refuses a seeds folder or URL list a schedule job names unless it lies inside a folder the
 * configuration allows (`paths.seedsDir`, `config/`, `sources.localDirs`), links and ".."
 * followed: the job came from Redis, and must not make a worker read any file it can reach.
 */
export async function assertLocalSourceAllowed(
  path: string,
  allowedDirs: readonly string[],
): Promise<void> {
  const target = await realPath(path);
  for (const dir of [...allowedDirs, CONFIG_DIR]) {
    const inside = relative(await realPath(dir), target);
    if (inside === '' || (!inside.startsWith('..') && !isAbsolute(inside))) return;
  }
  throw new PermanentError(
    'SOURCE_NOT_ALLOWED',
    `${path} is outside the folders sources may be read from (paths.seedsDir, config/, sources.localDirs: NEWSNORM_SOURCE_DIRS)`,
  );
}
