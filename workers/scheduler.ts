/**
 * The scheduler process: works the schedule queue, where BullMQ Job Schedulers put one job per
 * cron tick, and expands each source into fetch or process jobs. Run any number of them: each
 * tick is one job, taken by one of them. The same as `newsnorm worker --queues schedule`.
 */
import { configFor } from '../src/config/config-for.js';
import { runWorkerMain } from '../src/queue/worker-main.js';

await runWorkerMain(configFor(), { queues: ['schedule'] });
