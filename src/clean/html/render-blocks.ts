import type { AnyNode, Document } from 'domhandler';
import { BLOCK_TAGS, isElement, isTextNode } from './dom-nodes.js';

/**
 * Renders subtrees as paragraphs: every block element is a paragraph break, <br> a line break,
 * inline elements flow into the text around them, so words never run together and never split.
 */
export function renderBlocks(roots: readonly AnyNode[]): string[] {
  const paragraphs: string[] = [];
  let buffer = '';
  let preDepth = 0;

  const flush = (): void => {
    const text = buffer
      .replace(/[^\S\n]+/g, ' ')
      .replace(/ *\n */g, '\n')
      .replace(/\n{2,}/g, '\n')
      .trim();
    if (text !== '') paragraphs.push(text);
    buffer = '';
  };

  const walk = (node: AnyNode): void => {
    if (isTextNode(node)) {
      buffer += preDepth > 0 ? node.data : node.data.replace(/\s+/g, ' ');
      return;
    }
    if (node.type === 'root') {
      for (const child of (node as Document).children) walk(child);
      return;
    }
    if (!isElement(node) || node.type !== 'tag') return;
    const tag = node.name;
    if (tag === 'br') {
      buffer += '\n';
      return;
    }
    const block = BLOCK_TAGS.has(tag);
    if (block) flush();
    if (tag === 'pre') preDepth++;
    for (const child of node.children) walk(child);
    if (tag === 'pre') preDepth--;
    if (block) flush();
  };

  for (const root of roots) walk(root);
  flush();
  return paragraphs;
}

/** A removed block's text for reports: its paragraphs on one line, words kept apart. */
export function removedText(node: AnyNode): string {
  return renderBlocks([node]).join(' ').replace(/\n/g, ' ');
}
