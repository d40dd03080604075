/**
 * A worker process for bench:queue-floor: `newsnorm worker` on the process queue, with jobs that
 * do less than the process stage. Same configuration, BullMQ settings and shutdown; only the
 * job body differs:
 * - `bullmq`: the job does nothing;
 * - `pipeline`: reads the raw page, cleans it, resolves names, builds the record and its JSON,
 *   and stops there: no revision claim, no sink.
 *
 *   node dist/bench/queue-floor-worker.js bullmq|pipeline     # concurrency: BENCH_CONCURRENCY
 */
import { loadConfig } from '../src/config/config.js';
import { processPage } from '../src/pipeline/process-page.js';
import type { ProcessJobData } from '../src/jobs/job-data.js';
import type { ProcessJobDeps } from '../src/jobs/process-job.js';
import { runWorkerMain } from '../src/queue/worker-main.js';
import { recordJson } from '../src/record/record-json.js';

const JOB_BODIES = {
  bullmq: async () => undefined,
  pipeline: async (data: ProcessJobData, deps: ProcessJobDeps) => {
    const { record } = processPage(await deps.rawStore.get(data.rawHash), deps.pipeline);
    recordJson(record);
    // What a real job returns, in size: BullMQ keeps it with the job and in its event stream.
    return { id: record.id, revision: 1, written: [] };
  },
};

const level = process.argv[2];
if (level !== 'bullmq' && level !== 'pipeline') {
  process.stderr.write('usage: queue-floor-worker.js bullmq|pipeline\n');
  process.exit(2);
}
await runWorkerMain(loadConfig({ env: process.env }), {
  queues: ['process'],
  concurrency: Number(process.env.BENCH_CONCURRENCY ?? 32),
  processJob: JOB_BODIES[level],
});
