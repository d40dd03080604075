/**
 * A worker process for the process queue only (docker-compose's `process-worker` service); the same as
 * `newsnorm worker --queues process`. Configuration from the environment and config/newsnorm.json.
 */
import { configFor } from '../src/config/config-for.js';
import { runWorkerMain } from '../src/queue/worker-main.js';

await runWorkerMain(configFor(), { queues: ['process'] });
