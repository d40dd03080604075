import { Command } from 'commander';
import { PACKAGE_VERSION } from '../version.js';
import { registerCleanCommand } from './commands/clean.js';
import { registerEnqueueCommand } from './commands/enqueue.js';
import { registerFailedCommand } from './commands/failed.js';
import { registerReprocessCommand } from './commands/reprocess.js';
import { registerResolveCommand } from './commands/resolve.js';
import { registerRetryCommand } from './commands/retry.js';
import { registerRunCommand } from './commands/run.js';
import { registerScheduleCommand } from './commands/schedule.js';
import { registerStatusCommand } from './commands/status.js';
import { registerTailCommand } from './commands/tail.js';
import { registerWorkerCommand } from './commands/worker.js';

/** Builds the command-line program; every command registers itself here. */
export function buildProgram(): Command {
  const program = new Command('newsnorm')
    .description(
      'Scraper-normalizer ingestion pipeline for news pages: clean away boilerplate, split reader ' +
        'comments, resolve transliterated names to one entity, write canonical records.',
    )
    .version(PACKAGE_VERSION)
    .showHelpAfterError('(run with --help for usage)');
  // Command registrations, one line each (keep this list sorted by command name).
  registerCleanCommand(program);
  registerEnqueueCommand(program);
  registerFailedCommand(program);
  registerReprocessCommand(program);
  registerResolveCommand(program);
  registerRetryCommand(program);
  registerRunCommand(program);
  registerScheduleCommand(program);
  registerStatusCommand(program);
  registerTailCommand(program);
  registerWorkerCommand(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  await buildProgram().parseAsync(argv);
}
