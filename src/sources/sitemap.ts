import { resolveLink } from './resolve-link.js';
import type { SourceItem } from './feed.js';
import { nodesOf, textOf, type XmlNode } from './xml-document.js';

/** A sitemap's entries, or the child sitemaps of a sitemap index. */
export type SitemapContent =
  { kind: 'urlset'; items: SourceItem[] } | { kind: 'index'; sitemaps: string[] };

/**
 * The content of a parsed sitemap (urlset, with Google News `news:news` publication date
 * and title when present) or sitemap index, or null when `doc` is neither.
 */
export function sitemapContent(doc: XmlNode, baseUrl: string): SitemapContent | null {
  const urlset = nodesOf(doc.urlset)[0];
  if (urlset) {
    const items = nodesOf(urlset.url).flatMap((entry) => {
      const url = resolveLink(textOf(entry.loc), baseUrl);
      if (url === null) return [];
      const news = nodesOf(entry.news)[0];
      return [
        {
          url,
          title: news ? textOf(news.title) : null,
          publishedAt: (news ? textOf(news.publication_date) : null) ?? textOf(entry.lastmod),
        },
      ];
    });
    return { kind: 'urlset', items };
  }
  const index = nodesOf(doc.sitemapindex)[0];
  if (index) {
    const sitemaps = nodesOf(index.sitemap)
      .map((entry) => resolveLink(textOf(entry.loc), baseUrl))
      .filter((url): url is string => url !== null);
    return { kind: 'index', sitemaps };
  }
  return null;
}
