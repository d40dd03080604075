import type { RecordComment } from '../../record/canonical-record.js';
import type { CleanPage, Removal } from '../clean-page.js';
import { detectLanguage } from '../detect-language.js';
import { dateLine } from '../stated-date.js';
import { blockText, splitLines, toBlocks, type TextBlock, type TextLine } from './text-blocks.js';
import type { CompiledPattern, CompiledSignal, TextRules } from './text-rules.js';

/** A headline has at least this many words; shorter lines before the story are chrome. */
const MIN_TITLE_WORDS = 3;
/** ...and at most this many; longer is a paragraph. */
const MAX_TITLE_WORDS = 30;
/** A block this long is a paragraph of prose even without closing punctuation. */
const MIN_PARAGRAPH_WORDS = 12;
/** Reader handles are short: a longer line is a sentence, not a name. */
const MAX_AUTHOR_WORDS = 5;
const MAX_AUTHOR_CHARS = 40;
/** Author-like lines needed to call the rest of the page a comment thread when no widget says so. */
const MIN_AUTHORS_FOR_THREAD = 2;
/** At most this many paragraphs before a thread are judged by style as author-less comments. */
const MAX_STYLE_COMMENTS_BEFORE_THREAD = 2;
/** A signal counts at most this many times, so one long rant does not outweigh everything. */
const MAX_SIGNAL_COUNT = 2;
/** Two or more blank lines between comments separate anonymous comments. */
const COMMENT_SEPARATOR_BLANKS = 2;

const BULLET = /^[•●◦▪‣]\s*/;
const SENTENCE_END = /[.!?…"”’»)]$/;

/** A repeat of the headline differs from it by no more than quote and spacing changes. */
const TITLE_LENGTH_SLACK = 8;
/** Chrome, captions, banners and keyword lines are short; prose lines are not matched against them. */
const MAX_CHROME_LINE_CHARS = 300;

function words(text: string): number {
  let count = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const space = c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0xa0;
    if (!space && !inWord) count++;
    inWord = !space;
  }
  return count;
}

function firstMatch<T extends CompiledPattern>(rules: T[], text: string): T | undefined {
  // A loop, not find(): this runs for every rule list on every line of every page.
  for (const rule of rules) if (rule.regex.test(text)) return rule;
  return undefined;
}

