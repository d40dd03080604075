import type { CleanPage } from '../clean/clean-page.js';
import { PermanentError } from '../errors.js';
import { decodePage } from '../clean/decode-page.js';
import { detectLanguage } from '../clean/detect-language.js';
import { cleanHtml, type HtmlRules } from '../clean/html/clean-html.js';
import { cleanText } from '../clean/text/clean-text.js';
import type { TextRules } from '../clean/text/text-rules.js';
import type { NameMatcher } from '../normalize/name-matcher.js';
import { resolveNames } from '../normalize/resolve-names.js';
import type { RawPage } from '../raw/raw-page.js';
import { buildRecord, type RecordDraft } from '../record/build-record.js';

/** Everything the CPU stages need, loaded once per process. */
export interface PipelineDeps {
  textRules: TextRules;
  htmlRules: HtmlRules;
  matcher: NameMatcher;
  pipelineVersion: string;
  now: () => Date;
}

export interface ProcessedPage {
  record: RecordDraft;
  clean: CleanPage;
}

/** Cleans a raw page (HTML or text) into a CleanPage. */
export function cleanPage(
  raw: RawPage,
  deps: Pick<PipelineDeps, 'textRules' | 'htmlRules'>,
): CleanPage {
  const decoded = decodePage(raw);
  return decoded.format === 'html'
    ? cleanHtml({ html: decoded.text, url: raw.url }, deps.htmlRules)
    : cleanText(decoded.text, deps.textRules);
}

/**
 * The pure pipeline from a raw page to a record draft: decode, clean, normalize, build.
 * Throws PermanentError for pages that cannot become a record (empty, binary, no article).
 */
export function processPage(raw: RawPage, deps: PipelineDeps): ProcessedPage {
  const clean = cleanPage(raw, deps);
  if (clean.body.trim() === '') {
    throw new PermanentError(
      'CONTENT_NO_ARTICLE',
      `no article text found (${clean.removed.length} blocks removed as boilerplate)`,
    );
  }
  // A page that declares no language (HTML without lang, any text page) is told by its text.
  const page =
    clean.lang === null
      ? { ...clean, lang: detectLanguage(`${clean.title}\n${clean.body}`) }
      : clean;
  const names = resolveNames(page, deps.matcher);
  const record = buildRecord(
    {
      page,
      names,
      source: { kind: raw.kind, uri: raw.uri, retrievedAt: raw.retrievedAt },
      fetchedUrl: raw.url,
      sourceKey: raw.sourceKey ?? null,
    },
    deps,
  );
  return { record, clean };
}
