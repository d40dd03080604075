import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RawPage } from '../../src/raw/raw-page.js';
import { FsRawStore, rawPageHash } from '../../src/raw/raw-store.js';

function page(uri: string, text: string): RawPage {
  return {
    kind: 'fetch',
    uri,
    url: uri,
    retrievedAt: '2026-01-01T00:00:00.000Z',
    contentType: 'text/html; charset=utf-8',
    headers: { etag: '"v1"' },
    body: new TextEncoder().encode(text),
  };
}

async function latest(store: FsRawStore): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for await (const p of store.latestBySource()) found.set(p.uri, p.hash);
  return found;
}

describe('FsRawStore', () => {
  it('keeps a page by its hash with its metadata, and stores the same bytes once', async () => {
    const store = new FsRawStore(mkdtempSync(join(tmpdir(), 'newsnorm-raw-')));
    const original = page('https://example.org/a', '<p>First version</p>');
    const hash = await store.put(original);
    expect(hash).toBe(rawPageHash(original));
    expect(await store.put(original)).toBe(hash);
    const back = await store.get(hash);
    expect(back).toEqual(original);
    const files = readdirSync(join(store.dir, hash.slice(0, 2)));
    expect(files).toEqual([`${hash}.page`]);
  });

  it('keeps the same bytes from two sources as two pages, each listed with its own source', async () => {
    const store = new FsRawStore(mkdtempSync(join(tmpdir(), 'newsnorm-raw-')));
    const a = page('seeds/page.txt', 'the same article');
    const b = page('copy/page.txt', 'the same article');
    const [ha, hb] = [await store.put(a), await store.put(b)];
    expect(ha).not.toBe(hb);
    expect((await store.get(ha)).uri).toBe('seeds/page.txt');
    expect((await store.get(hb)).uri).toBe('copy/page.txt');
    expect(await latest(store)).toEqual(
      new Map([
        ['seeds/page.txt', ha],
        ['copy/page.txt', hb],
      ]),
    );
  });

  it('lists its pages past files that are not its own in the store folder', async () => {
    const store = new FsRawStore(mkdtempSync(join(tmpdir(), 'newsnorm-raw-')));
    const hash = await store.put(page('https://example.org/a', 'a page'));
    writeFileSync(join(store.dir, 'README'), 'pages of the staging crawl\n');
    expect(await latest(store)).toEqual(new Map([['https://example.org/a', hash]]));
  });

  it('names the newest stored version of each source, even when an old version comes back', async () => {
    const store = new FsRawStore(mkdtempSync(join(tmpdir(), 'newsnorm-raw-')));
    const v1 = await store.put(page('https://example.org/a', 'version one'));
    const other = await store.put(page('https://example.org/b', 'another page'));
    await new Promise((r) => setTimeout(r, 5));
    const v2 = await store.put(page('https://example.org/a', 'version two'));
    expect(await latest(store)).toEqual(
      new Map([
        ['https://example.org/a', v2],
        ['https://example.org/b', other],
      ]),
    );
    await new Promise((r) => setTimeout(r, 5));
    await store.put(page('https://example.org/a', 'version one'));
    expect((await latest(store)).get('https://example.org/a')).toBe(v1);
  });

  it('refuses a malformed hash and reports a missing page as not found', async () => {
    const store = new FsRawStore(mkdtempSync(join(tmpdir(), 'newsnorm-raw-')));
    await expect(store.get('../../etc/passwd')).rejects.toThrow('not a raw page hash');
    await expect(store.get('0'.repeat(64))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('still reads pages stored in the earlier two-file layout, and lists them for reprocessing', async () => {
    const store = new FsRawStore(mkdtempSync(join(tmpdir(), 'newsnorm-raw-')));
    const old = page('https://example.org/old', 'stored by an earlier version');
    const hash = rawPageHash(old);
    const { body, ...meta } = old;
    mkdirSync(join(store.dir, hash.slice(0, 2)));
    writeFileSync(join(store.dir, hash.slice(0, 2), `${hash}.body`), body);
    writeFileSync(
      join(store.dir, hash.slice(0, 2), `${hash}.meta.json`),
      JSON.stringify({ ...meta, storedAt: '2026-01-01T00:00:00.000Z' }),
    );
    const fresh = await store.put(page('https://example.org/new', 'stored now'));
    expect(await store.get(hash)).toEqual(old);
    expect(await latest(store)).toEqual(
      new Map([
        ['https://example.org/old', hash],
        ['https://example.org/new', fresh],
      ]),
    );
  });

  it('reads a page whose metadata line is longer than the first read', async () => {
    const store = new FsRawStore(mkdtempSync(join(tmpdir(), 'newsnorm-raw-')));
    const big = {
      ...page('https://example.org/big', 'body'),
      headers: { 'x-long': 'v'.repeat(40_000) },
    };
    const hash = await store.put(big);
    expect(await store.get(hash)).toEqual(big);
    expect(await latest(store)).toEqual(new Map([['https://example.org/big', hash]]));
  });
});
