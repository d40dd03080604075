import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { bomCharset, charsetName, decodeCharset } from '../clean/charset.js';
import { PermanentError } from '../errors.js';
import { SourceErrorCode } from './source-error-codes.js';

/** Elements that may repeat, always read as arrays so one item and fifty read alike. */
const REPEATED = new Set(['item', 'entry', 'link', 'url', 'sitemap', 'category']);
/** Bytes sniffed for a BOM and the XML declaration's encoding. */
const DECLARATION_BYTES = 200;

export type XmlNode = Record<string, unknown>;

/** Elements that are one entry of a feed or sitemap, counted before anything is parsed. */
const ENTRY_ELEMENTS = new Set(['item', 'entry', 'url', 'sitemap']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (name) => REPEATED.has(name),
  // Feeds declare entities for the odd character, never for bulk text: anything more is a bomb.
  processEntities: {
    enabled: true,
    maxEntityCount: 100,
    maxEntitySize: 1000,
    maxTotalExpansions: 10_000,
    maxExpandedLength: 100_000,
  },
});

/** UTF-8 read leniently: a feed with one bad byte still lists its links. */
const utf8 = new TextDecoder('utf-8');

/**
 * Decodes XML bytes by their BOM or `<?xml encoding="...">` (feeds in windows-1256 exist), with
 * WHATWG label names ("iso-8859-1" is windows-1252), else UTF-8.
 */
export function decodeXml(bytes: Uint8Array): string {
  const head = Buffer.from(bytes.subarray(0, DECLARATION_BYTES)).toString('latin1');
  const label = /^<\?xml[^>]*\bencoding\s*=\s*["']([\w.:-]+)["']/.exec(head)?.[1];
  const name = bomCharset(bytes) ?? (label ? charsetName(label) : null) ?? 'UTF-8';
  if (name === 'UTF-8') return utf8.decode(bytes);
  try {
    return decodeCharset(bytes, name);
  } catch {
    return utf8.decode(bytes);
  }
}

/**
 * Parses XML into plain objects (namespace prefixes dropped, attributes as "@_name"),
 * refusing malformed documents with a PermanentError that gives the line and column.
 */
export function parseXml(text: string, what: string): XmlNode {
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    const { msg, line, col } = valid.err;
    throw new PermanentError(
      SourceErrorCode.MALFORMED,
      `${what} is not well-formed XML: ${msg} (line ${line}, column ${col})`,
    );
  }
  try {
    return parser.parse(text) as XmlNode;
  } catch (cause) {
    // The parser's own limits (entity expansion, nesting) throw plain errors: the document is
    // at fault, and reading it again will not help.
    throw new PermanentError(
      SourceErrorCode.MALFORMED,
      `${what} cannot be read as XML: ${(cause as Error).message}`,
      { cause },
    );
  }
}

/**
 * Counts the entries (`item`, `entry`, `url`, `sitemap` start tags, any namespace prefix) of a
 * feed or sitemap in its bytes, and refuses it, before any decoding or parsing, when it lists
 * more than `maxEntries`: a small gzipped feed can list a million items.
 */
export function assertEntryCount(bytes: Uint8Array, maxEntries: number, what: string): void {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let entries = 0;
  for (let at = buffer.indexOf(0x3c); at !== -1; at = buffer.indexOf(0x3c, at + 1)) {
    let end = at + 1;
    let start = end;
    // An element name runs until white space, ">" or "/"; a prefix ends at ":".
    while (end < buffer.length && end - at <= 64) {
      const c = buffer[end]!;
      if (c === 0x3a) start = end + 1;
      else if (c <= 0x20 || c === 0x3e || c === 0x2f) break;
      end++;
    }
    if (end - start > 7 || end === start) continue;
    if (!ENTRY_ELEMENTS.has(buffer.toString('latin1', start, end))) continue;
    if (++entries > maxEntries) {
      throw new PermanentError(
        SourceErrorCode.TOO_MANY_ITEMS,
        `${what} lists more than fetch.maxFeedItems (${maxEntries}) entries; nothing was read`,
      );
    }
  }
}

/** The text of an element however the parser shaped it (string, {#text}, first of an array). */
export function textOf(value: unknown): string | null {
  if (Array.isArray(value)) return textOf(value[0]);
  if (typeof value === 'string') return value.trim() || null;
  if (typeof value === 'number') return String(value);
  if (value && typeof value === 'object' && '#text' in value) return textOf(value['#text']);
  return null;
}

/** An element as a list of child nodes (absent → []). */
export function nodesOf(value: unknown): XmlNode[] {
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.filter((v): v is XmlNode => typeof v === 'object' && v !== null);
}
