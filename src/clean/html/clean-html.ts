import type { AnyNode, Element } from 'domhandler';
import { parseHtml } from './parse-html.js';
import { PermanentError } from '../../errors.js';
import type { CleanPage, Removal } from '../clean-page.js';
import { dateLine } from '../stated-date.js';
import { isElement, PageEdits, shortText } from './dom-nodes.js';
import { extractComments } from './extract-comments.js';
import { extractMetadata, type PageMetadata } from './extract-metadata.js';
import { findMainContent } from './find-main-content.js';
import { firstMatch, type CompiledSiteProfile, type HtmlRules } from './html-rules.js';
import { loadPageDom, type PageDom } from './page-dom.js';
import { indexPage, type PageIndex } from './page-index.js';
import { prunePage } from './prune-page.js';
import { removal, removedText, renderBlocks } from './render-blocks.js';

export type { HtmlRules } from './html-rules.js';
export { loadHtmlRules } from './load-html-rules.js';

/**
 * Under this many characters of body the first method under-delivered, and the next one in
 * the cascade is tried (readability's DEFAULT_CHAR_THRESHOLD).
 */
const MIN_BODY_CHARS = 500;
/** Chosen content with more of its text in links than this is a link list, not an article. */
const MAX_BODY_LINK_DENSITY = 0.5;
/** Only lines this short are tested for being nothing but a date. */
const MAX_DATE_LINE_CHARS = 100;
/**
 * Text before the headline inside the chosen content is kickers, sections and breadcrumbs;
 * more than this many characters of it means the headline found is not the article's top.
 */
const MAX_BEFORE_HEADLINE_CHARS = 300;

export interface CleanHtmlInput {
  html: string;
  /** The URL the page was served from, for relative links and site profiles. */
  url: string | null;
}

/** What one cleaning pass made of the page's body. */
interface BodyExtraction {
  paragraphs: string[];
  /** Link share of the chosen content (0 for a site profile's kept block). */
  linkDensity: number;
  removed: Removal[];
}

/** The parsed page and what is read of it before its body is cleaned. */
interface ReadPage {
  page: PageDom;
  index: PageIndex;
  metadata: PageMetadata;
}

/** The site profile whose host is the page's host or a parent domain of it. */
export function matchSiteProfile(
  sites: readonly CompiledSiteProfile[],
  url: string | null,
): CompiledSiteProfile | null {
  if (!url) return null;
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return null;
  }
  return sites.find((site) => site.hosts.some((h) => host === h || host.endsWith(`.${h}`))) ?? null;
}

function filterLines(
  paragraphs: string[],
  rules: HtmlRules,
  profile: CompiledSiteProfile | null,
  title: string,
  removed: Removal[],
): string[] {
  return paragraphs.filter((text) => {
    if (title !== '' && text === title) {
      removed.push({ rule: 'headline', text });
      return false;
    }
    const siteLine = profile?.dropLines.find((regex) => regex.test(text));
    if (siteLine && profile) {
      removed.push({ rule: `site:${profile.name}`, text });
      return false;
    }
    const match = firstMatch(rules.boilerplateLines, text);
    if (match) {
      removed.push({ rule: match.rule, text });
      return false;
    }
    if (text.length <= MAX_DATE_LINE_CHARS && /\d/.test(text) && dateLine(text)) {
      removed.push({ rule: 'date-line', text });
      return false;
    }
    return true;
  });
}

/**
 * One cleaning pass over the page's body: pruning (by class and id names too with `byName`),
 * the choice of main content, and its rendering. Every node it takes out is recorded in
 * `edits`, so that the pass can be undone.
 */
function extractBody(
  { page, index, metadata }: ReadPage,
  rules: HtmlRules,
  profile: CompiledSiteProfile | null,
  byName: boolean,
  edits: PageEdits,
): BodyExtraction {
  const removed = prunePage(page, rules, { byName, profile }, edits);
  const body = index.body ?? (page.document as unknown as Element);
  // Taken before cleaning, which removes the headline itself.
  const beforeHeadline = metadata.headline ? precedingByLevel(metadata.headline) : null;
  let nodes: Element[] = [];
  let linkDensity = 0;
  const kept = profile?.keep
    .map((selector) => page.root.find(selector).get(0))
    .find((node): node is Element => node !== undefined && isElement(node));
  if (kept) {
    nodes = [kept];
  } else {
    const main = findMainContent(body, rules, metadata.title, edits);
    removed.push(...main.removed);
    nodes = main.nodes;
    linkDensity = main.linkDensity;
  }
  if (beforeHeadline) removeBeforeHeadline(beforeHeadline, nodes, removed, edits);
  reportOutside(body, nodes, removed);
  const paragraphs = filterLines(renderBlocks(nodes), rules, profile, metadata.title, removed);
  return { paragraphs, linkDensity, removed };
}

/** For the headline and each of its ancestors: that node and the siblings before it. */
function precedingByLevel(headline: Element): Array<{ node: AnyNode; before: AnyNode[] }> {
  const levels: Array<{ node: AnyNode; before: AnyNode[] }> = [];
  for (let node: AnyNode | null = headline; node; node = node.parent) {
    const before: AnyNode[] = [];
    for (let prev = node.prev; prev; prev = prev.prev) before.push(prev);
    levels.push({ node, before });
  }
  return levels;
}

