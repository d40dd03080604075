import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/cli.js';

/**
 * Enough pages that holding their records (about 22 KB each as objects) overflows the heap
 * cap below, while what a run needs at a time (the pipeline's tables, a few pages) fits.
 */
const PAGES = 4000;
const HEAP_CAP_MB = 96;

describe('newsnorm run memory', () => {
  it(`runs ${PAGES} pages under a ${HEAP_CAP_MB} MB heap cap: records are not all held until the end`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'newsnorm-run-memory-'));
    const seeds = readdirSync(join(ROOT, 'seeds'))
      .sort()
      .map((name) => readFileSync(join(ROOT, 'seeds', name), 'utf8'));
    const pages = join(dir, 'pages');
    mkdirSync(pages);
    for (let i = 0; i < PAGES; i++) {
      // A numbered sentence makes every page a record of its own.
      const seed = seeds[i % seeds.length]!;
      const cut = seed.indexOf('\n', Math.floor(seed.length / 3));
      writeFileSync(
        join(pages, `${String(i).padStart(5, '0')}.txt`),
        `${seed.slice(0, cut)}\nField report ${i}: convoy ${i % 97} reached checkpoint ${i % 13}.\n${seed.slice(cut)}`,
      );
    }
    const out = join(dir, 'records.jsonl');
    const run = runCli(['run', '--seeds', pages, '--out', out], {
      env: {
        NODE_OPTIONS: `--max-old-space-size=${HEAP_CAP_MB}`,
        NEWSNORM_RAW_DIR: join(dir, 'raw'),
      },
    });
    expect(run.status, run.stderr.slice(-2000)).toBe(0);
    expect(run.stderr).toContain(`${PAGES} pages, ${PAGES} records (${PAGES} new`);
    expect(readFileSync(out, 'utf8').split('\n').filter(Boolean)).toHaveLength(PAGES);
  });
});
