/**
 * Loaded into a worker process with `node --import` by the fault suite: measures, from inside
 * the worker, how long its main thread stays away from its event loop (where /healthz is
 * answered and job locks are renewed). Two figures, since wall time on a shared machine is
 * stretched by other processes:
 * - wall: the longest event-loop delay (perf_hooks.monitorEventLoopDelay);
 * - CPU: the most CPU time the main thread spent between two ticks of a 10 ms timer, read
 *   from the kernel's per-thread run time (/proc/self/task/<pid>/schedstat). A tick fires once
 *   per loop turn at least, so this bounds the longest synchronous step from above, whatever
 *   the load. The page thread's CPU is not counted: it is not the main thread.
 * On SIGUSR2 it writes both maxima (ms) since the last SIGUSR2 to $NEWSNORM_LOOP_PROBE_FILE
 * as JSON, with a sequence number, and starts again.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setInterval } from 'node:timers';

/** How often the CPU tick runs; the wall histogram samples at the same resolution. */
const TICK_MS = 10;
const NS_PER_MS = 1e6;

const file = process.env.NEWSNORM_LOOP_PROBE_FILE;
if (file) {
  // The main thread's id is the process id.
  const schedstat = `/proc/self/task/${process.pid}/schedstat`;
  const cpuNs = () => Number(readFileSync(schedstat, 'latin1').split(' ')[0]);
  const delay = monitorEventLoopDelay({ resolution: TICK_MS });
  delay.enable();
  let lastCpuNs = cpuNs();
  let maxCpuMs = 0;
  let seq = 0;
  setInterval(() => {
    const now = cpuNs();
    maxCpuMs = Math.max(maxCpuMs, (now - lastCpuNs) / NS_PER_MS);
    lastCpuNs = now;
  }, TICK_MS).unref();
  process.on('SIGUSR2', () => {
    const wallMs = delay.max / NS_PER_MS;
    writeFileSync(file, JSON.stringify({ seq: ++seq, wallMs, cpuMs: maxCpuMs }));
    delay.reset();
    maxCpuMs = 0;
    lastCpuNs = cpuNs();
  });
}
