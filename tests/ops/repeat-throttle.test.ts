import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createErrorLog, REPEAT_WINDOW_MS } from '../../src/ops/repeat-throttle.js';

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: pino({ level: 'info' }, stream) };
}

const refused = () =>
  Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' });

describe('createErrorLog', () => {
  it('logs an outage once a window with a count of the repeats, and its end once', () => {
    const { lines, logger } = capture();
    let clock = 0;
    const log = createErrorLog(logger, () => clock);
    for (let i = 0; i < 30; i++) {
      log.error({ queue: 'process' }, refused(), 'redis connection error');
      clock += 2_000;
    }
    // 30 attempts over 60 s: the first line, then one more when the window had passed.
    const errors = lines.filter((l) => l.msg === 'redis connection error');
    expect(errors).toHaveLength(1);
    log.error({}, refused(), 'redis connection error');
    expect(lines.filter((l) => l.msg === 'redis connection error')).toHaveLength(2);
    expect(lines.at(-1)).toMatchObject({ repeatsUnlogged: 29 });
    // Another error is its own line at once.
    log.error({}, new Error('NOAUTH Authentication required.'), 'redis connection error');
    expect(lines.filter((l) => l.msg === 'redis connection error')).toHaveLength(3);
    clock += 1_000;
    log.error({}, refused(), 'redis connection error');
    log.recovered('redis connection restored');
    expect(lines.at(-1)).toMatchObject({ msg: 'redis connection restored', repeatsUnlogged: 1 });
    // After the recovery the next outage is logged at once, and a second recovery says nothing.
    log.recovered('redis connection restored');
    expect(lines.filter((l) => l.msg === 'redis connection restored')).toHaveLength(1);
    clock += 1;
    log.error({}, refused(), 'redis connection error');
    expect(lines.at(-1)).toMatchObject({ msg: 'redis connection error' });
    expect(clock).toBeLessThan(3 * REPEAT_WINDOW_MS);
  });

  it('forgets errors whose window is over once many kinds were seen, so memory stays bounded', () => {
    const { lines, logger } = capture();
    let clock = 0;
    const log = createErrorLog(logger, () => clock);
    for (let i = 0; i < 1000; i++) {
      log.error({}, new Error(`Missing lock for job ${i}`), 'worker error');
      clock += 1_000;
    }
    expect(lines).toHaveLength(1000);
    // At most the kinds of one window (60 at one a second) plus the sweep's threshold.
    expect(log.kinds).toBeLessThanOrEqual(64 + REPEAT_WINDOW_MS / 1_000);
    // A repeat inside the window is still counted, not logged.
    log.error({}, new Error('Missing lock for job 999'), 'worker error');
    expect(lines).toHaveLength(1000);
  });
});
