import type { AnyNode, Document, Element } from 'domhandler';
import { isElement, rawText } from './dom-nodes.js';
import type { HtmlRules } from './html-rules.js';

/** Date-like class or id: a visible publication date may sit there. */
const DATE_NAMES = /date|publish|posted|dateline|timestamp/i;
/** Containers of tag links. */
const TAG_NAMES = /(^|[\s_-])(tags|tag-?links|post-?tags|keywords|entry-?tags)([\s_-]|$)/i;
/** Byline containers: the visible author, read only when no metadata names one. */
const BYLINE_NAMES =
  /(^|[\s_-])(byline|author-?name|article-?author|post-?author|entry-?author|story-?author)([\s_-]|$)/i;
/** Only the first byline-named elements are read, for the same reason. */
const MAX_BYLINE_NODES = 10;
/** Only the first date-named elements are read: later ones are sidebars and comments. */
const MAX_DATE_NODES = 40;

/**
 * The elements metadata and comment extraction look at, found in one walk over the page, so
 * that no CSS query runs over the whole document again.
 */
export interface PageIndex {
  body: Element | null;
  htmlLang: string | null;
  title: string | null;
  firstH1: Element | null;
  /** Meta content by lower-cased property / name / itemprop, in page order. */
  meta: Map<string, string[]>;
  canonicalHref: string | null;
  jsonLd: string[];
  times: Element[];
  authorNodes: Element[];
  bylineNodes: Element[];
  tagLinks: Element[];
  dateNodes: Element[];
  commentContainers: Element[];
}

/** Walks the page once and indexes what the extractors need. */
export function indexPage(document: Document, rules: HtmlRules): PageIndex {
  const index: PageIndex = {
    body: null,
    htmlLang: null,
    title: null,
    firstH1: null,
    meta: new Map(),
    canonicalHref: null,
    jsonLd: [],
    times: [],
    authorNodes: [],
    bylineNodes: [],
    tagLinks: [],
    dateNodes: [],
    commentContainers: [],
  };
  const walk = (node: AnyNode, inAuthor: boolean, inTags: boolean, inComments: boolean): void => {
    if (!isElement(node)) return;
    const { attribs, name } = node;
    let author = inAuthor;
    let tags = inTags;
    let comments = inComments;
    switch (name) {
      case 'html':
        index.htmlLang ??= attribs.lang?.trim() || null;
        break;
      case 'body':
        index.body ??= node;
        break;
      case 'title':
        index.title ??= rawText(node);
        break;
      case 'h1':
        index.firstH1 ??= node;
        break;
      case 'meta': {
        const key = attribs.property ?? attribs.name ?? attribs.itemprop;
        const content = attribs.content?.trim();
        if (key && content) {
          const lower = key.toLowerCase();
          const list = index.meta.get(lower);
          if (list) list.push(content);
          else index.meta.set(lower, [content]);
        }
        break;
      }
      case 'link':
        if (/(^|\s)canonical(\s|$)/i.test(attribs.rel ?? ''))
          index.canonicalHref ??= attribs.href ?? null;
        break;
      case 'script':
        if (attribs.type?.toLowerCase() === 'application/ld+json') index.jsonLd.push(rawText(node));
        return;
      case 'style':
        return;
      case 'time':
        if (attribs.datetime) index.times.push(node);
        break;
      case 'a':
        if (tags || /(^|\s)tag(\s|$)/i.test(attribs.rel ?? '')) index.tagLinks.push(node);
        break;
      default:
        break;
    }
    if (attribs.rel === 'author' || (inAuthor && attribs.itemprop === 'name')) {
      index.authorNodes.push(node);
    }
    if (attribs.itemprop === 'author') author = true;
    const names = `${attribs.class ?? ''} ${attribs.id ?? ''}`;
    if (names !== ' ') {
      if (TAG_NAMES.test(names)) tags = true;
      if (DATE_NAMES.test(names) && index.dateNodes.length < MAX_DATE_NODES && !inComments) {
        index.dateNodes.push(node);
      }
      if (BYLINE_NAMES.test(names) && index.bylineNodes.length < MAX_BYLINE_NODES && !inComments) {
        index.bylineNodes.push(node);
      }
    }
    if (!inComments && rules.commentContainer(node)) {
      index.commentContainers.push(node);
      comments = true;
    }
    for (const child of node.children) walk(child, author, tags, comments);
  };
  for (const child of document.children) walk(child, false, false, false);
  return index;
}
