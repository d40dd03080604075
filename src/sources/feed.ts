import { resolveLink } from './resolve-link.js';
import { nodesOf, textOf, type XmlNode } from './xml-document.js';

/** One entry of a feed or sitemap: a page to fetch. */
export interface SourceItem {
  /** Absolute URL as the source gives it (relative links resolved against the source URL). */
  url: string;
  title: string | null;
  /** The date the source states (pubDate, published/updated, lastmod), as written. */
  publishedAt: string | null;
}

function rssItems(items: XmlNode[], base: string): SourceItem[] {
  return items.flatMap((item) => {
    const guid = nodesOf(item.guid)[0];
    const guidIsLink =
      guid !== undefined ? guid['@_isPermaLink'] !== 'false' : typeof item.guid === 'string';
    const href = textOf(item.link) ?? (guidIsLink ? textOf(item.guid) : null);
    const url = resolveLink(href, base);
    if (url === null) return [];
    return [
      {
        url,
        title: textOf(item.title),
        publishedAt: textOf(item.pubDate) ?? textOf(item.date),
      },
    ];
  });
}

function atomLink(entry: XmlNode): string | null {
  const links = nodesOf(entry.link);
  const alternate =
    links.find((l) => l['@_rel'] === undefined || l['@_rel'] === 'alternate') ?? links[0];
  const href = alternate?.['@_href'];
  return typeof href === 'string' ? href : textOf(entry.link);
}

function atomEntries(entries: XmlNode[], base: string): SourceItem[] {
  return entries.flatMap((entry) => {
    const entryBase =
      typeof entry['@_base'] === 'string' ? resolveLink(entry['@_base'], base) : base;
    const url = resolveLink(atomLink(entry), entryBase ?? base);
    if (url === null) return [];
    return [
      {
        url,
        title: textOf(entry.title),
        publishedAt: textOf(entry.published) ?? textOf(entry.updated),
      },
    ];
  });
}

/**
 * The items of a parsed RSS 2.0, RSS 1.0 (RDF) or Atom document, or null when `doc` is
 * none of them. Items without a usable link are skipped (an RSS item may be text only).
 */
export function feedItems(doc: XmlNode, baseUrl: string): SourceItem[] | null {
  const rss = nodesOf(doc.rss)[0];
  if (rss) {
    const channel = nodesOf(rss.channel)[0] ?? {};
    return rssItems(nodesOf(channel.item), baseUrl);
  }
  const rdf = nodesOf(doc.RDF)[0];
  if (rdf) return rssItems(nodesOf(rdf.item), baseUrl);
  const feed = nodesOf(doc.feed)[0];
  if (feed) {
    const feedBase =
      typeof feed['@_base'] === 'string' ? resolveLink(feed['@_base'], baseUrl) : null;
    return atomEntries(nodesOf(feed.entry), feedBase ?? baseUrl);
  }
  return null;
}
