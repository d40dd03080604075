import { blockText, type TextBlock } from './text-blocks.js';

/**
 * What every block of a text dump carries, whatever the site or language: its size, how its
 * lines fill the page width, punctuation and capitalisation, list and menu shapes, and whether
 * it repeats elsewhere on the page. The article classifier reads these, nothing site-specific.
 */
export interface BlockStats {
  /** Word units: whitespace-separated words, plus one per two CJK characters (no spaces there). */
  units: number;
  chars: number;
  lines: number;
  /** Mean line length over the page's wrap width (prose fills its lines; menus do not). */
  fill: number;
  endsSentence: boolean;
  /** Sentence ends inside the block ("word. Next", "。"). */
  sentences: number;
  /** Commas, semicolons, colons and sentence marks. */
  punct: number;
  /** Words that start with a capital letter, of the words that start with a cased letter. */
  capsShare: number;
  /** Lower-case words of one to three letters (articles, prepositions): the glue of prose. */
  glueShare: number;
  digitShare: number;
  /** Lines that are list items (bullets, numbers). */
  itemShare: number;
  /** Menu separators: pipes, bullets, guillemets and arrows between items. */
  separators: number;
  /** Rendered images and form fields: "[...]". */
  bracketed: boolean;
  /** Share of the characters inside "[...]": an image line is all of it, prose with one image little. */
  bracketShare: number;
  /** The same text stands in another block of the page. */
  repeated: boolean;
  /** Lines but the last that run to the wrap width: hard-wrapped prose. */
  fullLines: number;
  /** Letters among the characters that are not spaces. */
  letterShare: number;
}

const BULLET_LINE = /^(?:[•●◦▪‣*+]|\d{1,3}[.)]|[-–]\s)\s*/;
const SEPARATOR = /\s[|•·»›>]\s|\s[|•·»›]$|^[|•·»›]\s/g;
const SENTENCE_END = /[.!?…。！？]["”’»)\]]*$/;
/** A line this close to the wrap width was wrapped there. */
const FULL_LINE = 0.75;
/** A wrapped page is at least this wide; shorter dumps are not judged by their widest line. */
const MIN_WRAP_WIDTH = 60;

function countMatches(text: string, regex: RegExp): number {
  regex.lastIndex = 0;
  let n = 0;
  while (regex.exec(text) !== null) n++;
  return n;
}

/** The width the renderer wrapped at: the longest lines of the page, read from its widest tenth. */
export function wrapWidth(blocks: TextBlock[]): number {
  const lengths: number[] = [];
  for (const b of blocks) for (const l of b.lines) lengths.push(l.text.length + l.indent);
  lengths.sort((a, b) => b - a);
  const at = Math.min(lengths.length - 1, Math.floor(lengths.length / 10));
  return Math.max(MIN_WRAP_WIDTH, lengths[at] ?? 0);
}

/** Counts over a block's characters, in one pass: this runs on every block of every page. */
interface CharCounts {
  words: number;
  cased: number;
  upper: number;
  glue: number;
  cjk: number;
  digits: number;
  letters: number;
  spaces: number;
  punct: number;
  sentences: number;
  separatorChars: boolean;
}

const LOWER_WORD = /^\p{Ll}+$/u;
const LETTER_CHAR = /\p{L}/u;

/** Character classes, looked up by UTF-16 code: this loop reads every character of the page. */
const SPACE = 1;
const PUNCT = 2;
const STOP = 4;
const WIDE_STOP = 8;
const SEPARATOR_CHAR = 16;
const UPPER = 32;
const LOWER = 64;
const DIGIT = 128;
const CLASSES = new Uint8Array(0x10000);
const mark = (chars: string, flag: number) => {
  for (const ch of chars) CLASSES[ch.charCodeAt(0)]! |= flag;
};
mark(
  ' \t\n\v\f\r\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u3000',
  SPACE,
);
mark('.,;:!?。、，；：！？', PUNCT);
mark('.!?', STOP);
mark('。！？', WIDE_STOP);
mark('|•·»›>', SEPARATOR_CHAR);
mark('ABCDEFGHIJKLMNOPQRSTUVWXYZ', UPPER);
mark('abcdefghijklmnopqrstuvwxyz', LOWER);
mark('0123456789', DIGIT);
/** Closing quotes and brackets that may stand between a full stop and the next sentence. */
const CLOSERS = '"”’»)';

function isCjk(c: number): boolean {
  return (
    (c >= 0x3040 && c <= 0x30ff) || (c >= 0x3400 && c <= 0x9fff) || (c >= 0xac00 && c <= 0xd7af)
  );
}

function countChars(text: string): CharCounts {
  const n: CharCounts = {
    words: 0,
    cased: 0,
    upper: 0,
    glue: 0,
    cjk: 0,
    digits: 0,
    letters: 0,
    spaces: 0,
    punct: 0,
    sentences: 0,
    separatorChars: false,
  };
  let start = -1;
  let lowerRun = true;
  const length = text.length;
  for (let k = 0; k <= length; k++) {
    const c = k < length ? text.charCodeAt(k) : 0x20;
    const cls = CLASSES[c]!;
    if (cls & SPACE) {
      if (k < length) n.spaces++;
      if (start >= 0 && k - start <= 3 && (lowerRun || LOWER_WORD.test(text.slice(start, k))))
        n.glue++;
      start = -1;
      continue;
    }
    if (start < 0) {
      start = k;
      lowerRun = true;
      n.words++;
      if (cls & (UPPER | LOWER)) {
        n.cased++;
        if (cls & UPPER) n.upper++;
      } else if (c > 127) {
        const ch = text.charAt(k);
        const up = ch.toUpperCase();
        if (up !== ch.toLowerCase()) {
          n.cased++;
          if (ch === up) n.upper++;
        }
      }
    }
    if (!(cls & LOWER)) lowerRun = false;
    if (cls & (UPPER | LOWER)) n.letters++;
    else if (cls & DIGIT) n.digits++;
    else if (c > 127) {
      if (isCjk(c)) {
        n.cjk++;
        n.letters++;
      } else if (LETTER_CHAR.test(text.charAt(k))) n.letters++;
    }
    if (cls & PUNCT) {
      n.punct++;
      if (cls & WIDE_STOP) n.sentences++;
      else if (cls & STOP) {
        let j = k + 1;
        while (j < length && CLOSERS.includes(text.charAt(j))) j++;
        if (j >= length || CLASSES[text.charCodeAt(j)]! & SPACE) n.sentences++;
      }
    } else if (cls & SEPARATOR_CHAR) n.separatorChars = true;
  }
  return n;
}

/** Characters between square brackets, the brackets included. */
function bracketChars(text: string): number {
  let n = 0;
  let open = -1;
  for (let k = 0; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c === 0x5b) open = k;
    else if (c === 0x5d && open >= 0) {
      n += k - open + 1;
      open = -1;
    }
  }
  return n;
}

