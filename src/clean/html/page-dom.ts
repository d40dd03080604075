import type { Cheerio, CheerioAPI } from 'cheerio/slim';
import { load } from 'cheerio/slim';
import type { Document } from 'domhandler';

/**
 * One cheerio instance for every page: `$(node)` wraps nodes of any parsed document, and a
 * page's queries start from its own document (`page.root.find(selector)`). Loading cheerio
 * anew for each page would build a new wrapper class per page, costing time and garbage.
 */
const $: CheerioAPI = load([]);

/**
 * One parsed page: the DOM htmlparser2 built, and cheerio over that same DOM (no second parse,
 * no copy), so that extraction queries it as cheerio users expect while hot walks read the
 * raw nodes.
 */
export interface PageDom {
  document: Document;
  /** Wraps nodes of this page for cheerio queries and traversal. */
  $: CheerioAPI;
  /** The page's document as cheerio's query root. */
  root: Cheerio<Document>;
}

export function loadPageDom(document: Document): PageDom {
  return { document, $, root: $(document) };
}
