import { createRequire } from 'node:module';
import iconv from 'iconv-lite';
import { PermanentError } from '../errors.js';

// whatwg-encoding and html-encoding-sniffer are CommonJS without typings: what is used of them.
const require = createRequire(import.meta.url);
const whatwgEncoding = require('whatwg-encoding') as {
  labelToName(label: string): string | null;
  getBOMEncoding(bytes: Uint8Array): string | null;
};
const sniffHtmlEncoding = require('html-encoding-sniffer') as (
  bytes: Uint8Array,
  options: { defaultEncoding: string },
) => string;

/** The WHATWG name of a charset label ("latin1" → "windows-1252"), or null when unknown. */
export function charsetName(label: string): string | null {
  return whatwgEncoding.labelToName(label);
}

/** The encoding a byte order mark announces ("UTF-8", "UTF-16LE", "UTF-16BE"), or null. */
export function bomCharset(bytes: Uint8Array): string | null {
  return whatwgEncoding.getBOMEncoding(bytes);
}

/** The charset an HTML page's own `<meta>` declares in its first 1024 bytes, or null. */
export function metaCharset(bytes: Uint8Array): string | null {
  return sniffHtmlEncoding(bytes, { defaultEncoding: '' }) || null;
}

/** Decoders of the Unicode encodings, made once each: decoding without `stream` leaves one ready. */
const unicodeDecoders = new Map<string, TextDecoder>();

/**
 * Decodes bytes in a WHATWG-named charset: the Unicode ones with the platform's decoder (UTF-8
 * strictly: an invalid byte throws TypeError), the legacy ones with iconv-lite, whose tables
 * follow the WHATWG ones (windows-1252's curly quotes where Latin-1 has C1 controls). A leading
 * byte order mark is dropped.
 */
export function decodeCharset(bytes: Uint8Array, name: string): string {
  if (name === 'UTF-8' || name === 'UTF-16LE' || name === 'UTF-16BE') {
    let decoder = unicodeDecoders.get(name);
    if (decoder === undefined) {
      decoder = new TextDecoder(name, { fatal: name === 'UTF-8' });
      unicodeDecoders.set(name, decoder);
    }
    return decoder.decode(bytes);
  }
  if (name === 'replacement' || !iconv.encodingExists(name)) {
    throw new PermanentError('CONTENT_CHARSET', `charset ${name} is not supported`);
  }
  return iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), name);
}