export function blockStats(blocks: TextBlock[]): BlockStats[] {
  const width = wrapWidth(blocks);
  const seen = new Map<string, number>();
  const texts = blocks.map((b) => (b.lines.length === 1 ? b.lines[0]!.text : blockText(b)));
  for (const t of texts) seen.set(t, (seen.get(t) ?? 0) + 1);
  return blocks.map((block, i) => {
    const text = texts[i]!;
    const n = countChars(text);
    let lineChars = 0;
    let items = 0;
    let full = 0;
    for (let k = 0; k < block.lines.length; k++) {
      const l = block.lines[k]!;
      lineChars += l.text.length + l.indent;
      if (BULLET_LINE.test(l.text)) items++;
      if (k < block.lines.length - 1 && l.text.length + l.indent >= FULL_LINE * width) full++;
    }
    const visible = text.length - n.spaces;
    return {
      units: n.words + n.cjk / 2,
      chars: text.length,
      lines: block.lines.length,
      fill: lineChars / block.lines.length / width,
      endsSentence: SENTENCE_END.test(text),
      sentences: n.sentences,
      punct: n.punct,
      capsShare: n.cased ? n.upper / n.cased : 0,
      glueShare: n.words ? n.glue / n.words : 0,
      digitShare: text.length ? n.digits / text.length : 0,
      itemShare: items / block.lines.length,
      separators: n.separatorChars ? countMatches(text, SEPARATOR) : 0,
      bracketed: text.includes('[') && text.includes(']'),
      bracketShare: text.includes('[') ? bracketChars(text) / text.length : 0,
      repeated: (seen.get(text) ?? 0) > 1,
      fullLines: full,
      letterShare: visible ? n.letters / visible : 0,
    };
  });
}

/** The names of the local features, in the order of the vector and of the model's weights. */
export const LOCAL_FEATURES = [
  'units',
  'lines',
  'fill',
  'endsSentence',
  'sentenceDensity',
  'punctDensity',
  'capsShare',
  'glueShare',
  'digitShare',
  'itemShare',
  'separatorDensity',
  'bracketed',
  'bracketShare',
  'repeated',
  'short',
  'position',
  'wrapped',
  'letterShare',
] as const;

