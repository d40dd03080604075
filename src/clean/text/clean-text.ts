import type { CleanPage, Removal } from '../clean-page.js';
import { detectLanguage } from '../detect-language.js';
import {
  findThreadStart,
  MAX_STYLE_COMMENTS_BEFORE_THREAD,
  parseThread,
  signalScore,
} from './text-comments.js';
import { dateLine, isUpdateLine } from '../stated-date.js';
import {
  blockText,
  shapeBreak,
  splitLines,
  toBlocks,
  type TextBlock,
  type TextLine,
} from './text-blocks.js';
import { mainRun } from './block-features.js';
import { scoreBlocks } from './text-model.js';
import type { TextRules } from './text-rules.js';
import { firstMatch, foldTitle, isParagraph, words } from './text-shape.js';
import { isTitleBlock, readHeader } from './text-header.js';

/** A repeat of the headline differs from it by no more than quote and spacing changes. */
const TITLE_LENGTH_SLACK = 8;
/** Chrome, captions, banners and keyword lines are short; prose lines are not matched against them. */
const MAX_CHROME_LINE_CHARS = 300;

interface LineVerdict {
  rule: string;
}

interface PageFacts {
  tags: string[];
  site: string | null;
  /** Lines of comment-widget chrome: where the comments may start, once the article has. */
  commentMarks: number[];
  /** Keyword lines: the article ends at the first one after it has started. */
  keywordMarks: number[];
  /** Labels of related-article lists ("Read more:", "More news"): the article ends there too. */
  endMarks: number[];
}

/** First pass: the rules that judge a line on its own. */
function judgeLines(
  lines: TextLine[],
  rules: TextRules,
): { verdicts: Map<number, LineVerdict>; facts: PageFacts } {
  const verdicts = new Map<number, LineVerdict>();
  const facts: PageFacts = {
    tags: [],
    site: null,
    commentMarks: [],
    keywordMarks: [],
    endMarks: [],
  };
  let tickerOpen = false;
  for (const line of lines) {
    const { text, index } = line;
    if (text === '') continue;
    if (tickerOpen) {
      tickerOpen = false;
      verdicts.set(index, { rule: 'news-ticker' });
      continue;
    }
    const short = text.length <= MAX_CHROME_LINE_CHARS;
    if (!short) continue;
    const ticker = firstMatch(rules.tickerStarts, text);
    if (ticker) {
      verdicts.set(index, { rule: ticker.id });
      tickerOpen = true;
      continue;
    }
    const site = firstMatch(rules.siteLines, text);
    if (site) {
      facts.site ??= site.regex.exec(text)?.groups?.site?.trim() ?? null;
      if (!site.keep) {
        verdicts.set(index, { rule: site.id });
        continue;
      }
    }
    const end = firstMatch(rules.articleEnds, text);
    if (end) {
      verdicts.set(index, { rule: end.id });
      facts.endMarks.push(index);
      continue;
    }
    const drop = firstMatch(rules.dropLines, text) ?? firstMatch(rules.captions, text);
    if (drop) {
      verdicts.set(index, { rule: drop.id });
      continue;
    }
    const chrome = firstMatch(rules.commentChrome, text);
    if (chrome) {
      verdicts.set(index, { rule: chrome.id });
      facts.commentMarks.push(index);
      continue;
    }
    const keywords = firstMatch(rules.keywordLines, text);
    if (keywords) {
      const list = keywords.regex.exec(text)?.groups?.tags?.trim() ?? '';
      const separator = /[,;|]/.test(list) ? /\s*[,;|]\s*/ : /\s{2,}/.test(list) ? /\s{2,}/ : /\s+/;
      facts.tags.push(...list.split(separator).filter(Boolean));
      verdicts.set(index, { rule: keywords.id });
      facts.keywordMarks.push(index);
    }
  }
  return { verdicts, facts };
}

/** A page cut into lines and blocks, with the lines the rules took out. */
export interface TextSegments {
  lines: TextLine[];
  verdicts: Map<number, LineVerdict>;
  facts: PageFacts;
  /** Blocks of the lines the rules left, for the classifier. */
  blocks: TextBlock[];
}

export function segmentText(text: string, rules: TextRules): TextSegments {
  const lines = splitLines(text);
  const { verdicts, facts } = judgeLines(lines, rules);
  const blocks = toBlocks(lines, (l) => !verdicts.has(l.index), shapeBreak);
  return { lines, verdicts, facts, blocks };
}

