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

/**
 * Name mentions one record may carry. A long article names a few hundred places and people; a
 * page naming them tens of thousands of times is a list or a trap, and each mention is an
 * object to build, serialize and hand to every sink (100,000 made an 8 MB record).
 */
export const MAX_RECORD_MENTIONS = 20_000;

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
  const mentions = names.entities.reduce((n, e) => n + e.mentions.length, 0);
  if (mentions > MAX_RECORD_MENTIONS) {
    throw new PermanentError(
      'CONTENT_TOO_COMPLEX',
      `${mentions} name mentions (more than ${MAX_RECORD_MENTIONS}): not an article page`,
    );
  }
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
