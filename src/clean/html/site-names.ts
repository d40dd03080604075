/** Host labels that name no site: subdomains for languages, editions and devices. */
const GENERIC_HOST_LABELS: ReadonlySet<string> = new Set([
  'www',
  'news',
  'english',
  'arabic',
  'edition',
  'mobile',
  'amp',
  'web',
  'online',
]);
/** Labels shorter than this (com, net, co, en) are suffixes or languages, not names. */
const MIN_LABEL_CHARS = 4;
/** "English.news.cn": a title part or byline that is a domain name. */
const DOMAIN = /^[\p{L}\p{N}-]+(\.[\p{L}\p{N}-]+)+$/u;

/** Letters and digits only, lower-cased: "Kurdistan 24" and "kurdistan24" are one key. */
export function nameKey(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

/**
 * What the page says the site is called: og:site_name, the publisher, the host name. Tells
 * whether a title part or a byline part names the site rather than the story or a person.
 */
export class SiteNames {
  private readonly keys: Set<string>;
  private readonly labels: string[];

  constructor(names: readonly (string | null)[], url: string | null) {
    this.keys = new Set(
      names
        .filter((n): n is string => !!n)
        .map(nameKey)
        .filter((k) => k !== ''),
    );
    this.labels = hostLabels(url);
  }

  private readonly answers = new Map<string, boolean>();

  /** True when `text` is the site's name, its host name or a domain. */
  names(text: string): boolean {
    let answer = this.answers.get(text);
    if (answer === undefined) {
      answer = this.decide(text);
      this.answers.set(text, answer);
    }
    return answer;
  }

  private decide(text: string): boolean {
    const trimmed = text.trim();
    if (DOMAIN.test(trimmed)) return true;
    const key = nameKey(trimmed);
    if (key === '') return false;
    if (this.keys.has(key)) return true;
    // "Xinhua" names news.xinhuanet.com; "Kurdistan24" names kurdistan24.net.
    return this.labels.some(
      (label) => label === key || (key.length >= MIN_LABEL_CHARS && label.startsWith(key)),
    );
  }
}

function hostLabels(url: string | null): string[] {
  if (!url) return [];
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return [];
  }
  const labels = host.split('.');
  // The last label is the top-level domain, never a name.
  return labels
    .slice(0, -1)
    .map(nameKey)
    .filter((label) => label.length >= MIN_LABEL_CHARS && !GENERIC_HOST_LABELS.has(label));
}
