import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RawPageMeta, type RawPage } from './raw-page.js';

/** sha256 of the body: the raw store's address of a page. */
export function rawPageHash(body: Uint8Array): string {
  return createHash('sha256').update(body).digest('hex');
}

/**
 * Content-addressed store of raw pages on the filesystem: `<dir>/<h0h1>/<hash>.body` plus a
 * `.meta.json` beside it. Writes go through a temporary file and a rename, so a crash never
 * leaves a half-written page behind.
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
    return hash;
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
      for (const name of await readdir(join(this.dir, folder))) {
        if (name.endsWith('.body')) yield name.slice(0, -'.body'.length);
      }
    }
  }
}

async function writeAtomically(path: string, data: Uint8Array | string): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, path);
}
