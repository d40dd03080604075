/**
 * A worker process for the fetch queue only (docker-compose's `fetch-worker` service); the same as
 * `newsnorm worker --queues fetch`. Configuration from the environment and config/newsnorm.json.
 */
import { configFor } from '../src/config/config-for.js';
import { runWorkerMain } from '../src/queue/worker-main.js';

await runWorkerMain(configFor(), { queues: ['fetch'] });
