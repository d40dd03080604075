import { Presets, SingleBar } from 'cli-progress';
import type { Config } from '../config/config.js';
import type { PipelineDeps } from '../pipeline/process-page.js';
import { runLocal, type PageInput, type RunSummary } from '../pipeline/run-local.js';
import type { FsRawStore } from '../raw/raw-store.js';
import { JsonlRecordFile, RecordsFileError } from '../sinks/jsonl-record-file.js';
import { beforeWork, EXIT, reportFailure } from './cli-config.js';
import { STDOUT_PATH, StdoutRecords } from './stdout-records.js';

export function formatSummary(summary: RunSummary, out: string): string {
  const rate = summary.pages / Math.max(summary.elapsedMs / 1000, 1e-9);
  const { new: added, revised, unchanged } = summary.byStatus;
  return (
    `${summary.pages} pages, ${summary.records} records (${added} new, ${revised} revised, ` +
    `${unchanged} unchanged), ${summary.failures.length} failures, ${rate.toFixed(1)} pages/s → ${out}`
  );
}

/**
 * Runs pages through the in-process driver into the configured records file, with a progress
 * bar on a terminal, one line per failed page and the summary line; sets the exit status.
 */
export async function runLocalCommand(
  inputs: PageInput[],
  config: Config,
  pipeline: PipelineDeps,
  rawStore: FsRawStore | null,
): Promise<RunSummary | null> {
  const toStdout = config.paths.outFile === STDOUT_PATH;
  const records = toStdout
    ? new StdoutRecords()
    : await beforeWork(JsonlRecordFile.open(config.paths.outFile));
  for (const spill of records instanceof JsonlRecordFile ? records.leftovers : []) {
    process.stderr.write(
      `newsnorm: ${spill}: left by an earlier run that did not complete its write; its new and ` +
        `revised records are not in ${config.paths.outFile} (run its pages again, then remove it)\n`,
    );
  }
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
      records,
      rawStore,
      onPage: (done) => bar?.update(done),
      onFailure: (f) => {
        bar?.stop();
        reportFailure(f.path, f.code, f.message);
      },
    });
  } catch (error) {
    bar?.stop();
    if (!(error instanceof RecordsFileError)) throw error;
    // The pages were read and kept; their records could not be written to the file.
    process.stderr.write(`newsnorm: ${error.message}\n`);
    process.exitCode = EXIT.partial;
    return null;
  }
  bar?.stop();
  process.stderr.write(`${formatSummary(summary, toStdout ? 'stdout' : config.paths.outFile)}\n`);
  process.exitCode = summary.failures.length > 0 ? EXIT.partial : EXIT.ok;
  return summary;
}
