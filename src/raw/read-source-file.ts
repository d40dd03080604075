import { readFile, stat } from 'node:fs/promises';
import { PermanentError } from '../errors.js';
import { sourceKeyOfFile } from '../record/record-id.js';
import { MAX_PAGE_BYTES, type RawPage } from './raw-page.js';

/**
 * Reads a page from disk as a RawPage. Throws PermanentError naming the reason when the path
 * is missing, a directory, unreadable or too large (checked before reading, so memory stays
 * bounded); the content itself is judged later by
 * decodePage (empty, binary, not UTF-8).
 */
export async function readSourceFile(path: string, kind: 'seed' | 'file'): Promise<RawPage> {
  let size: number;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new PermanentError('SOURCE_IS_DIRECTORY', 'is a directory');
    if (!info.isFile()) throw new PermanentError('SOURCE_NOT_FILE', 'not a regular file');
    size = info.size;
  } catch (error) {
    if (error instanceof PermanentError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw code === 'ENOENT'
      ? new PermanentError('SOURCE_MISSING', 'no such file', { cause: error })
      : new PermanentError('SOURCE_UNREADABLE', `cannot read (${code ?? 'error'})`, {
          cause: error,
        });
  }
  if (size > MAX_PAGE_BYTES) {
    throw new PermanentError(
      'CONTENT_TOO_LARGE',
      `${size} bytes, over the ${MAX_PAGE_BYTES}-byte limit`,
    );
  }
  let body: Buffer;
  try {
    body = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new PermanentError('SOURCE_UNREADABLE', `cannot read (${code ?? 'error'})`, {
      cause: error,
    });
  }
  return {
    kind,
    uri: path,
    url: null,
    retrievedAt: null,
    contentType: null,
    headers: {},
    sourceKey: sourceKeyOfFile(kind, path),
    body: new Uint8Array(body.buffer, body.byteOffset, body.byteLength),
  };
}
