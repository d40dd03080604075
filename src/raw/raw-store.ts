import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, readdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RawPageMeta, type RawPage } from './raw-page.js';

/** sha256 of the body: the raw store's address of a page. */
export function rawPageHash(body: Uint8Array): string {
  return createHash('sha256').update(body).digest('hex');
}

/** The latest raw page stored for one source (a URL or a file path). */
export interface SourcePointer {
  uri: string;
  hash: string;
  storedAt: string;
}

/**
 * Content-addressed store of raw pages on the filesystem: `<dir>/<h0h1>/<hash>.body` plus a
 * `.meta.json` beside it, and `<dir>/sources/<sha256(uri)>.json` pointing at the latest page
 * of each source, so reprocessing rebuilds from the newest version of every page only.
 * Writes go through a temporary file and a rename, so a crash never leaves half a file.
 */
export class FsRawStore {
  constructor(readonly dir: string) {}

  async put(page: RawPage): Promise<string> {
    const hash = rawPageHash(page.body);
    const folder = join(this.dir, hash.slice(0, 2));
    await mkdir(folder, { recursive: true });
    const { body, ...meta } = page;
    await writeAtomically(join(folder, `${hash}.body`), body);
    await writeAtomically(join(folder, `${hash}.meta.json`), JSON.stringify(meta));
    const pointer: SourcePointer = { uri: page.uri, hash, storedAt: new Date().toISOString() };
    await mkdir(join(this.dir, SOURCES), { recursive: true });
    await writeAtomically(
      join(this.dir, SOURCES, `${sourceKey(page.uri)}.json`),
      JSON.stringify(pointer),
    );
    return hash;
  }

  /** The latest stored page of every source, in no particular order. */
  async *latestBySource(): AsyncGenerator<SourcePointer> {
    let names: string[];
    try {
      names = await readdir(join(this.dir, SOURCES));
    } catch {
      return;
    }
    for (const name of names) {
      if (!name.endsWith('.json')) continue;
      yield JSON.parse(await readFile(join(this.dir, SOURCES, name), 'utf8')) as SourcePointer;
    }
  }

  async get(hash: string): Promise<RawPage> {
    if (!/^[0-9a-f]{64}$/.test(hash)) throw new Error(`not a raw page hash: ${hash}`);
    const folder = join(this.dir, hash.slice(0, 2));
    const [body, metaText] = await Promise.all([
      readFile(join(folder, `${hash}.body`)),
      readFile(join(folder, `${hash}.meta.json`), 'utf8'),
    ]);
    return { ...RawPageMeta.parse(JSON.parse(metaText)), body: new Uint8Array(body) };
  }

  /** Every stored hash, in no particular order. */
  async *hashes(): AsyncGenerator<string> {
    let folders: string[];
    try {
      folders = await readdir(this.dir);
    } catch {
      return;
    }
    for (const folder of folders) {
      if (folder === SOURCES) continue;
      for (const name of await readdir(join(this.dir, folder))) {
        if (name.endsWith('.body')) yield name.slice(0, -'.body'.length);
      }
    }
  }
}

const SOURCES = 'sources';

function sourceKey(uri: string): string {
  return createHash('sha256').update(uri).digest('hex');
}

async function writeAtomically(path: string, data: Uint8Array | string): Promise<void> {
  const tmp = `${path}.${randomUUID()}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, path);
}
