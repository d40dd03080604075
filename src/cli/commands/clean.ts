import type { Command } from 'commander';
import { EXIT } from '../../config/exit-status.js';

export function registerCleanCommand(program: Command): void {
  program
    .command('clean')
    .description(
      'Clean page files (HTML or plain text, detected) and print one record per file as JSON ' +
        'Lines on stdout, in input order. Nothing is stored.',
    )
    .argument('<file...>', 'page files')
    .option(
      '--url <url>',
      'the URL the page was served from (canonical URL and id when the page states none)',
    )
    .option('--explain', 'print to stderr each removed line or block and the rule that removed it')
    .option('--gazetteer <file>', 'entity gazetteer (default: config/gazetteer.json)')
    .addHelpText(
      'after',
      '\nExamples:\n  newsnorm clean seeds/000_5f6b14ad56607581.txt\n' +
        '  newsnorm clean --explain page.html --url https://example.org/news/1 | jq .title\n\n' +
        'Exit status: 0 when every file became a record, 1 when any failed (the others are printed).',
    )
    .action(
      async (files: string[], options: { url?: string; explain?: boolean; gazetteer?: string }) => {
        if (options.url !== undefined && !URL.canParse(options.url)) {
          process.stderr.write(`newsnorm: --url: not a URL: ${options.url}\n`);
          process.exit(EXIT.config);
        }
        const [
          { configFor },
          { beforeWork, reportFailure },
          { errorCode },
          { loadPipelineDeps },
          { processPage },
          { readSourceFile },
          { withRevision },
        ] = await Promise.all([
          import('../../config/config-for.js'),
          import('../cli-config.js'),
          import('../../errors.js'),
          import('../../pipeline/load-pipeline-deps.js'),
          import('../../pipeline/process-page.js'),
          import('../../raw/read-source-file.js'),
          import('../../record/build-record.js'),
        ]);
        const config = configFor({
          paths: options.gazetteer ? { gazetteer: options.gazetteer } : {},
        });
        const deps = await beforeWork(loadPipelineDeps(config));
        let failed = 0;
        for (const file of files) {
          try {
            const raw = await readSourceFile(file, 'file');
            if (options.url) raw.url = options.url;
            const { record, clean } = processPage(raw, deps);
            if (options.explain) {
              for (const r of clean.removed) {
                process.stderr.write(
                  `${file}: removed [${r.rule}] ${r.text.replace(/\s*\n\s*/g, ' ⏎ ')}\n`,
                );
              }
            }
            process.stdout.write(`${JSON.stringify(withRevision(record, 1))}\n`);
          } catch (error) {
            failed++;
            reportFailure(file, errorCode(error), (error as Error).message);
          }
        }
        process.exitCode = failed > 0 ? EXIT.partial : EXIT.ok;
      },
    );
}
