import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, readdir, rename, stat, writeFile } from 'node:fs/promises';
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
 * `.meta.json` beside it (headers, origin, and when it was stored). Writes go through a
 * temporary file and a rename, so a crash never leaves half a file. A page stored again
 * only has its metadata rewritten, which also marks it the newest version of its source.
 */
export class FsRawStore {
  /** Folders known to exist, so a put costs no mkdir after the first in each. */
  private readonly folders = new Set<string>();

  constructor(readonly dir: string) {}

  async put(page: RawPage): Promise<string> {
    const hash = rawPageHash(page.body);
    const folder = join(this.dir, hash.slice(0, 2));
    if (!this.folders.has(folder)) {
      await mkdir(folder, { recursive: true });
      this.folders.add(folder);
    }
    const { body, ...meta } = page;
    const bodyPath = join(folder, `${hash}.body`);
    const stored = await stat(bodyPath).catch(() => null);
    if (stored?.size !== body.length) await writeAtomically(bodyPath, body);
    const storedAt = new Date().toISOString();
    await writeAtomically(join(folder, `${hash}.meta.json`), JSON.stringify({ ...meta, storedAt }));
    return hash;
  }

  /**
   * The newest stored page of every source (by when it was stored), in no particular order.
   * Reads every page's metadata: this is for reprocessing, not for a hot path.
   */
  async *latestBySource(): AsyncGenerator<SourcePointer> {
    const latest = new Map<string, SourcePointer>();
    for await (const hash of this.hashes()) {
      const metaPath = join(this.dir, hash.slice(0, 2), `${hash}.meta.json`);
      let meta: { uri?: unknown; storedAt?: unknown };
      try {
        meta = JSON.parse(await readFile(metaPath, 'utf8')) as typeof meta;
      } catch {
        continue;
      }
      if (typeof meta.uri !== 'string' || typeof meta.storedAt !== 'string') continue;
      const known = latest.get(meta.uri);
      if (!known || known.storedAt < meta.storedAt) {
        latest.set(meta.uri, { uri: meta.uri, hash, storedAt: meta.storedAt });
      }
    }
    yield* latest.values();
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
  const tmp = `${path}.${randomUUID()}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, path);
}
