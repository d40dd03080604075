import { dateLine, isUpdateLine, statedTime, type SlashOrder } from '../stated-date.js';
import { blockText, type TextBlock, type TextLine } from './text-blocks.js';
import type { CompiledPattern } from './text-rules.js';
import { firstMatch, isHeadline, words } from './text-shape.js';

/** How many blocks before the article's first one are read for its title, byline and date. */
const HEADER_BLOCKS = 8;
/** A block of this many short lines is a menu: the header does not reach past it. */
const MENU_LINES = 4;
const MENU_WORDS_PER_LINE = 4;
/** Lines after the article read for a closing byline ("Posted by … at 9:12 AM"). */
const FOOTER_LINES = 8;
/** The masthead: the first lines of the page, where the site names itself. */
const MASTHEAD_LINES = 5;
/** A person's name has two to five words ("Sarah E. Needleman", "Abu Hadi al-Shami"). */
const MIN_NAME_WORDS = 2;
const MAX_NAME_WORDS = 5;

/** Words that make a byline name an organisation or a role, not a person. */
const NOT_A_PERSON =
  /\b(?:staff|news|agency|agencies|press|desk|team|editors?|editorial|media|online|service|network|bureau|correspondents?|newsroom|admin|administrator|tv|radio|times|post|daily|magazine|website|group|reporters?|writers?|contributors?|wires?|reuters|afp|ap|dpa|ians|pti|xinhua|bbc|cnn)\b/i;
/** Name words: capitalised, initials, or the particles names carry (al-, bin, van, de). */
const NAME_WORD =
  /^(?:\p{Lu}[\p{L}'’.-]*|\p{Lu}\.|(?:al|el|ad|ar|as|at|ash|bin|ibn|bint|abu|van|von|der|den|de|da|di|du|del|della|la|le|dos|das|y)(?:-\p{L}[\p{L}'’-]*)?)$/u;
/** A caption's closing credit: "(AFP)", "(Photo by AFP)", "(North Press)". */
const CREDIT_END =
  /\((?:[^()]*\b(?:photo|image|file|credit)\b[^()]*|[\p{Lu}][\p{L} .&/-]{1,40})\)$/iu;
const CAPTION_WORDS = /\b(?:photo|image|picture|file photo|credit)\s*(?::|by\b)|©|\bfile photo\b/i;
/** Breadcrumbs and menus: items between separators. */
const SEPARATED = /\s(?:[|»›>/•·]|::)\s/;

export interface HeaderInput {
  lines: TextLine[];
  blocks: TextBlock[];
  /** Index of the article's first block. */
  first: number;
  /** Index of the article's last block. */
  last: number;
  bylines: CompiledPattern[];
}

export interface Header {
  title: string;
  publishedAt: string | null;
  authors: string[];
  /** Blocks read as the title: not article text. */
  used: Set<number>;
}

function isMenu(block: TextBlock): boolean {
  if (block.lines.length < MENU_LINES) return false;
  const n = block.lines.reduce((a, l) => a + words(l.text), 0);
  return n / block.lines.length < MENU_WORDS_PER_LINE;
}

function isCaption(text: string): boolean {
  return CREDIT_END.test(text) || CAPTION_WORDS.test(text);
}

function isTitleShaped(text: string, bylines: CompiledPattern[]): boolean {
  if (!isHeadline(text) || SEPARATED.test(text) || isCaption(text)) return false;
  if (dateLine(text) || firstMatch(bylines, text)) return false;
  // A masthead in capitals ("STEP NEWS AGENCY") is short; a headline in capitals is not.
  if (text === text.toUpperCase() && words(text) <= MENU_WORDS_PER_LINE) return false;
  // A caption is a sentence that goes on after its first full stop.
  return !/[.!?]\s+\p{Lu}.*[.]$/u.test(text);
}

/** A headline on a line of its own, or wrapped onto a second; never a date or byline line. */
export function isTitleBlock(block: TextBlock, bylines: CompiledPattern[]): boolean {
  if (block.lines.length > 2) return false;
  if (block.lines.some((l) => dateLine(l.text) || firstMatch(bylines, l.text))) return false;
  return isTitleShaped(blockText(block), bylines);
}

/** The headline: the nearest title-shaped block before the article, past bylines, dates and captions. */
function findTitle(input: HeaderInput): { title: string; at: number } {
  const { blocks, first, bylines } = input;
  for (let i = first - 1; i >= Math.max(0, first - HEADER_BLOCKS); i--) {
    const block = blocks[i]!;
    const text = blockText(block);
    if (isTitleBlock(block, bylines)) return { title: text, at: i };
    if (isMenu(block)) break;
  }
  return { title: '', at: -1 };
}

