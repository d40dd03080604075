import {
  cpSync,
  mkdirSync,
  symlinkSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/cli.js';
import { readRecords } from '../helpers/records.js';
import { runCliAsync } from '../queue/queue-test-helpers.js';

const SEED_NAMES = readdirSync(join(ROOT, 'seeds')).sort();
const seedText = (i: number) =>
  readFileSync(join(ROOT, 'seeds', SEED_NAMES[i % SEED_NAMES.length]!), 'utf8');

/** A folder of `count` pages made from the seeds, each with a sentence of its own. */
function pagesFolder(parent: string, name: string, count: number, tag: string): string {
  const dir = join(parent, name);
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < count; i++) {
    const seed = seedText(i);
    const cut = seed.indexOf('\n', Math.floor(seed.length / 3));
    writeFileSync(
      join(dir, `page-${String(i).padStart(4, '0')}.txt`),
      `${seed.slice(0, cut)}\nReport ${tag}-${i}: convoy ${i} reached checkpoint ${tag}.\n${seed.slice(cut)}`,
    );
  }
  return dir;
}

describe('records file: one writer, ids that cannot collide, reprocess of its own pages', () => {
  it('two runs started at once on a new out file: both wait their turn, no record is lost', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'newsnorm-two-runs-'));
    const a = pagesFolder(dir, 'a', 300, 'a');
    const b = pagesFolder(dir, 'b', 300, 'b');
    const out = join(dir, 'new.jsonl');
    const env = { NEWSNORM_RAW_DIR: join(dir, 'raw') };
    const [first, second] = await Promise.all([
      runCliAsync(['run', '--seeds', a, '--out', out], env, 90_000),
      runCliAsync(['run', '--seeds', b, '--out', out], env, 90_000),
    ]);
    expect(first.status, first.stderr).toBe(0);
    expect(second.status, second.stderr).toBe(0);
    const records = readRecords(out);
    expect(records).toHaveLength(600);
    expect(new Set(records.map((r) => r.id)).size).toBe(600);
    // Whichever came second said it waited, and for whom.
    expect(`${first.stderr}${second.stderr}`).toMatch(/is being written by run pid \d+ on host/);
    expect(readdirSync(dir).filter((n) => n.startsWith('new.jsonl'))).toEqual(['new.jsonl']);
  }, 120_000);

  it('same-named files of two folders are two records; the same folder elsewhere keeps its ids', () => {
    const dir = mkdtempSync(join(tmpdir(), 'newsnorm-same-name-'));
    mkdirSync(join(dir, 'a'));
    mkdirSync(join(dir, 'b'));
    writeFileSync(join(dir, 'a', 'page.txt'), seedText(0));
    writeFileSync(join(dir, 'b', 'page.txt'), seedText(1));
    const out = join(dir, 'records.jsonl');
    const env = { NEWSNORM_RAW_DIR: join(dir, 'raw') };
    expect(runCli(['run', '--seeds', join(dir, 'a'), '--out', out], { env }).status).toBe(0);
    const second = runCli(['run', '--seeds', join(dir, 'b'), '--out', out], { env });
    expect(second.status, second.stderr).toBe(0);
    expect(second.stderr).toContain('1 pages, 1 records (1 new, 0 revised, 0 unchanged)');
    const records = readRecords(out);
    expect(records.map((r) => r.revision)).toEqual([1, 1]);
    expect(new Set(records.map((r) => r.id)).size).toBe(2);

    // The same folder copied elsewhere and run from another working directory: same ids.
    const elsewhere = mkdtempSync(join(tmpdir(), 'newsnorm-elsewhere-'));
    cpSync(join(dir, 'a'), join(elsewhere, 'a'), { recursive: true });
    // Another checkout's working directory: the rules are found relative to it.
    symlinkSync(join(ROOT, 'config'), join(elsewhere, 'config'));
    const again = runCli(['run', '--seeds', 'a', '--out', out], { env, cwd: elsewhere });
    expect(again.status, again.stderr).toBe(0);
    expect(again.stderr).toContain('1 pages, 1 records (0 new, 0 revised, 1 unchanged)');
  });

  it('two pages stating one canonical URL in one run: a collision is reported, not a revision', () => {
    const dir = mkdtempSync(join(tmpdir(), 'newsnorm-collision-'));
    const pages = join(dir, 'pages');
    mkdirSync(pages);
    const html = (body: string) =>
      `<html><head><title>Same</title><link rel="canonical" href="https://news.example/same"></head>` +
      `<body><article><h1>Same</h1><p>${body}</p></article></body></html>`;
    writeFileSync(join(pages, 'one.html'), html(seedText(0).slice(0, 2000)));
    writeFileSync(join(pages, 'two.html'), html(seedText(1).slice(0, 2000)));
    const out = join(dir, 'records.jsonl');
    const run = runCli(['run', '--seeds', pages, '--out', out], {
      env: { NEWSNORM_RAW_DIR: join(dir, 'raw') },
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      /two\.html: has the record id \w+ of .*one\.html in this run.*\[RECORD_ID_COLLISION\]/,
    );
    expect(readRecords(out).map((r) => r.revision)).toEqual([1]);
  });

  it('reprocess rebuilds only its out file’s pages from a shared raw store, unless --all', () => {
    const dir = mkdtempSync(join(tmpdir(), 'newsnorm-reprocess-scope-'));
    const env = { NEWSNORM_RAW_DIR: join(dir, 'raw') };
    const mine = join(dir, 'mine.jsonl');
    const theirs = join(dir, 'theirs.jsonl');
    expect(
      runCli(['run', '--seeds', pagesFolder(dir, 'm', 3, 'm'), '--out', mine], { env }).status,
    ).toBe(0);
    expect(
      runCli(['run', '--seeds', pagesFolder(dir, 't', 4, 't'), '--out', theirs], { env }).status,
    ).toBe(0);
    const before = readFileSync(mine, 'utf8');

    const reprocess = runCli(['reprocess', '--out', mine], { env });
    expect(reprocess.status, reprocess.stderr).toBe(0);
    expect(reprocess.stderr).toContain('3 pages, 3 records (0 new, 0 revised, 3 unchanged)');
    expect(readFileSync(mine, 'utf8')).toBe(before);

    const all = join(dir, 'all.jsonl');
    const everything = runCli(['reprocess', '--all', '--out', all], { env });
    expect(everything.status, everything.stderr).toBe(0);
    expect(readRecords(all)).toHaveLength(7);
  });
});
