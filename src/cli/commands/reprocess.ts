import type { Command } from 'commander';

export function registerReprocessCommand(program: Command): void {
  program
    .command('reprocess')
    .description(
      'Rebuild the records of the records file from the raw store (the latest stored page of ' +
        'each of its sources) with the current rules and gazetteer, without fetching anything. ' +
        'Records whose content changed get a new revision; the others stay as they are.',
    )
    .option('--raw <dir>', 'raw page store (default: config paths.rawDir, "data/raw")')
    .option('--out <file>', 'JSON Lines records file to upsert (default: "out/records.jsonl")')
    .option('--gazetteer <file>', 'entity gazetteer (default: config/gazetteer.json)')
    .option(
      '--all',
      'rebuild every source in the raw store into the records file, not only its own',
    )
    .addHelpText(
      'after',
      '\nOnly the sources the records file already holds are rebuilt: pages that other runs, ' +
        'workers\nor records files kept in the shared raw store stay out of it (--all takes them in).\n' +
        '\nExamples:\n  newsnorm reprocess\n  newsnorm reprocess --gazetteer config/gazetteer.json --out out/records.jsonl\n' +
        '  newsnorm reprocess --all --out out/everything.jsonl\n\n' +
        'Exit status: 0 when every stored page became a record, 1 when any failed.',
    )
    .action(async (options: { raw?: string; out?: string; gazetteer?: string; all?: boolean }) => {
      const [
        { configFor },
        { beforeWork },
        { runLocalCommand },
        { loadPipelineDeps },
        { FsRawStore },
      ] = await Promise.all([
        import('../../config/config-for.js'),
        import('../cli-config.js'),
        import('../local-run.js'),
        import('../../pipeline/load-pipeline-deps.js'),
        import('../../raw/raw-store.js'),
      ]);
      const config = configFor({
        paths: {
          ...(options.raw ? { rawDir: options.raw } : {}),
          ...(options.out ? { outFile: options.out } : {}),
          ...(options.gazetteer ? { gazetteer: options.gazetteer } : {}),
        },
      });
      const store = new FsRawStore(config.paths.rawDir);
      const pipeline = await beforeWork(loadPipelineDeps(config));
      await runLocalCommand(
        async (records) => {
          const own = options.all ? null : records.sourceUris();
          const pointers = [];
          for await (const pointer of store.latestBySource()) {
            if (own === null || own.has(pointer.uri)) pointers.push(pointer);
          }
          pointers.sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0));
          if (own !== null && own.size > pointers.length) {
            process.stderr.write(
              `newsnorm: ${own.size - pointers.length} of the ${own.size} sources in ${records.path} ` +
                `have no page in ${store.dir}; their records stay as they are\n`,
            );
          }
          return pointers.map((p) => ({ label: p.uri, load: () => store.get(p.hash) }));
        },
        config,
        pipeline,
        null,
      );
    });
}
