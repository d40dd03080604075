import type { Element } from 'domhandler';
import { DomUtils } from 'htmlparser2';
import type { CleanPage } from '../clean-page.js';
import { bylinePeople, statedAuthors, type AuthorEvidence } from './byline-authors.js';
import { collapsedText, rawText, shortText } from './dom-nodes.js';
import type { PageDom } from './page-dom.js';
import type { PageIndex } from './page-index.js';
import { parseHtml } from './parse-html.js';
import { findTitle } from './page-title.js';
import { markupDate, normalizeDate, visibleDate } from './published-date.js';
import { SiteNames } from './site-names.js';

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
/** JSON-LD author types that are no person: a publisher credited as author is no byline. */
const ORGANIZATION_TYPES = /^(Organization|NewsMediaOrganization|Corporation|WebSite|Brand)$/;
/** A byline element with more text than this is an author box or a bio, not a byline. */
const MAX_BYLINE_TEXT_CHARS = 400;
/** Byline text lines are looked for among this many lines under the headline. */
const MAX_BYLINE_LINES = 6;
/** Labels that start a byline line: "By", "Written by:", "Reporter:". */
const BYLINE_LINE =
  /^(?:(?:written|reported|words|text|story) by|by|reporters?|authors?|writers?)\b\s*:?\s+\S/i;

/** What a page says about itself, before its body is looked at. */
export type PageMetadata = Pick<
  CleanPage,
  'title' | 'publishedAt' | 'authors' | 'tags' | 'lang' | 'site' | 'canonicalUrl'
> & {
  /** The article text as JSON-LD states it, used only when extraction under-delivers. */
  articleBody: string | null;
  /** The element showing the headline, when one agrees with the metadata titles. */
  headline: Element | null;
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

/**
 * JSON-LD is raw script text: its strings may still hold HTML entities ("&#8217;"). Read with
 * the pages' own parser: a second kind of parser in the process would make V8 drop the
 * parser's optimized code, page after page, each time one of them met the other's objects.
 */
function decodeEntities(text: string): string {
  return text.includes('&') || text.includes('<') ? DomUtils.textContent(parseHtml(text)) : text;
}

function stringOf(value: unknown): string | null {
  if (typeof value === 'string') return decodeEntities(value).trim() || null;
  if (Array.isArray(value)) return stringOf(value[0]);
  if (isObject(value)) return stringOf(value['name'] ?? value['@value']);
  return null;
}

/** Names of JSON-LD authors, organizations left out. */
function personNames(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(personNames);
  if (isObject(value) && typesOf(value).some((type) => ORGANIZATION_TYPES.test(type))) return [];
  const name = stringOf(value);
  return name ? [name] : [];
}

function findArticleNode(page: PageDom, index: PageIndex): JsonObject | null {
  const nodes: JsonObject[] = [];
  for (const script of index.jsonLd) {
    const source = rawText(script);
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

function splitTags(value: string): string[] {
  return value
    .split(/[,;]/)
    .map((tag) => tag.trim())
    .filter((tag) => tag !== '');
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

/**
 * The authors in order of trust: the metadata's people (JSON-LD, meta author, rel=author),
 * then byline elements, then a byline line under the headline ("By A and B"). Each is split
 * into people without the site's name, roles, agencies or CMS account names.
 */
function findAuthors(
  page: PageDom,
  index: PageIndex,
  ld: JsonObject | null,
  headline: Element | null,
  evidence: AuthorEvidence,
): string[] {
  const stated = [
    ...personNames(ld?.['author']),
    ...metaAll(index, 'author'),
    ...metaAll(index, 'article:author'),
    ...index.authorNodes.map(collapsedText),
  ].flatMap((name) => statedAuthors(name, evidence));
  if (stated.length > 0) return unique(stated);
  for (const node of index.bylineNodes) {
    const text = shortText(node, MAX_BYLINE_TEXT_CHARS);
    const people = text === null ? [] : bylinePeople(text, evidence);
    if (people.length > 0) return unique(people);
  }
  if (!headline) return [];
  let lines = 0;
  for (let next = page.$(headline).next(); next.length > 0 && lines < MAX_BYLINE_LINES;) {
    const node = next.get(0);
    // A long sibling is the article itself: a byline line is short.
    const text = node ? shortText(node, MAX_BYLINE_TEXT_CHARS) : '';
    if (text === null) break;
    if (text !== '') {
      lines++;
      if (BYLINE_LINE.test(text)) {
        const people = bylinePeople(text, evidence);
        if (people.length > 0) return unique(people);
      }
    }
    next = next.next();
  }
  return [];
}

/**
 * Reads a page's metadata in order of trust: JSON-LD, then OpenGraph and article: meta, then
 * the page's markup (RDFa, `<time datetime>`) and visible date lines, then null. Never
 * guesses a date. The title is the headline the page shows, agreeing with the metadata.
 */
export function extractMetadata(page: PageDom, index: PageIndex, url: string | null): PageMetadata {
  const ld = findArticleNode(page, index);
  const ogSite = meta(index, 'og:site_name');
  const publisher = stringOf(ld?.['publisher']);
  const site = (ogSite && !/^https?:\/\//.test(ogSite) ? ogSite : null) ?? publisher ?? null;
  const siteNames = new SiteNames(
    [site, publisher, meta(index, 'application-name', 'twitter:site')],
    url,
  );
  const { title, headline } = findTitle(
    {
      headline: stringOf(ld?.['headline']),
      social: meta(index, 'og:title', 'twitter:title', 'dc.title'),
      document: index.title,
    },
    index.firstH1,
    index.headings,
    siteNames,
  );
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
    'dcterms.created',
  );
  const publishedAt =
    (ldDate ? normalizeDate(ldDate) : null) ??
    (metaDate ? normalizeDate(metaDate) : null) ??
    markupDate(index) ??
    visibleDate(index, headline ?? index.firstH1);
  const accounts = new Set(
    index.userAccounts.map((node) => page.$(node).text().replace(/\s+/g, ' ').trim().toLowerCase()),
  );
  const authors = findAuthors(page, index, ld, headline ?? index.firstH1, {
    site: siteNames,
    accounts,
  });
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
    title,
    publishedAt,
    authors,
    tags,
    lang,
    site,
    canonicalUrl,
    articleBody,
    headline,
  };
}
