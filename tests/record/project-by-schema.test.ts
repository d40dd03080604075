import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { projectBySchema } from '../../src/record/project-by-schema.js';

describe('projectBySchema', () => {
  const Item = z.object({
    b: z.string(),
    a: z.array(z.object({ y: z.number(), x: z.boolean().nullable() })),
    c: z.string().optional(),
  });
  const project = projectBySchema(Item);

  test("keeps the schema's fields in its order and drops the rest, deep", () => {
    const value = { a: [{ x: null, y: 1, extra: 1 }], b: 'b', other: true } as never;
    expect(JSON.stringify(project(value))).toBe('{"b":"b","a":[{"y":1,"x":null}]}');
  });

  test('copies objects and arrays, so the result shares nothing mutable with its input', () => {
    const value = { b: 'b', a: [{ y: 1, x: true }], c: 'c' };
    const copy = project(value);
    expect(copy).toEqual(value);
    expect(copy.a).not.toBe(value.a);
    expect(copy.a[0]).not.toBe(value.a[0]);
  });

  test('refuses a schema it cannot rebuild when the projection is made', () => {
    expect(() => projectBySchema(z.object({ m: z.map(z.string(), z.string()) }))).toThrow(
      /a map node is not supported/,
    );
  });
});
