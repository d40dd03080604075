import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The package's folder and version, from the package.json above this file (in src/ or in
 * dist/src/): files the package ships (migrations) are found from there, whatever the cwd.
 */
function findPackage(): { root: string | null; version: string } {
  let dir = import.meta.dirname;
  for (;;) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'newsnorm' && pkg.version) return { root: dir, version: pkg.version };
    }
    const parent = dirname(dir);
    if (parent === dir) return { root: null, version: '0.0.0' };
    dir = parent;
  }
}

const found = findPackage();
export const PACKAGE_VERSION = found.version;
/** The package's folder; the working directory when no package.json is found above. */
export const PACKAGE_ROOT = found.root ?? process.cwd();
/** Recorded in every record, so a consumer can tell which cleaning produced it. */
export const PIPELINE_VERSION = `newsnorm/${PACKAGE_VERSION}`;
