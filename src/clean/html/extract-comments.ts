import { load } from 'cheerio/slim';
import type { Document, Element } from 'domhandler';
import type { RecordComment } from '../../record/canonical-record.js';
import type { Removal } from '../clean-page.js';
import { collapsedText, detach } from './dom-nodes.js';
import type { CompiledPattern, HtmlRules } from './html-rules.js';
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
 * the page, so that no comment ever reaches the body.
 */
export function extractComments(
  document: Document,
  containersFound: readonly Element[],
  rules: HtmlRules,
): ExtractedComments {
  if (containersFound.length === 0) return { comments: [], removed: [] };
  // cheerio only for pages with comments: its traversal (closest, parentsUntil) pays off here.
  const $ = load(document);
  const { items, authors, texts, chrome } = rules.comments;
  const itemSelector = items.join(', ');
  const comments: RecordComment[] = [];
  const removed: Removal[] = [];
  for (const container of containersFound) {
    const found = $(container).find(itemSelector).toArray();
    for (const item of found) {
      const own = (selector: string): Element[] =>
        $(item)
          .find(selector)
          .toArray()
          .filter((node) => $(node).closest(itemSelector)[0] === item);
      const depth = $(item).parentsUntil(container, itemSelector).length;
      const authorNode = authors.map(own).find((nodes) => nodes.length > 0)?.[0];
      const author = authorNode ? collapsedText(authorNode) || null : null;
      const textNodes = texts.map(own).find((nodes) => nodes.length > 0);
      let body: string;
      let links: number;
      if (textNodes) {
        body = renderBlocks(textNodes).join('\n\n');
        links = textNodes.reduce((n, node) => n + $(node).find('a[href]').length, 0);
      } else {
        const copy = $(item).clone();
        copy.find(itemSelector).remove();
        copy.find([...chrome, ...authors].join(', ')).remove();
        body = renderBlocks(copy.toArray()).join('\n\n');
        links = copy.find('a[href]').length;
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
