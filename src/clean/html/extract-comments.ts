import type { AnyNode, Element } from 'domhandler';
import type { RecordComment } from '../../record/canonical-record.js';
import type { Removal } from '../clean-page.js';
import { countLinks, REPLY_WRAPPER_NAMES, spamRule } from './comment-signs.js';
import { readCommentShapedItems } from './comment-shape.js';
import { detach, findElements, isElement, namesOf, shortText } from './dom-nodes.js';
import type { ElementTest, HtmlRules } from './html-rules.js';
import type { PageDom } from './page-dom.js';
import type { PageIndex } from './page-index.js';
import { removal, renderBlocks } from './render-blocks.js';

export { spamRule } from './comment-signs.js';

/** A section named like comments with less text than this holds none ("12 comments"). */
const MIN_SECTION_CHARS = 40;

export interface ExtractedComments {
  comments: RecordComment[];
  removed: Removal[];
}

/** Thread depth of `item` inside `container`: comments and reply wrappers above it. */
export function threadDepth(
  item: Element,
  container: Element,
  items: ReadonlySet<AnyNode>,
): number {
  let comments = 0;
  let wrappers = 0;
  for (let up = item.parent; up && up !== container; up = up.parent) {
    if (items.has(up)) comments++;
    else if (isElement(up) && REPLY_WRAPPER_NAMES.test(namesOf(up))) wrappers++;
  }
  // WordPress nests a reply's list in its parent comment (both count once); Drupal puts it
  // after the parent comment, in a wrapper only.
  return Math.max(comments, wrappers);
}

/**
 * Reads the comments of one container with the comment rules, compiled once (a thread of
 * thousands tests every element many times): its items, then each item's own author and text
 * elements (not those of a reply nested in it). An item without a text element is read
 * whole, less its replies, chrome and author.
 */
function readKnownComments(page: PageDom, container: Element, rules: HtmlRules): RecordComment[] {
  const { $ } = page;
  const { item: isItem, authors, texts, notText } = rules.comments;
  const below = findElements(container, () => true);
  const items = below.filter(isItem);
  if (items.length === 0) return [];
  const itemSet = new Set<AnyNode>(items);
  const ownerOf = (node: AnyNode): AnyNode | null => {
    for (let up = node.parent; up && up !== container; up = up.parent) {
      if (itemSet.has(up)) return up;
    }
    return null;
  };
  /** For each item, the elements of the first selector (in rule order) that finds any. */
  const firstFound = (tests: readonly ElementTest[]): Map<AnyNode, Element[]> => {
    const found = new Map<AnyNode, Element[]>();
    for (const test of tests) {
      const round = new Map<AnyNode, Element[]>();
      for (const node of below) {
        if (!test(node)) continue;
        const owner = ownerOf(node);
        if (!owner || found.has(owner)) continue;
        const list = round.get(owner);
        if (list) list.push(node);
        else round.set(owner, [node]);
      }
      for (const [owner, nodes] of round) found.set(owner, nodes);
    }
    return found;
  };
  const authorOf = firstFound(authors);
  const textOf = firstFound(texts);
  let skip: Set<AnyNode> | null = null;
  const comments: RecordComment[] = [];
  for (const item of items) {
    const authorNode = authorOf.get(item)?.[0];
    const author = authorNode ? $(authorNode).text().replace(/\s+/g, ' ').trim() || null : null;
    const textNodes = textOf.get(item);
    let body: string;
    let links: number;
    if (textNodes) {
      body = renderBlocks(textNodes).join('\n\n');
      links = textNodes.reduce((n, node) => n + countLinks(node), 0);
    } else {
      skip ??= new Set<AnyNode>(below.filter(notText));
      skip.delete(item);
      body = renderBlocks([item], skip).join('\n\n');
      links = countLinks(item, skip);
      skip.add(item);
    }
    if (body === '') continue;
    comments.push({
      author,
      text: body,
      depth: threadDepth(item, container, itemSet),
      spam: spamRule(body, links, rules.spam) !== null,
    });
  }
  return comments;
}

/** False once the node or an ancestor of it was taken out of the page. */
function isAttached(node: AnyNode, page: PageDom): boolean {
  let top = node;
  while (top.parent) top = top.parent;
  return top === page.document;
}

/**
 * Reads reader comments into comments with author, depth and spam flag, then removes their
 * containers from the page, so that no comment ever reaches the body. Known markup first
 * (WordPress lists, wpDiscuz, Disqus-style threads, Drupal: the comment rules); in a
 * container whose items no rule knows, and in sections named like comments, runs of
 * comment-shaped blocks (an author, a date, a text, reply links), table rows included.
 */
export function extractComments(
  page: PageDom,
  index: PageIndex,
  rules: HtmlRules,
): ExtractedComments {
  const comments: RecordComment[] = [];
  const removed: Removal[] = [];
  const take = (container: Element, found: RecordComment[]): void => {
    comments.push(...found);
    const report = removal('comments:extracted', container);
    if (report) removed.push(report);
    detach(container);
  };
  for (const container of index.commentContainers) {
    const known = readKnownComments(page, container, rules);
    take(container, known.length > 0 ? known : readCommentShapedItems(container, rules));
  }
  for (const section of index.commentSections) {
    // A comment count or a "comments" link: too short to hold a comment.
    if (shortText(section, MIN_SECTION_CHARS) !== null || !isAttached(section, page)) continue;
    const found = readKnownComments(page, section, rules);
    const shaped = found.length > 0 ? found : readCommentShapedItems(section, rules);
    if (shaped.length > 0) take(section, shaped);
  }
  return { comments, removed };
}
