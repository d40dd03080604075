import { PermanentError } from '../../errors.js';
import type { CleanPage } from '../clean-page.js';

/** Site profiles and HTML cleaning rules, loaded once from config/. */
export interface HtmlRules {
  sites: unknown[];
}

export interface CleanHtmlInput {
  html: string;
  /** The URL the page was served from, for relative links and site profiles. */
  url: string | null;
}

/** Extracts the article from an HTML page. */
export function cleanHtml(_input: CleanHtmlInput, _rules: HtmlRules): CleanPage {
  throw new PermanentError('FORMAT_UNSUPPORTED', 'HTML extraction is not built yet');
}
