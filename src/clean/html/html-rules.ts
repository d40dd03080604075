import { load } from 'cheerio/slim';
import { compile as compileCss } from 'css-select';
import type { AnyNode, Element } from 'domhandler';
import { z } from 'zod';
import { ruleRegExp } from '../rule-regex.js';
import { parseHtml } from './parse-html.js';

/** A named CSS selector: what it matches is removed and reported under `rule`. */
export const NamedSelector = z.object({
  rule: z.string().min(1),
  selector: z.string().min(1),
});
export type NamedSelector = z.infer<typeof NamedSelector>;

/** A named regular expression (source text, compiled case-insensitive). */
export const NamedPattern = z.object({
  rule: z.string().min(1),
  pattern: z.string().min(1),
});
export type NamedPattern = z.infer<typeof NamedPattern>;

/**
 * Site profile: what general rules cannot decide for one known host. Matched by the page URL's
 * host (the host itself or any subdomain of it).
 */
export const SiteProfile = z.object({
  name: z.string().min(1),
  hosts: z.array(z.string().min(1)).min(1),
  /** Selectors of the article body container; the first that matches wins. */
  keep: z.array(z.string().min(1)).default([]),
  /** Selectors removed before extraction, reported as `site:<name>`. */
  drop: z.array(z.string().min(1)).default([]),
  /** Lines that are boilerplate on this site only. */
  dropLines: z.array(z.string().min(1)).default([]),
});
export type SiteProfile = z.infer<typeof SiteProfile>;

/**
 * A site profile with its lines compiled once, at load time. Its selectors are cheerio
 * selectors (jQuery extensions such as `:first` included), checked at load time and queried
 * with cheerio on the pages of that site.
 */
export interface CompiledSiteProfile {
  name: string;
  hosts: readonly string[];
  keep: readonly string[];
  drop: readonly string[];
  dropLines: readonly RegExp[];
}

/** The general HTML rules, as stored in config/rules/html.json. */
export const HtmlRulesFile = z.object({
  version: z.number().int().positive(),
  /** Elements never part of an article's text (scripts, forms, menus). */
  dropTags: z.array(z.string().min(1)),
  /** Boilerplate found by selector (cookie notices, share bars, captions). */
  dropSelectors: z.array(NamedSelector),
  /**
   * Class and id patterns of boilerplate containers. Removed unless the container holds most
   * of the page's paragraph text (then it is the article, whatever its name).
   */
  boilerplateNames: z.array(NamedPattern),
  /** Class and id patterns never removed by name: embedded posts and quotes are content. */
  keepNames: z.string().min(1),
  /** Class and id patterns that make a block more likely to be the article. */
  contentNames: z.string().min(1),
  /** Class and id patterns that make a block less likely to be the article (scoring only). */
  unlikelyNames: z.string().min(1),
  /** Whole text blocks that are boilerplate wherever they appear (counters, widget chrome). */
  boilerplateLines: z.array(NamedPattern),
  /** Containers of reader comments, tried in order; items are read inside them. */
  comments: z.object({
    containers: z.array(z.string().min(1)),
    items: z.array(z.string().min(1)),
    authors: z.array(z.string().min(1)),
    texts: z.array(z.string().min(1)),
    /** Chrome inside a comment (reply links, dates, votes), removed before reading its text. */
    chrome: z.array(z.string().min(1)),
  }),
  /** Signs of a spam comment: money or job offers, repeated symbols, link farms. */
  spam: z.array(NamedPattern),
});
export type HtmlRulesFile = z.infer<typeof HtmlRulesFile>;

/** Rules compiled once at load time, so that cleaning a page never compiles a pattern. */
export interface CompiledPattern {
  rule: string;
  regex: RegExp;
}

/** A pattern list's one test for "any of them matches", built when the list is first used. */
const anyPatternTests = new WeakMap<readonly CompiledPattern[], (text: string) => boolean>();

/**
 * One test that a text matches any of `patterns`: their sources joined into one alternation
 * per set of flags, which matches where one of them does. Patterns that cannot be joined
 * (back-references, named groups, stateful flags) leave it always true.
 */
