import { Writable } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { createLogger, jobLogger } from '../../src/ops/create-logger.js';

const PASSWORD = 'hunter2-redis-pass';
const WEBHOOK_SECRET = 'whsec-0123456789abcdef';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, destination: { write: (s: string) => stream.write(s) } };
}

function config(env: Record<string, string> = {}) {
  return loadConfig({
    file: null,
    env: {
      REDIS_URL: `redis://default:${PASSWORD}@127.0.0.1:6379/0`,
      NEWSNORM_SINKS: 'file,webhook',
      NEWSNORM_WEBHOOK_URL: 'http://127.0.0.1:9/hook',
      NEWSNORM_WEBHOOK_SECRET: WEBHOOK_SECRET,
      ...env,
    },
  });
}

describe('createLogger', () => {
  test('the database password never reaches a line: config, URL field, error message', () => {
    const dbPassword = 'pg-pa%40ss-w0rd';
    const cfg = config({
      DATABASE_URL: `postgres://newsnorm:${dbPassword}@127.0.0.1:5432/newsnorm`,
    });
    const out = capture();
    const logger = createLogger(cfg, { destination: out.destination });
    logger.info({ config: cfg }, 'configuration');
    logger.info({ databaseUrl: cfg.sinks.databaseUrl }, 'connecting');
    // Drivers may print the password as written or decoded.
    logger.error({ err: new Error('auth failed for pg-pa@ss-w0rd') }, 'postgres connection error');
    const text = out.lines.join('\n');
    expect(out.lines).toHaveLength(3);
    expect(text).not.toContain(dbPassword);
    expect(text).not.toContain('pg-pa@ss-w0rd');
    expect(JSON.parse(out.lines[1]!).databaseUrl).toBe(
      'postgres://newsnorm:***@127.0.0.1:5432/newsnorm',
    );
  });

  test('JSON lines at the configured level', () => {
    const out = capture();
    const logger = createLogger(config({ LOG_LEVEL: 'warn' }), { destination: out.destination });
    logger.info('hidden');
    logger.warn({ n: 1 }, 'shown');
    expect(out.lines).toHaveLength(1);
    expect(JSON.parse(out.lines[0]!)).toMatchObject({ level: 40, n: 1, msg: 'shown' });
  });

  test('the Redis password and the webhook secret never reach a line, wherever they appear', () => {
    const cfg = config();
    const out = capture();
    const logger = createLogger(cfg, { destination: out.destination });
    logger.info({ config: cfg }, 'configuration');
    logger.info({ redisUrl: cfg.queue.redisUrl }, 'connecting');
    logger.error({ err: new Error(`cannot reach ${cfg.queue.redisUrl}`) }, 'failed');
    logger.warn(`webhook signed with ${WEBHOOK_SECRET}`);
    logger.info({ webhookSecret: WEBHOOK_SECRET, headers: { authorization: 'Bearer abc' } });
    const text = out.lines.join('\n');
    expect(out.lines).toHaveLength(5);
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain(WEBHOOK_SECRET);
    expect(text).not.toContain('Bearer abc');
    // The URL stays readable: only its password is gone.
    expect(JSON.parse(out.lines[1]!).redisUrl).toBe('redis://default:***@127.0.0.1:6379/0');
  });

  test('a job logger carries queue, job id and the URL without its credentials', () => {
    const out = capture();
    const logger = createLogger(config(), { destination: out.destination });
    const log = jobLogger(logger, {
      queue: 'fetch',
      jobId: 'url-1',
      url: 'http://user:page-secret@127.0.0.1/a',
    });
    log.warn('job failed');
    const line = JSON.parse(out.lines[0]!) as Record<string, unknown>;
    expect(line).toMatchObject({ queue: 'fetch', jobId: 'url-1', msg: 'job failed' });
    expect(line.url).toBe('http://user:***@127.0.0.1/a');
  });
});
