import { workerData } from 'node:worker_threads';
import type { Config } from '../config/config.js';
import { FsRawStore, loadRawPage } from '../raw/raw-store.js';
import { madeRecord } from '../record/record-json.js';
import { serveThread } from '../threads/serve-thread.js';
import type { PageRequest, StoredPageRecord } from './isolated-pages.js';
import { loadPipelineDeps } from './load-pipeline-deps.js';
import { processPage } from './process-page.js';

/**
 * The thread side of IsolatedPages: loads the rules and gazetteer once, then reads each page
 * it is asked for from the raw store, runs processPage on it and answers with the record's
 * JSON (made here: a large record's serialization would otherwise hold the worker's loop).
 */
const { paths } = workerData as { paths: Config['paths'] };
await serveThread<PageRequest, StoredPageRecord>(async () => {
  const deps = await loadPipelineDeps({ paths });
  const store = new FsRawStore(paths.rawDir);
  return async ({ rawHash }) => {
    const raw = await loadRawPage(store, rawHash);
    const draft = processPage(raw, deps).record;
    return { result: { record: madeRecord(draft), retrievedAt: raw.retrievedAt } };
  };
});
