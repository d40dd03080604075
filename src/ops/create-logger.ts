import pino, { type DestinationStream, type Logger } from 'pino';
import type { Config } from '../config/config.js';
import { censorField, configSecrets, scrubSecrets, type SecretSources } from './redact-secrets.js';

/**
 * Fields redacted wherever pino meets them, at the top level or one level down (`config.*`,
 * `job.*`, `err.*`): URLs lose their password, secrets and authorization headers are replaced.
 */
export const REDACTED_FIELDS = [
  'url',
  'uri',
  'redisUrl',
  'webhookUrl',
  'webhookSecret',
  'databaseUrl',
  'password',
  'authorization',
  'headers.authorization',
  'headers.cookie',
  '*.url',
  '*.uri',
  '*.redisUrl',
  '*.webhookUrl',
  '*.webhookSecret',
  '*.databaseUrl',
  '*.password',
  '*.authorization',
  'config.queue.redisUrl',
  'config.sinks.webhookUrl',
  'config.sinks.webhookSecret',
  'config.sinks.databaseUrl',
] as const;

export interface CreateLoggerOptions {
  /** Where JSON lines go: a stream (tests) or a file descriptor. @default 2 (stderr) */
  destination?: DestinationStream | number;
  /** Fields on every line. @default { pid } */
  base?: Record<string, unknown>;
}

/** The part of the configuration the logger reads. */
export type LoggerConfig = Pick<Config, 'log'> & SecretSources;

/**
 * The one logger factory of newsnorm processes: pino JSON lines, the level from `log.level`,
 * secret fields redacted by name, and the configured secrets (the Redis password, the webhook
 * key) scrubbed by value from every line, so an error message quoting a connection string
 * cannot leak one either.
 */
export function createLogger(config: LoggerConfig, options: CreateLoggerOptions = {}): Logger {
  const target = options.destination ?? 2;
  const sink: DestinationStream =
    typeof target === 'number' ? pino.destination({ fd: target, sync: true }) : target;
  const secrets = configSecrets(config);
  const destination = secrets.length > 0 ? scrubbingStream(sink, secrets) : sink;
  return pino(
    {
      level: config.log.level,
      base: options.base ?? { pid: process.pid },
      redact: { paths: [...REDACTED_FIELDS], censor: censorField },
      serializers: { err: pino.stdSerializers.err },
    },
    destination,
  );
}

/** A destination that scrubs secret values from each line before passing it on. */
function scrubbingStream(sink: DestinationStream, secrets: readonly string[]): DestinationStream {
  const flushable = sink as DestinationStream & {
    flush?: (cb?: (err?: Error) => void) => void;
    flushSync?: () => void;
  };
  return {
    write: (line: string) => sink.write(scrubSecrets(line, secrets)),
    ...(flushable.flush ? { flush: (cb?: (err?: Error) => void) => flushable.flush!(cb) } : {}),
    ...(flushable.flushSync ? { flushSync: () => flushable.flushSync!() } : {}),
  } as DestinationStream;
}

/** The logger of one job: every line carries its queue, job id and (password-free) URL. */
export function jobLogger(
  logger: Logger,
  job: { queue: string; jobId: string | undefined; url: string | undefined },
): Logger {
  return logger.child({ queue: job.queue, jobId: job.jobId, url: job.url });
}
