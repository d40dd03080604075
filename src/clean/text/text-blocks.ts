/** One line of a text page, with its indentation kept for comment threading. */
export interface TextLine {
  /** Line number, from 0. */
  index: number;
  /** The line without leading and trailing white space. */
  text: string;
  /** Leading white space, in columns (a tab counts as 4). */
  indent: number;
}

/** A run of non-empty lines, with the blank lines that surround it. */
export interface TextBlock {
  lines: TextLine[];
  blankBefore: number;
  blankAfter: number;
}

const TAB_COLUMNS = 4;
/** Characters that print nothing: a line of only these is blank, as it looks on the page. */
const INVISIBLE = /[\u200b-\u200d\u2060\ufeff]/g;

export function splitLines(text: string): TextLine[] {
  return text.split(/\r\n|\r|\n/).map((raw, index) => {
    const lead = /^[\t \u00a0]*/.exec(raw)?.[0] ?? '';
    let indent = 0;
    for (const c of lead) indent += c === '\t' ? TAB_COLUMNS : 1;
    const text = raw.trim();
    return { index, text: text.replace(INVISIBLE, '') === '' ? '' : text, indent };
  });
}

/**
 * Groups the kept lines into blocks. A dropped line separates blocks as a blank line would.
 * blankBefore / blankAfter count the blank lines right before and after the block.
 */
export function toBlocks(
  lines: TextLine[],
  kept: (line: TextLine) => boolean,
  breakBetween: (before: TextLine, line: TextLine) => boolean = () => false,
): TextBlock[] {
  const blanksAround = (from: number, step: 1 | -1): number => {
    let n = 0;
    for (let i = from + step; i >= 0 && i < lines.length && lines[i]!.text === ''; i += step) n++;
    return n;
  };
  const blocks: TextBlock[] = [];
  let current: TextLine[] = [];
  const flush = () => {
    const first = current[0];
    const last = current.at(-1);
    if (first && last) {
      blocks.push({
        lines: current,
        blankBefore: blanksAround(first.index, -1),
        blankAfter: blanksAround(last.index, 1),
      });
    }
    current = [];
  };
  for (const line of lines) {
    if (line.text === '' || !kept(line)) {
      flush();
      continue;
    }
    const before = current.at(-1);
    if (before && breakBetween(before, line)) flush();
    current.push(line);
  }
  flush();
  return blocks;
}

/** The block's text: its lines joined by a space (hard-wrapped prose) or a newline. */
export function blockText(block: TextBlock, joiner: ' ' | '\n' = ' '): string {
  return block.lines.map((l) => l.text).join(joiner);
}

const ITEM_LINE = /^(?:[•●◦▪‣*+]|\d{1,3}[.)])(?:\s|$)/;
/** A line of only rendered images, ads and form fields: "[photo.jpg]", "[INS: :INS]". */
const BRACKETS_ONLY = /^(?:\[[^\]]*\]\s*)+$/;

/**
 * Where a run of lines with no blank between them still changes what it is: list items after
 * prose, prose after items, or a line of images alone. Text browsers print a <br>-separated
 * story, its image lines and the share list under it as one run.
 */
export function shapeBreak(before: TextLine, line: TextLine): boolean {
  if (ITEM_LINE.test(before.text) !== ITEM_LINE.test(line.text)) return true;
  return BRACKETS_ONLY.test(before.text) !== BRACKETS_ONLY.test(line.text);
}
