import type { AnyNode, Element } from 'domhandler';
import { selectOne } from 'css-select';
import { parseHtml } from './parse-html.js';
import { PermanentError } from '../../errors.js';
import type { CleanPage, Removal } from '../clean-page.js';
import { isElement } from './dom-nodes.js';
import { extractComments } from './extract-comments.js';
import { extractMetadata, type PageMetadata } from './extract-metadata.js';
import { findMainContent } from './find-main-content.js';
import type { CompiledSiteProfile, HtmlRules } from './html-rules.js';
import { indexPage } from './page-index.js';
import { prunePage } from './prune-page.js';
import { removedText, renderBlocks } from './render-blocks.js';

export type { HtmlRules } from './html-rules.js';
export { loadHtmlRules } from './load-html-rules.js';

/**
 * Under this many characters of body the first method under-delivered, and the next one in
 * the cascade is tried (readability's DEFAULT_CHAR_THRESHOLD).
 */
const MIN_BODY_CHARS = 500;
/** Chosen content with more of its text in links than this is a link list, not an article. */
const MAX_BODY_LINK_DENSITY = 0.5;

export interface CleanHtmlInput {
  html: string;
  /** The URL the page was served from, for relative links and site profiles. */
  url: string | null;
}

interface Extraction {
  paragraphs: string[];
  /** Link share of the chosen content (0 for a site profile's kept block). */
  linkDensity: number;
  comments: CleanPage['comments'];
  removed: Removal[];
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
    const match = rules.boilerplateLines.find(({ regex }) => regex.test(text));
    if (match) {
      removed.push({ rule: match.rule, text });
      return false;
    }
    return true;
  });
}

function extractOnce(
  input: CleanHtmlInput,
  rules: HtmlRules,
  profile: CompiledSiteProfile | null,
  byName: boolean,
): Extraction {
  const document = parseHtml(input.html);
  const index = indexPage(document, rules);
  const metadata = extractMetadata(index, input.url);
  const { comments, removed } = extractComments(index.commentContainers, rules);
  removed.push(...prunePage(document, rules, { byName, profile }));
  const body = index.body ?? (document as unknown as Element);
  let nodes: Element[] = [];
  let linkDensity = 0;
  const kept = profile?.keep
    .map((test) => selectOne<AnyNode, Element>(test, document))
    .find((node): node is Element => node !== null);
  if (kept) {
    nodes = [kept];
  } else {
    const main = findMainContent(body, rules, metadata.title);
    removed.push(...main.removed);
    nodes = main.nodes;
    linkDensity = main.linkDensity;
  }
  reportOutside(body, nodes, removed);
  const paragraphs = filterLines(renderBlocks(nodes), rules, profile, metadata.title, removed);
  return { paragraphs, linkDensity, comments, removed, metadata };
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
    const text = removedText(node);
    if (text !== '') removed.push({ rule: 'not-main-content', text });
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
  let best = extractOnce(input, rules, profile, true);
  const linkList = best.linkDensity > MAX_BODY_LINK_DENSITY;
  if (charCount(best.paragraphs) < MIN_BODY_CHARS || linkList) {
    const lenient = extractOnce(input, rules, profile, false);
    const better = linkList
      ? lenient.linkDensity < best.linkDensity
      : charCount(lenient.paragraphs) > charCount(best.paragraphs);
    if (better) best = lenient;
  }
  const { metadata, removed } = best;
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
    comments: best.comments,
    removed,
  };
}
