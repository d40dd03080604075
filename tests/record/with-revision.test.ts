import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { processPage } from '../../src/pipeline/process-page.js';
import { readSourceFile } from '../../src/raw/read-source-file.js';
import { withRevision, type RecordDraft } from '../../src/record/build-record.js';
import { CanonicalRecord } from '../../src/record/canonical-record.js';
import {
  madeRecord,
  recordFromJson,
  recordJson,
  recordText,
} from '../../src/record/record-json.js';
import { ROOT } from '../helpers/cli.js';
import { loadRepoPipelineDeps } from '../helpers/pipeline-deps.js';

/** Seeds (text pages, reader comments) and HTML fixtures (comment threads, metadata). */
const PAGES = [
  ...readdirSync(join(ROOT, 'seeds')).map((name) => join(ROOT, 'seeds', name)),
  ...readdirSync(join(ROOT, 'tests', 'fixtures', 'html'))
    .filter((name) => name.endsWith('.html'))
    .map((name) => join(ROOT, 'tests', 'fixtures', 'html', name)),
];

describe('withRevision', () => {
  let drafts: RecordDraft[] = [];
  beforeAll(async () => {
    const deps = await loadRepoPipelineDeps();
    drafts = await Promise.all(
      PAGES.map(async (path) => processPage(await readSourceFile(path, 'file'), deps).record),
    );
  });

  it('gives the record the contract parse gives, to the byte (fields, order, values)', () => {
    let entities = 0;
    let comments = 0;
    for (const draft of drafts) {
      const record = withRevision(draft, 3);
      expect(JSON.stringify(record)).toBe(
        JSON.stringify(CanonicalRecord.parse({ ...draft, revision: 3 })),
      );
      entities += record.entities.length;
      comments += record.comments.length;
    }
    // The pages exercise the nested parts, not only the flat fields.
    expect(entities).toBeGreaterThan(10);
    expect(comments).toBeGreaterThan(10);
  });

  it('keeps only the contract fields, as the parse does', () => {
    const draft = drafts[0]!;
    const loose = {
      ...draft,
      internal: 'x',
      source: { ...draft.source, internal: 'x' },
      comments: draft.comments.map((c) => ({ internal: 'x', ...c })),
    } as RecordDraft;
    expect(JSON.stringify(withRevision(loose, 1))).toBe(JSON.stringify(withRevision(draft, 1)));
  });

  it('is serialized once around its revision: head + revision + tail is the record JSON', () => {
    for (const draft of drafts) {
      const json = recordJson(draft);
      for (const revision of [1, 7, 12, 100_000]) {
        expect(recordText(json, revision)).toBe(JSON.stringify(withRevision(draft, revision)));
      }
    }
  });

  it('is the same record when read back from its JSON, which is parsed only when a field past the identity is read', () => {
    for (const draft of drafts) {
      const made = madeRecord(draft);
      const lazy = recordFromJson(made, 4);
      expect(JSON.stringify(lazy)).toBe(JSON.stringify(withRevision(draft, 4)));
    }
    const made = madeRecord(drafts[0]!);
    // A JSON that cannot be parsed shows whether anything was: reading the identity must not.
    const broken = { ...made, json: { head: made.json.head, tail: '{' } };
    const lazy = recordFromJson(broken, 2);
    expect([lazy.id, lazy.revision, lazy.contentHash]).toEqual([made.id, 2, made.contentHash]);
    expect(() => lazy.entities).toThrow(SyntaxError);
  });
});
