import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

/**
 * The fault suite (`npm run test:faults`), apart from `npm test`: real redis-server, real
 * worker processes, scenario after scenario, each bounded in pages and time. Its figures go
 * to docs/RELIABILITY.md.
 */
export default defineConfig({
  test: {
    root: join(import.meta.dirname, '..', '..'),
    include: ['tests/faults/**/*.fault.ts'],
    fileParallelism: false,
    pool: 'forks',
    // Each scenario bounds itself below this; this is the backstop.
    testTimeout: 20 * 60_000,
    // Clean-up removes raw stores of up to 100,000 pages: over two minutes on a loaded machine.
    hookTimeout: 5 * 60_000,
    globalSetup: ['tests/faults/report-setup.ts'],
    reporters: ['default'],
  },
});
