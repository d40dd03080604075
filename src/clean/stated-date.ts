import { DAY_NAMES, MONTH_NAMES } from '../english-calendar.js';

const MONTH_NAME =
  '(January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\\.?';

/**
 * A time of day after the date: ", 11:42 AM", " | 16:25", " at 9:12 am", "02:14PM", with an
 * offset when one is stated ("(UTC+8)", "GMT+03:00", "+0200").
 */
const TIME =
  '(?:\\s*[,،|•·\\-–—]?\\s*(?:at\\s+|-\\s*)?(\\d{1,2}):(\\d{2})(?::(\\d{2}))?\\s*([ap]\\.?m\\.?)?(?:\\s*\\(?\\s*(?:UTC|GMT)\\s*([+-]\\d{1,2}(?::?\\d{2})?)\\)?)?)?';

const ISO_DATE =
  /(?<!\d)(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?(?!\d)/;
/** Arabic pages put their comma (U+060C) after the month: "24 April، 2018". */
const COMMA = '[,،]?';
const MONTH_DAY_YEAR = new RegExp(
  `\\b${MONTH_NAME}\\s+(\\d{1,2})(?:st|nd|rd|th)?${COMMA}\\s+(\\d{4})\\b${TIME}`,
  'i',
);
const DAY_MONTH_YEAR = new RegExp(
  `\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+${MONTH_NAME}${COMMA}\\s+(\\d{4})\\b${TIME}`,
  'i',
);
/** Dotted numeric dates are day-first wherever they are written ("02.03.2017" is 2 March). */
const DOTTED = new RegExp(`(?<![\\d.])(\\d{1,2})\\.(\\d{1,2})\\.(\\d{4})(?![\\d.]\\d)${TIME}`, 'i');
/** Slashed numeric dates: the order is the page's (see SlashOrder). */
const SLASHED = new RegExp(`(?<![\\d/])(\\d{1,2})/(\\d{1,2})/(\\d{4})(?![\\d/])${TIME}`, 'i');
/** An ISO date followed by a separate time: "2018-02-22 | 10:40". */
const ISO_DAY_TIME = new RegExp(`(?<!\\d)(\\d{4})-(\\d{2})-(\\d{2})(?![\\d:T])${TIME}`, 'i');

const WEEKDAY = `(?:${DAY_NAMES.map((d) => `${d}|${d.slice(0, 3)}`).join('|')})\\.?`;

/** Words that may stand beside a date on a date line without making it a sentence. */
const DATE_LINE_FILLER = new RegExp(
  `\\b(?:published|posted|date|dated|time|on|at|utc|gmt|am|pm|${WEEKDAY})\\b|[|•·:,،\\-–—/()\\[\\]+\\d]`,
  'gi',
);
/** Time-zone abbreviations ("PST", "ET"), in capitals only. */
const ZONE_ABBREVIATION = /\b[A-Z]{2,4}\b/g;
/** A date that a page marks as its last change, not its publication. */
const UPDATE_MARK = /\b(?:updated?|modified|last\s+(?:changed|edited)|edited|revised)\b/i;

/** Which way a page writes slashed dates: day first (most of the world) or month first (US). */
export type SlashOrder = 'dmy' | 'mdy';

export interface DateOptions {
  /**
   * How to read slashed dates whose day is 12 or less ("03/04/2018"). Without it, such a date
   * is not a date (null), never a guess; a slashed date with a day over 12 reads either way.
   */
  slashOrder?: SlashOrder;
}

function monthIndex(name: string): number {
  const lower = name.toLowerCase().replace(/\.$/, '');
  return MONTH_NAMES.findIndex((m) => m.startsWith(lower.slice(0, 3)));
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** Years outside this range are placeholders ("0001-01-01") or typos, not publication dates. */
const MIN_YEAR = 1900;
const MAX_YEAR = 2199;

function validDay(year: number, month: number, day: number): boolean {
  if (year < MIN_YEAR || year > MAX_YEAR) return false;
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export interface StatedDate {
  /** ISO 8601, only as precise as the text states. */
  iso: string;
  /** The matched text. */
  match: string;
  /** Where the match starts in the text. */
  index: number;
}

/** "T11:42", "T15:14+08:00", or '' when the groups hold no valid time. */
function timePart(
  hour: string | undefined,
  minute: string | undefined,
  second: string | undefined,
  meridiem: string | undefined,
  offset: string | undefined,
): string {
  if (hour === undefined || minute === undefined) return '';
  let h = Number(hour);
  const m = Number(minute);
  if (meridiem) {
    if (h < 1 || h > 12) return '';
    const pm = meridiem.toLowerCase().startsWith('p');
    h = (h % 12) + (pm ? 12 : 0);
  }
  if (h > 23 || m > 59 || (second !== undefined && Number(second) > 59)) return '';
  let out = `T${pad(h)}:${pad(m)}${second !== undefined ? `:${second}` : ''}`;
  if (offset) {
    const [, sign, oh, om] = /^([+-])(\d{1,2}):?(\d{2})?$/.exec(offset) ?? [];
    if (sign && oh) out += `${sign}${pad(Number(oh))}:${om ?? '00'}`;
  }
  return out;
}

interface Candidate {
  iso: string;
  match: string;
  index: number;
}

function fromParts(
  m: RegExpExecArray,
  year: number,
  month: number,
  day: number,
  timeAt: number,
): Candidate | null {
  if (!validDay(year, month, day)) return null;
  const time = timePart(m[timeAt], m[timeAt + 1], m[timeAt + 2], m[timeAt + 3], m[timeAt + 4]);
  return {
    iso: `${year}-${pad(month)}-${pad(day)}${time}`,
    match: time ? m[0] : m[0].replace(/[\s,،|•·\-–—]+$/, ''),
    index: m.index,
  };
}

function isoDate(text: string): Candidate | null {
  const iso = ISO_DATE.exec(text);
  if (!iso) return null;
  const [match, y, mo, d, h, mi, s, zone] = iso as unknown as string[];
  if (!validDay(Number(y), Number(mo), Number(d))) return null;
  if (h === undefined) {
    // A separate time may follow: "2018-02-22 | 10:40".
    const apart = ISO_DAY_TIME.exec(text.slice(iso.index));
    if (apart && apart[4] !== undefined) {
      const found = fromParts(apart, Number(y), Number(mo), Number(d), 4);
      if (found) return { ...found, index: iso.index };
    }
    return { iso: `${y}-${mo}-${d}`, match: match!, index: iso.index };
  }
  let out = `${y}-${mo}-${d}`;
  if (mi !== undefined && Number(h) < 24 && Number(mi) < 60) {
    out += `T${h}:${mi}${s !== undefined ? `:${s}` : ''}`;
    if (zone) out += zone === 'Z' ? 'Z' : zone.replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
  }
  return { iso: out, match: match!, index: iso.index };
}

function candidates(text: string, options: DateOptions): Candidate[] {
  const found: Candidate[] = [];
  const iso = isoDate(text);
  if (iso) found.push(iso);
  const mdy = MONTH_DAY_YEAR.exec(text);
  if (mdy) {
    const c = fromParts(mdy, Number(mdy[3]), monthIndex(mdy[1]!) + 1, Number(mdy[2]), 4);
    if (c) found.push(c);
  }
  const dmy = DAY_MONTH_YEAR.exec(text);
  if (dmy) {
    const c = fromParts(dmy, Number(dmy[3]), monthIndex(dmy[2]!) + 1, Number(dmy[1]), 4);
    if (c) found.push(c);
  }
  const dotted = DOTTED.exec(text);
  if (dotted) {
    const c = fromParts(dotted, Number(dotted[3]), Number(dotted[2]), Number(dotted[1]), 4);
    if (c) found.push(c);
  }
  const slashed = SLASHED.exec(text);
  if (slashed) {
    const a = Number(slashed[1]);
    const b = Number(slashed[2]);
    // Only a day over 12 or the page's own order settles which number is the day.
    const order: SlashOrder | undefined =
      a > 12 && b <= 12 ? 'dmy' : b > 12 && a <= 12 ? 'mdy' : options.slashOrder;
    if (order) {
      const [day, month] = order === 'dmy' ? [a, b] : [b, a];
      const c = fromParts(slashed, Number(slashed[3]), month, day, 4);
      if (c) found.push(c);
    }
  }
  return found;
}

/**
 * The first full date (day, month and year) stated in the text, as ISO 8601 with the time
 * and offset only when the text gives them. A month and year alone, a day and month without
 * a year, or a slashed date whose order the page does not settle are not full dates: null,
 * never a guess.
 */
export function findStatedDate(text: string, options: DateOptions = {}): StatedDate | null {
  let best: Candidate | null = null;
  for (const c of candidates(text, options)) if (!best || c.index < best.index) best = c;
  return best;
}

/** How much other text a date line may hold besides the date and filler words. */
const DATE_LINE_MAX_OTHER_CHARS = 3;

/**
 * The date of a line that is nothing but a date (with "Published", a weekday, "|" and the
 * like), else null. A line that gives the date of a change ("Updated …") is not a date line;
 * an update note after the date ("16:25 (updated …)") is left out.
 */
export function dateLine(line: string, options: DateOptions = {}): StatedDate | null {
  const update = UPDATE_MARK.exec(line);
  const head = update ? line.slice(0, update.index) : line;
  const found = findStatedDate(head, options);
  if (!found) return null;
  const rest = head
    .replace(found.match, '')
    .replace(ZONE_ABBREVIATION, '')
    .replace(DATE_LINE_FILLER, '')
    .replace(/\s+/g, '');
  return rest.length <= DATE_LINE_MAX_OTHER_CHARS ? found : null;
}

/** Whether a line marks a date as a change ("Updated 09 May 2019"), not the publication. */
export function isUpdateLine(line: string): boolean {
  const update = UPDATE_MARK.exec(line);
  if (!update) return false;
  const date = findStatedDate(line);
  return date === null || date.index > update.index;
}

/** A time of day alone, as "Posted by … at 9:12 AM" gives it: "T09:12", else null. */
export function statedTime(text: string): string | null {
  const m = /\b(?:at\s+)?(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap]\.?m\.?)?(?![\d:])/i.exec(text);
  if (!m) return null;
  return timePart(m[1], m[2], m[3], m[4], undefined) || null;
}
