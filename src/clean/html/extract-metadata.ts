import type { AnyNode, Element, Text } from 'domhandler';
import { DomUtils, parseDocument } from 'htmlparser2';
import type { CleanPage } from '../clean-page.js';
import { dateLine, findStatedDate } from '../stated-date.js';
import { collapsedText, isElement } from './dom-nodes.js';
import type { PageIndex } from './page-index.js';

/** JSON-LD types that describe the article itself, most specific first. */
const ARTICLE_TYPES = [
  'NewsArticle',
  'ReportageNewsArticle',
  'AnalysisNewsArticle',
  'OpinionNewsArticle',
  'BackgroundNewsArticle',
  'LiveBlogPosting',
  'BlogPosting',
  'Article',
  'Report',
  'ScholarlyArticle',
  'TechArticle',
  'WebPage',
];
/** A title suffix longer than this many words is part of the headline, not a site name. */
const MAX_SUFFIX_WORDS = 5;
/** Years before this are CMS placeholders ("0001-01-01T00:00:00Z"), not publication dates. */
const MIN_YEAR = 1900;
/** The dateline is among this many text lines under the headline, or not there at all. */
const MAX_LINES_AFTER_HEADLINE = 4;
/** A line longer than this under the headline is the article starting: stop looking. */
const MAX_DATE_LINE_CHARS = 80;
/** Author strings longer than this are bios or sentences, not names. */
const MAX_AUTHOR_CHARS = 80;

/** What a page says about itself, before its body is looked at. */
export type PageMetadata = Pick<
  CleanPage,
  'title' | 'publishedAt' | 'authors' | 'tags' | 'lang' | 'site' | 'canonicalUrl'
> & {
  /** The article text as JSON-LD states it, used only when extraction under-delivers. */
  articleBody: string | null;
};

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function flattenJsonLd(value: unknown, out: JsonObject[]): void {
  if (Array.isArray(value)) {
    for (const item of value) flattenJsonLd(item, out);
  } else if (isObject(value)) {
    out.push(value);
    if (value['@graph'] !== undefined) flattenJsonLd(value['@graph'], out);
    if (value['mainEntity'] !== undefined) flattenJsonLd(value['mainEntity'], out);
  }
}

function typesOf(node: JsonObject): string[] {
  const type = node['@type'];
  if (typeof type === 'string') return [type];
  if (Array.isArray(type)) return type.filter((t): t is string => typeof t === 'string');
  return [];
}

/** JSON-LD is raw script text: its strings may still hold HTML entities ("&#8217;"). */
function decodeEntities(text: string): string {
  return text.includes('&') || text.includes('<')
    ? DomUtils.textContent(parseDocument(text))
    : text;
}

function stringOf(value: unknown): string | null {
  if (typeof value === 'string') return decodeEntities(value).trim() || null;
  if (Array.isArray(value)) return stringOf(value[0]);
  if (isObject(value)) return stringOf(value['name'] ?? value['@value']);
  return null;
}

function namesOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(namesOf);
  const name = stringOf(value);
  return name ? [name] : [];
}

function findArticleNode(index: PageIndex): JsonObject | null {
  const nodes: JsonObject[] = [];
  for (const source of index.jsonLd) {
    try {
      flattenJsonLd(JSON.parse(source), nodes);
    } catch {
      // Broken JSON-LD is common; the page's other metadata still applies.
    }
  }
  for (const type of ARTICLE_TYPES) {
    const found = nodes.find((node) => typesOf(node).includes(type));
    if (found) return found;
  }
  return null;
}

function meta(index: PageIndex, ...keys: string[]): string | null {
  for (const key of keys) {
    const value = index.meta.get(key.toLowerCase())?.[0];
    if (value) return value;
  }
  return null;
}

function metaAll(index: PageIndex, key: string): string[] {
  return index.meta.get(key) ?? [];
}

