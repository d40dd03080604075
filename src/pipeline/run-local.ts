import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import PQueue from 'p-queue';
import type { ErrorCode } from '../error-codes.js';
import { errorCode, PermanentError } from '../errors.js';
import type { FsRawStore } from '../raw/raw-store.js';
import type { RawPage } from '../raw/raw-page.js';
import { withRevision, type RecordDraft } from '../record/build-record.js';
import { deliverRecord } from '../delivery/deliver-record.js';
import type { RecordSink } from '../delivery/record-sink.js';
import type { RevisionState, RevisionStatus, RevisionStore } from '../delivery/revision-store.js';
import type { SinkWriter } from '../sinks/sink-writer.js';
import { processPage, type PipelineDeps } from './process-page.js';

/** Page files are read this many at a time; the CPU stages run one at a time anyway. */
export const DEFAULT_READ_CONCURRENCY = 8;

type PageResult = { record: RecordDraft; readAtMs: number | null } | { failure: PageFailure };

/** A page to run: a label for messages (its path or URI) and how to load it. */
export interface PageInput {
  label: string;
  load: () => Promise<RawPage>;
}

export interface PageFailure {
  path: string;
  code: ErrorCode;
  message: string;
}

export interface RunSummary {
  pages: number;
  records: number;
  byStatus: Record<RevisionStatus, number>;
  failures: PageFailure[];
  elapsedMs: number;
}

/**
 * The records `run` and `reprocess` write into: a sink that keeps its records' revisions (the
 * records file, or standard output, which keeps none) and is saved at the end.
 */
export interface LocalRecords extends RecordSink {
  /** Where the records are, for messages. */
  readonly path: string;
  /** The revisions it holds already. */
  revisions(): Iterable<[string, RevisionState]>;
  /** The sources of its records; null when it keeps none (standard output). */
  sourceUris(): Set<string> | null;
  save(): Promise<void>;
}

export interface RunLocalDeps {
  pipeline: PipelineDeps;
  /** Decides each record's revision: the records file's revisions as opened (FileRevisionStore). */
  store: RevisionStore;
  /** Where new and revised records go: the records file, or standard output. */
  records: LocalRecords;
  /** Where to keep each raw page read; null when the pages come from the store already. */
  rawStore: FsRawStore | null;
  /**
   * Further sinks (postgres) that get every record at the file's revision, unchanged ones too,
   * so one that missed a write catches up; their failures come back as page failures.
   */
  sinks?: SinkWriter;
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
    byStatus: { new: 0, revised: 0, unchanged: 0, stale: 0 },
    failures: [],
    elapsedMs: 0,
  };
  let done = 0;
  const runPage = async ({ label, load }: PageInput): Promise<PageResult> => {
    try {
      const raw = await load();
      // Kept before cleaning: a page today's rules refuse can be rebuilt by reprocess later.
      await deps.rawStore?.put(raw);
      const readAtMs = raw.retrievedAt === null ? null : Date.parse(raw.retrievedAt);
      return { record: processPage(raw, deps.pipeline).record, readAtMs };
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
  // The input each record id of this run came from: two pages never share an id in one output.
  const sourceOf = new Map<string, string>();
  let index = 0;
  // Delivered and reported in input order, so neither depends on timing.
  while (inFlight.length > 0) {
    const result = await inFlight.shift()!;
    const label = inputs[index++]!.label;
    if (queued < inputs.length) queueNext();
    const failure =
      'failure' in result ? result.failure : collision(result.record.id, label, sourceOf);
    if (failure || 'failure' in result) {
      summary.failures.push(failure!);
      deps.onFailure?.(failure!);
      continue;
    }
    const { revision, status } = await deliverRecord(result.record, result.readAtMs, {
      store: deps.store,
      sinks: [deps.records],
      leaseMs: 0,
    });
    summary.byStatus[status]++;
    summary.records++;
    // Stale content reaches no sink; every other record goes to the further sinks at the file's
    // revision, unchanged ones too.
    if (status !== 'stale') await deps.sinks?.write(withRevision(result.record, revision), label);
    reportSinkFailures(deps, summary);
  }
  await deps.sinks?.flush();
  reportSinkFailures(deps, summary);
  await deps.records.save();
  summary.elapsedMs = performance.now() - started;
  return summary;
}

/** A record a sink could not take is a failed page, with its reason and where it still is. */
function reportSinkFailures(deps: RunLocalDeps, summary: RunSummary): void {
  for (const f of deps.sinks?.takeFailures() ?? []) {
    const failure = {
      path: f.label,
      code: f.code,
      message: `record not written to ${f.sink} (it is in ${deps.records.path}): ${f.message}`,
    };
    summary.failures.push(failure);
    deps.onFailure?.(failure);
  }
}

/**
 * A page whose record id another page of this run already has (two files stating one
 * canonical URL): reported, never made a revision of the other.
 */
function collision(id: string, label: string, sourceOf: Map<string, string>): PageFailure | null {
  const first = sourceOf.get(id);
  if (first === undefined) {
    sourceOf.set(id, label);
    return null;
  }
  return {
    path: label,
    code: 'RECORD_ID_COLLISION',
    message: `has the record id ${id} of ${first} in this run (the same canonical URL?); not written`,
  };
}
