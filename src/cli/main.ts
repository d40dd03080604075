import { Command, CommanderError } from 'commander';
import { PipelineError } from '../errors.js';
import { PACKAGE_VERSION } from '../version.js';
import { EXIT } from '../config/exit-status.js';
import { registerCleanCommand } from './commands/clean.js';
import { registerDbCommand } from './commands/db.js';
import { registerEnqueueCommand } from './commands/enqueue.js';
import { registerFailedCommand } from './commands/failed.js';
import { registerGazetteerCommand } from './commands/gazetteer.js';
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
    .showHelpAfterError('(run with --help for usage)')
    // Usage errors come back to main (exit status 2) instead of exiting with 1; commands
    // registered below inherit this.
    .exitOverride();
  // Command registrations, one line each (keep this list sorted by command name).
  registerCleanCommand(program);
  registerDbCommand(program);
  registerEnqueueCommand(program);
  registerFailedCommand(program);
  registerGazetteerCommand(program);
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

/**
 * `newsnorm failed | head -1`: once the reader of the output has gone, the output is not wanted
 * any more, so the command ends there, quietly and with status 0, instead of dying on EPIPE
 * with a stack trace. A closed stderr only loses messages: the command goes on.
 */
function endQuietlyOnClosedPipe(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(EXIT.ok);
    throw error;
  });
  process.stderr.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
}

/** Log levels at which an unexpected error is printed with its stack. */
const STACK_LEVELS = new Set(['debug', 'trace']);

/**
 * Runs the command line. Commands report the failures they expect and set the exit status
 * themselves; an error that escapes one is still one line on stderr (its stack only with
 * LOG_LEVEL=debug) and exit status 1, not a stack trace.
 */
export async function main(argv: string[], program = buildProgram()): Promise<void> {
  endQuietlyOnClosedPipe();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has printed the message (or the help, or the version) already.
      process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.config;
      return;
    }
    const err = error instanceof Error ? error : new Error(String(error));
    // A PipelineError is a known failure with its code; anything else is a fault to locate.
    const detail = STACK_LEVELS.has(process.env.LOG_LEVEL ?? '')
      ? `\n${err.stack}`
      : error instanceof PipelineError
        ? ` [${error.code}]`
        : ' (LOG_LEVEL=debug prints where)';
    process.stderr.write(`newsnorm: ${err.message}${detail}\n`);
    process.exitCode = EXIT.partial;
  }
}
