import type { Queue } from 'bullmq';
import type { ExtraRoute } from './ops-server.js';

/** Where the dashboard is served on the operations server. */
export const DASHBOARD_PATH = '/dashboard';

/** The optional packages the dashboard needs; none of them is a dependency of newsnorm. */
const DASHBOARD_PACKAGES = [
  '@bull-board/api',
  '@bull-board/api/bullMQAdapter',
  '@bull-board/express',
  'express',
] as const;

type Handler = (req: unknown, res: unknown) => void;
interface ExpressAdapter {
  setBasePath(path: string): void;
  getRouter(): Handler;
}

/**
 * The bull-board queue dashboard as a route of the operations server, when its optional
 * packages are installed (`npm i @bull-board/api @bull-board/express express`); null when
 * they are not, so the worker runs on without it.
 */
export async function createDashboardRoute(queues: readonly Queue[]): Promise<ExtraRoute | null> {
  let modules: Record<string, unknown>[];
  try {
    // Specifiers in a variable: the type checker and the bundle must not require them.
    modules = await Promise.all(
      DASHBOARD_PACKAGES.map((name) => import(name) as Promise<Record<string, unknown>>),
    );
  } catch {
    return null;
  }
  const [api, adapterModule, expressAdapterModule, expressModule] = modules as [
    { createBullBoard: (o: unknown) => unknown },
    { BullMQAdapter: new (q: Queue, o?: unknown) => unknown },
    { ExpressAdapter: new () => ExpressAdapter },
    { default: () => Handler & { use(path: string, h: Handler): void } },
  ];
  const serverAdapter = new expressAdapterModule.ExpressAdapter();
  serverAdapter.setBasePath(DASHBOARD_PATH);
  api.createBullBoard({
    queues: queues.map((q) => new adapterModule.BullMQAdapter(q, { readOnlyMode: false })),
    serverAdapter,
  });
  const app = expressModule.default();
  app.use(DASHBOARD_PATH, serverAdapter.getRouter());
  return (req, res) => {
    if (!(req.url ?? '').startsWith(DASHBOARD_PATH)) return false;
    app(req, res);
    return true;
  };
}
