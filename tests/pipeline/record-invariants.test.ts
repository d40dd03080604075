import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { processPage } from '../../src/pipeline/process-page.js';
import { listSeedFiles } from '../../src/pipeline/run-local.js';
import { readSourceFile } from '../../src/raw/read-source-file.js';
import { withRevision } from '../../src/record/build-record.js';
import type { CanonicalRecord } from '../../src/record/canonical-record.js';
import { contentHash } from '../../src/record/content-hash.js';
import { ROOT } from '../helpers/cli.js';
import { loadRepoPipelineDeps } from '../helpers/pipeline-deps.js';

/** Removes every mention span from a text, leaving what must be identical in canonical form. */
function outsideMentions(
  text: string,
  spans: Array<{ start: number; end: number }>,
  names: string[],
) {
  const parts: string[] = [];
  let at = 0;
  spans.forEach((s, i) => {
    parts.push(text.slice(at, s.start), `⟦${names[i]}⟧`);
    at = s.end;
  });
  parts.push(text.slice(at));
  return parts;
}

describe('records built from the seeds', () => {
  let records: CanonicalRecord[] = [];
  beforeAll(async () => {
    const deps = await loadRepoPipelineDeps();
    const files = await listSeedFiles(join(ROOT, 'seeds'));
    records = await Promise.all(
      files.map(async (f) =>
        withRevision(processPage(await readSourceFile(f, 'seed'), deps).record, 1),
      ),
    );
    expect(records).toHaveLength(5);
  });

  it('have mentions whose offsets give back their surface', () => {
    let mentions = 0;
    for (const r of records) {
      for (const e of r.entities) {
        for (const m of e.mentions) {
          const text = m.field === 'title' ? r.title : r.body;
          expect(text.slice(m.start, m.end)).toBe(m.surface);
          mentions++;
        }
      }
    }
    expect(mentions).toBeGreaterThan(50);
  });

  it('have canonical text that differs from the original only inside mentions', () => {
    for (const r of records) {
      for (const field of ['title', 'body'] as const) {
        const found = r.entities
          .flatMap((e) =>
            e.mentions.filter((m) => m.field === field).map((m) => ({ ...m, name: e.name })),
          )
          .sort((a, b) => a.start - b.start);
        const original = outsideMentions(
          r[field],
          found,
          found.map((m) => m.name),
        );
        // Rebuild the canonical text from the original outside mentions and the names inside.
        expect(original.join('').replace(/⟦([^⟧]*)⟧/g, '$1')).toBe(r.canonical[field]);
      }
      expect(r.contentHash).toBe(contentHash(r.canonical.title, r.canonical.body));
    }
  });

  it('name "al- Ruhaybah" (a broken hyphen) as al-Ruhaybah, and spell it so in canonical text', () => {
    const record = records.find((r) => r.body.includes('al- Ruhaybah'))!;
    const entity = record.entities.find((e) =>
      e.mentions.some((m) => m.surface === 'al- Ruhaybah'),
    );
    expect(entity?.name).toBe('al-Ruhaybah');
    expect(record.canonical.body).toContain('towns of al-Ruhaybah and Jayrud');
  });

  it('give every record its own stable id', () => {
    expect(new Set(records.map((r) => r.id)).size).toBe(records.length);
  });
});
