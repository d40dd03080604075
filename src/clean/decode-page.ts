import { PermanentError } from '../errors.js';
import { MAX_PAGE_BYTES, type RawPage } from '../raw/raw-page.js';
import { bomCharset, charsetName, decodeCharset, metaCharset } from './charset.js';

export type PageFormat = 'html' | 'text';

export interface DecodedPage {
  format: PageFormat;
  text: string;
  charset: string;
}

/** How much of the start of a page is sniffed for its format and a <meta charset>. */
const SNIFF_BYTES = 4096;
/**
 * Characters of a plain-text page: a long book's worth. Past it a page is no article, and
 * the cleaning passes' copies of it would fill a worker's heap.
 */
export const MAX_TEXT_PAGE_CHARS = 2_000_000;
/** A text page has next to no control characters; past this share it is binary. */
const MAX_CONTROL_CHAR_RATIO = 0.01;

/** Magic numbers of formats that are sometimes served or saved as pages but are not pages. */
const BINARY_SIGNATURES: Array<[string, number[]]> = [
  ['PDF', [0x25, 0x50, 0x44, 0x46, 0x2d]],
  ['gzip', [0x1f, 0x8b]],
  ['zip', [0x50, 0x4b, 0x03, 0x04]],
  ['PNG', [0x89, 0x50, 0x4e, 0x47]],
  ['JPEG', [0xff, 0xd8, 0xff]],
  ['GIF', [0x47, 0x49, 0x46, 0x38]],
  ['ELF', [0x7f, 0x45, 0x4c, 0x46]],
];

function startsWith(body: Uint8Array, signature: number[]): boolean {
  return signature.every((byte, i) => body[i] === byte);
}

function charsetLabelOf(contentType: string | null): string | null {
  return contentType?.match(/charset\s*=\s*["']?([\w.:-]+)/i)?.[1] ?? null;
}

function xmlPrologLabel(head: string): string | null {
  return /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([\w.:-]+)["']/i.exec(head)?.[1] ?? null;
}

/** The WHATWG name of a declared label; an unknown label is refused, not guessed at. */
function knownCharset(label: string): string {
  const name = charsetName(label);
  if (name === null) throw new PermanentError('CONTENT_CHARSET', `unknown charset "${label}"`);
  return name;
}

const HTML_START =
  /^\s*(?:<\?xml[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title|link|script|style|header|nav|main|div|article|section|p|h[1-6])\b/i;

/** HTML by the server's word, else by the page's first tag. */
function isHtml(contentType: string | null, head: () => string): boolean {
  const mime = contentType?.split(';')[0]?.trim().toLowerCase();
  if (mime === 'text/html' || mime === 'application/xhtml+xml') return true;
  if (mime === 'text/plain') return false;
  return HTML_START.test(head());
}

/** Control characters other than tab, line feed, form feed and carriage return. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_CHAR = /[\x00-\x08\x0b\x0e-\x1f\x7f]/;

/** How many {@link CONTROL_CHAR}s a text holds; most pages have none, told by one search. */
function controlChars(text: string): number {
  const first = text.search(CONTROL_CHAR);
  if (first < 0) return 0;
  let control = 0;
  for (let i = first; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) || c === 0x7f) control++;
  }
  return control;
}

/**
 * Turns a raw page into text and says whether it is HTML or plain text. Refuses, with a
 * reason an operator can act on, what is not a page: empty, binary, PDF, JSON, undecodable.
 */
export function decodePage(raw: Pick<RawPage, 'body' | 'contentType' | 'uri'>): DecodedPage {
  const { body } = raw;
  if (body.length === 0) throw new PermanentError('CONTENT_EMPTY', 'empty page (0 bytes)');
  if (body.length > MAX_PAGE_BYTES) {
    throw new PermanentError(
      'CONTENT_TOO_LARGE',
      `page of ${body.length} bytes is larger than ${MAX_PAGE_BYTES} bytes`,
    );
  }
  for (const [name, signature] of BINARY_SIGNATURES) {
    if (startsWith(body, signature)) {
      throw new PermanentError('CONTENT_BINARY', `a ${name} file, not a page`);
    }
  }
  const bom = bomCharset(body);
  // The page's start as Latin-1, read only when the server's headers leave the format or the
  // charset open.
  let sniffed: string | undefined;
  const head = () => {
    sniffed ??= Buffer.from(body.subarray(0, SNIFF_BYTES))
      .toString('latin1')
      .replace(/^\uFEFF|^ï»¿/, '');
    return sniffed;
  };
  const html = isHtml(raw.contentType, head);
  // The WHATWG order: byte order mark, then the server's word, then the page's own.
  const served = charsetLabelOf(raw.contentType);
  const prolog = html ? xmlPrologLabel(head()) : null;
  const declared =
    bom ??
    (served !== null ? knownCharset(served) : null) ??
    (prolog !== null ? knownCharset(prolog) : null) ??
    (html ? metaCharset(body.subarray(0, SNIFF_BYTES)) : null);
  const charset = declared ?? 'UTF-8';
  let text: string;
  try {
    text = decodeCharset(body, charset);
  } catch (error) {
    if (error instanceof PermanentError) throw error;
    throw new PermanentError(
      'CONTENT_ENCODING',
      declared ? `not valid ${charset}` : 'not valid UTF-8 and no charset declared',
    );
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (controlChars(text) > text.length * MAX_CONTROL_CHAR_RATIO) {
    throw new PermanentError('CONTENT_BINARY', 'binary data, not a page');
  }
  if (text.trim() === '')
    throw new PermanentError('CONTENT_EMPTY', 'page has no text (only white space)');
  if (!html && text.length > MAX_TEXT_PAGE_CHARS) {
    throw new PermanentError(
      'CONTENT_TOO_LONG',
      `text page of ${text.length} characters (more than ${MAX_TEXT_PAGE_CHARS}): not an article page`,
    );
  }
  const trimmed = text.trimStart();
  if (!html && (trimmed.startsWith('{') || trimmed.startsWith('['))) {
    try {
      JSON.parse(text);
      throw new PermanentError('CONTENT_JSON', 'a JSON document, not a page');
    } catch (error) {
      if (error instanceof PermanentError) throw error;
    }
  }
  if (!html && /^<\?xml\b/.test(trimmed) && !/<html\b/i.test(head())) {
    throw new PermanentError('CONTENT_XML', 'an XML document, not a page');
  }
  return { format: html ? 'html' : 'text', text, charset };
}
