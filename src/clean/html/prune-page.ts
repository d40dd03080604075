import type { AnyNode, ChildNode, Document, Element, Text } from 'domhandler';
import type { Removal } from '../clean-page.js';
import { isElement, namesOf, type PageEdits } from './dom-nodes.js';
import { firstMatch, type CompiledSiteProfile, type HtmlRules } from './html-rules.js';
import type { PageDom } from './page-dom.js';
import { removal } from './render-blocks.js';

/**
 * A container named like boilerplate is still kept when it holds more than this share of the
 * page's text: then it is the article itself under an unlucky class name ("post-share-wrap").
 */
const MAX_BOILERPLATE_SHARE = 0.5;
/** Tags whose text is code or markup, never prose: removed without a report line. */
const SILENT_TAGS: ReadonlySet<string> = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'svg',
  'link',
  'meta',
  'iframe',
  'head',
  'title',
]);
/** Tags never removed by a class/id pattern: they hold the whole page. */
const STRUCTURAL_TAGS: ReadonlySet<string> = new Set(['html', 'body', 'main']);
/** Inline styles that hide an element: its text is never shown to a reader. */
const HIDDEN_STYLE = /display\s*:\s*none|visibility\s*:\s*hidden/i;

export interface PruneOptions {
  /** Remove containers whose class or id looks like boilerplate (off in the lenient pass). */
  byName: boolean;
  profile: CompiledSiteProfile | null;
}

function report(removed: Removal[], rule: string, node: AnyNode): void {
  const report = removal(rule, node);
  if (report) removed.push(report);
}

/** Characters of a subtree's raw text, counted without building the text. */
function charCount(node: AnyNode): number {
  if (node.type === 'text') return (node as Text).data.length;
  if (!isElement(node) && node.type !== 'root') return 0;
  let chars = 0;
  for (const child of (node as Element).children) chars += charCount(child);
  return chars;
}

/**
 * Removes what is never article text: code, forms, hidden elements, selector-matched boilerplate
 * (site profile first, then general rules) and, with `byName`, containers whose class or id
 * names boilerplate. Every removed block with text is reported with its rule.
 */
export function prunePage(
  page: PageDom,
  rules: HtmlRules,
  options: PruneOptions,
  edits: PageEdits,
): Removal[] {
  const removed: Removal[] = [];
  const root = page.document;
  if (options.profile) {
    const rule = `site:${options.profile.name}`;
    for (const selector of options.profile.drop) {
      page.root.find(selector).each((_, element) => {
        if (!element.parent) return;
        report(removed, rule, element);
        edits.detach(element);
      });
    }
  }
  const pageChars = charCount(root);
  const walk = (element: Element | Document): void => {
    // Sibling links, not a copy of the children: a child taken out is past when it goes.
    let next: ChildNode | null = element.children[0] ?? null;
    while (next) {
      const child: ChildNode = next;
      next = child.next;
      if (child.type === 'comment' || child.type === 'directive' || child.type === 'cdata') {
        edits.detach(child);
        continue;
      }
      if (!isElement(child)) continue;
      const tag = child.name;
      if (rules.dropTags.has(tag)) {
        if (!SILENT_TAGS.has(tag)) report(removed, `tag:${tag}`, child);
        edits.detach(child);
        continue;
      }
      const selected = rules.anyDropSelector(child)
        ? rules.dropSelectors.find(({ test }) => test(child))
        : undefined;
      if (selected) {
        report(removed, selected.rule, child);
        edits.detach(child);
        continue;
      }
      const { hidden, style } = child.attribs;
      if (hidden !== undefined || (style !== undefined && HIDDEN_STYLE.test(style))) {
        report(removed, 'hidden', child);
        edits.detach(child);
        continue;
      }
      if (options.byName && !STRUCTURAL_TAGS.has(tag)) {
        const names = namesOf(child);
        if (names !== '' && !rules.keepNames.test(names)) {
          const match = firstMatch(rules.boilerplateNames, names);
          if (match && charCount(child) <= pageChars * MAX_BOILERPLATE_SHARE) {
            report(removed, match.rule, child);
            edits.detach(child);
            continue;
          }
        }
      }
      walk(child);
    }
  };
  walk(root);
  return removed;
}
