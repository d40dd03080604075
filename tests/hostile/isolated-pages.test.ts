import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import type { PipelineError } from '../../src/errors.js';
import type { IsolatedPages as IsolatedPagesType } from '../../src/pipeline/isolated-pages.js';
import type { RawPage } from '../../src/raw/raw-page.js';
import { FsRawStore } from '../../src/raw/raw-store.js';
import { recordText } from '../../src/record/record-json.js';
import { ROOT } from '../helpers/cli.js';

/** The built module: its thread runs the compiled page-thread.js beside it (npm test builds). */
const BUILT = join(ROOT, 'dist', 'src', 'pipeline', 'isolated-pages.js');
const ARTICLE =
  '<p>Jaysh al-Islam fighters left Jayrud and al-Ruhaybah in Eastern Qalamoun, local sources said on Monday.</p>';

let IsolatedPages: typeof IsolatedPagesType;
const rawDir = mkdtempSync(join(tmpdir(), 'newsnorm-isolated-'));
const paths = { ...loadConfig({ env: {}, file: null }).paths, rawDir };
const store = new FsRawStore(rawDir);
const open: IsolatedPagesType[] = [];

function page(name: string, html: string): RawPage {
  return {
    kind: 'file',
    uri: `isolated/${name}`,
    url: null,
    retrievedAt: null,
    contentType: 'text/html',
    headers: {},
    body: new TextEncoder().encode(
      `<html><head><title>${name}</title></head><body>${html}</body></html>`,
    ),
  };
}

async function failure(promise: Promise<unknown>): Promise<PipelineError> {
  try {
    await promise;
  } catch (error) {
    return error as PipelineError;
  }
  throw new Error('expected a failure');
}

function pages(options: { timeoutMs?: number; maxHeapMb?: number } = {}) {
  const isolated = new IsolatedPages({
    paths,
    timeoutMs: options.timeoutMs ?? 10_000,
    maxHeapMb: options.maxHeapMb ?? 128,
  });
  open.push(isolated);
  return {
    start: () => isolated.start(),
    /** Stores the page, then has the thread read and clean it. */
    process: async (raw: RawPage) => isolated.processStored(await store.put(raw)),
    processStored: (rawHash: string) => isolated.processStored(rawHash),
  };
}

beforeAll(async () => {
  ({ IsolatedPages } = (await import(BUILT)) as { IsolatedPages: typeof IsolatedPagesType });
});

afterAll(async () => {
  await Promise.all(open.map((p) => p.close()));
  rmSync(rawDir, { recursive: true, force: true });
});

describe('IsolatedPages: pages cleaned in a thread of their own', () => {
  it('reads the stored page and gives the record processPage gives, as JSON, and its permanent errors with their codes', async () => {
    const isolated = pages();
    const fetched = {
      ...page('ordinary', ARTICLE.repeat(10)),
      retrievedAt: '2024-05-01T10:00:00Z',
    };
    const { record, retrievedAt } = await isolated.process(fetched);
    expect(retrievedAt).toBe('2024-05-01T10:00:00Z');
    const parsed = JSON.parse(recordText(record.json, 1)) as { id: string; body: string };
    expect(parsed.id).toBe(record.id);
    expect(parsed.body).toContain('Jaysh al-Islam fighters left Jayrud');
    const empty = await failure(isolated.process({ ...page('empty', ''), body: new Uint8Array() }));
    expect(empty.code).toBe('CONTENT_EMPTY');
    const missing = await failure(isolated.processStored('0'.repeat(64)));
    expect(missing.code).toBe('RAW_MISSING');
  });

  it('stops a page past page.timeoutMs (CONTENT_TOO_SLOW) and goes on with the next', async () => {
    const isolated = pages({ timeoutMs: 300 });
    await isolated.start();
    const slow = page('slow', `${ARTICLE}${'<i>x</i>'.repeat(95_000)}`);
    const next = page('next', ARTICLE.repeat(5));
    const [slowOutcome, nextOutcome] = await Promise.allSettled([
      isolated.process(slow),
      isolated.process(next),
    ]);
    expect(slowOutcome.status).toBe('rejected');
    expect(((slowOutcome as PromiseRejectedResult).reason as PipelineError).code).toBe(
      'CONTENT_TOO_SLOW',
    );
    expect(nextOutcome.status).toBe('fulfilled');
  });

  it('refuses a page that fills the thread heap (CONTENT_TOO_COMPLEX), and the process lives on', async () => {
    const isolated = pages({ maxHeapMb: 32 });
    const heavy = page('heavy', `${ARTICLE}${'<i class="x" id="y">x</i>'.repeat(95_000)}`);
    const error = await failure(isolated.process(heavy));
    expect(error.code).toBe('CONTENT_TOO_COMPLEX');
    const { record } = await isolated.process(page('after', ARTICLE.repeat(5)));
    expect(recordText(record.json, 1)).toContain('Jayrud');
  });
});
