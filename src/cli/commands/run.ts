import { SingleBar, Presets } from 'cli-progress';
import type { Command } from 'commander';
import { loadPipelineDeps } from '../../pipeline/load-pipeline-deps.js';
import { listSeedFiles, runLocal, type RunSummary } from '../../pipeline/run-local.js';
import { FsRawStore } from '../../raw/raw-store.js';
import { JsonlRecordFile } from '../../sinks/jsonl-record-file.js';
import { EXIT, configFor, reportFailure } from '../cli-config.js';

export function formatSummary(summary: RunSummary, out: string): string {
  const rate = summary.pages / Math.max(summary.elapsedMs / 1000, 1e-9);
  const { new: added, revised, unchanged } = summary.byStatus;
  return (
    `${summary.pages} pages, ${summary.records} records (${added} new, ${revised} revised, ` +
    `${unchanged} unchanged), ${summary.failures.length} failures, ${rate.toFixed(1)} pages/s → ${out}`
  );
}

export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description(
      'Run the pipeline in this process, without Redis: every page in the seeds folder is ' +
        'cleaned, normalized and upserted into the records file (by id and revision).',
    )
    .option('--seeds <dir>', 'folder of pages to read (default: config paths.seedsDir, "seeds")')
    .option(
      '--out <file>',
      'JSON Lines records file (default: config paths.outFile, "out/records.jsonl")',
    )
    .option('--gazetteer <file>', 'entity gazetteer (default: config/gazetteer.json)')
    .addHelpText(
      'after',
      '\nExamples:\n  newsnorm run\n  newsnorm run --seeds pages/ --out /tmp/records.jsonl\n\n' +
        'Exit status: 0 when every page became a record, 1 when any page failed (the others are written).',
    )
    .action(async (options: { seeds?: string; out?: string; gazetteer?: string }) => {
      const config = configFor({
        paths: {
          ...(options.seeds ? { seedsDir: options.seeds } : {}),
          ...(options.out ? { outFile: options.out } : {}),
          ...(options.gazetteer ? { gazetteer: options.gazetteer } : {}),
        },
      });
      const [pipeline, records, paths] = await Promise.all([
        loadPipelineDeps(config),
        JsonlRecordFile.open(config.paths.outFile),
        listSeedFiles(config.paths.seedsDir),
      ]);
      const bar = process.stderr.isTTY
        ? new SingleBar(
            { format: 'pages {bar} {value}/{total} {eta_formatted}', stream: process.stderr },
            Presets.shades_classic,
          )
        : null;
      bar?.start(paths.length, 0);
      const summary = await runLocal(paths, 'seed', {
        pipeline,
        records,
        rawStore: new FsRawStore(config.paths.rawDir),
        onPage: (done) => bar?.update(done),
        onFailure: (f) => {
          bar?.stop();
          reportFailure(f.path, f.code, f.message);
        },
      });
      bar?.stop();
      process.stderr.write(`${formatSummary(summary, config.paths.outFile)}\n`);
      process.exitCode = summary.failures.length > 0 ? EXIT.partial : EXIT.ok;
    });
}
