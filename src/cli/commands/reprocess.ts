import type { Command } from 'commander';
import { loadPipelineDeps } from '../../pipeline/load-pipeline-deps.js';
import { FsRawStore } from '../../raw/raw-store.js';
import { configFor, beforeWork } from '../cli-config.js';
import { runLocalCommand } from '../local-run.js';

export function registerReprocessCommand(program: Command): void {
  program
    .command('reprocess')
    .description(
      'Rebuild records from the raw store (the latest stored page of every source) with the ' +
        'current rules and gazetteer, without fetching anything. Records whose content changed ' +
        'get a new revision; the others stay as they are.',
    )
    .option('--raw <dir>', 'raw page store (default: config paths.rawDir, "data/raw")')
    .option('--out <file>', 'JSON Lines records file to upsert (default: "out/records.jsonl")')
    .option('--gazetteer <file>', 'entity gazetteer (default: config/gazetteer.json)')
    .addHelpText(
      'after',
      '\nExamples:\n  newsnorm reprocess\n  newsnorm reprocess --gazetteer config/gazetteer.json --out out/records.jsonl\n\n' +
        'Exit status: 0 when every stored page became a record, 1 when any failed.',
    )
    .action(async (options: { raw?: string; out?: string; gazetteer?: string }) => {
      const config = configFor({
        paths: {
          ...(options.raw ? { rawDir: options.raw } : {}),
          ...(options.out ? { outFile: options.out } : {}),
          ...(options.gazetteer ? { gazetteer: options.gazetteer } : {}),
        },
      });
      const store = new FsRawStore(config.paths.rawDir);
      const pointers = [];
      for await (const pointer of store.latestBySource()) pointers.push(pointer);
      pointers.sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0));
      const pipeline = await beforeWork(loadPipelineDeps(config));
      const inputs = pointers.map((p) => ({ label: p.uri, load: () => store.get(p.hash) }));
      await runLocalCommand(inputs, config, pipeline, null);
    });
}
