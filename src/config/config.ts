import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { readSettingText, type ConfigSection } from './config-section.js';
import { fetchSection } from './fetch-config.js';
import { logSection } from './log-config.js';
import { opsSection } from './ops-config.js';
import { pageSection } from './page-config.js';
import { pathsSection } from './paths-config.js';
import { queueSection } from './queue-config.js';
import { sinksSection } from './sinks-config.js';
import { sourcesSection } from './sources-config.js';

/**
 * Every part of the configuration, by name. A new part is a `*-config.ts` file exporting a
 * ConfigSection, added here.
 */
export const SECTIONS = {
  paths: pathsSection,
  log: logSection,
  fetch: fetchSection,
  queue: queueSection,
  sinks: sinksSection,
  ops: opsSection,
  page: pageSection,
  sources: sourcesSection,
} satisfies Record<string, ConfigSection<z.ZodObject>>;

type Sections = typeof SECTIONS;
export const Config = z.object(
  Object.fromEntries(
    Object.entries(SECTIONS).map(([name, section]) => [
      name,
      (section.schema as z.ZodObject).prefault({}),
    ]),
  ) as { [K in keyof Sections]: z.ZodPrefault<Sections[K]['schema']> },
);
export type Config = z.infer<typeof Config>;

/** Flags, in the same shape as the config: `{ paths: { outFile: 'x.jsonl' } }`. */
export type ConfigOverrides = { [K in keyof Config]?: Partial<Config[K]> };

export class ConfigError extends Error {}

export interface LoadConfigOptions {
  env?: Record<string, string | undefined>;
  /** JSON config file; missing is fine, malformed is an error. @default "config/newsnorm.json" */
  file?: string | null;
  flags?: ConfigOverrides;
}

/**
 * Loads the configuration: flag > environment > config file > default.
 * Throws ConfigError naming every bad value and where it came from.
 */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  const env = options.env ?? {};
  const file = options.file === undefined ? 'config/newsnorm.json' : options.file;
  const fromFile = file && existsSync(file) ? readJson(file) : {};
  const merged: Record<string, Record<string, unknown>> = {};
  const refused: string[] = [];
  for (const [name, section] of Object.entries(SECTIONS) as [
    string,
    ConfigSection<z.ZodObject>,
  ][]) {
    const values: Record<string, unknown> = { ...(fromFile[name] as object | undefined) };
    const from: Record<string, string> = {};
    for (const [field, variable] of Object.entries(section.env) as [string, string][]) {
      const value = env[variable];
      if (value !== undefined && value !== '') {
        values[field] = value;
        from[field] = `env ${variable}`;
      }
    }
    const flags = (options.flags as Record<string, object | undefined> | undefined)?.[name];
    for (const [field, value] of Object.entries(flags ?? {})) {
      if (value !== undefined) {
        values[field] = value;
        from[field] = 'flag';
      }
    }
    // Text is read by the field's type, strictly, wherever it came from.
    for (const [field, value] of Object.entries(values)) {
      const schema = section.schema.shape[field] as z.ZodType | undefined;
      if (typeof value !== 'string' || !schema) continue;
      const read = readSettingText(schema, value);
      if ('value' in read) values[field] = read.value;
      else {
        refused.push(`  ✖ ${name}.${field} (${from[field] ?? file}): ${read.refused}`);
        delete values[field];
      }
    }
    merged[name] = values;
  }
  const parsed = Config.safeParse(merged);
  if (refused.length > 0 || !parsed.success) {
    const issues = parsed.success ? [] : [describeIssues(parsed.error)];
    throw new ConfigError(`invalid configuration\n${[...refused, ...issues].join('\n')}`);
  }
  return parsed.data;
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const [section, field] = issue.path as [string, string | undefined];
      const variable = field
        ? (SECTIONS as Record<string, ConfigSection<z.ZodObject>>)[section]?.env[field]
        : undefined;
      const where = variable ? ` (env ${variable})` : '';
      return `  ✖ ${issue.path.join('.')}${where}: ${issue.message}`;
    })
    .join('\n');
}

function readJson(file: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new Error('not a JSON object');
    }
    return value as Record<string, unknown>;
  } catch (cause) {
    throw new ConfigError(`${file}: ${(cause as Error).message}`);
  }
}

/** Removes a password from a URL, for logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@');
  }
}
