import { serveThread } from '../threads/serve-thread.js';
import type { SourceRequest } from './isolated-sources.js';
import { readSourceLinks, type SourceLinks } from './source-links.js';

/** The thread side of IsolatedSources: reads each source it is sent into its links. */
await serveThread<SourceRequest, SourceLinks>(async () => async (request) => ({
  result: readSourceLinks(request.bytes, request.baseUrl, request.options),
}));
