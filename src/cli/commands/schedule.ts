import type { Command } from 'commander';
import { onQueues } from '../queue-command.js';
import { describeSource, sourceFromOptions, type SourceOptions } from './enqueue.js';

/** Name of the jobs a schedule fires on the schedule queue. */
const SOURCE_JOB_NAME = 'expand-source';
/** Schedules listed at most: far more than an operator keeps, a bound on one command's reply. */
const MAX_LISTED_SCHEDULES = 10_000;

export function registerScheduleCommand(program: Command): void {
  const schedule = program
    .command('schedule')
    .description(
      'Cron schedules as BullMQ Job Schedulers: each fires once per tick however many workers ' +
        'run; a `newsnorm worker` on the schedule queue expands the source into jobs.',
    );

  schedule
    .command('add')
    .description('Add or replace a schedule (same --id: replaced).')
    .requiredOption('--id <name>', 'schedule name')
    .requiredOption('--cron <pattern>', 'cron pattern, e.g. "*/15 * * * *" (UTC unless --tz)')
    .option('--tz <zone>', 'time zone of the pattern, e.g. Europe/Berlin')
    .option('--seeds <dir>', 'folder of seed pages')
    .option('--urls <file>', 'file of URLs, one a line')
    .option('--feed <url>', 'RSS/Atom feed')
    .addHelpText('after', '\nPrints "schedule NAME: CRON → SOURCE, next run at ISO-TIME".')
    .action(async (options: SourceOptions & { id: string; cron: string; tz?: string }) => {
      await onQueues('schedule add', async ({ queues }) => {
        const source = await sourceFromOptions(options);
        try {
          await queues.schedule.upsertJobScheduler(
            options.id,
            { pattern: options.cron, ...(options.tz ? { tz: options.tz } : {}) },
            { name: SOURCE_JOB_NAME, data: source },
          );
        } catch (error) {
          throw new Error(`--cron "${options.cron}": ${(error as Error).message}`);
        }
        const next = (await queues.schedule.getJobScheduler(options.id))?.next;
        process.stdout.write(
          `schedule ${options.id}: ${options.cron} → ${source.kind} ${describeSource(source)}, ` +
            `next run at ${next ? new Date(next).toISOString() : 'unknown'}\n`,
        );
      });
    });

  schedule
    .command('list')
    .description('List schedules, soonest first.')
    .addHelpText(
      'after',
      '\nPrints one JSON line per schedule: {"id","cron","tz","next","source"}.',
    )
    .action(async () => {
      await onQueues('schedule list', async ({ queues }) => {
        for (const s of await queues.schedule.getJobSchedulers(0, MAX_LISTED_SCHEDULES - 1, true)) {
          const line = {
            id: s.key,
            cron: s.pattern ?? null,
            every: s.every ?? null,
            tz: s.tz ?? null,
            next: s.next ? new Date(s.next).toISOString() : null,
            source: s.template?.data ?? null,
          };
          process.stdout.write(`${JSON.stringify(line)}\n`);
        }
      });
    });

  schedule
    .command('remove')
    .description('Remove a schedule; its pending run is removed with it.')
    .argument('<id>', 'schedule name')
    .addHelpText('after', '\nExit status: 1 when no schedule has this id.')
    .action(async (id: string) => {
      await onQueues('schedule remove', async ({ queues }) => {
        if (!(await queues.schedule.getJobScheduler(id))) throw new Error(`no schedule "${id}"`);
        await queues.schedule.removeJobScheduler(id);
        process.stdout.write(`schedule ${id} removed\n`);
      });
    });
}
