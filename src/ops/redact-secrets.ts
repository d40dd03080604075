import { redactUrl } from '../config/config.js';

/**
 * Secrets shorter than this are not scrubbed from log lines by value: replacing every "ab"
 * in every line would mangle the logs and hide nothing worth hiding. They are still redacted
 * by field name.
 */
const MIN_SCRUBBED_SECRET_CHARS = 4;

/** What the logger must never print, read from the configuration. */
export interface SecretSources {
  queue: { redisUrl: string };
  sinks: { webhookUrl: string | null; webhookSecret: string | null; databaseUrl?: string | null };
}

/**
 * The secret values in the configuration: the Redis, webhook and database URL passwords, the
 * webhook key.
 */
export function configSecrets(config: SecretSources): string[] {
  const secrets = new Set<string>();
  for (const url of [config.queue.redisUrl, config.sinks.webhookUrl, config.sinks.databaseUrl]) {
    for (const password of urlPasswords(url ?? null)) secrets.add(password);
  }
  if (config.sinks.webhookSecret) secrets.add(config.sinks.webhookSecret);
  return [...secrets].filter((s) => s.length >= MIN_SCRUBBED_SECRET_CHARS);
}

/** A URL's password as written and percent-decoded (both may appear in a message); none without one. */
export function urlPasswords(url: string | null): string[] {
  const password = urlPassword(url);
  return password ? [...new Set([password, safeDecode(password)])] : [];
}

/** Replaces every occurrence of each secret in a log line with `***`. */
export function scrubSecrets(line: string, secrets: readonly string[]): string {
  let out = line;
  for (const secret of secrets) {
    if (out.includes(secret)) out = out.split(secret).join('***');
    // A secret with quotes or backslashes appears escaped inside a JSON line.
    const escaped = JSON.stringify(secret).slice(1, -1);
    if (escaped !== secret && out.includes(escaped)) out = out.split(escaped).join('***');
  }
  return out;
}

/**
 * The pino censor: URL fields keep everything but their password; any other redacted field
 * (secrets, authorization headers) is replaced whole.
 */
export function censorField(value: unknown, path: string[]): unknown {
  const key = path[path.length - 1] ?? '';
  if (typeof value === 'string' && /url$|uri$/i.test(key)) return redactUrlCredentials(value);
  return value === null || value === undefined ? value : '[Redacted]';
}

/** Removes a URL's password (and keeps the user name, which says whose it was). */
export function redactUrlCredentials(url: string): string {
  return /\/\/[^/@]*:[^/@]*@/.test(url) ? redactUrl(url) : url;
}

function urlPassword(url: string | null): string | null {
  if (!url) return null;
  try {
    return new URL(url).password || null;
  } catch {
    return /\/\/[^:/@]*:([^@]*)@/.exec(url)?.[1] ?? null;
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
