import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineError } from '../../src/errors.js';
import type { IsolatedSources as IsolatedSourcesType } from '../../src/sources/isolated-sources.js';
import { readSourceLinks } from '../../src/sources/source-links.js';
import { ROOT } from '../helpers/cli.js';
import { rssFeed } from './source-fixtures.js';

/** The built module: its thread runs the compiled source-thread.js beside it (npm test builds). */
const BUILT = join(ROOT, 'dist', 'src', 'sources', 'isolated-sources.js');
const BASE = 'http://127.0.0.1:9/feed.xml';

let IsolatedSources: typeof IsolatedSourcesType;
const open: IsolatedSourcesType[] = [];

function sources(limits: { timeoutMs?: number; maxHeapMb?: number } = {}) {
  const isolated = new IsolatedSources({
    timeoutMs: limits.timeoutMs ?? 10_000,
    maxHeapMb: limits.maxHeapMb ?? 128,
  });
  open.push(isolated);
  return isolated;
}

async function failure(promise: Promise<unknown>): Promise<PipelineError> {
  try {
    await promise;
  } catch (error) {
    return error as PipelineError;
  }
  throw new Error('expected a failure');
}

beforeAll(async () => {
  ({ IsolatedSources } = (await import(BUILT)) as {
    IsolatedSources: typeof IsolatedSourcesType;
  });
});

afterAll(async () => {
  await Promise.all(open.map((s) => s.close()));
});

describe('IsolatedSources: feeds and sitemaps read in a thread of their own', () => {
  it('gives the links readSourceLinks gives, from gzipped bytes, and moves a whole buffer', async () => {
    const isolated = sources();
    const feed = Buffer.from(rssFeed('http://127.0.0.1:9', 30));
    const expected = readSourceLinks(feed, BASE);
    const gzipped = new Uint8Array(gzipSync(feed));
    const owned = new Uint8Array(gzipped); // a buffer of its own: moved, not copied
    expect(await isolated.read(owned, BASE, {})).toEqual(expected);
    expect(owned.byteLength).toBe(0);
    // A view into a larger buffer is copied: the rest of the buffer stays the caller's.
    const shared = Buffer.concat([Buffer.alloc(8), gzipped]).subarray(8);
    expect(await isolated.read(shared, BASE, {})).toEqual(expected);
    expect(shared.byteLength).toBe(gzipped.byteLength);
  });

  it('keeps its permanent errors and codes: malformed XML, too many items', async () => {
    const isolated = sources();
    const broken = Buffer.from('<rss><channel><item><link>x</link></channel>');
    expect((await failure(isolated.read(broken, BASE, {}))).code).toBe('SOURCE_MALFORMED');
    const many = Buffer.from(rssFeed('http://127.0.0.1:9', 20));
    const error = await failure(isolated.read(many, BASE, { maxItems: 10 }));
    expect(error.code).toBe('SOURCE_TOO_MANY_ITEMS');
  });

  it('stops a source past its time (SOURCE_TOO_SLOW) and reads the next in a new thread', async () => {
    const isolated = sources({ timeoutMs: 150 });
    const large = Buffer.from(rssFeed('http://127.0.0.1:9', 50_000));
    const small = Buffer.from(rssFeed('http://127.0.0.1:9', 3));
    const [slow, next] = await Promise.allSettled([
      isolated.read(large, BASE, {}),
      isolated.read(small, BASE, {}),
    ]);
    expect(((slow as PromiseRejectedResult).reason as PipelineError).code).toBe('SOURCE_TOO_SLOW');
    expect(
      next.status === 'fulfilled' && next.value.kind === 'feed' && next.value.urls,
    ).toHaveLength(3);
  });
});
