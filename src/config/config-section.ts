import { z } from 'zod';

/** A part of the configuration: its schema and the environment variable of each field. */
export interface ConfigSection<S extends z.ZodObject> {
  schema: S;
  /** Field name → environment variable that sets it. */
  env: Partial<Record<keyof z.infer<S> & string, string>>;
}

/** A boolean read from an environment string ("1", "true", "yes", "on" are true). */
export const envBoolean = z.preprocess(
  (v) => (typeof v === 'string' ? /^(1|true|yes|on)$/i.test(v.trim()) : v),
  z.boolean(),
);

/** A list read from a comma-separated environment string. */
export function envList<T extends z.ZodType>(item: T) {
  return z.preprocess(
    (v) =>
      typeof v === 'string'
        ? v
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
        : v,
    z.array(item),
  );
}
