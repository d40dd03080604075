import { MONTH_NAMES } from '../english-calendar.js';

const MONTH_NAME =
  '(January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\\.?';

const ISO_DATE =
  /(?<!\d)(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?(?!\d)/;
const MONTH_DAY_YEAR = new RegExp(
  `\\b${MONTH_NAME}\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})\\b`,
  'i',
);
const DAY_MONTH_YEAR = new RegExp(
  `\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+${MONTH_NAME},?\\s+(\\d{4})\\b`,
  'i',
);
/**
 * A clock time right after a written date, bare or after "|", "," or a dash ("3 May 2017 |
 * 11:20", "May 08, 2019 23:52"), with seconds and am/pm when given.
 */
const TIME_AFTER_DATE =
  /^\s*(?:[|,\u2013-]\s*)?(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([ap])\.?m\b\.?)?(?![\d:])/i;

/** Words that may stand beside a date on a date line without making it a sentence. */
const DATE_LINE_FILLER =
  /\b(?:published|posted|updated|last|modified|on|at|date|time|utc|gmt|am|pm|by)\b|[|•·:,\-–—/()]/gi;

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
}

/**
 * The first full date (day, month and year) stated in the text, as ISO 8601 with the time
 * and offset only when the text gives them. A month and year alone, or a day and month
 * without a year, are not full dates: null, never a guess.
 */
export function findStatedDate(text: string): StatedDate | null {
  const iso = ISO_DATE.exec(text);
  if (iso) {
    const [match, y, mo, d, h, mi, s, zone] = iso as unknown as string[];
    if (validDay(Number(y), Number(mo), Number(d))) {
      let out = `${y}-${mo}-${d}`;
      if (h !== undefined && mi !== undefined && Number(h) < 24 && Number(mi) < 60) {
        out += `T${h}:${mi}${s !== undefined ? `:${s}` : ''}`;
        if (zone) out += zone === 'Z' ? 'Z' : zone.replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
      }
      return { iso: out, match: match! };
    }
  }
  for (const [regex, order] of [
    [MONTH_DAY_YEAR, 'mdy'],
    [DAY_MONTH_YEAR, 'dmy'],
  ] as const) {
    const m = regex.exec(text);
    if (!m) continue;
    const [match, a, b, c] = m as unknown as string[];
    const month = monthIndex(order === 'mdy' ? a! : b!) + 1;
    const day = Number(order === 'mdy' ? b : a);
    const year = Number(c);
    if (!validDay(year, month, day)) continue;
    const date = `${year}-${pad(month)}-${pad(day)}`;
    const time = TIME_AFTER_DATE.exec(text.slice(m.index + match!.length));
    const clock = time ? clockTime(time) : null;
    return clock
      ? { iso: `${date}T${clock}`, match: match! + time![0] }
      : { iso: date, match: match! };
  }
  return null;
}

/** "HH:MM[:SS]" of a matched time, in 24-hour form, or null when it is no valid time. */
function clockTime(time: RegExpExecArray): string | null {
  const [, h, mi, s, half] = time as unknown as (string | undefined)[];
  let hour = Number(h);
  if (half) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (half.toLowerCase() === 'p' ? 12 : 0);
  }
  if (hour > 23 || Number(mi) > 59 || (s !== undefined && Number(s) > 59)) return null;
  return `${pad(hour)}:${mi}${s !== undefined ? `:${s}` : ''}`;
}

/** How much other text a date line may hold besides the date and filler words. */
const DATE_LINE_MAX_OTHER_CHARS = 3;

/** The date of a line that is nothing but a date (with "Published", "|" and the like), else null. */
export function dateLine(line: string): StatedDate | null {
  const found = findStatedDate(line);
  if (!found) return null;
  const rest = line.replace(found.match, '').replace(DATE_LINE_FILLER, '').replace(/\s+/g, '');
  return rest.length <= DATE_LINE_MAX_OTHER_CHARS ? found : null;
}