/**
 * Removes what precedes the headline inside the chosen content: a reader sees section labels,
 * kickers and breadcrumbs there, and the article starts under its headline. Left alone when
 * much text precedes it (then the heading found is not the top of the article).
 */
function removeBeforeHeadline(
  levels: ReadonlyArray<{ node: AnyNode; before: AnyNode[] }>,
  chosen: readonly Element[],
  removed: Removal[],
  edits: PageEdits,
): void {
  const roots = new Set<AnyNode>(chosen);
  const rootLevel = levels.findIndex(({ node }) => roots.has(node));
  if (rootLevel <= 0) return;
  const before = levels
    .slice(0, rootLevel)
    .flatMap((level) => level.before)
    .filter((node) => node.parent !== null);
  const texts: string[] = [];
  let chars = 0;
  for (const node of before) {
    if (chars > MAX_BEFORE_HEADLINE_CHARS) return;
    const text = shortText(node, 2 * MAX_BEFORE_HEADLINE_CHARS) ?? removedText(node);
    chars += text.length;
    texts.push(text);
  }
  if (chars > MAX_BEFORE_HEADLINE_CHARS) return;
  before.forEach((node, i) => {
    const report = texts[i] !== '' ? removal('before-headline', node) : null;
    if (report) removed.push(report);
    edits.detach(node);
  });
}

/**
 * Reports the page text left outside the chosen blocks: it is removed too, by the choice of
 * main content, and `--explain` must say so.
 */
function reportOutside(root: Element, chosen: readonly Element[], removed: Removal[]): void {
  const keep = new Set<AnyNode>(chosen);
  const holders = new Set<AnyNode>();
  for (const node of chosen) {
    for (let a = node.parent; a; a = a.parent) holders.add(a);
  }
  const walk = (node: AnyNode): void => {
    if (keep.has(node)) return;
    if (holders.has(node) && isElement(node)) {
      for (const child of node.children) walk(child);
      return;
    }
    const report = removal('not-main-content', node);
    if (report) removed.push(report);
  };
  walk(root);
}

function charCount(paragraphs: readonly string[]): number {
  return paragraphs.reduce((n, p) => n + p.length, 0);
}

/**
 * Extracts the article from an HTML page: body paragraphs, metadata and reader comments, with
 * every removed block reported under the rule that removed it. A fallback cascade runs only
 * when the previous method under-delivered: strict pruning, then pruning without class/id
 * names, then the JSON-LD articleBody.
 */
export function cleanHtml(input: CleanHtmlInput, rules: HtmlRules): CleanPage {
  try {
    return cleanParsed(input, rules);
  } catch (error) {
    // Tree walks recurse; a page nested deeper than the stack is malformed, not worth retrying.
    if (error instanceof RangeError) {
      throw new PermanentError('CONTENT_TOO_DEEP', 'HTML nested too deeply to read', {
        cause: error,
      });
    }
    throw error;
  }
}

function cleanParsed(input: CleanHtmlInput, rules: HtmlRules): CleanPage {
  const profile = matchSiteProfile(rules.sites, input.url);
  const page = loadPageDom(parseHtml(input.html));
  const index = indexPage(page.document, rules);
  const read: ReadPage = { page, index, metadata: extractMetadata(page, index, input.url) };
  const { comments, removed: commentBlocks } = extractComments(page, index, rules);
  const strict = new PageEdits();
  let best = extractBody(read, rules, profile, true, strict);
  const linkList = best.linkDensity > MAX_BODY_LINK_DENSITY;
  if (charCount(best.paragraphs) < MIN_BODY_CHARS || linkList) {
    // The lenient pass reads the page as the strict one found it: one parse, one DOM alive.
    strict.undo();
    const lenientEdits = new PageEdits();
    const lenient = extractBody(read, rules, profile, false, lenientEdits);
    const better = linkList
      ? lenient.linkDensity < best.linkDensity
      : charCount(lenient.paragraphs) > charCount(best.paragraphs);
    if (better) {
      best = lenient;
    } else {
      // The strict pass's removals read their text from the page it left.
      lenientEdits.undo();
      strict.redo();
    }
  }
  const { metadata } = read;
  const removed = [...commentBlocks, ...best.removed];
  let paragraphs = best.paragraphs;
  if (
    charCount(paragraphs) < MIN_BODY_CHARS &&
    metadata.articleBody &&
    metadata.articleBody.length > charCount(paragraphs)
  ) {
    for (const text of paragraphs) removed.push({ rule: 'replaced-by-json-ld', text });
    paragraphs = metadata.articleBody
      .split(/\n\s*\n|\r\n\s*\r\n/)
      .map((p) => p.replace(/\s+/g, ' ').trim())
      .filter((p) => p !== '');
  }
  return {
    title: metadata.title,
    body: paragraphs.join('\n\n'),
    publishedAt: metadata.publishedAt,
    authors: metadata.authors,
    tags: metadata.tags,
    lang: metadata.lang,
    site: metadata.site,
    canonicalUrl: metadata.canonicalUrl,
    comments,
    removed,
  };
}