/** Slashed dates read the page's way: a day over 12 anywhere on the page settles the order. */
function slashOrder(lines: TextLine[]): SlashOrder | undefined {
  for (const { text } of lines) {
    const m = /(?<![\d/])(\d{1,2})\/(\d{1,2})\/\d{4}(?![\d/])/.exec(text);
    if (!m) continue;
    if (Number(m[1]) > 12) return 'dmy';
    if (Number(m[2]) > 12) return 'mdy';
  }
  return undefined;
}

function splitNames(names: string): string[] {
  return names
    .replace(/\s+(?:at|on)\s+\d.*$/i, '')
    .replace(/\s*[|•·(].*$/, '')
    .split(/\s*(?:,|&|\band\b)\s*/i)
    .map((n) => n.trim().replace(/[.,;:]+$/, (m) => (/\b\p{Lu}\.$/u.test(n) ? m : '')))
    .filter(Boolean);
}

/** A person's name: two to five name words, no digits, no organisation or role words. */
export function isPersonName(name: string): boolean {
  const parts = name.split(/\s+/);
  if (parts.length < MIN_NAME_WORDS || parts.length > MAX_NAME_WORDS) return false;
  if (/\d|@/.test(name) || NOT_A_PERSON.test(name)) return false;
  return parts.every((p) => NAME_WORD.test(p)) && /^\p{Lu}/u.test(parts[0]!);
}

/** Names from one byline line, with the line after it when the line is a bare "By". */
function bylineNames(
  line: string,
  next: string | undefined,
  bylines: CompiledPattern[],
  masthead: string[],
): string[] {
  if (/^by$/i.test(line) && next !== undefined) return splitNames(next).filter(isPersonName);
  const rule = firstMatch(bylines, line);
  if (rule) {
    const names = rule.regex.exec(line)?.groups?.names ?? '';
    return splitNames(names).filter(isPersonName);
  }
  // "Site Name - A Person": the site named by the masthead, then the writer.
  const m = /^(.{2,60}?)\s+[-–—]\s+(.{3,60})$/.exec(line);
  if (m && masthead.some((h) => h.includes(m[1]!.toLowerCase()))) {
    return splitNames(m[2]!).filter(isPersonName);
  }
  return [];
}

export function readHeader(input: HeaderInput): Header {
  const { lines, blocks, first, last, bylines } = input;
  const used = new Set<number>();
  const { title, at } = findTitle(input);
  if (at >= 0) used.add(at);

  const start = first < blocks.length ? blocks[first]!.lines[0]!.index : lines.length;
  const titleLine = at >= 0 ? blocks[at]!.lines[0]!.index : -1;
  const windowBlock = at >= 0 ? Math.max(0, at - 1) : Math.max(0, first - 2);
  const from = blocks[windowBlock]?.lines[0]?.index ?? 0;
  const end = last < blocks.length ? blocks[last]!.lines.at(-1)!.index : lines.length - 1;
  const footer = lines.slice(end + 1, end + 1 + FOOTER_LINES).filter((l) => l.text !== '');
  const header = lines.slice(from, start).filter((l) => l.text !== '');

  // The date: the first date line after the headline, else the nearest one before it.
  // The page's slashed dates matter only when a header line holds one.
  const order = header.some((l) => l.text.includes('/')) ? slashOrder(lines) : undefined;
  let publishedAt: string | null = null;
  let before: string | null = null;
  for (const line of header) {
    if (isUpdateLine(line.text)) continue;
    const date = dateLine(line.text, order ? { slashOrder: order } : {});
    if (!date) continue;
    if (line.index > titleLine) {
      publishedAt = date.iso;
      break;
    }
    before = date.iso;
  }
  publishedAt ??= before;

  const masthead: string[] = [];
  for (const l of lines) {
    if (masthead.length >= MASTHEAD_LINES) break;
    if (l.text !== '') masthead.push(l.text.toLowerCase());
  }
  const authors: string[] = [];
  let bylineTime: string | null = null;
  const near = [...header.filter((l) => l.index > titleLine), ...footer];
  for (let k = 0; k < near.length; k++) {
    const line = near[k]!.text;
    const names = bylineNames(line, near[k + 1]?.text, bylines, masthead);
    if (names.length === 0) continue;
    for (const n of names) if (!authors.includes(n)) authors.push(n);
    bylineTime ??= statedTime(line);
  }
  // "Posted by … at 9:12 AM" under a date heading: the time belongs to that date.
  if (publishedAt && !publishedAt.includes('T') && bylineTime) publishedAt += bylineTime;
  return { title, publishedAt, authors, used };
}
