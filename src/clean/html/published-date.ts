import type { Element } from 'domhandler';
import { dateLine, findStatedDate, type StatedDate } from '../stated-date.js';
import { BLOCK_TAGS, collapsedText, isElement } from './dom-nodes.js';
import type { PageIndex } from './page-index.js';

/** The dateline is among this many text lines under the headline, or not there at all. */
const MAX_LINES_AFTER_HEADLINE = 6;
/** A line longer than this under the headline is the article starting: stop looking. */
const MAX_DATE_LINE_CHARS = 120;
/** Class, id or itemprop of a modification date: never the publication date. */
const MODIFIED_NAMES = /updated|modified|edited|revised|last-?update/i;
/** Class, id or itemprop of a publication date: preferred over other dates. */
const PUBLISHED_NAMES = /publish|pubdate|posted|created|datePublished/i;
/** Words that make a date line a modification or a relative date. */
const NOT_PUBLISHED = /\b(updated?|modified|edited|revised|last update|ago)\b/i;
/** Parts of a credit line: "Source: Xinhua | 2016-12-22 23:49:17 | Editor: Liu Qing". */
const LINE_PARTS = /\s*[|•·]\s*/;

/** A machine-readable date as ISO 8601, only as precise as stated; placeholders are null. */
export function normalizeDate(value: string): string | null {
  return findStatedDate(value)?.iso ?? null;
}

function namesOf(element: Element): string {
  const { class: className, id, itemprop } = element.attribs;
  return `${className ?? ''} ${id ?? ''} ${itemprop ?? ''}`;
}

/** The date a visible line states when the line is a date line, or one of its parts is. */
export function lineDate(line: string): StatedDate | null {
  if (line.length > MAX_DATE_LINE_CHARS || NOT_PUBLISHED.test(line)) return null;
  const whole = dateLine(line);
  if (whole) return whole;
  if (!LINE_PARTS.test(line)) return null;
  for (const part of line.split(LINE_PARTS)) {
    const date = dateLine(part);
    if (date) return date;
  }
  return null;
}

/** Inside a list item with a link: a related headline's date, not the article's. */
function inLinkList(element: Element): boolean {
  for (let up = element.parent; up && isElement(up); up = up.parent) {
    if (up.name === 'a') return true;
    if (up.name === 'li')
      return up.children.some((child) => isElement(child) && child.name === 'a');
  }
  return false;
}

/**
 * The date the page's own markup states outside <meta>: RDFa or microdata `content`
 * (`property="dc:date"`), then `<time datetime>` (a publication-named one first), never a
 * modification date, and none in comments or in lists of other articles.
 */
export function markupDate(index: PageIndex): string | null {
  for (const element of index.dateProperties) {
    if (MODIFIED_NAMES.test(`${element.attribs.property ?? ''} ${element.attribs.itemprop ?? ''}`))
      continue;
    const date = normalizeDate(element.attribs.content ?? '');
    if (date) return date;
  }
  let first: Element | null = null;
  for (const time of index.times) {
    const names = namesOf(time);
    if (MODIFIED_NAMES.test(names) || inLinkList(time)) continue;
    if (PUBLISHED_NAMES.test(names) || time.attribs.pubdate !== undefined) {
      return normalizeDate(time.attribs.datetime ?? '');
    }
    first ??= time;
  }
  return first ? normalizeDate(first.attribs.datetime ?? '') : null;
}

/**
 * The date a reader sees: the date lines under the headline (whole, or one part of a credit
 * line), then date-named elements after the headline; with no headline, date-named elements
 * in page order. Never a modification date, a relative date or a related headline's date.
 */
export function visibleDate(index: PageIndex, headline: Element | null): string | null {
  const start = headline ? (index.order.get(headline) ?? 0) : 0;
  if (headline) {
    for (const line of linesAfter(headline, MAX_LINES_AFTER_HEADLINE)) {
      const date = lineDate(line);
      if (date) return date.iso;
    }
  }
  for (const node of index.dateNodes) {
    if ((index.order.get(node) ?? 0) < start) continue;
    if (MODIFIED_NAMES.test(namesOf(node)) || inLinkList(node)) continue;
    const date = lineDate(collapsedText(node));
    if (date) return date.iso;
  }
  return null;
}

/** The next text lines after an element in page order (the dateline sits under the headline). */
function linesAfter(element: Element, limit: number): string[] {
  const lines: string[] = [];
  for (const text of textsAfter(element)) {
    if (text.length > MAX_DATE_LINE_CHARS) break;
    lines.push(text);
    if (lines.length >= limit) break;
  }
  return lines;
}

/** Texts of the leaf blocks after an element, in page order, lazily. */
function* textsAfter(element: Element): Generator<string> {
  let node: Element['next'] | Element = element;
  while (node) {
    let next: Element['next'] = node.next;
    while (!next && node.parent) {
      node = node.parent as Element;
      next = node.next;
    }
    if (!next) return;
    node = next;
    if (node.type === 'text') {
      const text = node.data.replace(/\s+/g, ' ').trim();
      if (text !== '') yield text;
    } else if (node.type === 'tag') {
      yield* blockLines(node);
    }
  }
}

/** An element's text as lines: one line per block without block children. */
function* blockLines(element: Element): Generator<string> {
  if (!element.children.some((child) => isElement(child) && BLOCK_TAGS.has(child.name))) {
    const text = collapsedText(element);
    if (text !== '') yield text;
    return;
  }
  for (const child of element.children) {
    if (child.type === 'text') {
      const line = child.data.replace(/\s+/g, ' ').trim();
      if (line !== '') yield line;
    } else if (child.type === 'tag') {
      yield* blockLines(child);
    }
  }
}
