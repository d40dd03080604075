import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { rawPageHash } from '../../src/raw/raw-store.js';
import { CanonicalRecord } from '../../src/record/canonical-record.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { readRecords } from '../helpers/records.js';
import { recordSchemaValidator } from '../helpers/record-schema.js';

const SEED_COUNT = 5;

describe('newsnorm run', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'newsnorm-run-'));
  });

  it('writes one schema-valid record per seed, and the same file when run again', () => {
    const out = join(dir, 'records.jsonl');
    const env = { NEWSNORM_RAW_DIR: join(dir, 'raw') };
    const first = runCli(['run', '--seeds', join(ROOT, 'seeds'), '--out', out], { env });
    expect(first.status, first.stderr).toBe(0);
    expect(first.stderr).toMatch(
      /5 pages, 5 records \(5 new, 0 revised, 0 unchanged\), 0 failures, [\d.]+ pages\/s/,
    );
    const bytes = readFileSync(out, 'utf8');
    const validate = recordSchemaValidator();
    const lines = bytes.split('\n').filter(Boolean);
    expect(lines).toHaveLength(SEED_COUNT);
    for (const line of lines)
      expect(validate(JSON.parse(line)), JSON.stringify(validate.errors)).toBe(true);

    const second = runCli(['run', '--seeds', join(ROOT, 'seeds'), '--out', out], { env });
    expect(second.status).toBe(0);
    expect(second.stderr).toContain('0 new, 0 revised, 5 unchanged');
    expect(readFileSync(out, 'utf8')).toBe(bytes);
  });

  it('gives a new revision only to the page whose content changed', () => {
    const seeds = join(dir, 'seeds-changed');
    mkdirSync(seeds);
    const name = '000_5f6b14ad56607581.txt';
    const original = readFileSync(join(ROOT, 'seeds', name), 'utf8');
    writeFileSync(join(seeds, name), original);
    writeFileSync(
      join(seeds, 'other.txt'),
      readFileSync(join(ROOT, 'seeds', '002_ca96faed848cebce.txt')),
    );
    const out = join(dir, 'revisions.jsonl');
    expect(runCli(['run', '--seeds', seeds, '--out', out]).status).toBe(0);
    writeFileSync(join(seeds, name), original.replace('re-scheduled', 'rescheduled'));
    const run = runCli(['run', '--seeds', seeds, '--out', out]);
    expect(run.stderr).toContain('0 new, 1 revised, 1 unchanged');
    const records = readRecords(out);
    expect(records.map((r) => r.revision).sort()).toEqual([1, 2]);
    expect(records.find((r) => r.revision === 2)?.body).toContain('rescheduled');
  });

  it('refuses a records file that is not one, on one line, before reading any page', () => {
    const out = join(dir, 'not-records.jsonl');
    writeFileSync(out, 'plain notes, not records\n');
    const run = runCli(['run', '--seeds', join(ROOT, 'seeds'), '--out', out]);
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toMatch(new RegExp(`^newsnorm: ${out}:1: not JSON \\(.+\\)$`));
    expect(readFileSync(out, 'utf8')).toBe('plain notes, not records\n');
  });

  it('says in one line, exit 2, which folder, file or gazetteer it cannot use', () => {
    const out = join(dir, 'unused.jsonl');
    const missing = join(dir, 'no-such-seeds');
    const cases: Array<[string[], RegExp]> = [
      [
        ['--seeds', missing, '--out', out],
        new RegExp(
          `^newsnorm: ${missing}: cannot list seeds folder \\(ENOENT\\) \\[SOURCE_UNREADABLE\\]$`,
        ),
      ],
      [
        ['--out', join(ROOT, 'package.json', 'r.jsonl')],
        /: cannot make its folder \(EEXIST: .*\)$/,
      ],
      [['--out', dir], new RegExp(`^newsnorm: ${dir}: cannot read \\(EISDIR: `)],
      [
        ['--out', out, '--gazetteer', join(dir, 'none.json')],
        /^newsnorm: .*none\.json: cannot read gazetteer \[GAZETTEER_UNREADABLE\]$/,
      ],
    ];
    for (const [args, message] of cases) {
      const run = runCli(['run', ...args]);
      expect(run.status, args.join(' ')).toBe(2);
      expect(run.stderr.trim()).toMatch(message);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect(existsSync(out)).toBe(false);
  });

  it('reports each bad input on one line, exits 1, and still writes the good ones', () => {
    const seeds = join(dir, 'seeds-bad');
    mkdirSync(seeds);
    writeFileSync(
      join(seeds, 'a-good.txt'),
      readFileSync(join(ROOT, 'seeds', '002_ca96faed848cebce.txt')),
    );
    writeFileSync(join(seeds, 'b-empty.txt'), '');
    writeFileSync(join(seeds, 'c-binary.bin'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]));
    writeFileSync(
      join(seeds, 'd-latin1.txt'),
      Buffer.from('Caf\xe9 au lait, une histoire de Damas.', 'latin1'),
    );
    mkdirSync(join(seeds, 'e-folder'));
    writeFileSync(join(seeds, 'f-chrome.txt'), 'Notify of\nNewest Most Voted\n0 $\n2,500 $\n');
    const out = join(dir, 'bad.jsonl');
    const rawDir = join(dir, 'raw-bad');
    const run = runCli(['run', '--seeds', seeds, '--out', out], {
      env: { NEWSNORM_RAW_DIR: rawDir },
    });
    expect(run.status).toBe(1);
    // A page the rules refuse is still kept, so reprocess can rebuild it after a rule change.
    const chromePath = join(seeds, 'f-chrome.txt');
    const chromeHash = rawPageHash({ uri: chromePath, body: readFileSync(chromePath) });
    expect(existsSync(join(rawDir, chromeHash.slice(0, 2), `${chromeHash}.page`))).toBe(true);
    const errors = run.stderr.split('\n').filter((l) => l.startsWith('newsnorm: '));
    expect(errors).toEqual([
      expect.stringMatching(/b-empty\.txt: empty page .*\[CONTENT_EMPTY\]$/),
      expect.stringMatching(/c-binary\.bin: a PNG file, not a page \[CONTENT_BINARY\]$/),
      expect.stringMatching(/d-latin1\.txt: not valid UTF-8 .*\[CONTENT_ENCODING\]$/),
      expect.stringMatching(/f-chrome\.txt: no article text found .*\[CONTENT_NO_ARTICLE\]$/),
    ]);
    expect(run.stderr).toContain('4 failures');
    expect(readRecords(out)).toHaveLength(1);
  });
});

