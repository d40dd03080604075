import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT } from '../helpers/cli.js';

/**
 * Lists every module a CLI invocation loads, through a module resolve hook that writes each
 * resolved URL to stderr: what a command does not use must not be loaded when it starts.
 */
const HOOK =
  'data:text/javascript,' +
  encodeURIComponent(
    `import { writeSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  writeSync(2, 'module-loaded ' + resolved.url + '\\n');
  return resolved;
}`,
  );
const REGISTER = `data:text/javascript,${encodeURIComponent(
  `import { register } from 'node:module'; register(${JSON.stringify(HOOK)});`,
)}`;

function loadedPackages(args: string[]): { status: number | null; packages: Set<string> } {
  const result = spawnSync(process.execPath, ['--import', REGISTER, BIN, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  const packages = new Set<string>();
  for (const line of result.stderr.split('\n')) {
    if (!line.startsWith('module-loaded file:')) continue;
    const path = fileURLToPath(line.slice('module-loaded '.length));
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
    if (match) packages.add(match[1]!);
  }
  return { status: result.status, packages };
}

/** Packages only the queue, fetch, sink and operations commands need. */
const HEAVY = ['bullmq', 'ioredis', 'undici', 'pino', 'prom-client', 'pg', 'cheerio'];

describe('CLI start-up loads what the command uses', () => {
  it('--help loads commander and nothing else from node_modules', () => {
    const { status, packages } = loadedPackages(['--help']);
    expect(status).toBe(0);
    expect([...packages]).toEqual(['commander']);
  });

  it('resolve loads no queue, fetch, sink or logging package', () => {
    const { status, packages } = loadedPackages(['resolve', 'Damascus']);
    expect(status).toBe(0);
    expect(HEAVY.filter((name) => packages.has(name))).toEqual([]);
    // The hook sees the loads: the command did need the config's schema library.
    expect(packages.has('zod')).toBe(true);
  });
});
