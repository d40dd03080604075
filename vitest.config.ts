import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Under CI=true a missing redis-server, PostgreSQL, dist/ or ../shared fails the run.
    globalSetup: ['./tests/helpers/ci-prerequisites.ts'],
    reporters: ['default', './tests/helpers/plain-summary-reporter.ts'],
  },
});
