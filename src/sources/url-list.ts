/** A line of a URL list that is not a fetchable URL. */
export interface InvalidLine {
  /** 1-based line number in the file. */
  line: number;
  text: string;
  reason: string;
}

export interface UrlList {
  /** The URLs in file order, as written (normalize them where identity matters). */
  urls: string[];
  invalid: InvalidLine[];
}

/**
 * Parses a URL list: one URL per line; blank lines and `#` comments (whole-line or after
 * white space) ignored. Lines that are not absolute http(s) URLs are reported with their
 * line number, not dropped silently.
 */
export function parseUrlList(text: string): UrlList {
  const urls: string[] = [];
  const invalid: InvalidLine[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (line === '') return;
    const reason = urlProblem(line);
    if (reason === null) urls.push(line);
    else invalid.push({ line: index + 1, text: raw.trim(), reason });
  });
  return { urls, invalid };
}

/** Why `text` cannot be fetched as a URL, or null when it can. */
export function urlProblem(text: string): string | null {
  if (/\s/.test(text)) return 'contains white space';
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'not an absolute URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return `scheme ${url.protocol.replace(/:$/, '')} is not http or https`;
  }
  if (url.username !== '' || url.password !== '') return 'carries credentials';
  return null;
}
