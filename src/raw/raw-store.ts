import { createHash, randomUUID } from 'node:crypto';
import { readFileSync, type Dirent } from 'node:fs';
import { mkdir, open, readFile, readdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PermanentError } from '../errors.js';
import { RawPageMeta, type RawPage } from './raw-page.js';

/**
 * The raw store's address of a page: sha256 of its source and its bytes. The same bytes from
 * one source are stored once; the same bytes from two sources (a page copied into two seed
 * folders, a mirror) are two pages, each with its own metadata, so neither source loses its
 * record or its place in `latestBySource`.
 */
export function rawPageHash(page: Pick<RawPage, 'uri' | 'body'>): string {
  return createHash('sha256').update(page.uri).update('\n').update(page.body).digest('hex');
}

/** The latest raw page stored for one source (a URL or a file path). */
export interface SourcePointer {
  uri: string;
  hash: string;
  storedAt: string;
}

/** Leading bytes read to find a page's metadata line; a longer line is read whole. */
const META_PEEK_BYTES = 16 * 1024;
const NEWLINE = 0x0a;

/**
 * Store of raw pages on the filesystem, addressed by source and content (rawPageHash): one
 * file `<dir>/<h0h1>/<hash>.page` a page, holding a line of JSON metadata (headers, origin, when it was stored) and then the
 * body's bytes as received. Writes go through a temporary file and a rename, so a crash never
 * leaves half a file; one file a page keeps a put to one write and a get to one read. A page
 * stored again is rewritten with a new `storedAt`, which marks it the newest version of its
 * source. Stores written by earlier versions (`<hash>.body` + `<hash>.meta.json`) stay
 * readable.
 */
export class FsRawStore {
  /** Folders known to exist, so a put costs no mkdir after the first in each. */
  private readonly folders = new Set<string>();

  constructor(readonly dir: string) {}

  async put(page: RawPage): Promise<string> {
    const hash = rawPageHash(page);
    const folder = join(this.dir, hash.slice(0, 2));
    if (!this.folders.has(folder)) {
      await mkdir(folder, { recursive: true });
      this.folders.add(folder);
    }
    const { body, ...meta } = page;
    const head = Buffer.from(
      `${JSON.stringify({ ...meta, storedAt: new Date().toISOString() })}\n`,
    );
    await writeAtomically(join(folder, `${hash}.page`), Buffer.concat([head, body]));
    return hash;
  }

  /**
   * The newest stored page of every source (by when it was stored), in no particular order.
   * Reads every page's metadata: this is for reprocessing, not for a hot path.
   */
  async *latestBySource(): AsyncGenerator<SourcePointer> {
    const latest = new Map<string, SourcePointer>();
    for await (const hash of this.hashes()) {
      let meta: { uri?: unknown; storedAt?: unknown };
      try {
        meta = JSON.parse(await this.readMeta(hash)) as typeof meta;
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
    let file: Buffer;
    try {
      // A synchronous read: a page file is small and read once, and the promise API's hops
      // through the thread pool (open, stat, read, close) cost a process job five times the
      // CPU of the read itself (75 against 14 µs for a seed page). The job is CPU-bound anyway.
      file = readFileSync(join(folder, `${hash}.page`));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      return this.getLegacy(folder, hash);
    }
    const end = file.indexOf(NEWLINE);
    if (end < 0) throw new Error(`raw page ${hash} has no metadata line`);
    return {
      ...RawPageMeta.parse(JSON.parse(file.toString('utf8', 0, end))),
      body: new Uint8Array(file.buffer, file.byteOffset + end + 1, file.length - end - 1),
    };
  }

  /** Every stored hash, in no particular order. Files that are not pages are passed over. */
  async *hashes(): AsyncGenerator<string> {
    let entries: Dirent[];
    try {
      entries = await readdir(this.dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      // Pages live in folders named by their hash's first two digits; anything else (a note, a
      // backup) is not the store's.
      if (!entry.isDirectory()) continue;
      for (const name of await readdir(join(this.dir, entry.name))) {
        if (name.endsWith('.page')) yield name.slice(0, -'.page'.length);
        else if (name.endsWith(LEGACY_BODY)) yield name.slice(0, -LEGACY_BODY.length);
      }
    }
  }

  /** The metadata line of a stored page, without reading its body when the line is short. */
  private async readMeta(hash: string): Promise<string> {
    const folder = join(this.dir, hash.slice(0, 2));
    let handle;
    try {
      handle = await open(join(folder, `${hash}.page`));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      return readFile(join(folder, `${hash}${LEGACY_META}`), 'utf8');
    }
    try {
      const peek = Buffer.alloc(META_PEEK_BYTES);
      const { bytesRead } = await handle.read(peek, 0, META_PEEK_BYTES, 0);
      const end = peek.subarray(0, bytesRead).indexOf(NEWLINE);
      if (end >= 0) return peek.toString('utf8', 0, end);
      const whole = await readFile(handle);
      return whole.toString('utf8', 0, Math.max(0, whole.indexOf(NEWLINE)));
    } finally {
      await handle.close();
    }
  }

  /** A page as earlier versions stored it: body and metadata in two files. */
  private async getLegacy(folder: string, hash: string): Promise<RawPage> {
    const [body, metaText] = await Promise.all([
      readFile(join(folder, `${hash}${LEGACY_BODY}`)),
      readFile(join(folder, `${hash}${LEGACY_META}`), 'utf8'),
    ]);
    return { ...RawPageMeta.parse(JSON.parse(metaText)), body: new Uint8Array(body) };
  }
}

/** A stored page by its hash; one that is not in the store fails for good as RAW_MISSING. */
export async function loadRawPage(store: Pick<FsRawStore, 'get'>, hash: string): Promise<RawPage> {
  try {
    return await store.get(hash);
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new PermanentError('RAW_MISSING', `raw page ${hash} is not in the raw store`, {
        cause,
      });
    }
    throw cause;
  }
}

/** File names of the two-file layout written before `.page` files. */
const LEGACY_BODY = '.body';
const LEGACY_META = '.meta.json';

async function writeAtomically(path: string, data: Uint8Array | string): Promise<void> {
  const tmp = `${path}.${randomUUID()}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, path);
}