/** A block this short (in word units) says little by itself; its neighbours decide. */
const SHORT_UNITS = 5;

export function localFeatures(stats: BlockStats[], blocks: TextBlock[]): number[][] {
  const lastLine = Math.max(1, blocks.at(-1)?.lines.at(-1)?.index ?? 1);
  return stats.map((s, i) => {
    const per = Math.max(1, s.units);
    return [
      Math.log1p(s.units) / 5,
      Math.log1p(s.lines) / 3,
      Math.min(1.2, s.fill),
      s.endsSentence ? 1 : 0,
      Math.min(2, (s.sentences * 10) / per),
      Math.min(1, s.punct / per),
      s.capsShare,
      s.glueShare,
      Math.min(1, s.digitShare * 4),
      s.itemShare,
      Math.min(1, (s.separators * 4) / per),
      s.bracketed ? 1 : 0,
      s.bracketShare,
      s.repeated ? 1 : 0,
      s.units < SHORT_UNITS ? 1 : 0,
      (blocks[i]!.lines[0]!.index ?? 0) / lastLine,
      s.lines > 1 ? s.fullLines / (s.lines - 1) : 0,
      s.letterShare,
    ];
  });
}

/** Context features: what the first pass thought of the neighbours and where the main run lies. */
export const CONTEXT_FEATURES = [
  'local',
  'localLogit',
  'prev',
  'next',
  'around',
  'prevLogit',
  'nextLogit',
  'inRun',
  'runDistance',
  'afterRun',
  'wideAround',
  'inSpan',
] as const;

/** Neighbours counted on each side for the 'wideAround' feature, weighted by their words. */
const WIDE_AROUND = 10;
/** The span from the first to the last block the first pass is this sure of. */
const SURE = 0.8;

/** Neighbours counted on each side for the 'around' feature. */
const AROUND = 3;

/**
 * The run of blocks whose words most outweigh the boilerplate's, by first-pass probability:
 * the maximum-sum segment of (p - 0.5) * words, as in body-text extraction (Finn et al.).
 */
export function mainRun(
  probability: number[],
  stats: BlockStats[],
  center = 0.5,
): { from: number; to: number } {
  let best = -Infinity;
  let bestFrom = 0;
  let bestTo = -1;
  let sum = 0;
  let from = 0;
  for (let i = 0; i < probability.length; i++) {
    const value = (probability[i]! - center) * Math.max(1, stats[i]!.units);
    if (sum <= 0) {
      sum = value;
      from = i;
    } else sum += value;
    if (sum > best) {
      best = sum;
      bestFrom = from;
      bestTo = i;
    }
  }
  return { from: bestFrom, to: bestTo };
}

/** Log-odds, bounded and scaled: how sure the first pass was, either way. */
function logit(p: number): number {
  const q = Math.min(1 - 1e-3, Math.max(1e-3, p));
  return Math.log(q / (1 - q)) / 7;
}

export function contextFeatures(probability: number[], stats: BlockStats[]): number[][] {
  const run = mainRun(probability, stats);
  const n = probability.length;
  const spanFrom = probability.findIndex((p) => p >= SURE);
  let spanTo = -1;
  for (let i = n - 1; i >= 0 && spanTo < 0; i--) if (probability[i]! >= SURE) spanTo = i;
  return probability.map((p, i) => {
    let wide = 0;
    let mass = 0;
    for (let k = Math.max(0, i - WIDE_AROUND); k <= Math.min(n - 1, i + WIDE_AROUND); k++) {
      if (k === i) continue;
      const w = Math.log1p(stats[k]!.units);
      wide += w * probability[k]!;
      mass += w;
    }
    let around = 0;
    let count = 0;
    for (let k = Math.max(0, i - AROUND); k <= Math.min(n - 1, i + AROUND); k++) {
      if (k === i) continue;
      around += probability[k]!;
      count++;
    }
    const distance = i < run.from ? run.from - i : i > run.to ? i - run.to : 0;
    return [
      p,
      logit(p),
      probability[i - 1] ?? 0,
      probability[i + 1] ?? 0,
      count ? around / count : 0,
      logit(probability[i - 1] ?? 0),
      logit(probability[i + 1] ?? 0),
      distance === 0 ? 1 : 0,
      Math.log1p(distance) / 3,
      i > run.to ? 1 : 0,
      mass ? wide / mass : 0,
      i > spanFrom && i < spanTo ? 1 : 0,
    ];
  });
}
