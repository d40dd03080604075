import type { RecordComment } from '../../record/canonical-record.js';
import { blockText, type TextBlock } from './text-blocks.js';
import type { CompiledSignal, TextRules } from './text-rules.js';
import { dateLine } from '../stated-date.js';
import { BULLET, firstMatch, words } from './text-shape.js';

/** Reader handles are short: a longer line is a sentence, not a name. */
const MAX_AUTHOR_WORDS = 5;
const MAX_AUTHOR_CHARS = 40;
/** Author-like lines needed to call the rest of the page a comment thread when no widget says so. */
const MIN_AUTHORS_FOR_THREAD = 2;
/** At most this many paragraphs before a thread are judged by style as author-less comments. */
/** A reader's words after a handle: one mark of a reader's style (first person, "!") is enough. */
const MIN_HANDLE_STYLE = 1;
export const MAX_STYLE_COMMENTS_BEFORE_THREAD = 2;
/** A signal counts at most this many times, so one long rant does not outweigh everything. */
const MAX_SIGNAL_COUNT = 2;
/** Two or more blank lines between comments separate anonymous comments. */
const COMMENT_SEPARATOR_BLANKS = 2;

export function signalScore(signals: CompiledSignal[], text: string, distinct: boolean): number {
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

/** A reader's handle on a line of its own: short, no sentence punctuation ("name ." is a wpDiscuz quirk). */
export function isAuthorLine(block: TextBlock): boolean {
  if (block.lines.length !== 1) return false;
  const line = block.lines[0]!.text;
  // Most lines are prose: too long, with neither a bullet nor a spaced final dot to trim first.
  const spacedDot = line.endsWith('.') && /\s/.test(line.charAt(line.length - 2));
  if (line.length > MAX_AUTHOR_CHARS && !spacedDot && !BULLET.test(line)) return false;
  const text = line.replace(BULLET, '').replace(/\s+\.$/, '');
  // "[Site name]" is a rendered image or link, not a reader.
  if (text.startsWith('[')) return false;
  return (
    text.length >= 2 &&
    text.length <= MAX_AUTHOR_CHARS &&
    words(text) <= MAX_AUTHOR_WORDS &&
    !/[.,;:!?…"“”]/.test(text.replace(/\.$/, '').replace(/\([^)]*\)/g, ''))
  );
}

export function spamFlag(text: string, rules: TextRules): boolean {
  return signalScore(rules.spam.signals, text, true) >= rules.spam.threshold;
}

/** Bullet threads: "• name" lines whose indentation gives the depth, text indented below. */
export function parseBulletThread(blocks: TextBlock[], rules: TextRules): RecordComment[] {
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
export function parseFlatThread(blocks: TextBlock[], rules: TextRules): RecordComment[] {
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
 * Where the reader comments start when no widget announces them: the first author line after
 * the story that more author lines follow, each over a comment of its own, or a bulleted name
 * with its comment indented below it; a handle counts when a reader's words follow it
 * (rules.commentStyle). `isArticle` says which blocks the classifier kept: a
 * reader's handle is never one of them.
 */
export function findThreadStart(
  blocks: TextBlock[],
  from: number,
  rules: Pick<TextRules, 'commentStyle'>,
  isArticle: (block: TextBlock) => boolean = () => false,
): number {
  const handle = blocks.map((b, i) => {
    const next = blocks[i + 1];
    return (
      i >= from &&
      next !== undefined &&
      b.blankAfter === 1 &&
      isAuthorLine(b) &&
      !isArticle(b) &&
      !isAuthorLine(next) &&
      signalScore(rules.commentStyle.signals, blockText(next), false) >= MIN_HANDLE_STYLE
    );
  });
  const after = new Array<number>(blocks.length + 1).fill(0);
  for (let i = blocks.length - 1; i >= 0; i--) after[i] = after[i + 1]! + (handle[i] ? 1 : 0);
  for (let i = from; i < blocks.length; i++) {
    const block = blocks[i]!;
    const next = blocks[i + 1];
    const first = block.lines[0]!;
    if (
      BULLET.test(first.text) &&
      isAuthorLine(block) &&
      next !== undefined &&
      next.lines[0]!.indent > first.indent &&
      !BULLET.test(next.lines[0]!.text)
    )
      return i;
    if (handle[i] && after[i]! >= MIN_AUTHORS_FOR_THREAD) return i;
  }
  return blocks.length;
}

/** A line of a comment's own header: its date or its age ("3 years ago", "3y"). */
const COMMENT_AGE =
  /^(?:\d+\s*(?:[smhdwy]|min|mins|minutes?|hours?|days?|weeks?|months?|years?)(?:\s+ago)?|an? (?:minute|hour|day|week|month|year) ago|just now|yesterday)$/i;
/** Threads whose widget closes each comment with action lines ("Reply", "Like · Reply") have at least this many. */
const MIN_STRUCTURED_ACTIONS = 2;

function isCommentDate(text: string): boolean {
  return COMMENT_AGE.test(text) || dateLine(text) !== null;
}

/**
 * Threads whose widget prints each comment as a header (name, date or age), the text, and
 * action lines that close it (Disqus, Blogger, WordPress, Facebook). A comment runs to its
 * action lines or the end of its block; nested replies are indented.
 */
function parseStructuredThread(blocks: TextBlock[], rules: TextRules): RecordComment[] | null {
  const isAction = (t: string) => firstMatch(rules.commentActions, t) !== undefined;
  const lines = blocks.flatMap((b, k) => b.lines.map((line) => ({ line, block: k })));
  if (lines.filter((l) => isAction(l.line.text)).length < MIN_STRUCTURED_ACTIONS) return null;
  const base = Math.min(...lines.map((l) => l.line.indent));
  const indents = [...new Set(lines.map((l) => l.line.indent))].sort((a, b) => a - b);
  const comments: RecordComment[] = [];
  let group: typeof lines = [];
  const close = (closed: boolean) => {
    // Text that no action line closes is widget chrome before or after the thread.
    if (closed && group.length > 0) {
      let author: string | null = null;
      const text: string[] = [];
      for (const { line } of group) {
        const head = firstMatch(rules.commentHeads, line.text);
        if (head) {
          author ??= head.regex.exec(line.text)?.groups?.author?.trim() ?? null;
        } else if (isCommentDate(line.text)) {
          continue;
        } else if (author === null && text.length === 0 && isHandle(line.text)) {
          author = line.text;
        } else text.push(line.text);
      }
      if (text.length > 0) {
        const body = text.join('\n');
        const indent = group[0]!.line.indent;
        comments.push({
          author,
          text: body,
          depth: indent > base ? Math.max(1, indents.indexOf(indent)) : 0,
          spam: spamFlag(body, rules),
        });
      }
    }
    group = [];
  };
  for (let k = 0; k < lines.length; k++) {
    const entry = lines[k]!;
    const previous = lines[k - 1];
    if (isAction(entry.line.text)) {
      if (group.length > 0) close(true);
      continue;
    }
    const newBlock = previous !== undefined && previous.block !== entry.block;
    const reply = previous !== undefined && entry.line.indent !== previous.line.indent;
    const header = firstMatch(rules.commentHeads, entry.line.text) !== undefined;
    if (group.length > 0 && (newBlock || (reply && header))) close(false);
    group.push(entry);
  }
  close(false);
  return comments;
}

/** A reader's name on a line of its own: short, without sentence punctuation. */
function isHandle(text: string): boolean {
  return (
    text.length <= MAX_AUTHOR_CHARS &&
    words(text) <= MAX_AUTHOR_WORDS &&
    !/[,;:!?…"“”]|[^.\s]\.\s+\S/.test(text) &&
    !text.startsWith('[')
  );
}

/** Reader comments from the blocks of a thread: structured by action lines, bulleted or flat. */
export function parseThread(blocks: TextBlock[], rules: TextRules): RecordComment[] {
  const structured = parseStructuredThread(blocks, rules);
  if (structured) return structured;
  const bulleted = blocks.some((b) => b.lines.some((l) => BULLET.test(l.text)));
  return bulleted ? parseBulletThread(blocks, rules) : parseFlatThread(blocks, rules);
}
