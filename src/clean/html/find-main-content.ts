import type { AnyNode, Element } from 'domhandler';
import type { Removal } from '../clean-page.js';
import {
  BLOCK_TAGS,
  collapsedText,
  isElement,
  isTextNode,
  rawText,
  type PageEdits,
} from './dom-nodes.js';
import type { HtmlRules } from './html-rules.js';
import { removal } from './render-blocks.js';

/** Text shorter than this is a label or a link, not a paragraph worth a vote. */
const MIN_PARAGRAPH_CHARS = 25;
/** Each full hundred characters of a paragraph adds a point... */
const CHARS_PER_LENGTH_POINT = 100;
/** ...up to this many: long is not better beyond a few sentences. */
const MAX_LENGTH_POINTS = 3;
/** A paragraph votes for its ancestors up to this many levels above its parent. */
const MAX_VOTE_LEVELS = 5;
/** Votes fade with distance: full to the parent, half to the grandparent, 1/(3·level) beyond. */
const FAR_VOTE_DIVIDER = 3;
/** Class/id hints move a block's score by this much (as much as ~8 good paragraphs). */
const NAME_HINT_WEIGHT = 25;
/** Other high-scoring blocks this close to the best one point to a shared ancestor. */
const ALTERNATIVE_SCORE_RATIO = 0.75;
/** How many such alternatives must share the ancestor before it wins. */
const MIN_ALTERNATIVES = 3;
/** Siblings of the best block join it when they score this share of it... */
const SIBLING_SCORE_RATIO = 0.2;
/** ...and at least this much, so that tiny scores do not pull in page chrome. */
const MIN_SIBLING_SCORE = 10;
/** A sibling paragraph this long with few links joins without a score of its own. */
const SIBLING_PARAGRAPH_CHARS = 80;
/** Link share above which a sibling paragraph is a link list, not prose. */
const SIBLING_MAX_LINK_DENSITY = 0.25;
/** A parent scoring under this share of the best block is page chrome; stop climbing there. */
const MIN_PARENT_SCORE_RATIO = 1 / 3;
/** Fewer paragraphs per image than this is a gallery, not text. */
const MIN_PARAGRAPHS_PER_IMAGE = 0.5;
/** More than one form field per this many paragraphs is a form, not text. */
const PARAGRAPHS_PER_INPUT = 3;
/** Blocks with this many commas are prose; conditional cleaning leaves them alone. */
const PROSE_COMMAS = 10;
/** Link share above which a block of neutral name is navigation. */
const MAX_LINK_DENSITY = 0.2;
/** Link share above which even a content-named block is navigation. */
const MAX_LINK_DENSITY_CONTENT = 0.5;
/** A block this long ending like a sentence is prose even with some links in it. */
const PROSE_MIN_CHARS = 80;
const SENTENCE_END = /[.!?…。」"”)]$/;
/** A paragraph mostly made of links is a "read more" line or a teaser list, not prose. */
const MAX_PARAGRAPH_LINK_DENSITY = 0.6;
/** Headings with more link text than this share are teasers of other articles. */
const MAX_HEADING_LINK_DENSITY = 0.33;
/** Blocks shorter than this with an embed are a player, not text. */
const EMBED_MAX_CHARS = 75;
/** An image block with at most this much text, in a block of its own, is image and caption. */
const MAX_CAPTION_CHARS = 250;
/** Words per shingle when telling a pull quote from a quotation: four, as the benchmark's. */
const SHINGLE_WORDS = 4;
/** A quote block this much of whose shingles recur in the article is a pull quote. */
const MIN_PULL_QUOTE_REPEAT = 0.6;
/** Pull quotes are a sentence or two: longer quote blocks are quoted documents. */
const MAX_PULL_QUOTE_CHARS = 400;

const HEADING_TAGS: ReadonlySet<string> = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
/** Elements read as one paragraph when they hold text and no block children. */
const PARAGRAPH_TAGS: ReadonlySet<string> = new Set(['p', 'pre', 'td', 'blockquote', 'dd']);
const LEAF_CONTAINERS: ReadonlySet<string> = new Set(['div', 'section', 'article', 'span', 'font']);
/** Containers checked for link lists, forms and image galleries inside the chosen content. */
const CONDITIONAL_TAGS: ReadonlySet<string> = new Set([
  'div',
  'section',
  'ul',
  'ol',
  'dl',
  'table',
  'form',
  'fieldset',
  'header',
  'aside',
  'footer',
  'figure',
]);
const EMBED_TAGS: ReadonlySet<string> = new Set(['iframe', 'object', 'embed', 'video', 'audio']);
const COMMA = /[,\uff0c\u3001\u060c]/g;

/** Measures of one element's subtree, computed once per page. */
interface BlockStats {
  chars: number;
  linkChars: number;
  commas: number;
  /** Characters not inside a block descendant: the element's own paragraph text. */
  inlineChars: number;
  inlineCommas: number;
  hasBlock: boolean;
  paragraphs: number;
  images: number;
  /** <article> elements inside: two or more are separate stories (teasers, related posts). */
  articles: number;
  listItems: number;
  inputs: number;
  embeds: number;
  headingChars: number;
}

type StatsMap = Map<Element, BlockStats>;

function measure(node: Element, stats: StatsMap, inLink: boolean): BlockStats {
  const own: BlockStats = {
    chars: 0,
    linkChars: 0,
    commas: 0,
    inlineChars: 0,
    inlineCommas: 0,
    hasBlock: false,
    paragraphs: 0,
    images: 0,
    articles: 0,
    listItems: 0,
    inputs: 0,
    embeds: 0,
    headingChars: 0,
  };
  const link = inLink || node.name === 'a';
  for (const child of node.children) {
    if (isTextNode(child)) {
      const text = child.data.trim();
      if (text === '') continue;
      const commas = text.match(COMMA)?.length ?? 0;
      own.chars += text.length;
      own.inlineChars += text.length;
      own.commas += commas;
      own.inlineCommas += commas;
      if (link) own.linkChars += text.length;
      continue;
    }
    if (!isElement(child) || child.type !== 'tag') continue;
    const sub = measure(child, stats, link);
    const tag = child.name;
    const block = BLOCK_TAGS.has(tag);
    own.chars += sub.chars;
    own.linkChars += sub.linkChars;
    own.commas += sub.commas;
    own.paragraphs += sub.paragraphs + (tag === 'p' ? 1 : 0);
    own.images += sub.images + (tag === 'img' ? 1 : 0);
    own.articles += sub.articles + (tag === 'article' ? 1 : 0);
    own.listItems += sub.listItems + (tag === 'li' ? 1 : 0);
    own.inputs += sub.inputs + (tag === 'input' ? 1 : 0);
    own.embeds += sub.embeds + (EMBED_TAGS.has(tag) ? 1 : 0);
    own.headingChars += HEADING_TAGS.has(tag) ? sub.chars : sub.headingChars;
    if (block) {
      own.hasBlock = true;
    } else {
      own.inlineChars += sub.inlineChars;
      own.inlineCommas += sub.inlineCommas;
      own.hasBlock ||= sub.hasBlock;
    }
  }
  stats.set(node, own);
  return own;
}

function linkDensity(stats: BlockStats | undefined): number {
  if (!stats || stats.chars === 0) return 0;
  return stats.linkChars / stats.chars;
}

function nameWeight(element: Element, rules: HtmlRules): number {
  let weight = 0;
  for (const value of [element.attribs.class, element.attribs.id]) {
    if (!value) continue;
    if (rules.unlikelyNames.test(value)) weight -= NAME_HINT_WEIGHT;
    if (rules.contentNames.test(value)) weight += NAME_HINT_WEIGHT;
  }
  return weight;
}

function tagWeight(tag: string): number {
  switch (tag) {
    case 'div':
    case 'article':
    case 'section':
    case 'main':
      return 5;
    case 'pre':
    case 'td':
    case 'blockquote':
      return 3;
    case 'address':
    case 'ol':
    case 'ul':
    case 'dl':
    case 'dd':
    case 'dt':
    case 'li':
    case 'form':
      return -3;
    case 'h1':
    case 'h2':
    case 'h3':
    case 'h4':
    case 'h5':
    case 'h6':
    case 'th':
      return -5;
    default:
      return 0;
  }
}

function paragraphScore(chars: number, commas: number): number {
  return 1 + commas + Math.min(Math.floor(chars / CHARS_PER_LENGTH_POINT), MAX_LENGTH_POINTS);
}

function isStructural(element: Element | null): boolean {
  return !element || element.name === 'body' || element.name === 'html';
}

function parentElement(node: AnyNode): Element | null {
  const parent = node.parent;
  return parent && isElement(parent) ? parent : null;
}

/** What the scorer chose: the blocks to render, in page order, and what it cleaned out. */
export interface MainContent {
  nodes: Element[];
  removed: Removal[];
  /** Share of the chosen blocks' text inside links, before cleaning: near 1 for a link list. */
  linkDensity: number;
}

/**
 * Finds the article's blocks by scoring: every paragraph votes for its ancestors by length
 * and commas; class/id hints and link density adjust the votes; the best block is widened to
 * an ancestor when close competitors share it, then joined by its good siblings. Inside the
 * result, link lists, forms and galleries are cleaned out (reported as removed).
 */
export function findMainContent(
  body: Element,
  rules: HtmlRules,
  title: string,
  edits: PageEdits,
): MainContent {
  const stats: StatsMap = new Map();
  measure(body, stats, false);
  const scores = new Map<Element, number>();
  const vote = (from: Element, points: number): void => {
    let ancestor: Element | null = from;
    for (let level = 0; ancestor && level <= MAX_VOTE_LEVELS; level++) {
      if (isStructural(ancestor) && level > 0) break;
      let current = scores.get(ancestor);
      if (current === undefined) {
        current = tagWeight(ancestor.name) + nameWeight(ancestor, rules);
      }
      const divider = level === 0 ? 1 : level === 1 ? 2 : level * FAR_VOTE_DIVIDER;
      scores.set(ancestor, current + points / divider);
      ancestor = parentElement(ancestor);
    }
  };
  for (const [element, measured] of stats) {
    const tag = element.name;
    const leaf =
      PARAGRAPH_TAGS.has(tag) ||
      HEADING_TAGS.has(tag) ||
      (LEAF_CONTAINERS.has(tag) && !measured.hasBlock);
    if (leaf && !HEADING_TAGS.has(tag)) {
      if (measured.chars < MIN_PARAGRAPH_CHARS) continue;
      const parent = parentElement(element);
      if (parent) vote(parent, paragraphScore(measured.chars, measured.commas));
    } else if (!leaf && LEAF_CONTAINERS.has(tag) && measured.inlineChars >= MIN_PARAGRAPH_CHARS) {
      vote(element, paragraphScore(measured.inlineChars, measured.inlineCommas));
    }
  }

  let top: Element | null = null;
  let topScore = -Infinity;
  const finalScores = new Map<Element, number>();
  for (const [element, score] of scores) {
    const final = score * (1 - linkDensity(stats.get(element)));
    finalScores.set(element, final);
    if (final > topScore && !isStructural(element)) {
      top = element;
      topScore = final;
    }
  }
  if (!top) return { nodes: [body], removed: [], linkDensity: linkDensity(stats.get(body)) };

  top = widenToSharedAncestor(top, topScore, finalScores, stats);
  topScore = finalScores.get(top) ?? topScore;
  let parent = parentElement(top);
  while (parent && !isStructural(parent) && parent.children.filter(isElement).length === 1) {
    top = parent;
    parent = parentElement(top);
  }
  topScore = Math.max(topScore, finalScores.get(top) ?? topScore);

  const nodes = parent && !isStructural(parent) ? [] : [top];
  if (parent && !isStructural(parent)) {
    const threshold = Math.max(MIN_SIBLING_SCORE, topScore * SIBLING_SCORE_RATIO);
    const topClass = top.attribs.class ?? '';
    for (const sibling of parent.children) {
      if (!isElement(sibling) || sibling.type !== 'tag') continue;
      if (sibling === top) {
        nodes.push(sibling);
        continue;
      }
      let score = finalScores.get(sibling) ?? 0;
      if (topClass !== '' && sibling.attribs.class === topClass)
        score += topScore * SIBLING_SCORE_RATIO;
      const measured = stats.get(sibling);
      let join = score >= threshold;
      if (!join && measured && sibling.name === 'p') {
        const density = linkDensity(measured);
        join =
          (measured.chars > SIBLING_PARAGRAPH_CHARS && density < SIBLING_MAX_LINK_DENSITY) ||
          (measured.chars > 0 && density === 0 && /\.( |$)/.test(collapsedText(sibling)));
      }
      if (join) nodes.push(sibling);
    }
  }

  let chars = 0;
  let linkChars = 0;
  for (const node of nodes) {
    chars += stats.get(node)?.chars ?? 0;
    linkChars += stats.get(node)?.linkChars ?? 0;
  }
  const removed: Removal[] = [];
  const context: CleanContext = {
    stats,
    scores: finalScores,
    rules,
    removed,
    title,
    nodes,
    articleWords: null,
    edits,
  };
  for (const node of nodes) cleanInside(node, context);
  return { nodes, removed, linkDensity: chars === 0 ? 0 : linkChars / chars };
}

function widenToSharedAncestor(
  top: Element,
  topScore: number,
  scores: Map<Element, number>,
  stats: StatsMap,
): Element {
  // Never widen across stories: an ancestor holding several <article>s holds other stories.
  const manyStories = (element: Element): boolean => (stats.get(element)?.articles ?? 0) > 1;
  const alternatives: Element[] = [];
  for (const [element, score] of scores) {
    if (element !== top && score >= topScore * ALTERNATIVE_SCORE_RATIO) alternatives.push(element);
  }
  if (alternatives.length >= MIN_ALTERNATIVES) {
    const ancestorSets = alternatives.map((element) => {
      const set = new Set<Element>();
      for (let a = parentElement(element); a; a = parentElement(a)) set.add(a);
      return set;
    });
    for (
      let candidate = parentElement(top);
      candidate && !isStructural(candidate) && !manyStories(candidate);
    ) {
      const sharing = ancestorSets.filter((set) => set.has(candidate as Element)).length;
      if (sharing >= MIN_ALTERNATIVES) return candidate;
      candidate = parentElement(candidate);
    }
  }
  let best = top;
  let lastScore = topScore;
  const threshold = lastScore * MIN_PARENT_SCORE_RATIO;
  for (
    let candidate = parentElement(top);
    candidate && !isStructural(candidate) && !manyStories(candidate);
  ) {
    const score = scores.get(candidate);
    if (score === undefined) {
      candidate = parentElement(candidate);
      continue;
    }
    if (score < threshold) break;
    if (score > lastScore) {
      best = candidate;
      break;
    }
    lastScore = score;
    candidate = parentElement(candidate);
  }
  return best;
}

function shouldDrop(
  element: Element,
  measured: BlockStats,
  score: number,
  rules: HtmlRules,
): boolean {
  const tag = element.name;
  const weight = nameWeight(element, rules);
  const names = `${element.attribs.class ?? ''} ${element.attribs.id ?? ''}`;
  if (names !== ' ' && rules.keepNames.test(names)) return false;
  if (weight + score < 0 && !isProse(element, measured)) return true;
  if (measured.commas >= PROSE_COMMAS) return false;
  const isList = tag === 'ul' || tag === 'ol';
  const density = linkDensity(measured);
  const { paragraphs, images, listItems, inputs, embeds, chars } = measured;
  if (images > 1 && paragraphs / images < MIN_PARAGRAPHS_PER_IMAGE) return true;
  if (!isList && listItems > paragraphs && tag !== 'table') return true;
  if (inputs > Math.floor(paragraphs / PARAGRAPHS_PER_INPUT)) return true;
  if (!isList && chars < MIN_PARAGRAPH_CHARS && (images === 0 || images > 2) && density > 0) {
    return true;
  }
  if (weight < NAME_HINT_WEIGHT && density > MAX_LINK_DENSITY && !isProse(element, measured)) {
    return true;
  }
  if (weight >= NAME_HINT_WEIGHT && density > MAX_LINK_DENSITY_CONTENT) return true;
  if ((embeds === 1 && chars < EMBED_MAX_CHARS) || embeds > 1) return true;
  return false;
}

/** A sentence with a link or two in it, not a list of links. */
function isProse(element: Element, measured: BlockStats): boolean {
  if (measured.chars < PROSE_MIN_CHARS || linkDensity(measured) > MAX_LINK_DENSITY_CONTENT) {
    return false;
  }
  if (measured.paragraphs > 1 || measured.listItems > 0) return false;
  return SENTENCE_END.test(collapsedText(element));
}

interface CleanContext {
  stats: StatsMap;
  scores: Map<Element, number>;
  rules: HtmlRules;
  removed: Removal[];
  title: string;
  nodes: readonly Element[];
  /** The chosen content's words, space-separated, read on the first quote block met. */
  articleWords: string | null;
  edits: PageEdits;
}

function wordsOf(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** A quote block that repeats the article's own words: a pull quote, shown twice to a reader. */
function isPullQuote(element: Element, measured: BlockStats, context: CleanContext): boolean {
  // Quoted posts and tweets carry links; a pull quote repeats words, not links.
  if (measured.chars > MAX_PULL_QUOTE_CHARS || measured.linkChars > 0) return false;
  const words = wordsOf(rawText(element));
  if (words.length < SHINGLE_WORDS) return false;
  context.articleWords ??= ` ${context.nodes.map((node) => wordsOf(rawText(node)).join(' ')).join(' ')} `;
  const article = context.articleWords;
  let repeated = 0;
  const shingles = words.length - SHINGLE_WORDS + 1;
  for (let i = 0; i < shingles; i++) {
    const shingle = ` ${words.slice(i, i + SHINGLE_WORDS).join(' ')} `;
    // Once in the quote itself, once more elsewhere in the article.
    const first = article.indexOf(shingle);
    if (first >= 0 && article.indexOf(shingle, first + 1) >= 0) repeated++;
  }
  return repeated / shingles >= MIN_PULL_QUOTE_REPEAT;
}

/** An image with a short caption in a block of its own ("figure" made of divs or table rows). */
function isCaptionedImage(measured: BlockStats): boolean {
  return (
    measured.images > 0 &&
    measured.hasBlock &&
    measured.paragraphs === 0 &&
    measured.listItems === 0 &&
    measured.headingChars === 0 &&
    measured.chars > 0 &&
    measured.chars <= MAX_CAPTION_CHARS
  );
}

function cleanInside(root: Element, context: CleanContext): void {
  const { stats, scores, rules, removed, title, edits } = context;
  let heading: Element | null = null;
  for (const child of [...root.children]) {
    if (!isElement(child) || child.type !== 'tag') continue;
    const tag = child.name;
    const measured = stats.get(child);
    if (!measured) continue;
    if (measured.chars === 0 && !HEADING_TAGS.has(tag)) continue;
    let rule: string | null = null;
    if (tag === 'h1') rule = 'headline';
    else if (HEADING_TAGS.has(tag)) {
      if (
        nameWeight(child, rules) < 0 ||
        linkDensity(measured) > MAX_HEADING_LINK_DENSITY ||
        (title !== '' && collapsedText(child) === title)
      ) {
        rule = 'heading-link';
      }
    } else if (CONDITIONAL_TAGS.has(tag) && isCaptionedImage(measured)) {
      rule = 'caption';
    } else if (
      CONDITIONAL_TAGS.has(tag) &&
      shouldDrop(child, measured, scores.get(child) ?? 0, rules)
    ) {
      rule = 'link-list';
    } else if (tag === 'p' && linkDensity(measured) > MAX_PARAGRAPH_LINK_DENSITY) {
      rule = 'link-list';
    } else if (tag === 'blockquote' && isPullQuote(child, measured, context)) {
      rule = 'pull-quote';
    }
    if (rule) {
      if (heading && rule === 'link-list') {
        // A heading over a removed list ("More Great Stories") goes with it.
        const report = removal(rule, heading);
        if (report) removed.push(report);
        edits.detach(heading);
      }
      heading = null;
      const report = removal(rule, child);
      if (report) removed.push(report);
      edits.detach(child);
      continue;
    }
    heading = HEADING_TAGS.has(tag) ? child : null;
    cleanInside(child, context);
  }
}
