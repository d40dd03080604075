import type { AnyNode, Element } from 'domhandler';
import type { RecordComment } from '../../record/canonical-record.js';
import { findStatedDate } from '../stated-date.js';
import { isElement, namesOf } from './dom-nodes.js';
import { countLinks, REPLY_WRAPPER_NAMES, spamRule } from './comment-signs.js';
import type { HtmlRules } from './html-rules.js';
import { renderBlocks } from './render-blocks.js';

/** Item tags a thread repeats: list items, table rows, blocks. */
const ITEM_TAGS: ReadonlySet<string> = new Set(['li', 'tr', 'div', 'article', 'section', 'dd']);
/** Tags that hold a run of items, looked through to find it. */
const RUN_HOLDERS: ReadonlySet<string> = new Set(
  'div section article main ul ol dl table tbody'.split(' '),
);
/** The run of comments is looked for this many levels below the comment section. */
const MAX_RUN_DEPTH = 5;
/** A commenter's name is short: longer lines are text. */
const MAX_AUTHOR_CHARS = 60;
const MAX_AUTHOR_WORDS = 6;
/** A comment's text has a line of at least this many characters and words. */
const MIN_TEXT_CHARS = 20;
const MIN_TEXT_WORDS = 4;
/** A line this short holding a date or a time is the comment's date line. */
const MAX_DATE_LINE_CHARS = 60;

/** Dates and times as comment widgets print them: "03/05/2017 13:02", "2 hours ago". */
const DATE_LIKE =
  /\b\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}\b|\b\d{1,2}:\d{2}\b|\b(ago|yesterday|today|just now)\b/i;
/** Widget chrome in a comment: actions, counters, labels. */
const CHROME_LINE =
  /^(?:[•·|›»\s]*(?:reply|replies|report|share|permalink|link|like|likes|dislike|quote|flag|edit|delete|upvote|downvote|vote|votes|recommend|hide|show|more|\d+|says:?|said\.*|wrote:?)[•·|›»\s]*)+$/i;
/** "Ayman says:", "Hadi wrote:": the verb is chrome, the name the author. */
const AUTHOR_VERB = /\s*(?:says|said|wrote|writes)\s*[:.…]*\s*$/i;

interface Shape {
  author: string | null;
  text: string;
  links: number;
}

function isDateLine(line: string): boolean {
  return (
    line.length <= MAX_DATE_LINE_CHARS && (DATE_LIKE.test(line) || findStatedDate(line) !== null)
  );
}

function isTextLine(line: string): boolean {
  return line.length >= MIN_TEXT_CHARS && line.split(' ').length >= MIN_TEXT_WORDS;
}

/**
 * Reads one block as a comment when it has the shape of one: an author line (a short line
 * before the text), a date line or both, and a text line of a few words. Null otherwise.
 */
function commentShape(item: Element, skip: ReadonlySet<AnyNode>): Shape | null {
  const lines = renderBlocks([item], skip)
    .flatMap((paragraph) => paragraph.split('\n'))
    .map((line) => line.trim())
    .filter((line) => line !== '' && !CHROME_LINE.test(line));
  const first = lines.findIndex(isTextLine);
  if (first < 0) return null;
  let author: string | null = null;
  let dated = false;
  for (const line of lines.slice(0, first)) {
    if (isDateLine(line)) dated = true;
    else if (author === null && line.length <= MAX_AUTHOR_CHARS) {
      const name = line.replace(AUTHOR_VERB, '');
      if (name.split(' ').length <= MAX_AUTHOR_WORDS) author = name;
    }
  }
  const rest = lines.slice(first).filter((line) => !isDateLine(line) || isTextLine(line));
  dated ||= rest.length < lines.length - first;
  if (author === null && !dated) return null;
  return { author, text: rest.join('\n\n'), links: countLinks(item, skip) };
}

/** The element children of `holder` with the given tag. */
function childrenTagged(holder: Element, tag: string): Element[] {
  return holder.children.filter((c): c is Element => isElement(c) && c.name === tag);
}

/**
 * Finds, in a comment section no rule knows, the run of comment-shaped blocks: the holder
 * (at most a few levels down) whose same-tag children read as comments, two or more of them,
 * or one in a section of a single comment. Reply wrappers in the run go one level deeper.
 */
export function readCommentShapedItems(section: Element, rules: HtmlRules): RecordComment[] {
  const none = new Set<AnyNode>();
  const queue: Array<{ holder: Element; level: number }> = [{ holder: section, level: 0 }];
  while (queue.length > 0) {
    const { holder, level } = queue.shift()!;
    const tags = new Set(
      holder.children
        .filter(isElement)
        .map((c) => c.name)
        .filter((t) => ITEM_TAGS.has(t)),
    );
    for (const tag of tags) {
      const comments = readRun(holder, tag, 0, none, rules);
      if (comments.length >= 2) return comments;
    }
    if (level >= MAX_RUN_DEPTH) continue;
    for (const child of holder.children) {
      if (isElement(child) && RUN_HOLDERS.has(child.name))
        queue.push({ holder: child, level: level + 1 });
    }
  }
  return [];
}

/** Reads `holder`'s children tagged `tag` as comments at `depth`, reply wrappers one deeper. */
function readRun(
  holder: Element,
  tag: string,
  depth: number,
  skip: ReadonlySet<AnyNode>,
  rules: HtmlRules,
): RecordComment[] {
  const comments: RecordComment[] = [];
  for (const child of holder.children) {
    if (!isElement(child)) continue;
    if (child.name !== tag) {
      if (REPLY_WRAPPER_NAMES.test(namesOf(child))) {
        for (const inner of [
          child,
          ...childrenTagged(child, 'ul'),
          ...childrenTagged(child, 'ol'),
        ]) {
          comments.push(...readRun(inner, tag, depth + 1, skip, rules));
        }
      }
      continue;
    }
    const shape = commentShape(child, skip);
    if (!shape) continue;
    comments.push({
      author: shape.author,
      text: shape.text,
      depth,
      spam: spamRule(shape.text, shape.links, rules.spam) !== null,
    });
  }
  return comments;
}
