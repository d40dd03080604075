import type { Command } from 'commander';
import { EXIT } from '../../config/exit-status.js';

export function registerResolveCommand(program: Command): void {
  program
    .command('resolve')
    .description(
      'Resolve place and group names to gazetteer entities: one JSON line per name, ' +
        '{"surface","id","name"}, with id and name null when the name is unknown.',
    )
    .argument('<name...>', 'names to resolve')
    .option('--gazetteer <file>', 'gazetteer replacing the default config/gazetteer.json')
    .addHelpText(
      'after',
      '\nExamples:\n  newsnorm resolve Jeroud "al- Ruhaybah" Qalamoon\n' +
        '  newsnorm resolve دوما القلمون جيرود\n' +
        '  newsnorm resolve --gazetteer my-region.json Dmeir',
    )
    .action(async (names: string[], options: { gazetteer?: string }) => {
      const [{ configFor }, { createNameMatcher }, { loadGazetteer }] = await Promise.all([
        import('../../config/config-for.js'),
        import('../../normalize/create-name-matcher.js'),
        import('../../normalize/gazetteer.js'),
      ]);
      const config = configFor({
        paths: options.gazetteer ? { gazetteer: options.gazetteer } : {},
      });
      let gazetteer;
      try {
        gazetteer = await loadGazetteer(config.paths.gazetteer);
      } catch (error) {
        process.stderr.write(`newsnorm: ${(error as Error).message}\n`);
        process.exit(EXIT.config);
      }
      const matcher = createNameMatcher(gazetteer);
      for (const surface of names) {
        const entity = matcher.resolve(surface);
        process.stdout.write(
          `${JSON.stringify({ surface, id: entity?.id ?? null, name: entity?.name ?? null })}\n`,
        );
      }
    });
}