/** Folds quotes, case and spacing, so "Forcing ‘Opposition’" repeats "Forcing 'Opposition'". */
function foldTitle(text: string): string {
  return text
    .replace(/[‘’‛′`´]/g, "'")
    .replace(/[“”„″]/g, '"')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

function signalScore(signals: CompiledSignal[], text: string, distinct: boolean): number {
  let score = 0;
  for (const s of signals) {
    score += s.weight * countMatches(s.regex, text, distinct ? 1 : MAX_SIGNAL_COUNT);
  }
  return score;
}

/**
 * How many times a global regex matches, counted up to `limit` (the matches past it are not
 * looked for); an empty match steps past its position, as String.prototype.match does.
 */
function countMatches(regex: RegExp, text: string, limit: number): number {
  regex.lastIndex = 0;
  let count = 0;
  while (count < limit) {
    const match = regex.exec(text);
    if (match === null) break;
    count++;
    if (match[0] === '') regex.lastIndex = nextIndex(text, regex.lastIndex, regex.unicode);
  }
  return count;
}

/** The position after the character at `at`: a surrogate pair is one character in u mode. */
function nextIndex(text: string, at: number, unicode: boolean): number {
  if (!unicode || at + 1 >= text.length) return at + 1;
  const code = text.charCodeAt(at);
  const next = text.charCodeAt(at + 1);
  const pair = code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff;
  return at + (pair ? 2 : 1);
}

function isHeadline(text: string): boolean {
  const n = words(text);
  return n >= MIN_TITLE_WORDS && n <= MAX_TITLE_WORDS && !/[.,;:]$/.test(text);
}

function isParagraph(text: string): boolean {
  const n = words(text);
  return n >= MIN_PARAGRAPH_WORDS || (n > 3 && SENTENCE_END.test(text));
}

/** A reader's handle on a line of its own: short, no sentence punctuation ("name ." is a wpDiscuz quirk). */
function isAuthorLine(block: TextBlock): boolean {
  if (block.lines.length !== 1) return false;
  const line = block.lines[0]!.text;
  // Most lines are prose: too long, with neither a bullet nor a spaced final dot to trim first.
  const spacedDot = line.endsWith('.') && /\s/.test(line.charAt(line.length - 2));
  if (line.length > MAX_AUTHOR_CHARS && !spacedDot && !BULLET.test(line)) return false;
  const text = line.replace(BULLET, '').replace(/\s+\.$/, '');
  return (
    text.length >= 2 &&
    text.length <= MAX_AUTHOR_CHARS &&
    words(text) <= MAX_AUTHOR_WORDS &&
    !/[.,;:!?…"“”]/.test(text.replace(/\.$/, '').replace(/\([^)]*\)/g, ''))
  );
}

interface LineVerdict {
  rule: string;
  /** Extracted value: a date, tags or a site name. */
  value?: string;
}

interface PageFacts {
  publishedAt: string | null;
  tags: string[];
  site: string | null;
  /** Line index where the article ends (keywords line, comment chrome). */
  articleEnd: number | null;
}

/** First pass: the rules that judge a line on its own. */
function judgeLines(
  lines: TextLine[],
  rules: TextRules,
): { verdicts: Map<number, LineVerdict>; facts: PageFacts } {
  const verdicts = new Map<number, LineVerdict>();
  const facts: PageFacts = {
    publishedAt: null,
    tags: [],
    site: null,
    articleEnd: null,
  };
  let tickerOpen = false;
  let seenProse = false;
  for (const line of lines) {
    const { text, index } = line;
    if (text === '') continue;
    if (tickerOpen) {
      tickerOpen = false;
      verdicts.set(index, { rule: 'news-ticker' });
      continue;
    }
    const short = text.length <= MAX_CHROME_LINE_CHARS;
    const ticker = short ? firstMatch(rules.tickerStarts, text) : undefined;
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
    const drop = short
      ? (firstMatch(rules.dropLines, text) ?? firstMatch(rules.captions, text))
      : undefined;
    if (drop) {
      verdicts.set(index, { rule: drop.id });
      continue;
    }
    const chrome = short ? firstMatch(rules.commentChrome, text) : undefined;
    if (chrome) {
      verdicts.set(index, { rule: chrome.id });
      if (seenProse) facts.articleEnd ??= index;
      continue;
    }
    const keywords = short ? firstMatch(rules.keywordLines, text) : undefined;
    if (keywords) {
      const list = keywords.regex.exec(text)?.groups?.tags?.trim() ?? '';
      const separator = /[,;|]/.test(list) ? /\s*[,;|]\s*/ : /\s{2,}/.test(list) ? /\s{2,}/ : /\s+/;
      facts.tags.push(...list.split(separator).filter(Boolean));
      verdicts.set(index, { rule: keywords.id });
      facts.articleEnd ??= index;
      continue;
    }
    if (!seenProse && facts.publishedAt === null) {
      const date = dateLine(text);
      if (date) {
        facts.publishedAt = date.iso;
        verdicts.set(index, { rule: 'date-line', value: date.iso });
        continue;
      }
    }
    if (!seenProse && isParagraph(text) && !isHeadline(text)) seenProse = true;
  }
  return { verdicts, facts };
}

interface Thread {
  comments: RecordComment[];
  blocks: TextBlock[];
}

function spamFlag(text: string, rules: TextRules): boolean {
  return signalScore(rules.spam.signals, text, true) >= rules.spam.threshold;
}

/** Bullet threads: "• name" lines whose indentation gives the depth, text indented below. */
function parseBulletThread(blocks: TextBlock[], rules: TextRules): RecordComment[] {
  const indents = [
    ...new Set(
      blocks.flatMap((b) => b.lines.filter((l) => BULLET.test(l.text)).map((l) => l.indent)),
    ),
  ].sort((a, b) => a - b);
  const comments: Array<{ author: string | null; parts: string[]; depth: number }> = [];
  for (const block of blocks) {
    for (const line of block.lines) {
      if (BULLET.test(line.text)) {
        comments.push({
          author: line.text.replace(BULLET, '').trim(),
          parts: [],
          depth: indents.indexOf(line.indent),
        });
        continue;
      }
      const current =
        comments.at(-1) ?? (comments.push({ author: null, parts: [], depth: 0 }), comments.at(-1)!);
      const last = current.parts.at(-1);
      if (last !== undefined && line !== block.lines[0])
        current.parts[current.parts.length - 1] = `${last}\n${line.text}`;
      else current.parts.push(line.text);
    }
  }
  return comments
    .filter((c) => c.parts.length > 0)
    .map((c) => {
      const text = c.parts.join('\n\n');
      return { author: c.author, text, depth: Math.max(0, c.depth), spam: spamFlag(text, rules) };
    });
}

/** Flat threads: an author line, then the text; anonymous comments apart by two blank lines. */
function parseFlatThread(blocks: TextBlock[], rules: TextRules): RecordComment[] {
  const comments: Array<{ author: string | null; parts: string[] }> = [];
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i]!;
    const next = blocks[i + 1];
    if (isAuthorLine(block) && block.blankAfter === 1 && next && !isAuthorLine(next)) {
      comments.push({ author: block.lines[0]!.text.replace(/\s+\.$/, ''), parts: [] });
      continue;
    }
    const current = comments.at(-1);
    const opensComment =
      !current || (current.parts.length > 0 && block.blankBefore >= COMMENT_SEPARATOR_BLANKS);
    const text = blockText(block, '\n');
    if (opensComment) comments.push({ author: null, parts: [text] });
    else current.parts.push(text);
  }
  return comments
    .filter((c) => c.parts.length > 0)
    .map((c) => {
      const text = c.parts.join('\n\n');
      return { author: c.author, text, depth: 0, spam: spamFlag(text, rules) };
    });
}

/**
 * Where the reader comments start when no widget announces them: the first author line
 * (or bulleted name) after the story that more author lines follow.
 */
function findThreadStart(blocks: TextBlock[], from: number): number {
  for (let i = from; i < blocks.length; i++) {
    const block = blocks[i]!;
    if (BULLET.test(block.lines[0]!.text) && isAuthorLine(block)) return i;
    if (isAuthorLine(block) && block.blankAfter === 1) {
      const authors = blocks.slice(i).filter((b) => isAuthorLine(b) && b.blankAfter === 1).length;
      if (authors >= MIN_AUTHORS_FOR_THREAD) return i;
    }
  }
  return blocks.length;
}

/**
 * Cleans a plain-text dump of a news page: drops boilerplate by the rules, finds the title,
 * the stated publication date and the tags, and splits reader comments from the article.
 */
export function cleanText(text: string, rules: TextRules): CleanPage {
  const lines = splitLines(text);
  const { verdicts, facts } = judgeLines(lines, rules);
  // Removals are kept with their line number, so --explain lists them in page order.
  const removals: Array<Removal & { at: number }> = [];
  for (const line of lines) {
    const verdict = verdicts.get(line.index);
    if (verdict) removals.push({ rule: verdict.rule, text: line.text, at: line.index });
  }
  const drop = (rule: string, block: TextBlock, joiner: ' ' | '\n' = ' ') =>
    removals.push({ rule, text: blockText(block, joiner), at: block.lines[0]!.index });

  const blocks = toBlocks(lines, (l) => !verdicts.has(l.index));
  const articleEnd = facts.articleEnd ?? Infinity;

  // The title: the first headline-shaped block; what stands before it is masthead chrome.
  let title = '';
  let i = 0;
  for (; i < blocks.length; i++) {
    const block = blocks[i]!;
    if (block.lines[0]!.index >= articleEnd) break;
    const candidate = blockText(block);
    if (isHeadline(candidate)) {
      title = candidate;
      i++;
      break;
    }
    // Prose before any headline: the page has no title line, and the story starts here.
    if (isParagraph(candidate)) break;
    drop('masthead', block);
  }
  const titleKey = foldTitle(title);

  // The article: paragraphs up to the comments; headline repeats and chrome lines before the lead go.
  const body: TextBlock[] = [];
  const after: TextBlock[] = [];
  for (; i < blocks.length; i++) {
    const block = blocks[i]!;
    const text = blockText(block);
    if (block.lines[0]!.index >= articleEnd) {
      after.push(block);
    } else if (
      title &&
      Math.abs(text.length - title.length) <= TITLE_LENGTH_SLACK &&
      foldTitle(text) === titleKey
    ) {
      drop('repeated-title', block);
    } else if (body.length === 0 && !isParagraph(text)) {
      drop('lead-chrome', block);
    } else {
      body.push(block);
    }
  }

  // Comments: those the widget announced, or a thread found by its author lines.
  const threadStart = findThreadStart(body, 1);
  const foundByAuthors = threadStart < body.length;
  const thread: Thread = { comments: [], blocks: [...body.splice(threadStart), ...after] };
  if (foundByAuthors) {
    for (let moved = 0; moved < MAX_STYLE_COMMENTS_BEFORE_THREAD && body.length > 1; moved++) {
      const last = body.at(-1)!;
      if (
        signalScore(rules.commentStyle.signals, blockText(last), false) <
        rules.commentStyle.threshold
      )
        break;
      thread.blocks.unshift(body.pop()!);
    }
  }
  const bulleted = thread.blocks.some((b) => b.lines.some((l) => BULLET.test(l.text)));
  thread.comments = bulleted
    ? parseBulletThread(thread.blocks, rules)
    : parseFlatThread(thread.blocks, rules);
  for (const block of thread.blocks) drop('reader-comment', block, '\n');

  const bodyText = body.map((b) => blockText(b)).join('\n\n');
  return {
    title,
    body: bodyText,
    publishedAt: facts.publishedAt,
    authors: [],
    tags: facts.tags,
    lang: detectLanguage(`${title}\n${bodyText}`),
    site: facts.site,
    canonicalUrl: null,
    comments: thread.comments,
    removed: removals.sort((a, b) => a.at - b.at).map(({ rule, text }) => ({ rule, text })),
  };
}
