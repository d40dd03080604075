import { Transform, Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createBrotliDecompress, createUnzip, type Unzip, type BrotliDecompress } from 'node:zlib';
import { PermanentError } from '../errors.js';
import { FetchErrorCode } from './fetch-error-codes.js';

/** Content-Encoding tokens that mean "nothing to undo". */
const IDENTITY = new Set(['identity', '']);

/** zlib error codes: the compressed data itself is broken, which retrying will not fix. */
const ZLIB_DATA_ERRORS = new Set([
  'Z_DATA_ERROR',
  'Z_BUF_ERROR',
  'ERR_BROTLI_DECOMPRESSION_FAILED',
]);

export interface ReadBodyOptions {
  /** The response's Content-Encoding, e.g. "gzip" or "gzip, br". */
  contentEncoding: string | undefined;
  /** Limit on bytes received and, separately, on bytes after decoding. */
  maxBodyBytes: number;
  /**
   * Codings undone at most: each costs a zlib stream and its window, so a header listing
   * thousands of them would cost hundreds of megabytes before any byte arrives.
   */
  maxContentEncodings: number;
  /**
   * What a body past `maxBodyBytes` does: fail with FETCH_TOO_LARGE, or end there, keeping
   * its first `maxBodyBytes` decoded bytes (robots.txt, RFC 9309 §2.5). @default "fail"
   */
  overflow?: 'fail' | 'truncate';
  /** Aborts the read (the whole-request deadline). */
  signal?: AbortSignal;
}

/** Ends a truncated read early: not an error, the bytes kept are the answer. */
class EnoughRead extends Error {}

function tooLarge(maxBodyBytes: number, where: string): PermanentError {
  return new PermanentError(
    FetchErrorCode.TOO_LARGE,
    `body larger than fetch.maxBodyBytes (${maxBodyBytes} bytes) ${where}`,
  );
}

function createDecoder(token: string): Unzip | BrotliDecompress {
  // Unzip reads gzip or zlib-wrapped deflate, which is what servers send as "deflate".
  if (token === 'gzip' || token === 'x-gzip' || token === 'deflate') return createUnzip();
  if (token === 'br') return createBrotliDecompress();
  throw new PermanentError(FetchErrorCode.BAD_ENCODING, `unsupported Content-Encoding "${token}"`);
}

/** Passes chunks through, failing as soon as more than `max` bytes went by. */
function byteLimit(max: number, where: string): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > max) callback(tooLarge(max, where));
      else callback(null, chunk);
    },
  });
}

/**
 * Reads a response body into memory, undoing its Content-Encoding with zlib streams. The
 * limit is counted while streaming, on the wire and again after each decoder, so a gzip
 * bomb is cut off after `maxBodyBytes` decoded bytes instead of filling memory.
 */
export async function readBody(body: Readable, options: ReadBodyOptions): Promise<Buffer> {
  const { maxBodyBytes } = options;
  // Content-Encoding lists codings in the order applied, so they are undone in reverse.
  const tokens = (options.contentEncoding ?? '')
    .split(',')
    .map((t) => t.trim().toLowerCase())
    .filter((t) => !IDENTITY.has(t))
    .reverse();
  let decoders: Array<Unzip | BrotliDecompress>;
  try {
    if (tokens.length > options.maxContentEncodings) {
      throw new PermanentError(
        FetchErrorCode.BAD_ENCODING,
        `Content-Encoding lists ${tokens.length} codings, more than fetch.maxContentEncodings (${options.maxContentEncodings})`,
      );
    }
    decoders = tokens.map(createDecoder);
  } catch (error) {
    // Destroying an unread body makes it emit an abort error nobody else listens for.
    body.on('error', () => undefined).destroy();
    throw error;
  }
  const chunks: Buffer[] = [];
  const truncate = options.overflow === 'truncate';
  let kept = 0;
  // Truncating, the sink itself stops at the limit; failing, every stage counts.
  const stages: Array<Transform | Unzip | BrotliDecompress> = truncate
    ? decoders
    : [
        byteLimit(maxBodyBytes, 'on the wire'),
        ...decoders.flatMap((d) => [d, byteLimit(maxBodyBytes, 'after decompression')]),
      ];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      const room = maxBodyBytes - kept;
      chunks.push(truncate && chunk.length > room ? chunk.subarray(0, room) : chunk);
      kept += Math.min(chunk.length, truncate ? room : chunk.length);
      callback(truncate && kept >= maxBodyBytes ? new EnoughRead() : null);
    },
  });
  try {
    await pipeline([body, ...stages, sink], options.signal ? { signal: options.signal } : {});
  } catch (error) {
    if (error instanceof EnoughRead) return Buffer.concat(chunks);
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (ZLIB_DATA_ERRORS.has(code)) {
      throw new PermanentError(
        FetchErrorCode.BAD_ENCODING,
        `corrupt ${tokens.join(', ')} body: ${(error as Error).message}`,
        { cause: error },
      );
    }
    throw error;
  }
  return Buffer.concat(chunks);
}

/**
 * The first `maxBytes` bytes of a body, then the rest is dropped (the stream destroyed) unread:
 * for answers only glanced at, such as a webhook receiver's, whatever their size.
 */
export async function readBodyPrefix(body: Readable, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let kept = 0;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      chunks.push(chunk.subarray(0, maxBytes - kept));
      kept += Math.min(chunk.length, maxBytes - kept);
      if (kept >= maxBytes) break;
    }
  } finally {
    body.on('error', () => undefined).destroy();
  }
  return Buffer.concat(chunks);
}
