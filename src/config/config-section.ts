import { z } from 'zod';

/** A part of the configuration: its schema and the environment variable of each field. */
export interface ConfigSection<S extends z.ZodObject> {
  schema: S;
  /** Field name → environment variable that sets it. */
  env: Partial<Record<keyof z.infer<S> & string, string>>;
}

/** The only spellings of a boolean setting. */
const BOOLEAN_WORDS: Readonly<Record<string, boolean>> = {
  true: true,
  false: false,
  '1': true,
  '0': false,
};
/** A number as a person writes it in decimal: no blanks, no hex, no exponent. */
const DECIMAL = /^[+-]?\d+(?:\.\d+)?$/;

/** A boolean read from an environment string: `true`, `false`, `1` or `0`, nothing else. */
export const envBoolean = z.preprocess(
  (v) => (typeof v === 'string' ? (BOOLEAN_WORDS[v.toLowerCase()] ?? v) : v),
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

/** The type a field's value ends as: its schema with defaults, nullability and preprocessing peeled off. */
function baseType(schema: z.ZodType): string {
  let current = schema as unknown as { _zod: { def: Record<string, unknown> & { type: string } } };
  for (let i = 0; i < 10; i++) {
    const def = current._zod.def;
    const next = def['innerType'] ?? (def.type === 'pipe' ? def['out'] : undefined);
    if (next === undefined) return def.type;
    current = next as typeof current;
  }
  return current._zod.def.type;
}

/**
 * A setting given as text (an environment variable, a flag, a string in the config file), read
 * strictly by the type its field ends as: a number must be written in decimal with nothing
 * around it ("0x10", " 8" and "1e3" are refused, where Number() would read 16, 8 and 1000) and a
 * boolean must be true, false, 1 or 0 ("maybe" is refused, not read as false). Ranges stay the
 * schema's to check. Returns the value to validate, or the reason the text is refused.
 */
export function readSettingText(
  field: z.ZodType,
  text: string,
): { value: unknown } | { refused: string } {
  switch (baseType(field)) {
    case 'number':
      return DECIMAL.test(text)
        ? { value: Number(text) }
        : { refused: `"${text}" is not a decimal number` };
    case 'boolean': {
      const value = BOOLEAN_WORDS[text.toLowerCase()];
      return value === undefined
        ? { refused: `"${text}" is not a boolean (true, false, 1 or 0)` }
        : { value };
    }
    default:
      return { value: text };
  }
}
