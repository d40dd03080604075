import type { CleanPage } from '../clean-page.js';
import type { TextRules } from './text-rules.js';

/** Cleans a plain-text dump of a news page. */
export function cleanText(text: string, _rules: TextRules): CleanPage {
  return {
    title: '',
    body: text,
    publishedAt: null,
    authors: [],
    tags: [],
    lang: null,
    site: null,
    canonicalUrl: null,
    comments: [],
    removed: [],
  };
}