function resolveUrl(href: string | null | undefined, base: string | null): string | null {
  if (!href) return null;
  try {
    const url = base ? new URL(href.trim(), base) : new URL(href.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/** "Headline | Site": the last separator splits the headline from its suffix. */
const TITLE_SUFFIX = /^(.*\S)\s+([|–—·•»:-]{1,2})\s+(\S.*)$/;
/** "Site | Headline": the first separator splits a prefix off. */
const TITLE_PREFIX = /^(.*?\S)\s+[|–—·•»:-]{1,2}\s+(\S.*)$/;

/** Removes a " | Site" style suffix (or a "Site | " prefix) from a title. */
export function cleanTitle(title: string, site: string | null): string {
  const text = title.replace(/\s+/g, ' ').trim();
  const siteKey = site?.trim().toLowerCase() ?? null;
  const suffix = TITLE_SUFFIX.exec(text);
  if (suffix) {
    const [, head = '', separator = '', tail = ''] = suffix;
    if (siteKey && tail.toLowerCase() === siteKey) return head;
    const shortTail = tail.split(' ').length <= MAX_SUFFIX_WORDS && head.length > tail.length;
    if (separator === '|' && shortTail) return head;
  }
  const prefix = TITLE_PREFIX.exec(text);
  if (prefix && siteKey && (prefix[1] ?? '').toLowerCase() === siteKey) return prefix[2] ?? text;
  return text;
}

function splitTags(value: string): string[] {
  return value
    .split(/[,;]/)
    .map((tag) => tag.trim())
    .filter((tag) => tag !== '');
}

function cleanAuthor(name: string): string | null {
  const text = name
    .replace(/\s+/g, ' ')
    .replace(/^by:?\s+/i, '')
    .trim();
  if (text === '' || text.length > MAX_AUTHOR_CHARS || /^https?:\/\/|\d/.test(text)) return null;
  return text;
}

function unique(values: Iterable<string>): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const value of values) {
    const key = value.toLowerCase();
    if (!seen.has(key)) {
      seen.add(key);
      out.push(value);
    }
  }
  return out;
}

function normalizeDate(value: string): string | null {
  const date = findStatedDate(value);
  if (!date || Number(date.iso.slice(0, 4)) < MIN_YEAR) return null;
  return date.iso;
}

function visibleDate(index: PageIndex): string | null {
  const preferred =
    index.times.find(
      (t) =>
        /publish|pubdate|posted/i.test(`${t.attribs.class ?? ''} ${t.attribs.itemprop ?? ''}`) ||
        t.attribs.pubdate !== undefined,
    ) ?? index.times[0];
  const fromTime = preferred ? normalizeDate(preferred.attribs.datetime ?? '') : null;
  if (fromTime) return fromTime;
  for (const node of index.dateNodes) {
    const date = dateLine(collapsedText(node));
    if (date) return date.iso;
  }
  if (index.firstH1) {
    for (const line of linesAfter(index.firstH1, MAX_LINES_AFTER_HEADLINE)) {
      const date = dateLine(line);
      if (date) return date.iso;
    }
  }
  return null;
}

/** The next text lines after an element in page order (the dateline sits under the headline). */
function linesAfter(element: Element, limit: number): string[] {
  const lines: string[] = [];
  let node: AnyNode | null = element;
  while (node && lines.length < limit) {
    let next: AnyNode | null = node.next;
    while (!next && node.parent) {
      node = node.parent;
      next = node.next;
    }
    if (!next) break;
    node = next;
    const text = isElement(node)
      ? node.type === 'tag'
        ? collapsedText(node)
        : ''
      : node.type === 'text'
        ? (node as Text).data.replace(/\s+/g, ' ').trim()
        : '';
    if (text !== '') {
      if (text.length > MAX_DATE_LINE_CHARS) break;
      lines.push(text);
    }
  }
  return lines;
}

/**
 * Reads a page's metadata in order of trust: JSON-LD, then OpenGraph and article: meta, then
 * `<time datetime>` and visible date lines, then null. Never guesses a date.
 */
export function extractMetadata(index: PageIndex, url: string | null): PageMetadata {
  const ld = findArticleNode(index);
  const ogSite = meta(index, 'og:site_name');
  const site =
    (ogSite && !/^https?:\/\//.test(ogSite) ? ogSite : null) ?? stringOf(ld?.['publisher']) ?? null;
  const rawTitle =
    stringOf(ld?.['headline']) ??
    meta(index, 'og:title', 'twitter:title') ??
    (index.firstH1 ? collapsedText(index.firstH1) || null : null) ??
    index.title;
  const ldDate = stringOf(ld?.['datePublished']) ?? stringOf(ld?.['dateCreated']);
  const metaDate = meta(
    index,
    'article:published_time',
    'datePublished',
    'og:published_time',
    'pubdate',
    'publish-date',
    'date',
    'dc.date',
    'dc.date.issued',
  );
  const publishedAt =
    (ldDate ? normalizeDate(ldDate) : null) ??
    (metaDate ? normalizeDate(metaDate) : null) ??
    visibleDate(index);
  const stated = [
    ...namesOf(ld?.['author']),
    ...metaAll(index, 'author'),
    ...metaAll(index, 'article:author'),
    ...index.authorNodes.map(collapsedText),
  ];
  const authors = unique(
    (stated.length > 0 ? stated : index.bylineNodes.map(collapsedText))
      .map(cleanAuthor)
      .filter((name): name is string => name !== null),
  );
  const ldKeywords = ld?.['keywords'];
  const tags = unique(
    [
      ...metaAll(index, 'article:tag'),
      ...(Array.isArray(ldKeywords)
        ? ldKeywords.filter((k): k is string => typeof k === 'string').map(decodeEntities)
        : typeof ldKeywords === 'string'
          ? splitTags(decodeEntities(ldKeywords))
          : []),
      ...metaAll(index, 'news_keywords').flatMap(splitTags),
      ...metaAll(index, 'keywords').flatMap(splitTags),
      ...index.tagLinks.map(collapsedText),
    ].filter((tag) => tag !== ''),
  );
  const lang =
    (index.htmlLang || meta(index, 'og:locale') || stringOf(ld?.['inLanguage']))?.replace(
      /_/g,
      '-',
    ) || null;
  const canonicalUrl =
    resolveUrl(index.canonicalHref, url) ?? resolveUrl(meta(index, 'og:url'), url);
  const articleBody = stringOf(ld?.['articleBody']);
  return {
    title: rawTitle ? cleanTitle(rawTitle, site) : '',
    publishedAt,
    authors,
    tags,
    lang,
    site,
    canonicalUrl,
    articleBody,
  };
}
