import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import PQueue from 'p-queue';
import { errorCode, PermanentError } from '../errors.js';
import type { FsRawStore } from '../raw/raw-store.js';
import type { RawPage } from '../raw/raw-page.js';
import type { JsonlRecordFile, UpsertStatus } from '../sinks/jsonl-record-file.js';
import type { RecordDraft } from '../record/build-record.js';
import { processPage, type PipelineDeps } from './process-page.js';

/** Page files are read this many at a time; the CPU stages run one at a time anyway. */
export const DEFAULT_READ_CONCURRENCY = 8;

type PageResult = { record: RecordDraft } | { failure: PageFailure };

/** A page to run: a label for messages (its path or URI) and how to load it. */
export interface PageInput {
  label: string;
  load: () => Promise<RawPage>;
}

export interface PageFailure {
  path: string;
  code: string;
  message: string;
}

export interface RunSummary {
  pages: number;
  records: number;
  byStatus: Record<UpsertStatus, number>;
  failures: PageFailure[];
  elapsedMs: number;
}

export interface RunLocalDeps {
  pipeline: PipelineDeps;
  /** The records file, or any target with its upsert and save (standard output). */
  records: Pick<JsonlRecordFile, 'upsert' | 'save'>;
  /** Where to keep each raw page read; null when the pages come from the store already. */
  rawStore: FsRawStore | null;
  /** Called after each page, for progress display. */
  onPage?: (done: number, total: number) => void;
  /** Called for each page that could not become a record. */
  onFailure?: (failure: PageFailure) => void;
  concurrency?: number;
}

/**
 * The page files of a seeds folder, sorted by name; hidden files are skipped. A folder that
 * cannot be listed is a PermanentError (SOURCE_UNREADABLE) that says why.
 */
export async function listSeedFiles(dir: string): Promise<string[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (cause) {
    const reason = (cause as NodeJS.ErrnoException).code ?? (cause as Error).message;
    throw new PermanentError('SOURCE_UNREADABLE', `${dir}: cannot list seeds folder (${reason})`, {
      cause,
    });
  }
  return entries
    .filter((e) => !e.name.startsWith('.') && !e.isDirectory())
    .map((e) => join(dir, e.name))
    .sort();
}

/**
 * The in-process driver: loads each page, runs the pure stages and upserts the record file.
 * A page that fails is reported and counted; the others are still processed and written.
 */
export async function runLocal(inputs: PageInput[], deps: RunLocalDeps): Promise<RunSummary> {
  const started = performance.now();
  const concurrency = deps.concurrency ?? DEFAULT_READ_CONCURRENCY;
  const queue = new PQueue({ concurrency });
  const summary: RunSummary = {
    pages: inputs.length,
    records: 0,
    byStatus: { new: 0, revised: 0, unchanged: 0 },
    failures: [],
    elapsedMs: 0,
  };
  let done = 0;
  const runPage = async ({ label, load }: PageInput): Promise<PageResult> => {
    try {
      const raw = await load();
      // Kept before cleaning: a page today's rules refuse can be rebuilt by reprocess later.
      await deps.rawStore?.put(raw);
      return { record: processPage(raw, deps.pipeline).record };
    } catch (error) {
      return {
        failure: { path: label, code: errorCode(error), message: (error as Error).message },
      };
    } finally {
      deps.onPage?.(++done, inputs.length);
    }
  };
  // Pages are queued a window ahead of the upserts, not all at once: a finished task holds its
  // page's record until it is upserted (and p-queue keeps finished tasks until it compacts), so
  // a run holds a few pages in memory, however many there are.
  const window = 2 * concurrency;
  const inFlight: Promise<PageResult>[] = [];
  let queued = 0;
  const queueNext = () => {
    const input = inputs[queued++]!;
    inFlight.push(queue.add(() => runPage(input)));
  };
  while (queued < inputs.length && inFlight.length < window) queueNext();
  // Upserted and reported in input order, so neither depends on timing.
  while (inFlight.length > 0) {
    const result = await inFlight.shift()!;
    if (queued < inputs.length) queueNext();
    if ('failure' in result) {
      summary.failures.push(result.failure);
      deps.onFailure?.(result.failure);
      continue;
    }
    const { status } = deps.records.upsert(result.record);
    summary.byStatus[status]++;
    summary.records++;
  }
  await deps.records.save();
  summary.elapsedMs = performance.now() - started;
  return summary;
}
