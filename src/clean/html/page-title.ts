import type { Element } from 'domhandler';
import { collapsedLength, collapsedText } from './dom-nodes.js';
import type { SiteNames } from './site-names.js';

/** A title suffix longer than this many words is part of the headline, not a site name. */
const MAX_SUFFIX_WORDS = 5;
/** A title part shorter than this is a section or site label, never the whole headline. */
const MIN_HEADLINE_CHARS = 12;
/** Headings longer than this are paragraphs with a heading tag, not headlines. */
const MAX_HEADLINE_CHARS = 300;
/** Folding (NFKC) may change a text's length by a little: compare lengths with this slack. */
const LENGTH_SLACK = 2;

/** Separators between a headline and the site's name ("A | Site", "Site - A", "Site: A"). */
const SEPARATOR = /(\s+(?:[|–—·•»:~/-]{1,2})\s+|:\s+)/;
/** "Headline | Site": the last separator splits the headline from its suffix. */
const TITLE_SUFFIX = /^(.*\S)\s+([|–—·•»:-]{1,2})\s+(\S.*)$/;
/** "Site | Headline": the first separator splits a prefix off. */
const TITLE_PREFIX = /^(.*?\S)\s+[|–—·•»:-]{1,2}\s+(\S.*)$/;

/** Text folded for comparing two renderings of one headline: case, quotes, dashes, spaces. */
export function foldText(text: string): string {
  // eslint-disable-next-line no-control-regex -- ASCII needs no normalizing: most titles
  return (/[^\u0000-\u007f]/.test(text) ? text.normalize('NFKC') : text)
    .replace(/[\u2018\u2019\u201A\u201B\u2032\u02BC`]/g, "'")
    .replace(/[\u201C\u201D\u201E\u201F\u2033]/g, '"')
    .replace(/[\u2010-\u2015]/g, '-')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/** A title's parts between separators, and the separators as written between them. */
function splitTitle(title: string): { parts: string[]; separators: string[] } {
  const pieces = title.split(SEPARATOR);
  return {
    parts: pieces.filter((_, i) => i % 2 === 0),
    separators: pieces.filter((_, i) => i % 2 === 1),
  };
}

/** Parts `start` to `end` of a split title, joined by the separators written between them. */
function joinParts(
  split: { parts: string[]; separators: string[] },
  start: number,
  end: number,
): string {
  let text = split.parts[start] ?? '';
  for (let i = start + 1; i <= end; i++)
    text += `${split.separators[i - 1] ?? ' '}${split.parts[i] ?? ''}`;
  return text;
}

/** Every run of adjacent parts of a title split at its separators, the whole title first. */
function titleRuns(title: string): string[] {
  const split = splitTitle(title);
  const runs = [title];
  const last = split.parts.length - 1;
  for (let from = 0; from <= last; from++) {
    for (let to = from; to <= last; to++) {
      if (from > 0 || to < last) runs.push(joinParts(split, from, to));
    }
  }
  return runs;
}

export interface PageTitle {
  title: string;
  /** The element that shows the headline on the page, when one agrees with the metadata. */
  headline: Element | null;
}

/** The titles a page states about itself, most trusted first. */
export interface StatedTitles {
  /** JSON-LD headline. */
  headline: string | null;
  /** og:title, twitter:title, dc.title. */
  social: string | null;
  /** The <title> element. */
  document: string | null;
}

/**
 * The headline as the page shows it: the first h1 when it agrees with the stated titles
 * (JSON-LD headline, og:title, <title>) or with a part of them between separators; else the
 * longest other heading that agrees. When none agrees, the most trusted stated title (the h1
 * ranking after og:title, before <title>), with the parts that name the site removed.
 */
export function findTitle(
  stated: StatedTitles,
  firstH1: Element | null,
  headings: readonly Element[],
  site: SiteNames,
): PageTitle {
  const titles = [stated.headline, stated.social, stated.document]
    .filter((t): t is string => t !== null && t.trim() !== '')
    .map((t) => t.replace(/\s+/g, ' ').trim());
  const runs = new Set<string>();
  for (const title of new Set(titles)) {
    for (const run of titleRuns(title)) {
      if (run.length >= MIN_HEADLINE_CHARS && !site.names(run)) runs.add(foldText(run));
    }
  }
  let longest = 0;
  const lengths = new Set<number>();
  for (const run of runs) {
    longest = Math.max(longest, run.length + LENGTH_SLACK);
    for (let slack = -LENGTH_SLACK; slack <= LENGTH_SLACK; slack++) lengths.add(run.length + slack);
  }
  const agrees = (element: Element): string | null => {
    if (!lengths.has(collapsedLength(element, Math.min(longest, MAX_HEADLINE_CHARS)))) return null;
    const text = collapsedText(element);
    return runs.has(foldText(text)) ? text : null;
  };
  const h1 = firstH1 ? agrees(firstH1) : null;
  if (h1 !== null && firstH1) return { title: h1, headline: firstH1 };
  let best: { element: Element; text: string } | null = null;
  for (const element of headings) {
    const text = element === firstH1 ? null : agrees(element);
    // The longest agreeing heading is the headline; a site label may agree with a title part.
    if (text !== null && (!best || text.length > best.text.length)) best = { element, text };
  }
  if (best) return { title: best.text, headline: best.element };
  const h1Text = firstH1 ? collapsedText(firstH1) : '';
  const trusted = stated.headline ?? stated.social;
  if (trusted) return { title: cleanTitle(trusted, site), headline: null };
  if (h1Text !== '' && firstH1) return { title: h1Text, headline: firstH1 };
  return { title: stated.document ? cleanTitle(stated.document, site) : '', headline: null };
}

/**
 * Removes the parts of a title that name the site (its og:site_name, publisher or host name,
 * or a domain), else a short " | Site" style suffix; keeps real dashes inside headlines.
 */
export function cleanTitle(title: string, site: SiteNames): string {
  const text = title.replace(/\s+/g, ' ').trim();
  const split = splitTitle(text);
  const named = split.parts.map((part) => site.names(part));
  const start = named.indexOf(false);
  const end = named.lastIndexOf(false);
  // Only a prefix or a suffix goes: a site's name between two headline parts is a word of it.
  if (
    start >= 0 &&
    (start > 0 || end < named.length - 1) &&
    !named.slice(start, end + 1).includes(true)
  ) {
    return joinParts(split, start, end);
  }
  const suffix = TITLE_SUFFIX.exec(text);
  if (suffix) {
    const [, head = '', separator = '', tail = ''] = suffix;
    const shortTail = tail.split(' ').length <= MAX_SUFFIX_WORDS && head.length > tail.length;
    if (separator === '|' && shortTail) return head;
  }
  const prefix = TITLE_PREFIX.exec(text);
  if (prefix && site.names(prefix[1] ?? '')) return prefix[2] ?? text;
  return text;
}
