import type { Command } from 'commander';
import type { ExpandResult } from '../../jobs/expand-source.js';
import type { SourceJobData } from '../../jobs/job-data.js';
import { onQueues } from '../queue-command.js';

export interface SourceOptions {
  seeds?: string;
  urls?: string;
  feed?: string;
}

/** The one source named by --seeds, --urls or --feed; throws when none or several are. */
export async function sourceFromOptions(options: SourceOptions): Promise<SourceJobData> {
  const { SourceJobData } = await import('../../jobs/job-data.js');
  const given: SourceJobData[] = [];
  if (options.seeds !== undefined) given.push({ kind: 'seeds', dir: options.seeds });
  if (options.urls !== undefined) given.push({ kind: 'urls', file: options.urls });
  if (options.feed !== undefined) given.push({ kind: 'feed', url: options.feed });
  if (given.length !== 1)
    throw new Error('give exactly one of --seeds DIR, --urls FILE, --feed URL');
  const parsed = SourceJobData.safeParse(given[0]);
  if (!parsed.success) {
    const option = `--${given[0]!.kind}`;
    throw new Error(`${option}: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  }
  return parsed.data;
}

export function registerEnqueueCommand(program: Command): void {
  program
    .command('enqueue')
    .description(
      'Add jobs for a source to the queues: seed pages go to the raw store and the process ' +
        'queue, URLs to the fetch queue. Idempotent: a page already queued is one job.',
    )
    .option('--seeds <dir>', 'folder of seed pages')
    .option('--urls <file>', 'file of URLs, one a line (# comments)')
    .option('--feed <url>', 'RSS/Atom feed whose items are fetched')
    .addHelpText(
      'after',
      '\nPrints one line: "enqueued N pages from SOURCE to the process queue" for seeds, and for\n' +
        'URLs what became of each: "enqueued 5 URLs from urls.txt to the fetch queue: 2 queued,\n' +
        '3 already queued, 0 refetched". A URL whose fetch is waiting or running is not queued\n' +
        'twice; one fetched before is fetched again (conditionally: an unchanged page costs a 304\n' +
        'and makes no new revision).\n' +
        'With --feed, only items not handed out before are enqueued (a shared seen-URL set, marked\n' +
        'in the same transaction as their jobs: a failed enqueue leaves them unseen).\n' +
        'Exit status: 0 on success; 1 with a reason on stderr (Redis unreachable, unreadable\n' +
        'source, bad URL line): safe to run from a system crontab.\n' +
        'Example crontab line:\n  */15 * * * * cd /srv/newsnorm && npx newsnorm enqueue --urls config/urls.txt',
    )
    .action(async (options: SourceOptions) => {
      await onQueues('enqueue', async ({ config, queues, redis }) => {
        const [{ seenUrlMarks }, { expandSource }, { createFetchStage }, { FsRawStore }] =
          await Promise.all([
            import('../../jobs/enqueue-urls.js'),
            import('../../jobs/expand-source.js'),
            import('../../jobs/fetch-stage.js'),
            import('../../raw/raw-store.js'),
          ]);
        const source = await sourceFromOptions(options);
        // A feed is fetched here, through the same polite fetch layer as the workers.
        const seen = seenUrlMarks(config);
        const fetchStage =
          source.kind === 'feed' ? createFetchStage(config.fetch, redis, seen) : null;
        try {
          const result = await expandSource(source, {
            fetchQueue: queues.fetch,
            processQueue: queues.process,
            seen,
            rawStore: new FsRawStore(config.paths.rawDir),
            quoteBadLines: true,
            ...(fetchStage ? { readFeed: fetchStage.readFeed } : {}),
          });
          for (const warning of result.warnings ?? []) {
            process.stderr.write(`newsnorm enqueue: ${describeSource(source)}: ${warning}\n`);
          }
          process.stdout.write(`${describeResult(result, source)}\n`);
        } finally {
          await fetchStage?.close();
        }
      });
    });
}

/**
 * The line an enqueue prints: pages for seeds; for URLs what became of each, as in
 * "enqueued 5 URLs from urls.txt to the fetch queue: 2 queued, 3 already queued, 0 refetched".
 */
export function describeResult(result: ExpandResult, source: SourceJobData): string {
  const head = `enqueued ${result.jobs} ${result.urls ? 'URLs' : 'pages'} from ${describeSource(source)} to the ${result.queue} queue`;
  if (!result.urls) return head;
  const { queued, alreadyQueued, refetched } = result.urls;
  const news = source.kind === 'feed' ? ' (new items only)' : '';
  return `${head}${news}: ${queued} queued, ${alreadyQueued} already queued, ${refetched} refetched`;
}

export function describeSource(source: SourceJobData): string {
  switch (source.kind) {
    case 'seeds':
      return source.dir;
    case 'urls':
      return source.file;
    case 'feed':
      return source.url;
  }
}