describe('newsnorm clean', () => {
  it('prints one record per file in input order, and names each bad path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'newsnorm-clean-'));
    const empty = join(dir, 'empty.txt');
    writeFileSync(empty, '');
    const seeds = ['004_675f98535424584b.txt', '000_5f6b14ad56607581.txt'].map((f) =>
      join(ROOT, 'seeds', f),
    );
    const run = runCli(['clean', seeds[0]!, join(dir, 'missing.txt'), empty, dir, seeds[1]!]);
    expect(run.status).toBe(1);
    const records = run.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => CanonicalRecord.parse(JSON.parse(l)));
    expect(records.map((r) => r.source.uri)).toEqual(seeds);
    expect(run.stderr).toContain(`${join(dir, 'missing.txt')}: no such file [SOURCE_MISSING]`);
    expect(run.stderr).toContain(`${empty}: empty page (0 bytes) [CONTENT_EMPTY]`);
    expect(run.stderr).toContain(`${dir}: is a directory [SOURCE_IS_DIRECTORY]`);
  });

  it('--explain names the rule that removed each line', () => {
    const run = runCli(['clean', '--explain', join(ROOT, 'seeds', '002_ca96faed848cebce.txt')]);
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/removed \[news-ticker\] Latest News:/);
    expect(run.stderr).toMatch(/removed \[date-line\] \| 2017-07-17 02:41:43/);
    expect(run.stderr).toMatch(/removed \[keywords\] Keywords:\s+Syria Qalamoun/);
  });
});