function firstAfter(marks: number[], line: number): number {
  for (const m of marks) if (m > line) return m;
  return Infinity;
}

function score(p: number): string {
  return p.toFixed(2);
}

/** A block this short, alone at the top of the article, is a caption or a label, not its lead. */
const MIN_LEAD_WORDS = 8;
/** Headline, dateline, byline, caption: a header is not longer than this many blocks. */
const MAX_HEADER_BLOCKS = 3;
/** A block repeated inside a longer one (a pull quote) is at most this long. */
const MAX_PULL_QUOTE_CHARS = 400;

/** What the classifier may take for the lead: the headline, date lines, bylines, a lone short line. */
function isHeaderBlock(block: TextBlock, rules: TextRules): boolean {
  if (block.lines.length === 1 && words(block.lines[0]!.text) < MIN_LEAD_WORDS) return true;
  if (isTitleBlock(block, rules.bylines)) return true;
  return block.lines.some(
    (l) => dateLine(l.text) !== null || isUpdateLine(l.text) || firstMatch(rules.bylines, l.text),
  );
}

/** An end label followed within this many blocks by prose this sure does not end the story. */
const STORY_GOES_ON_BLOCKS = 8;
const SURE_PROSE = 0.8;
/** A paragraph right after the story is kept at this share of the threshold. */
const TAIL_SHARE = 0.5;
/** A doubtful block inside the story is kept at this share of the threshold... */
const GAP_SHARE = 0.2;
/** ...when it stands in a run of at most this many doubtful blocks. */
const MAX_GAP_BLOCKS = 8;

/**
 * Context smoothing, as jusText does: a short run of doubtful blocks between two article
 * blocks is the article's too (a subhead, a one-line paragraph, a quote), unless the block's
 * own features call it boilerplate outright.
 */
function fillGaps(
  kept: boolean[],
  local: number[],
  first: number,
  last: number,
  threshold: number,
): void {
  let i = first + 1;
  while (i < last) {
    if (kept[i]) {
      i++;
      continue;
    }
    let end = i;
    while (end < last && !kept[end]) end++;
    if (end - i <= MAX_GAP_BLOCKS)
      for (let k = i; k < end; k++) if (local[k]! >= GAP_SHARE * threshold) kept[k] = true;
    i = end;
  }
}

/** Blocks shorter than this say too little about their style. */
const MIN_STYLE_WORDS = 5;
/** Reader comments average at least this much of a reader's style (first person, "!", "don't")... */
const MIN_THREAD_STYLE = 0.5;
/** ...and this much more than the article above them, whose reporting style is the reverse. */
const THREAD_STYLE_MARGIN = 1;

function meanStyle(blocks: TextBlock[], rules: TextRules): number {
  let sum = 0;
  let n = 0;
  for (const b of blocks) {
    const text = blockText(b);
    if (words(text) < MIN_STYLE_WORDS) continue;
    sum += signalScore(rules.commentStyle.signals, text, false);
    n++;
  }
  return n ? sum / n : 0;
}

/**
 * Author lines alone do not make a thread: subheadings and captions look the same. What
 * follows them must read as readers write, and unlike the article above.
 */
function readsAsThread(article: TextBlock[], thread: TextBlock[], rules: TextRules): boolean {
  const style = meanStyle(thread, rules);
  return style >= MIN_THREAD_STYLE && style - meanStyle(article, rules) >= THREAD_STYLE_MARGIN;
}

/** A short block whose word pairs mostly stand elsewhere in the body repeats it (a pull quote). */
const PULL_QUOTE_SHARE = 0.6;

/** A pull quote is set in quotation marks from its first character to its last. */
const QUOTED = /^["“«‘'].*["”»’']$/;

function wordPairs(text: string): string[] {
  const w = text.match(/[\p{L}\p{N}]+/gu) ?? [];
  const out: string[] = [];
  for (let i = 1; i < w.length; i++) out.push(`${w[i - 1]} ${w[i]}`);
  return out;
}

/** In how many blocks each word pair stands. */
function pairCounts(texts: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const t of texts)
    for (const pair of new Set(wordPairs(t))) counts.set(pair, (counts.get(pair) ?? 0) + 1);
  return counts;
}

