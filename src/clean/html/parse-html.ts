import { DomHandler, type Document, type Element } from 'domhandler';
import { Parser } from 'htmlparser2';
import { PermanentError } from '../../errors.js';

/**
 * Elements open at once. Past it, a new element closes the deepest open one and becomes its
 * sibling, as browsers do (Blink stops nesting at 512). htmlparser2 keeps its open elements
 * in an array it shifts and unshifts at every tag, so without a bound an unclosed
 * `<div>` flood costs time quadratic in its depth (300,000 divs: a minute).
 */
export const MAX_OPEN_ELEMENTS = 512;
/**
 * Elements in one page. A heavy news page has a few thousand; each costs a DOM node that
 * every cleaning pass walks, so this bounds the page's time and memory.
 */
export const MAX_ELEMENTS = 100_000;
/**
 * Characters of one text node outside <script> and <style>. A book chapter is shorter; a
 * longer run is no article paragraph, and its copies in the cleaning passes are what fill a
 * worker's heap (a 9.9 MB text node took 650 MB).
 */
export const MAX_TEXT_NODE_CHARS = 1_000_000;
/** Characters of text in one page outside <script> and <style>: a long book's worth. */
export const MAX_PAGE_TEXT_CHARS = 2_000_000;

/** Raw-text elements whose text no cleaning step reads (JSON-LD scripts excepted). */
const UNREAD_TEXT_ELEMENTS = new Set(['script', 'style', 'noscript', 'template']);

/** htmlparser2's Parser internals the depth bound needs (private in its typings). */
interface ParserInternals {
  stack: string[];
  foreignContext: boolean[];
  cbs: { onclosetag(name: string, isImplied: boolean): void };
  emitOpenTag(name: string): void;
}

/** Elements whose end tag ends htmlparser2's foreign (SVG, MathML) context. */
const CONTEXT_ELEMENTS = new Set([
  'math',
  'svg',
  'mi',
  'mo',
  'mn',
  'ms',
  'mtext',
  'annotation-xml',
  'foreignobject',
  'desc',
  'title',
]);

function tooLong(what: string, chars: number, max: number): PermanentError {
  return new PermanentError(
    'CONTENT_TOO_LONG',
    `${what} of ${chars} characters (more than ${max}): not an article page`,
  );
}

/** A DomHandler that counts what the page costs and refuses a page past the caps. */
class BoundedDomHandler extends DomHandler {
  elements = 0;
  textChars = 0;

  override onopentag(name: string, attribs: Record<string, string>): void {
    if (++this.elements > MAX_ELEMENTS) {
      throw new PermanentError(
        'CONTENT_TOO_COMPLEX',
        `more than ${MAX_ELEMENTS} HTML elements: not an article page`,
      );
    }
    super.onopentag(name, attribs);
  }

  // HTML comments are the first thing cleaning drops, one by one: they never join the tree.
  override oncomment(): void {}
  override oncommentend(): void {}

  override ontext(data: string): void {
    const parent = this.tagStack[this.tagStack.length - 1] as Element | undefined;
    if (!isUnreadText(parent)) {
      this.textChars += data.length;
      const run = (this.lastNode?.type === 'text' ? this.lastNode.data.length : 0) + data.length;
      if (run > MAX_TEXT_NODE_CHARS) throw tooLong('a text node', run, MAX_TEXT_NODE_CHARS);
      if (this.textChars > MAX_PAGE_TEXT_CHARS) {
        throw tooLong('page text', this.textChars, MAX_PAGE_TEXT_CHARS);
      }
    }
    super.ontext(data);
  }
}

function isUnreadText(parent: Element | undefined): boolean {
  if (!parent || !UNREAD_TEXT_ELEMENTS.has(parent.name)) return false;
  return !(parent.name === 'script' && /ld\+json/i.test(parent.attribs['type'] ?? ''));
}

/**
 * htmlparser2's Parser with at most MAX_OPEN_ELEMENTS open elements: its open-tag step, where
 * an element joins the open-element stack, first closes the deepest one when full. The step is
 * replaced once, on a subclass's prototype: a function assigned to each new parser instead
 * filled V8's old generation page after page (on the benchmark pages, 5.8 ms of GC per page
 * against 0.4 ms, more than the parse itself).
 */
class BoundedParser extends Parser {}

const emitOpenTag = (Parser.prototype as unknown as ParserInternals).emitOpenTag;
const probe = new BoundedParser() as unknown as ParserInternals;
if (typeof emitOpenTag !== 'function' || !Array.isArray(probe.stack) || !probe.cbs) {
  // A new htmlparser2 moved its internals: fail loudly rather than parse unbounded.
  throw new Error('htmlparser2 Parser has no open-element stack to bound');
}
Object.defineProperty(BoundedParser.prototype, 'emitOpenTag', {
  value: function boundedOpenTag(this: ParserInternals, name: string): void {
    if (this.stack.length >= MAX_OPEN_ELEMENTS) {
      const deepest = this.stack.shift()!;
      if (CONTEXT_ELEMENTS.has(deepest)) this.foreignContext.shift();
      this.cbs.onclosetag(deepest, true);
    }
    emitOpenTag.call(this, name);
  },
});

/**
 * Parses HTML into a domhandler Document (what htmlparser2's parseDocument returns, and what
 * cheerio loads), in time linear in the page whatever its nesting: at most MAX_OPEN_ELEMENTS
 * elements are open at once, and HTML comments, which no cleaning step reads, are left out. Refuses, as permanent errors, pages past what an article page
 * holds: more than MAX_ELEMENTS elements (CONTENT_TOO_COMPLEX), a text node or page text past
 * MAX_TEXT_NODE_CHARS / MAX_PAGE_TEXT_CHARS (CONTENT_TOO_LONG).
 */
export function parseHtml(html: string): Document {
  const handler = new BoundedDomHandler();
  new BoundedParser(handler).end(html);
  return handler.root;
}
