import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { EntityType } from '../record/canonical-record.js';
import { PermanentError } from '../errors.js';

/**
 * What kind of place an entry is: a populated place (city, town) or the administrative unit
 * named after it (governorate, district, subdistrict). Namesakes of different levels are told
 * apart by it: "Hama Governorate" is the governorate, a bare "Hama" in news text the city.
 */
export const PlaceLevel = z.enum(['city', 'town', 'governorate', 'district', 'subdistrict'], {
  error: (issue) =>
    `unknown level ${JSON.stringify(issue.input)}: expected city, town, governorate, district or subdistrict`,
});
export type PlaceLevel = z.infer<typeof PlaceLevel>;

export const GazetteerEntry = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  type: EntityType,
  aliases: z.array(z.string().min(1)).default([]),
  region: z.string().optional(),
  /** Only for places; absent when unknown. */
  level: PlaceLevel.optional(),
  /** Where the entry comes from ("GeoNames 170592 (PPLA2)", "Wikipedia: Jaysh al-Islam"). */
  source: z.string().optional(),
  /** Whom the data must be credited to, and under which licence ("GeoNames, CC BY 4.0"). */
  attribution: z.string().optional(),
  /** The id of the administrative unit the place lies in (a district's governorate). */
  parent: z.string().optional(),
  /** Latest population figure the source gives. */
  population: z.number().int().nonnegative().optional(),
  /** The GeoNames feature the entry stands for. */
  geonameId: z.number().int().positive().optional(),
});
export type GazetteerEntry = z.infer<typeof GazetteerEntry>;

export const Gazetteer = z
  .object({
    /** What the file is and whom its data is credited to. */
    about: z.string().optional(),
    entities: z.array(GazetteerEntry),
  })
  .superRefine((g, ctx) => {
    const seen = new Set<string>();
    g.entities.forEach((e, i) => {
      if (seen.has(e.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['entities', i, 'id'],
          message: `duplicate id "${e.id}"`,
        });
      }
      seen.add(e.id);
    });
  });
export type Gazetteer = z.infer<typeof Gazetteer>;

/** The entry an issue is about, by position and id when it has one: `entities[3] (id "homs")`. */
function describeEntry(json: unknown, index: number): string {
  const entities = (json as { entities?: unknown } | null)?.entities;
  const entry = Array.isArray(entities)
    ? (entities[index] as { id?: unknown } | undefined)
    : undefined;
  const id = typeof entry?.id === 'string' ? ` (id "${entry.id}")` : '';
  return `entry ${index + 1}${id}`;
}

/** One line per problem, naming the entry and the field: `entry 2 (id "b"), field "type": …`. */
function describeIssues(json: unknown, error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const [root, index, ...field] = issue.path;
      if (root !== 'entities' || typeof index !== 'number') {
        return `${issue.path.join('.') || '(top level)'}: ${issue.message}`;
      }
      const where = field.length > 0 ? `, field "${field.join('.')}"` : '';
      return `${describeEntry(json, index)}${where}: ${issue.message}`;
    })
    .join('\n');
}

/** Parses a gazetteer; a malformed one is refused with the entry and field named. */
export function parseGazetteer(json: unknown, origin: string): Gazetteer {
  const parsed = Gazetteer.safeParse(json);
  if (!parsed.success) {
    throw new PermanentError(
      'GAZETTEER_INVALID',
      `${origin}: invalid gazetteer\n${describeIssues(json, parsed.error)}`,
    );
  }
  return parsed.data;
}

/** Reads and validates a gazetteer file (the `--gazetteer FILE` option and the default). */
export async function loadGazetteer(path: string): Promise<Gazetteer> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new PermanentError('GAZETTEER_UNREADABLE', `${path}: cannot read gazetteer`, { cause });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new PermanentError(
      'GAZETTEER_INVALID',
      `${path}: not JSON (${(cause as Error).message})`,
      {
        cause,
      },
    );
  }
  return parseGazetteer(json, path);
}
