import type { AnyNode, Document, Element } from 'domhandler';
import type { Removal } from '../clean-page.js';
import { isElement, namesOf, rawText, type PageEdits } from './dom-nodes.js';
import type { CompiledSiteProfile, HtmlRules } from './html-rules.js';
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

function charCount(node: AnyNode): number {
  return rawText(node).length;
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
    for (const child of [...element.children]) {
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
          const match = rules.boilerplateNames.find(({ regex }) => regex.test(names));
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
