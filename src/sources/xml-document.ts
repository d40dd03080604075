import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { PermanentError } from '../errors.js';
import { SourceErrorCode } from './source-error-codes.js';

/** Elements that may repeat, always read as arrays so one item and fifty read alike. */
const REPEATED = new Set(['item', 'entry', 'link', 'url', 'sitemap', 'category']);
/** Bytes sniffed for a BOM and the XML declaration's encoding. */
const DECLARATION_BYTES = 200;

export type XmlNode = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (name) => REPEATED.has(name),
});

/** Decodes XML bytes by their BOM or `<?xml encoding="...">` (feeds in windows-1256 exist), else UTF-8. */
export function decodeXml(bytes: Uint8Array): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return new TextDecoder('utf-8').decode(bytes.subarray(3));
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
  const head = Buffer.from(bytes.subarray(0, DECLARATION_BYTES)).toString('latin1');
  const declared = /^<\?xml[^>]*\bencoding\s*=\s*["']([\w.:-]+)["']/.exec(head)?.[1];
  try {
    return new TextDecoder(declared ?? 'utf-8').decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
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
  return parser.parse(text) as XmlNode;
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
