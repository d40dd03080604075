import { Presets, SingleBar } from 'cli-progress';
import type { Config } from '../config/config.js';
import type { PipelineDeps } from '../pipeline/process-page.js';
import {
  runLocal,
  type LocalRecords,
  type PageInput,
  type RunSummary,
} from '../pipeline/run-local.js';
import type { FsRawStore } from '../raw/raw-store.js';
import { JsonlRecordFile, RecordsFileError } from '../sinks/jsonl-record-file.js';
import { openLocalSinks } from '../sinks/open-local-sinks.js';
import { lockRecordsFile } from '../sinks/records-file-lock.js';
import { FileRevisionStore } from '../delivery/revision-store.js';
import { EXIT } from '../config/exit-status.js';
import { beforeWork, reportFailure } from './cli-config.js';
import { STDOUT_PATH, StdoutRecords } from './stdout-records.js';

export function formatSummary(summary: RunSummary, out: string): string {
  const rate = summary.pages / Math.max(summary.elapsedMs / 1000, 1e-9);
  const { new: added, revised, unchanged, stale } = summary.byStatus;
  // Pages read before the record already in the file (an older copy in the raw store).
  const older = stale > 0 ? `, ${stale} older than the file's` : '';
  return (
    `${summary.pages} pages, ${summary.records} records (${added} new, ${revised} revised, ` +
    `${unchanged} unchanged${older}), ${summary.failures.length} failures, ${rate.toFixed(1)} pages/s → ${out}`
  );
}

/** What `reprocess` asks of the records it runs into: their sources, null for standard output. */
type InputsFor = (records: LocalRecords) => Promise<PageInput[]>;

/**
 * Runs pages through the in-process driver into the configured records file (or standard
 * output for `--out -`), with a progress bar on a terminal, one line per failed page and the
 * summary line; sets the exit status.
 */
export async function runLocalCommand(
  inputs: PageInput[] | InputsFor,
  config: Config,
  pipeline: PipelineDeps,
  rawStore: FsRawStore | null,
): Promise<RunSummary | null> {
  if (config.paths.outFile === STDOUT_PATH) {
    return runInto(new StdoutRecords(), inputs, config, pipeline, rawStore);
  }
  // Held from before the file is read until it is replaced: a second run waits its turn.
  const lock = await beforeWork(
    lockRecordsFile(config.paths.outFile, {
      onWait: (message) => process.stderr.write(`newsnorm: ${message}\n`),
    }),
  );
  try {
    const records = await beforeWork(JsonlRecordFile.open(config.paths.outFile));
    for (const spill of records.leftovers) {
      process.stderr.write(
        `newsnorm: ${spill}: left by an earlier run that did not complete its write; its new and ` +
          `revised records are not in ${records.path} (run its pages again, then remove it)\n`,
      );
    }
    return await runInto(records, inputs, config, pipeline, rawStore);
  } finally {
    lock.release();
  }
}

async function runInto(
  records: LocalRecords,
  given: PageInput[] | InputsFor,
  config: Config,
  pipeline: PipelineDeps,
  rawStore: FsRawStore | null,
): Promise<RunSummary | null> {
  const inputs = typeof given === 'function' ? await given(records) : given;
  const store = new FileRevisionStore(records.revisions(), [records.name]);
  const sinks = await beforeWork(openLocalSinks(config.sinks));
  const bar = process.stderr.isTTY
    ? new SingleBar(
        { format: 'pages {bar} {value}/{total} {eta_formatted}', stream: process.stderr },
        Presets.shades_classic,
      )
    : null;
  bar?.start(inputs.length, 0);
  let summary: RunSummary;
  try {
    summary = await runLocal(inputs, {
      pipeline,
      store,
      records,
      rawStore,
      ...(sinks ? { sinks } : {}),
      onPage: (done) => bar?.update(done),
      onFailure: (f) => {
        bar?.stop();
        reportFailure(f.path, f.code, f.message);
      },
    });
  } catch (error) {
    bar?.stop();
    await sinks?.close();
    if (!(error instanceof RecordsFileError)) throw error;
    // The pages were read and kept; their records could not be written to the file.
    process.stderr.write(`newsnorm: ${error.message}\n`);
    process.exitCode = EXIT.partial;
    return null;
  }
  bar?.stop();
  await sinks?.close();
  const written = [records.path, ...(sinks?.sinks.map((s) => s.name) ?? [])];
  process.stderr.write(`${formatSummary(summary, written.join(' + '))}\n`);
  process.exitCode = summary.failures.length > 0 ? EXIT.partial : EXIT.ok;
  return summary;
}