/** The share of a block's word pairs that another block of the body holds too. */
function repeatedShare(text: string, counts: Map<string, number>): number {
  const own = [...new Set(wordPairs(text))];
  if (own.length === 0) return 0;
  return own.filter((x) => (counts.get(x) ?? 0) > 1).length / own.length;
}

function foldQuote(text: string): string {
  return foldTitle(text).replace(/["'«»]/g, '');
}

/**
 * Cleans a plain-text dump of a news page: drops boilerplate lines by the rules, keeps the
 * blocks the article classifier finds to be the story, reads the title, byline and stated
 * date around its start, and splits reader comments from what follows it.
 */
export function cleanText(text: string, rules: TextRules): CleanPage {
  const { lines, verdicts, facts, blocks } = segmentText(text, rules);
  // Removals are kept with their line number, so --explain lists them in page order.
  const removals: Array<Removal & { at: number }> = [];
  for (const line of lines) {
    const verdict = verdicts.get(line.index);
    if (verdict) removals.push({ rule: verdict.rule, text: line.text, at: line.index });
  }
  const drop = (rule: string, block: TextBlock, joiner: ' ' | '\n' = ' ') =>
    removals.push({ rule, text: blockText(block, joiner), at: block.lines[0]!.index });
  // Date lines and bylines above the story are named as such; the rest of their block
  // goes by the classifier's verdict.
  const dropHeader = (block: TextBlock, reason: string) => {
    const rest: TextLine[] = [];
    for (const line of block.lines) {
      const rule =
        dateLine(line.text) !== null || isUpdateLine(line.text)
          ? 'date-line'
          : firstMatch(rules.bylines, line.text)
            ? 'byline'
            : null;
      if (rule) removals.push({ rule, text: line.text, at: line.index });
      else rest.push(line);
    }
    if (rest.length > 0) drop(reason, { ...block, lines: rest });
  };

  const { probability, local, stats } = scoreBlocks(blocks, rules.model);
  const threshold = rules.model.threshold;
  const kept = probability.map((p) => p >= threshold);
  let first = kept.indexOf(true);
  if (first < 0 && blocks.length > 0) {
    // Nothing reads as an article: the likeliest block is better than an empty record.
    first = probability.indexOf(Math.max(...probability));
    kept[first] = true;
  }
  // Date lines, bylines and captions that open the article belong to its header.
  for (
    let next = kept.indexOf(true, first + 1), stripped = 0;
    next > 0 && stripped < MAX_HEADER_BLOCKS;
    next = kept.indexOf(true, first + 1), stripped++
  ) {
    if (!isHeaderBlock(blocks[first]!, rules)) break;
    kept[first] = false;
    first = next;
  }
  // Marks that end the article count only inside or after its main run of prose, never
  // before it: a "Related" box or a comment button above the story does not end it.
  const run = mainRun(probability, stats, threshold);
  const runStart = Math.max(first, run.from);
  const articleStart = first >= 0 ? (blocks[runStart] ?? blocks[first]!).lines[0]!.index : Infinity;
  const commentsAt = firstAfter(facts.commentMarks, articleStart);
  // A keyword line or a related-list label ends the article only once most of the kept text
  // lies before it: such a label inside the story (a box between paragraphs) does not.
  const keptUnits = (fromLine: number, toLine: number) => {
    let n = 0;
    blocks.forEach((b, i) => {
      const at = b.lines[0]!.index;
      if (kept[i] && at >= fromLine && at < toLine) n += stats[i]!.units;
    });
    return n;
  };
  // Sure prose right after the label: the label heads a box set inside the story.
  const storyGoesOn = (mark: number) => {
    const next = blocks.findIndex((b) => b.lines[0]!.index > mark);
    if (next < 0) return false;
    for (let i = next; i < Math.min(blocks.length, next + STORY_GOES_ON_BLOCKS); i++) {
      if (blocks[i]!.lines[0]!.index >= commentsAt) break;
      if (probability[i]! >= SURE_PROSE && isParagraph(blockText(blocks[i]!))) return true;
    }
    return false;
  };
  let articleEnd = commentsAt;
  for (const mark of [...facts.keywordMarks, ...facts.endMarks].sort((a, b) => a - b)) {
    if (mark <= articleStart || mark >= articleEnd) continue;
    if (keptUnits(0, mark) >= keptUnits(mark, commentsAt) && !storyGoesOn(mark)) {
      articleEnd = mark;
      break;
    }
  }
  let last = first;
  for (let i = first + 1; i < blocks.length && blocks[i]!.lines[0]!.index < articleEnd; i++)
    if (kept[i]) last = i;
  // The story's last paragraphs stand where footers usually start, which costs them
  // probability: a paragraph right after the story that either pass more than half backs is kept.
  while (
    last + 1 < blocks.length &&
    blocks[last + 1]!.lines[0]!.index < articleEnd &&
    Math.max(local[last + 1]!, probability[last + 1]!) >= TAIL_SHARE * threshold &&
    isParagraph(blockText(blocks[last + 1]!))
  ) {
    last++;
    kept[last] = true;
  }
  fillGaps(kept, local, first, last, threshold);

  const header = readHeader({
    lines,
    blocks,
    first: Math.max(0, first),
    last: Math.max(0, last),
    bylines: rules.bylines,
  });
  const titleKey = foldTitle(header.title);

  // Comments: those the widget announced, or a thread found by its author lines.
  // A handle is judged on its own: the prose around it lends it the article's probability.
  const isArticle = new Set(blocks.filter((_, i) => local[i]! >= threshold));
  let threadAt = blocks.findIndex((b) => b.lines[0]!.index >= articleEnd);
  if (threadAt < 0) threadAt = blocks.length;
  const byAuthors = findThreadStart(blocks.slice(0, threadAt), first + 1, rules, (b) =>
    isArticle.has(b),
  );
  const foundByAuthors =
    byAuthors < threadAt &&
    readsAsThread(
      blocks.slice(first, byAuthors).filter((b) => isArticle.has(b)),
      blocks.slice(byAuthors),
      rules,
    );
  if (foundByAuthors) threadAt = byAuthors;

  const body: TextBlock[] = [];
  const texts: string[] = [];
  for (let i = 0; i < threadAt; i++) {
    const block = blocks[i]!;
    const p = probability[i]!;
    const text = blockText(block);
    if (header.used.has(i)) drop('title', block);
    else if (
      header.title &&
      Math.abs(text.length - header.title.length) <= TITLE_LENGTH_SLACK &&
      foldTitle(text) === titleKey
    )
      drop('repeated-title', block);
    else if (i < first || i > last || !kept[i]) {
      const reason = `${i < first ? 'masthead' : 'boilerplate'} (classifier ${score(p)})`;
      if (i < first) dropHeader(block, reason);
      else drop(reason, block);
    } else {
      body.push(block);
      texts.push(text);
    }
  }
  // A block said twice, or a pull quote that repeats words of the story, is said once.
  const quoted = texts.map((t) => t.length <= MAX_PULL_QUOTE_CHARS && QUOTED.test(t));
  const pairs = quoted.includes(true) ? pairCounts(texts.map(foldQuote)) : null;
  const firstAt = new Map<string, number>();
  texts.forEach((t, k) => {
    if (!firstAt.has(t)) firstAt.set(t, k);
  });
  for (let k = body.length - 1; k >= 0; k--) {
    const repeat =
      firstAt.get(texts[k]!)! < k ||
      (pairs !== null &&
        quoted[k]! &&
        repeatedShare(foldQuote(texts[k]!), pairs) >= PULL_QUOTE_SHARE);
    if (repeat) {
      drop('repeated-text', body[k]!);
      body.splice(k, 1);
    }
  }

  const threadBlocks = blocks.slice(threadAt);
  if (foundByAuthors) {
    for (let moved = 0; moved < MAX_STYLE_COMMENTS_BEFORE_THREAD && body.length > 1; moved++) {
      const tail = body.at(-1)!;
      if (
        signalScore(rules.commentStyle.signals, blockText(tail), false) <
        rules.commentStyle.threshold
      )
        break;
      threadBlocks.unshift(body.pop()!);
    }
  }
  const comments = parseThread(threadBlocks, rules);
  for (const block of threadBlocks) drop('reader-comment', block, '\n');

  const bodyText = body.map((b) => blockText(b)).join('\n\n');
  return {
    title: header.title,
    body: bodyText,
    publishedAt: header.publishedAt,
    authors: header.authors,
    tags: facts.tags,
    lang: detectLanguage(`${header.title}\n${bodyText}`),
    site: facts.site,
    canonicalUrl: null,
    comments,
    removed: removals.sort((a, b) => a.at - b.at).map(({ rule, text }) => ({ rule, text })),
  };
}
