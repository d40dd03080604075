import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/cli.js';
import { readRecords } from '../helpers/records.js';

const DENY_NETWORK = join(ROOT, 'tests', 'fixtures', 'no-network', 'deny-sockets.mjs');

describe('newsnorm reprocess', () => {
  it('after a gazetteer change gives a new revision to the affected records only, offline', () => {
    const dir = mkdtempSync(join(tmpdir(), 'newsnorm-reprocess-'));
    const gazetteerFile = join(dir, 'gazetteer.json');
    const gazetteer = JSON.parse(readFileSync(join(ROOT, 'config', 'gazetteer.json'), 'utf8')) as {
      entities: Array<{ id: string; name: string; aliases?: string[] }>;
    };
    writeFileSync(gazetteerFile, JSON.stringify(gazetteer));
    const env = { NEWSNORM_RAW_DIR: join(dir, 'raw'), NEWSNORM_GAZETTEER: gazetteerFile };
    const out = join(dir, 'records.jsonl');
    expect(runCli(['run', '--out', out], { env }).status).toBe(0);
    const before = readRecords(out);

    // The Tiger Forces get another canonical name: only the page that mentions them changes.
    const tiger = gazetteer.entities.find((e) => e.id === 'tiger-forces')!;
    tiger.aliases = [...(tiger.aliases ?? []), tiger.name];
    tiger.name = 'Qawat al-Nimr';
    writeFileSync(gazetteerFile, JSON.stringify(gazetteer));
    const affected = before.filter((r) => r.entities.some((e) => e.id === 'tiger-forces'));
    expect(affected.length).toBeGreaterThan(0);

    const run = runCli(['reprocess', '--out', out], {
      env: { ...env, NODE_OPTIONS: `--import=${DENY_NETWORK}` },
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toContain(
      `5 pages, 5 records (0 new, ${affected.length} revised, ${5 - affected.length} unchanged)`,
    );
    const after = readRecords(out);
    for (const record of after) {
      const old = before.find((r) => r.id === record.id)!;
      if (affected.some((a) => a.id === record.id)) {
        expect(record.revision).toBe(2);
        expect(record.canonical.body).toContain('Qawat al-Nimr');
      } else {
        expect(record).toEqual(old);
      }
    }
  });

  it('the network guard used above does stop a command that connects', () => {
    const run = runCli(['enqueue', '--seeds', join(ROOT, 'seeds')], {
      env: { NODE_OPTIONS: `--import=${DENY_NETWORK}`, REDIS_URL: 'redis://127.0.0.1:1' },
    });
    expect(run.stderr).toContain('network access attempted');
  });
});
