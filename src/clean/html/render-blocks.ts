import type { AnyNode, Document } from 'domhandler';
import type { Removal } from '../clean-page.js';
import { BLOCK_TAGS, isElement, isTextNode } from './dom-nodes.js';

/**
 * Renders subtrees as paragraphs: every block element is a paragraph break, <br> a line break,
 * inline elements flow into the text around them, so words never run together and never split.
 * Subtrees in `skip` are left out.
 */
export function renderBlocks(roots: readonly AnyNode[], skip?: ReadonlySet<AnyNode>): string[] {
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
    if (!isElement(node) || node.type !== 'tag' || skip?.has(node)) return;
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

/**
 * A removed block's text for reports: one line, a space at every block edge so that words
 * never run together. Cheaper than renderBlocks: one pass, one white-space collapse.
 */
export function removedText(node: AnyNode): string {
  const parts: string[] = [];
  const walk = (current: AnyNode): void => {
    if (isTextNode(current)) {
      parts.push(current.data);
      return;
    }
    if (current.type === 'root') {
      for (const child of (current as Document).children) walk(child);
      return;
    }
    if (!isElement(current) || current.type !== 'tag') return;
    const edge = current.name === 'br' || BLOCK_TAGS.has(current.name);
    if (edge) parts.push(' ');
    for (const child of current.children) walk(child);
    if (edge) parts.push(' ');
  };
  walk(node);
  return parts.join('').replace(/\s+/g, ' ').trim();
}

/** True when a subtree holds text removedText would report (white space aside). */
function hasText(node: AnyNode): boolean {
  if (isTextNode(node)) return /\S/.test(node.data);
  if (node.type === 'root') return (node as Document).children.some(hasText);
  if (!isElement(node) || node.type !== 'tag') return false;
  return node.children.some(hasText);
}

/**
 * A removed block whose text is rendered when first read (by `--explain`): most runs never read
 * it, and rendering every removed block would cost as much as rendering the article. The block
 * is detached or left outside the article, never changed afterwards, so the text read later is
 * the text removed. A class, not an object literal with a getter: V8 keeps instances of one
 * class cheap for the garbage collector, where a getter per literal costs a closure each.
 */
class BlockRemoval implements Removal {
  readonly #node: AnyNode;
  #text: string | undefined;

  constructor(
    readonly rule: string,
    node: AnyNode,
  ) {
    this.#node = node;
  }

  get text(): string {
    this.#text ??= removedText(this.#node);
    return this.#text;
  }
}

/** The report of a removed block, or null when it holds no text. */
export function removal(rule: string, node: AnyNode): Removal | null {
  return hasText(node) ? new BlockRemoval(rule, node) : null;
}
