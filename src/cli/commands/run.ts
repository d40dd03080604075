import type { Command } from 'commander';

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
      'JSON Lines records file, or - for standard output (default: config paths.outFile, "out/records.jsonl")',
    )
    .option('--gazetteer <file>', 'entity gazetteer (default: config/gazetteer.json)')
    .addHelpText(
      'after',
      '\nThe run holds the records file while it works (FILE.lock: its pid and host); a second run\n' +
        'on the same file waits for it (at most ten minutes), so neither loses records.\n' +
        'Record ids of pages without a URL come from their folder name and file name.\n' +
        '\nExamples:\n  newsnorm run\n  newsnorm run --seeds pages/ --out /tmp/records.jsonl\n' +
        '  newsnorm run --seeds pages/ --out - | jq -r .title\n\n' +
        'Exit status: 0 when every page became a record; 1 when any page failed (the others are\n' +
        'written) or the records could not be written; 2 when the seeds folder or the records file\n' +
        'cannot be used, or another run held it for ten minutes (nothing was done).',
    )
    .action(async (options: { seeds?: string; out?: string; gazetteer?: string }) => {
      const [
        { configFor },
        { beforeWork },
        { runLocalCommand },
        { loadPipelineDeps },
        { listSeedFiles },
        { FsRawStore },
        { readSourceFile },
      ] = await Promise.all([
        import('../../config/config-for.js'),
        import('../cli-config.js'),
        import('../local-run.js'),
        import('../../pipeline/load-pipeline-deps.js'),
        import('../../pipeline/run-local.js'),
        import('../../raw/raw-store.js'),
        import('../../raw/read-source-file.js'),
      ]);
      const config = configFor({
        paths: {
          ...(options.seeds ? { seedsDir: options.seeds } : {}),
          ...(options.out ? { outFile: options.out } : {}),
          ...(options.gazetteer ? { gazetteer: options.gazetteer } : {}),
        },
      });
      const [pipeline, paths] = await Promise.all([
        beforeWork(loadPipelineDeps(config)),
        beforeWork(listSeedFiles(config.paths.seedsDir)),
      ]);
      const inputs = paths.map((path) => ({
        label: path,
        load: () => readSourceFile(path, 'seed'),
      }));
      await runLocalCommand(inputs, config, pipeline, new FsRawStore(config.paths.rawDir));
    });
}
