/** An href from a feed or sitemap as an absolute URL against `base`, or null when unusable. */
export function resolveLink(href: string | null, base: string): string | null {
  if (href === null) return null;
  try {
    return new URL(href, base).href;
  } catch {
    return null;
  }
}
