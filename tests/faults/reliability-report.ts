import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { format, resolveConfig } from 'prettier';
import type { ScenarioResult } from './fault-harness.js';

/** Order of the scenarios in the report; others follow by name. */
const ORDER = [
  'worker-kill',
  'redis-restart',
  'postgres-restart',
  'retry-after-revision',
  'concurrent-runs',
  'hostile-inputs',
  'memory',
];
const BYTES_PER_GIB = 1024 ** 3;

/** Writes docs/RELIABILITY.md from one run's scenario figures, formatted as the repository is. */
export async function writeReliabilityReport(
  file: string,
  results: ScenarioResult[],
  started: Date,
): Promise<void> {
  const sorted = [...results].sort(
    (a, b) => rank(a.scenario) - rank(b.scenario) || a.scenario.localeCompare(b.scenario),
  );
  const delivery = sorted.filter((r) => typeof r.figures.sent === 'number');
  const lines = [
    '# Reliability',
    '',
    'Written by `npm run test:faults` (tests/faults/) from its last run: real `redis-server`',
    '(and a real PostgreSQL cluster for the postgres sink), real `newsnorm worker` processes of',
    'the built CLI, pages generated from the seed pages (each with a numbered sentence of its',
    'own). Do not edit by hand: run the suite again.',
    '',
    `- run started: ${started.toISOString()}, at commit ${commit()}`,
    `- machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${(totalmem() / BYTES_PER_GIB).toFixed(0)} GiB, Node ${process.version}`,
    `- scenarios: ${sorted.length}, passed: ${sorted.filter((r) => r.passed).length}, total time: ${sorted.reduce((s, r) => s + r.seconds, 0).toFixed(0)} s`,
    '',
  ];
  if (delivery.length > 0) {
    lines.push(
      '## Delivery under faults',
      '',
      '| fault | pages sent | received once | lost | stale | duplicated | failed jobs | result |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
      ...delivery.map(
        (r) =>
          `| ${r.title} | ${r.figures.sent} | ${r.figures.receivedOnce} | ${r.figures.lost} | ${r.figures.stale ?? '-'} | ${r.figures.duplicated} | ${r.figures.failedJobs ?? '-'} | ${verdict(r)} |`,
      ),
      '',
    );
  }
  for (const r of sorted) {
    lines.push(`## ${r.title}`, '', `${verdict(r)} in ${r.seconds.toFixed(1)} s`, '');
    lines.push('| figure | value |', '| --- | ---: |');
    for (const [name, value] of Object.entries(r.figures)) lines.push(`| ${name} | ${value} |`);
    lines.push('');
    if (r.details && r.details.length > 0) lines.push(...r.details, '');
  }
  const options = (await resolveConfig(file)) ?? {};
  writeFileSync(
    file,
    await format(`${lines.join('\n').trimEnd()}\n`, { ...options, filepath: file }),
  );
}

function rank(scenario: string): number {
  const i = ORDER.indexOf(scenario);
  return i === -1 ? ORDER.length : i;
}

function verdict(r: ScenarioResult): string {
  return r.passed ? '**passed**' : '**FAILED**';
}

/** The commit the suite ran on (with "+changes" when the tree differs from it). */
function commit(): string {
  try {
    const hash = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src', 'tests', 'bin'], {
      encoding: 'utf8',
    }).trim();
    return dirty ? `${hash}+changes` : hash;
  } catch {
    return 'unknown';
  }
}
