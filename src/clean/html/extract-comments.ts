import type { Element } from 'domhandler';
import type { RecordComment } from '../../record/canonical-record.js';
import type { Removal } from '../clean-page.js';
import { closestAncestor, collapsedText, detach, findElements, isElement } from './dom-nodes.js';
import type { CompiledPattern, ElementTest, HtmlRules } from './html-rules.js';
import { removedText, renderBlocks } from './render-blocks.js';

/** Links in one comment beyond this many make it a link farm. */
const MAX_COMMENT_LINKS = 3;

export interface ExtractedComments {
  comments: RecordComment[];
  removed: Removal[];
}

/** Says which spam rule a comment text breaks, or null for an ordinary comment. */
export function spamRule(
  text: string,
  linkCount: number,
  patterns: readonly CompiledPattern[],
): string | null {
  if (linkCount > MAX_COMMENT_LINKS) return 'spam:links';
  const match = patterns.find(({ regex }) => regex.test(text));
  return match ? match.rule : null;
}

/**
 * Reads reader comments from common comment markup (WordPress lists, wpDiscuz, Disqus-style
 * threads) into comments with author, depth and spam flag, then removes their containers from
 * the page, so that no comment ever reaches the body. Selectors are compiled once (rules), so
 * a flat thread of fifty thousand comments takes seconds, not minutes; each comment's subtree
 * is walked once per author and text selector, replies nested in it included.
 */
export function extractComments(
  containersFound: readonly Element[],
  rules: HtmlRules,
): ExtractedComments {
  const { item: isItem, authors, texts, notText } = rules.comments;
  const comments: RecordComment[] = [];
  const removed: Removal[] = [];
  for (const container of containersFound) {
    for (const item of findElements(container, isItem)) {
      // Elements of this comment, not of a reply nested in it.
      const own = (test: ElementTest): Element[] =>
        findElements(item, test).filter((node) => closestAncestor(node, isItem) === item);
      let depth = 0;
      for (let up = item.parent; up && up !== container; up = up.parent) {
        if (isElement(up) && isItem(up)) depth += 1;
      }
      const authorNode = authors.map(own).find((nodes) => nodes.length > 0)?.[0];
      const author = authorNode ? collapsedText(authorNode) || null : null;
      const textNodes = texts.map(own).find((nodes) => nodes.length > 0);
      let body: string;
      let links: number;
      if (textNodes) {
        body = renderBlocks(textNodes).join('\n\n');
        links = textNodes.reduce((n, node) => n + findElements(node, isLink).length, 0);
      } else {
        const copy = item.cloneNode(true);
        for (const node of findElements(copy, notText)) detach(node);
        body = renderBlocks([copy]).join('\n\n');
        links = findElements(copy, isLink).length;
      }
      if (body === '') continue;
      comments.push({
        author,
        text: body,
        depth,
        spam: spamRule(body, links, rules.spam) !== null,
      });
    }
    const text = removedText(container);
    if (text !== '') removed.push({ rule: 'comments:extracted', text });
    detach(container);
  }
  return { comments, removed };
}

function isLink(element: Element): boolean {
  return element.name === 'a' && element.attribs.href !== undefined;
}
