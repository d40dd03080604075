import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The package version, read from the package.json above this file (in src/ or in dist/src/). */
function readVersion(): string {
  let dir = import.meta.dirname;
  for (;;) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'newsnorm' && pkg.version) return pkg.version;
    }
    const parent = dirname(dir);
    if (parent === dir) return '0.0.0';
    dir = parent;
  }
}

export const PACKAGE_VERSION = readVersion();
/** Recorded in every record, so a consumer can tell which cleaning produced it. */
export const PIPELINE_VERSION = `newsnorm/${PACKAGE_VERSION}`;
