import type { TextBlock } from './text-blocks.js';

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
  /** The same text stands in another block of the page. */
  repeated: boolean;
  /** Lines but the last that run to the wrap width: hard-wrapped prose. */
  fullLines: number;
  /** Letters among the characters that are not spaces. */
  letterShare: number;
}

const BULLET_LINE = /^(?:[•●◦▪‣*+]|\d{1,3}[.)]|[-–]\s)\s*/;
const SENTENCE_MARK = /[.!?。！？](?:["”’»)]*)(?=\s|$)|[。！？]/g;
const PUNCT = /[.,;:!?。、，；：！？]/g;
const SEPARATOR = /\s[|•·»›>]\s|\s[|•·»›]$|^[|•·»›]\s/g;
const SENTENCE_END = /[.!?…。！？]["”’»)\]]*$/;
const CJK = /[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]/g;
const WORD = /\S+/g;
/** A line this close to the wrap width was wrapped there. */
const FULL_LINE = 0.75;
const LETTER = /\p{L}/gu;
const SPACE = /\s/g;
/** A wrapped page is at least this wide; shorter dumps are not judged by their widest line. */
const MIN_WRAP_WIDTH = 60;

function countMatches(text: string, regex: RegExp): number {
  regex.lastIndex = 0;
  let n = 0;
  while (regex.exec(text) !== null) n++;
  return n;
}

function fold(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ');
}

/** The width the renderer wrapped at: the longest lines of the page, read from its widest tenth. */
export function wrapWidth(blocks: TextBlock[]): number {
  const lengths: number[] = [];
  for (const b of blocks) for (const l of b.lines) lengths.push(l.text.length + l.indent);
  lengths.sort((a, b) => b - a);
  const at = Math.min(lengths.length - 1, Math.floor(lengths.length / 10));
  return Math.max(MIN_WRAP_WIDTH, lengths[at] ?? 0);
}

export function blockStats(blocks: TextBlock[]): BlockStats[] {
  const width = wrapWidth(blocks);
  const seen = new Map<string, number>();
  const texts = blocks.map((b) => b.lines.map((l) => l.text).join(' '));
  for (const t of texts) {
    const key = fold(t);
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  return blocks.map((block, i) => {
    const text = texts[i]!;
    let words = 0;
    let cased = 0;
    let upper = 0;
    let glue = 0;
    WORD.lastIndex = 0;
    for (let m = WORD.exec(text); m !== null; m = WORD.exec(text)) {
      words++;
      const w = m[0];
      const first = w.charAt(0);
      const lower = first.toLowerCase();
      const up = first.toUpperCase();
      if (lower !== up) {
        cased++;
        if (first === up) upper++;
        else if (w.length <= 3 && /^\p{Ll}+$/u.test(w)) glue++;
      }
    }
    const cjk = countMatches(text, CJK);
    const units = words + cjk / 2;
    let digits = 0;
    for (let k = 0; k < text.length; k++) {
      const c = text.charCodeAt(k);
      if (c >= 48 && c <= 57) digits++;
    }
    let lineChars = 0;
    let items = 0;
    let full = 0;
    for (let k = 0; k < block.lines.length; k++) {
      const l = block.lines[k]!;
      lineChars += l.text.length + l.indent;
      if (BULLET_LINE.test(l.text)) items++;
      if (k < block.lines.length - 1 && l.text.length + l.indent >= FULL_LINE * width) full++;
    }
    const letters = countMatches(text, LETTER);
    const visible = text.length - countMatches(text, SPACE);
    return {
      units,
      chars: text.length,
      lines: block.lines.length,
      fill: lineChars / block.lines.length / width,
      endsSentence: SENTENCE_END.test(text),
      sentences: countMatches(text, SENTENCE_MARK),
      punct: countMatches(text, PUNCT),
      capsShare: cased ? upper / cased : 0,
      glueShare: words ? glue / words : 0,
      digitShare: text.length ? digits / text.length : 0,
      itemShare: items / block.lines.length,
      separators: countMatches(text, SEPARATOR),
      bracketed: text.includes('[') && text.includes(']'),
      repeated: (seen.get(fold(text)) ?? 0) > 1,
      fullLines: full,
      letterShare: visible ? letters / visible : 0,
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
] as const;

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
  return probability.map((p, i) => {
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
    ];
  });
}
