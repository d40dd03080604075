import { z } from 'zod';

/** Copies a value that is known to match a schema, keeping only the schema's fields. */
export type Projection<T> = (value: T) => T;

/** Leaf types copied as they are: immutable values. */
const LEAF_TYPES = new Set(['string', 'number', 'boolean', 'literal', 'enum', 'null']);

/**
 * A function that rebuilds a value by a zod schema: objects get the schema's fields, in the
 * schema's order and nothing else, arrays are copied, leaves kept. The schema is walked once,
 * here, so rebuilding costs what copying field by field by hand costs, without a validation pass
 * (the value is ours, built to the schema) and without a second list of fields to keep in step
 * with the schema. A schema with a kind of node this does not know is refused when the
 * projection is made, not when it runs.
 */
export function projectBySchema<S extends z.ZodType>(schema: S): Projection<z.output<S>> {
  return projector(schema) as Projection<z.output<S>>;
}

function projector(schema: z.ZodType): (value: unknown) => unknown {
  if (schema instanceof z.ZodObject) {
    const fields = Object.entries(schema.shape as Record<string, z.ZodType>).map(
      ([key, field]) => [key, projector(field), field instanceof z.ZodOptional] as const,
    );
    return (value) => {
      const from = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const [key, project, optional] of fields) {
        if (optional && from[key] === undefined) continue;
        out[key] = project(from[key]);
      }
      return out;
    };
  }
  if (schema instanceof z.ZodArray) {
    const item = projector(schema.element as z.ZodType);
    return (value) => (value as unknown[]).map(item);
  }
  if (schema instanceof z.ZodNullable || schema instanceof z.ZodOptional) {
    const inner = projector(schema.unwrap() as z.ZodType);
    return (value) => (value === null || value === undefined ? value : inner(value));
  }
  if (LEAF_TYPES.has(schema.type)) return (value) => value;
  throw new Error(`projectBySchema: a ${schema.type} node is not supported`);
}
