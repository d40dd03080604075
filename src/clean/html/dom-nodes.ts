import type { AnyNode, ChildNode, Element, ParentNode, Text } from 'domhandler';

/** Elements that end a line of text: rendered as paragraph breaks, scored as blocks. */
export const BLOCK_TAGS: ReadonlySet<string> = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'caption',
  'center',
  'dd',
  'details',
  'dialog',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hgroup',
  'hr',
  'li',
  'main',
  'menu',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'summary',
  'table',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
  'tr',
  'ul',
]);

/** True for element nodes, including <script> and <style> (which htmlparser2 types apart). */
export function isElement(node: AnyNode): node is Element {
  return node.type === 'tag' || node.type === 'script' || node.type === 'style';
}

export function isTextNode(node: AnyNode): node is Text {
  return node.type === 'text';
}

/** Concatenated text of a subtree, as the HTML holds it (white space not collapsed). */
export function rawText(node: AnyNode): string {
  if (isTextNode(node)) return node.data;
  if (!isElement(node) && node.type !== 'root') return '';
  let out = '';
  for (const child of (node as Element).children) out += rawText(child);
  return out;
}

/**
 * Text of a subtree with white space collapsed, or null when its raw text is longer than
 * `maxChars`: reading stops there, so a short text is asked of a big container cheaply.
 */
export function shortText(node: AnyNode, maxChars: number): string | null {
  let out = '';
  const walk = (current: AnyNode): boolean => {
    if (isTextNode(current)) {
      out += current.data;
      return out.length <= maxChars;
    }
    if (!isElement(current) && current.type !== 'root') return true;
    for (const child of (current as Element).children) if (!walk(child)) return false;
    return true;
  };
  return walk(node) ? out.replace(/\s+/g, ' ').trim() : null;
}

/** The white space characters above ASCII that `\s` matches. */
function isWideSpace(code: number): boolean {
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

/**
 * Length of a subtree's text with white space collapsed and trimmed, counted without building
 * the text, or -1 once it passes `maxChars`: to test many elements for a given length cheaply.
 */
export function collapsedLength(node: AnyNode, maxChars: number): number {
  let length = 0;
  let space = true; // at the start, as after a space: leading white space is trimmed
  const walk = (current: AnyNode): boolean => {
    if (isTextNode(current)) {
      const data = current.data;
      for (let i = 0; i < data.length; i++) {
        const code = data.charCodeAt(i);
        const white = code <= 32 ? code === 32 || (code >= 9 && code <= 13) : isWideSpace(code);
        if (white) {
          if (!space) {
            length++;
            space = true;
          }
        } else {
          length++;
          space = false;
        }
      }
      return length <= maxChars + 1;
    }
    if (!isElement(current) && current.type !== 'root') return true;
    for (const child of (current as Element).children) if (!walk(child)) return false;
    return true;
  };
  if (!walk(node)) return -1;
  return space && length > 0 ? length - 1 : length;
}

/** Text of a subtree with white space collapsed, for reports and short comparisons. */
export function collapsedText(node: AnyNode): string {
  return rawText(node).replace(/\s+/g, ' ').trim();
}

/** Class and id of an element, lower-cased, for matching class/id patterns. */
export function namesOf(element: Element): string {
  const { class: className, id } = element.attribs;
  if (!className && !id) return '';
  return `${className ?? ''} ${id ?? ''}`.toLowerCase();
}

/** Removes a node from its parent (no-op when detached). */
export function detach(node: AnyNode): void {
  const parent = node.parent;
  if (!parent) return;
  const index = parent.children.indexOf(node as never);
  if (index >= 0) parent.children.splice(index, 1);
  if (node.prev) node.prev.next = node.next;
  if (node.next) node.next.prev = node.prev;
  node.parent = null;
  node.prev = null;
  node.next = null;
}

/** A node a cleaning pass took out, and where it was. */
interface TakenNode {
  node: AnyNode;
  parent: ParentNode;
  index: number;
  prev: ChildNode | null;
  next: ChildNode | null;
}

/**
 * The nodes one cleaning pass takes out of a page, in order, with where each was. Undone, they
 * give back the page as the pass found it, so that another pass reads the page parsed once;
 * redone, they take the same nodes out again.
 */
export class PageEdits {
  readonly #taken: TakenNode[] = [];

  /** Removes a node from its parent (no-op when detached), remembering where it was. */
  detach(node: AnyNode): void {
    const { parent, prev, next } = node;
    if (!parent) return;
    this.#taken.push({ node, parent, index: parent.children.indexOf(node as never), prev, next });
    detach(node);
  }

  /** Puts every node taken back where it was, the last one taken first. */
  undo(): void {
    for (let i = this.#taken.length - 1; i >= 0; i--) {
      const { node, parent, index, prev, next } = this.#taken[i]!;
      if (index >= 0) parent.children.splice(index, 0, node as ChildNode);
      node.parent = parent;
      node.prev = prev;
      node.next = next;
      if (prev) prev.next = node as ChildNode;
      if (next) next.prev = node as ChildNode;
    }
  }

  /** Takes the same nodes out again, in the same order. */
  redo(): void {
    for (const { node } of this.#taken) detach(node);
  }
}

/** Elements below `root` (not `root` itself) that pass `test`, in document order. */
export function findElements(root: Element, test: (element: Element) => boolean): Element[] {
  const found: Element[] = [];
  const walk = (element: Element): void => {
    for (const child of element.children) {
      if (!isElement(child)) continue;
      if (test(child)) found.push(child);
      walk(child);
    }
  };
  walk(root);
  return found;
}

/** The nearest ancestor of `node` that passes `test`, or null. */
export function closestAncestor(
  node: AnyNode,
  test: (element: Element) => boolean,
): Element | null {
  for (let up = node.parent; up; up = up.parent) {
    if (isElement(up) && test(up)) return up;
  }
  return null;
}
