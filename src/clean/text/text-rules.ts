import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { PermanentError } from '../../errors.js';
import { ruleRegExp } from '../rule-regex.js';
import { loadTextModel, readRulesJson, type TextModel } from './text-model.js';

/** A regular expression as it is written in the rules file. */
const Pattern = z.object({
  id: z.string().min(1),
  pattern: z.string().min(1),
  flags: z
    .string()
    .regex(/^[imsu]*$/)
    .default(''),
  why: z.string().optional(),
});

const Signal = Pattern.extend({ weight: z.number() });

/** The rules file: patterns are data, so a new site's chrome is a config change, not a code change. */
export const TextRulesFile = z.object({
  version: z.literal(1),
  /** The article classifier's weights: a JSON file, relative to this rules file. */
  model: z.string().min(1),
  /** A whole line matching one of these is boilerplate wherever it stands. */
  dropLines: z.array(Pattern),
  /** Labels of related-article lists: dropped, and the article ends there once it has started. */
  articleEnds: z.array(Pattern),
  /** Lines that open a ticker; the ticker's headline line that follows goes with them. */
  tickerStarts: z.array(Pattern),
  /** Comment-widget and comment-form chrome: dropped, and the comment section starts there. */
  commentChrome: z.array(Pattern),
  /** Action lines that close a comment in structured widgets ("Reply", "Like · Reply · 3y"). */
  commentActions: z.array(Pattern),
  /** A comment's header line; the named group `author` holds the reader ("A said...", "A • 3 years ago"). */
  commentHeads: z.array(Pattern),
  /** A keywords line; its named group `tags` holds the tags. Ends the article. */
  keywordLines: z.array(Pattern),
  /** Lines that name the site in a named group `site`. Dropped unless `keep` is set. */
  siteLines: z.array(Pattern.extend({ keep: z.boolean().default(false) })),
  /** Image captions and photo credits. */
  captions: z.array(Pattern),
  /** Byline labels; the named group `names` holds the writers ("By A and B", "Reporter: A"). */
  bylines: z.array(Pattern),
  /** Evidence that a comment is spam; a comment whose weights reach the threshold is flagged. */
  spam: z.object({ threshold: z.number().positive(), signals: z.array(Signal) }),
  /** Evidence that a paragraph is a reader's comment rather than reporting (positive) or the reverse (negative). */
  commentStyle: z.object({ threshold: z.number().positive(), signals: z.array(Signal) }),
});
export type TextRulesFile = z.infer<typeof TextRulesFile>;

export interface CompiledPattern {
  id: string;
  regex: RegExp;
}

export interface CompiledSignal extends CompiledPattern {
  weight: number;
}

/** Cleaning rules for plain-text pages, compiled once. */
export interface TextRules {
  dropLines: CompiledPattern[];
  tickerStarts: CompiledPattern[];
  articleEnds: CompiledPattern[];
  commentChrome: CompiledPattern[];
  commentActions: CompiledPattern[];
  commentHeads: CompiledPattern[];
  keywordLines: CompiledPattern[];
  siteLines: Array<CompiledPattern & { keep: boolean }>;
  captions: CompiledPattern[];
  bylines: CompiledPattern[];
  spam: { threshold: number; signals: CompiledSignal[] };
  commentStyle: { threshold: number; signals: CompiledSignal[] };
  model: TextModel;
}

function compile<T extends z.infer<typeof Pattern>>(
  p: T,
  where: string,
  global = false,
): CompiledPattern & Omit<T, 'pattern' | 'flags'> {
  const { pattern, flags, ...rest } = p;
  try {
    return { ...rest, regex: ruleRegExp(pattern, `${flags}${global ? 'g' : ''}`) };
  } catch (cause) {
    throw new PermanentError(
      'RULES_INVALID',
      `${where}: rule "${p.id}": ${(cause as Error).message}`,
    );
  }
}

/** Validates and compiles a rules object; errors name the file and the rule. */
export function compileTextRules(json: unknown, origin: string, model: TextModel): TextRules {
  const parsed = TextRulesFile.safeParse(json);
  if (!parsed.success) {
    throw new PermanentError(
      'RULES_INVALID',
      `${origin}: invalid text rules\n${z.prettifyError(parsed.error)}`,
    );
  }
  const r = parsed.data;
  return {
    dropLines: r.dropLines.map((p) => compile(p, origin)),
    tickerStarts: r.tickerStarts.map((p) => compile(p, origin)),
    articleEnds: r.articleEnds.map((p) => compile(p, origin)),
    commentChrome: r.commentChrome.map((p) => compile(p, origin)),
    commentActions: r.commentActions.map((p) => compile(p, origin)),
    commentHeads: r.commentHeads.map((p) => compile(p, origin)),
    keywordLines: r.keywordLines.map((p) => compile(p, origin)),
    siteLines: r.siteLines.map((p) => compile(p, origin)),
    captions: r.captions.map((p) => compile(p, origin)),
    bylines: r.bylines.map((p) => compile(p, origin)),
    spam: {
      threshold: r.spam.threshold,
      signals: r.spam.signals.map((p) => compile(p, origin, true)),
    },
    commentStyle: {
      threshold: r.commentStyle.threshold,
      signals: r.commentStyle.signals.map((p) => compile(p, origin, true)),
    },
    model,
  };
}

export async function loadTextRules(path: string): Promise<TextRules> {
  const json = await readRulesJson(path);
  const file = (json as { model?: unknown } | null)?.model;
  const model = await loadTextModel(
    resolve(dirname(path), typeof file === 'string' ? file : 'text-model.json'),
  );
  return compileTextRules(json, path, model);
}
