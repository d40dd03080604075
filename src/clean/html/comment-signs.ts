import type { AnyNode } from 'domhandler';
import { isElement } from './dom-nodes.js';
import { firstMatch, type CompiledPattern } from './html-rules.js';

/** Links in one comment beyond this many make it a link farm. */
const MAX_COMMENT_LINKS = 3;
/** Wrappers of replies ("children", Drupal's "indented"): each is one level of a thread. */
export const REPLY_WRAPPER_NAMES =
  /(^|[\s_-])(children|replies|reply-?list|indented|indent|sub-?comments?|nested|comment-?replies|threaded)([\s_-]|$)/;

/** Says which spam rule a comment text breaks, or null for an ordinary comment. */
export function spamRule(
  text: string,
  linkCount: number,
  patterns: readonly CompiledPattern[],
): string | null {
  if (linkCount > MAX_COMMENT_LINKS) return 'spam:links';
  const match = firstMatch(patterns, text);
  return match ? match.rule : null;
}

/** Counts the links (a[href]) under `root`, leaving out the subtrees in `skip`. */
export function countLinks(root: AnyNode, skip?: ReadonlySet<AnyNode>): number {
  if (!isElement(root) || skip?.has(root)) return 0;
  let links = root.name === 'a' && root.attribs.href !== undefined ? 1 : 0;
  for (const child of root.children) links += countLinks(child, skip);
  return links;
}