function anyPatternTest(patterns: readonly CompiledPattern[]): (text: string) => boolean {
  const byFlags = new Map<string, string[]>();
  for (const { regex } of patterns) {
    if (/[gy]/.test(regex.flags) || /\\[1-9]|\\k<|\(\?<[^=!]/.test(regex.source)) return () => true;
    const sources = byFlags.get(regex.flags) ?? [];
    sources.push(`(?:${regex.source})`);
    byFlags.set(regex.flags, sources);
  }
  const tests = [...byFlags].map(([flags, sources]) => new RegExp(sources.join('|'), flags));
  return (text) => tests.some((test) => test.test(text));
}

/**
 * The first of `patterns` that `text` matches. Most texts match none, and one joined test
 * answers that in one pass where each pattern would take its own.
 */
export function firstMatch(
  patterns: readonly CompiledPattern[],
  text: string,
): CompiledPattern | undefined {
  let any = anyPatternTests.get(patterns);
  if (!any) {
    any = anyPatternTest(patterns);
    anyPatternTests.set(patterns, any);
  }
  return any(text) ? patterns.find(({ regex }) => regex.test(text)) : undefined;
}

/** A CSS selector compiled once: tests one element without querying the document. */
export type ElementTest = (element: Element) => boolean;

/** A selector rule compiled once at load time. */
export interface CompiledSelector {
  rule: string;
  test: ElementTest;
}

/** Site profiles and HTML cleaning rules, loaded once from config/. */
export interface HtmlRules {
  dropTags: ReadonlySet<string>;
  dropSelectors: readonly CompiledSelector[];
  /** All drop selectors in one test: most elements match none, and one test is cheaper. */
  anyDropSelector: ElementTest;
  commentContainer: ElementTest;
  boilerplateNames: readonly CompiledPattern[];
  keepNames: RegExp;
  contentNames: RegExp;
  unlikelyNames: RegExp;
  boilerplateLines: readonly CompiledPattern[];
  comments: CompiledCommentRules;
  spam: readonly CompiledPattern[];
  sites: readonly CompiledSiteProfile[];
}

/**
 * The comment selectors, queried with cheerio inside the comment containers found. Each is
 * queried once per container, not once per comment, so a thread of thousands stays fast.
 */
export interface CompiledCommentRules {
  item: ElementTest;
  /** Tried in order: the first that finds something in a comment gives its author, or its text. */
  authors: readonly ElementTest[];
  texts: readonly ElementTest[];
  /** What is not the text when a comment has no text element: nested comments, chrome, authors. */
  notText: ElementTest;
}

function compileCommentRules(comments: HtmlRulesFile['comments']): CompiledCommentRules {
  return {
    item: compileSelector(comments.items.join(', ')),
    authors: comments.authors.map(compileSelector),
    texts: comments.texts.map(compileSelector),
    notText: compileSelector(
      [...comments.items, ...comments.chrome, ...comments.authors].join(', '),
    ),
  };
}

/**
 * An empty document, to check selectors with cheerio once, at load time; parsed as pages are,
 * so that htmlparser2's code only ever meets the pages' parser and handler.
 */
const EMPTY_PAGE = load(parseHtml('<html><body></body></html>'));

/** Throws a clear error for a selector cheerio cannot read, at load time, not on a page. */
function checkSelector(selector: string): string {
  try {
    EMPTY_PAGE(selector);
  } catch (error) {
    throw new Error(`invalid selector "${selector}": ${(error as Error).message}`, {
      cause: error,
    });
  }
  return selector;
}

function compile(patterns: readonly NamedPattern[]): CompiledPattern[] {
  return patterns.map(({ rule, pattern }) => ({ rule, regex: ruleRegExp(pattern, 'i') }));
}

/** A compound that names a class or an id: only elements with those attributes can match. */
const NEEDS_CLASS_OR_ID = /[.#][^\s>+~]*$/;
/** The last compound of a selector: what the element tested must itself be. */
const LAST_COMPOUND = /[^\s>+~]*$/;
/** A plain class or id in a compound (`.name`, `#name`), escapes and pseudo-classes aside. */
const PLAIN_NAME = /^[.#]-?[A-Za-z_][\w-]*$/;

/**
 * A class or id every element matching `part` must have, or null when the part cannot say
 * (escapes, pseudo-classes whose arguments name classes it need not have).
 */
function requiredName(part: string): string | null {
  const compound = LAST_COMPOUND.exec(part.replace(/\[[^\]]*\]/g, '[]'))?.[0] ?? '';
  if (/[\\():]/.test(compound)) return null;
  return compound.match(/[.#][^.#[]+/g)?.find((token) => PLAIN_NAME.test(token)) ?? null;
}

/**
 * The classes and ids of which an element must have one to match any of `parts`: a cheap test
 * (two regular expressions, nothing allocated) that leaves css-select only the few elements
 * that may match. Case-insensitive, so that it never turns away an element css-select takes.
 */
function nameFilter(parts: readonly string[]): ElementTest {
  const classes: string[] = [];
  const ids: string[] = [];
  for (const part of parts) {
    const name = requiredName(part);
    if (name === null) {
      return (element) => element.attribs.class !== undefined || element.attribs.id !== undefined;
    }
    (name.startsWith('.') ? classes : ids).push(name.slice(1));
  }
  // Plain names hold only letters, digits, _ and -: nothing to escape.
  const classTest =
    classes.length > 0 ? new RegExp(`(?:^|\\s)(?:${classes.join('|')})(?=\\s|$)`, 'i') : null;
  const idTest = ids.length > 0 ? new RegExp(`^(?:${ids.join('|')})$`, 'i') : null;
  return (element) => {
    const { class: className, id } = element.attribs;
    return (
      (idTest !== null && id !== undefined && idTest.test(id)) ||
      (classTest !== null && className !== undefined && classTest.test(className))
    );
  };
}

/**
 * Compiles a CSS selector list into an element test (css-select, the engine cheerio uses).
 * Selectors whose last compound names a class or id are tried only on elements that have one
 * of those names, which most elements of a page do not: the test runs on every element, and
 * css-select would otherwise match each class pattern against each element's class.
 */
export function compileSelector(selector: string): ElementTest {
  const parts = selector
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  const needsName = (part: string): boolean =>
    NEEDS_CLASS_OR_ID.test(part.replace(/\[[^\]]*\]/g, '[]'));
  const named = parts.filter(needsName);
  const other = parts.filter((part) => !needsName(part));
  const namedTest =
    named.length > 0 ? (compileCss<AnyNode, Element>(named.join(', ')) as ElementTest) : null;
  const mayMatch = nameFilter(named);
  const otherTest =
    other.length > 0 ? (compileCss<AnyNode, Element>(other.join(', ')) as ElementTest) : null;
  return (element) =>
    (namedTest !== null && mayMatch(element) && namedTest(element)) ||
    (otherTest !== null && otherTest(element));
}

/** Compiles a site profile's selectors and line patterns. */
export function compileSiteProfile(profile: SiteProfile): CompiledSiteProfile {
  return {
    name: profile.name,
    hosts: profile.hosts.map((host) => host.toLowerCase()),
    keep: profile.keep.map(checkSelector),
    drop: profile.drop.map(checkSelector),
    dropLines: profile.dropLines.map((line) => ruleRegExp(line, 'i')),
  };
}

/** Builds the in-memory rules from the parsed rules file and site profiles. */
export function compileHtmlRules(file: HtmlRulesFile, sites: readonly SiteProfile[]): HtmlRules {
  return {
    dropTags: new Set(file.dropTags.map((tag) => tag.toLowerCase())),
    dropSelectors: file.dropSelectors.map(({ rule, selector }) => ({
      rule,
      test: compileSelector(selector),
    })),
    anyDropSelector: compileSelector(file.dropSelectors.map((s) => s.selector).join(', ')),
    commentContainer: compileSelector(file.comments.containers.join(', ')),
    boilerplateNames: compile(file.boilerplateNames),
    keepNames: new RegExp(file.keepNames, 'i'),
    contentNames: new RegExp(file.contentNames, 'i'),
    unlikelyNames: new RegExp(file.unlikelyNames, 'i'),
    boilerplateLines: compile(file.boilerplateLines),
    comments: compileCommentRules(file.comments),
    spam: compile(file.spam),
    sites: sites.map(compileSiteProfile),
  };
}
