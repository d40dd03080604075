import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { RESULTS_DIR, ROOT, type ScenarioResult } from './fault-harness.js';
import { writeReliabilityReport } from './reliability-report.js';

/** Clears the last run's figures, and writes docs/RELIABILITY.md from this run's at the end. */
export function setup(): () => Promise<void> {
  rmSync(RESULTS_DIR, { recursive: true, force: true });
  const started = new Date();
  return async () => {
    const results: ScenarioResult[] = existsSync(RESULTS_DIR)
      ? readdirSync(RESULTS_DIR)
          .filter((n) => n.endsWith('.json'))
          .sort()
          .map((n) => JSON.parse(readFileSync(join(RESULTS_DIR, n), 'utf8')) as ScenarioResult)
      : [];
    if (results.length === 0) return;
    await writeReliabilityReport(join(ROOT, 'docs', 'RELIABILITY.md'), results, started);
  };
}
