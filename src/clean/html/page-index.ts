import type { AnyNode, Document, Element } from 'domhandler';
import { isElement, rawText } from './dom-nodes.js';
import type { HtmlRules } from './html-rules.js';

/** Date-like class or id: a visible publication date may sit there. */
const DATE_NAMES = /date|publish|posted|dateline|timestamp/i;
/** Containers of tag links. */
const TAG_NAMES = /(^|[\s_-])(tags|tag-?links|post-?tags|keywords|entry-?tags)([\s_-]|$)/i;
/** Byline containers: the visible author, read only when no metadata names one. */
const BYLINE_NAMES =
  /(^|[\s_-])(byline|bylines|authors?|author-?name|writers?|article-?author|post-?author|entry-?author|story-?author|reporters?)([\s_-]|$)/i;
/** Elements a page shows its headline in besides h1-h3 ("td.Btitle#Title", "div.headline"). */
const HEADLINE_NAMES = /(^|[\s_-])(b?title|headline|heading|head-?line)([\s_-]|$)/i;
/** Reader-comment sections whose markup no comment rule knows ("comments-area", "cmt"). */
const COMMENT_NAMES =
  /(^|[\s_-])(comments?|cmts?|comment-?(area|section|list|thread|wrapper|box)|discussion|disqus\w*|talkback|reader-?comments|user-?comments|responses)([\s_-]|$)/i;
/**
 * One cheap test of a class or id for every name pattern above: most elements' names
 * ("row", "entry-content") hold none of these words, and then no other pattern is tried.
 */
const NAME_HINT =
  /date|publish|posted|stamp|tag|keyword|byline|author|writer|reporter|title|head|comment|cmt|discus|disqus|talkback|respons|username/i;
/** A user account's name as a CMS prints it ("Submitted by admin"), never a byline. */
const USER_ACCOUNT_NAMES = /(^|\s)username(\s|$)/i;
/** RDFa and microdata properties that state when the article was published or created. */
const DATE_PROPERTIES =
  /(^|\s)(dc:date|dc:created|dcterms:created|dcterms:issued|dcterms:date|schema:datePublished|datePublished|dateCreated|article:published_time)(\s|$)/i;
/** Never a comment section, whatever their class: they hold the whole page. */
const STRUCTURAL_TAGS: ReadonlySet<string> = new Set(['html', 'body', 'main']);
/** Only the first byline-named elements are read, for the same reason. */
const MAX_BYLINE_NODES = 10;
/** Only the first date-named elements are read: later ones are sidebars and comments. */
const MAX_DATE_NODES = 40;
/** Headline candidates read: the headline is near the top, and texts are compared one by one. */
const MAX_HEADINGS = 40;

/**
 * The elements metadata and comment extraction look at, found in one walk over the page, so
 * that no CSS query runs over the whole document again.
 */
export interface PageIndex {
  body: Element | null;
  htmlLang: string | null;
  title: string | null;
  firstH1: Element | null;
  /** h1-h3 and headline-named elements outside comments, in page order. */
  headings: Element[];
  /** Meta content by lower-cased property / name / itemprop, in page order. */
  meta: Map<string, string[]>;
  canonicalHref: string | null;
  jsonLd: Element[];
  /** `<time datetime>` elements outside comments. */
  times: Element[];
  /** Elements other than <meta> stating a date in `content` by RDFa or microdata. */
  dateProperties: Element[];
  authorNodes: Element[];
  bylineNodes: Element[];
  /** CMS account-name elements ("admin"): the text they hold is never an author. */
  userAccounts: Element[];
  tagLinks: Element[];
  dateNodes: Element[];
  commentContainers: Element[];
  /** Sections named like reader comments that no comment container rule matched. */
  commentSections: Element[];
  /** Page order of the indexed elements, to tell what comes after the headline. */
  order: Map<Element, number>;
}

/** Walks the page once and indexes what the extractors need. */
export function indexPage(document: Document, rules: HtmlRules): PageIndex {
  const index: PageIndex = {
    body: null,
    htmlLang: null,
    title: null,
    firstH1: null,
    headings: [],
    meta: new Map(),
    canonicalHref: null,
    jsonLd: [],
    times: [],
    dateProperties: [],
    authorNodes: [],
    bylineNodes: [],
    userAccounts: [],
    tagLinks: [],
    dateNodes: [],
    commentContainers: [],
    commentSections: [],
    order: new Map(),
  };
  let position = 0;
  const walk = (node: AnyNode, inAuthor: boolean, inTags: boolean, inComments: boolean): void => {
    if (!isElement(node)) return;
    const { attribs, name } = node;
    position++;
    let author = inAuthor;
    let tags = inTags;
    let comments = inComments;
    let heading = false;
    switch (name) {
      case 'html':
        index.htmlLang ??= attribs.lang?.trim() || attribs['xml:lang']?.trim() || null;
        break;
      case 'body':
        index.body ??= node;
        break;
      case 'title':
        index.title ??= rawText(node);
        break;
      case 'h1':
        if (!inComments) index.firstH1 ??= node;
        heading = true;
        break;
      case 'h2':
      case 'h3':
        heading = true;
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
        if (attribs.type?.toLowerCase() === 'application/ld+json') index.jsonLd.push(node);
        return;
      case 'style':
        return;
      case 'time':
        if (attribs.datetime && !inComments) {
          index.times.push(node);
          index.order.set(node, position);
        }
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
    if (
      attribs.content !== undefined &&
      name !== 'meta' &&
      !inComments &&
      DATE_PROPERTIES.test(`${attribs.property ?? ''} ${attribs.itemprop ?? ''}`)
    ) {
      index.dateProperties.push(node);
    }
    if (attribs.typeof?.includes('UserAccount')) index.userAccounts.push(node);
    const className = attribs.class;
    const names =
      className === undefined && attribs.id === undefined
        ? ''
        : `${className ?? ''} ${attribs.id ?? ''}`;
    const hinted = names !== '' && NAME_HINT.test(names);
    if (
      !inComments &&
      index.headings.length < MAX_HEADINGS &&
      (heading || (hinted && HEADLINE_NAMES.test(names)))
    ) {
      index.headings.push(node);
      index.order.set(node, position);
    }
    if (hinted) {
      if (TAG_NAMES.test(names)) tags = true;
      if (!inComments) {
        if (DATE_NAMES.test(names) && index.dateNodes.length < MAX_DATE_NODES) {
          index.dateNodes.push(node);
          index.order.set(node, position);
        }
        if (BYLINE_NAMES.test(names) && index.bylineNodes.length < MAX_BYLINE_NODES) {
          index.bylineNodes.push(node);
        }
      }
      if (className !== undefined && USER_ACCOUNT_NAMES.test(className)) {
        index.userAccounts.push(node);
      }
    }
    if (!inComments && rules.commentContainer(node)) {
      index.commentContainers.push(node);
      comments = true;
    } else if (!inComments && hinted && !STRUCTURAL_TAGS.has(name) && COMMENT_NAMES.test(names)) {
      index.commentSections.push(node);
      // After the headline it is the readers' section; before it, a wrapper maybe.
      comments = index.firstH1 !== null;
    }
    for (const child of node.children) walk(child, author, tags, comments);
  };
  for (const child of document.children) walk(child, false, false, false);
  if (index.firstH1) {
    const holders = new Set<AnyNode>();
    for (let up = index.firstH1.parent; up; up = up.parent) holders.add(up);
    index.commentSections = index.commentSections.filter((section) => !holders.has(section));
  }
  return index;
}
