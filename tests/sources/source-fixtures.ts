/** An RSS 2.0 feed of `count` items linking to `${base}/news/N?utm_source=rss`. */
export function rssFeed(base: string, count: number): string {
  const items = Array.from(
    { length: count },
    (_, i) => `
    <item>
      <title>Clashes near Jayrud, part ${i + 1}</title>
      <link>${base}/news/${i + 1}?utm_source=rss&amp;id=${i + 1}</link>
      <guid isPermaLink="false">item-${i + 1}</guid>
      <pubDate>Tue, 01 Jun 2021 10:${String(i % 60).padStart(2, '0')}:00 GMT</pubDate>
    </item>`,
  ).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel><title>Test feed</title><link>${base}/</link>${items}
  </channel>
</rss>`;
}
