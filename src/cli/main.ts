import { Command } from 'commander';
import { createRequire } from 'node:module';

const pkg = createRequire(import.meta.url)('../../../package.json') as { version: string };

/** Builds the command-line program; every command registers itself here. */
export function buildProgram(): Command {
  const program = new Command('newsnorm')
    .description(
      'Scraper-normalizer ingestion pipeline for news pages: clean away boilerplate, split reader\n' +
        'comments, resolve transliterated names to one entity, write canonical records.',
    )
    .version(pkg.version)
    .showHelpAfterError('(run with --help for usage)');
  // Command registrations, one line each (keep this list sorted by command name).
  return program;
}

export async function main(argv: string[]): Promise<void> {
  await buildProgram().parseAsync(argv);
}
