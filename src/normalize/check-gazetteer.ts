import { GazetteerEntry } from './gazetteer.js';
import { sameNameKey } from './geonames-gazetteer.js';

/** A name that more than one entity is known by (a town and its district, most often). */
export interface SharedName {
  /** The name as the first entity writes it. */
  name: string;
  /** Every entity known by it, in gazetteer order, with its level where given. */
  entities: Array<{ id: string; level?: string | undefined }>;
}

export interface GazetteerCheck {
  /** Entries in the file, malformed ones included. */
  entries: number;
  /** One line per problem, naming the entry and the field. */
  malformed: string[];
  shared: SharedName[];
}

function describe(entry: unknown, index: number): string {
  const id = (entry as { id?: unknown } | null)?.id;
  return `entry ${index + 1}${typeof id === 'string' ? ` (id "${id}")` : ''}`;
}

/**
 * Checks a gazetteer file's content entry by entry: a malformed entry is reported (every
 * problem, with the entry and field named) and the others are still checked, for duplicate
 * ids and for names that two or more entities share (articles, case, diacritics and
 * administrative designators aside: "Hama", "al-Hama" and "Hama District" are one name).
 * Shared names are not errors (a town and its district share one), but each is a choice the
 * matcher must make.
 */
export function checkGazetteer(json: unknown): GazetteerCheck {
  const entities = (json as { entities?: unknown } | null)?.entities;
  if (!Array.isArray(entities)) {
    return { entries: 0, malformed: ['(top level): no "entities" array'], shared: [] };
  }
  const malformed: string[] = [];
  const valid: GazetteerEntry[] = [];
  const ids = new Map<string, number>();
  entities.forEach((raw: unknown, index) => {
    const parsed = GazetteerEntry.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = issue.path.length > 0 ? `, field "${issue.path.join('.')}"` : '';
        malformed.push(`${describe(raw, index)}${field}: ${issue.message}`);
      }
      return;
    }
    const first = ids.get(parsed.data.id);
    if (first !== undefined) {
      malformed.push(
        `${describe(raw, index)}, field "id": duplicate id, first at entry ${first + 1}`,
      );
      return;
    }
    ids.set(parsed.data.id, index);
    valid.push(parsed.data);
  });
  const byName = new Map<string, SharedName>();
  for (const entry of valid) {
    const seen = new Set<string>();
    for (const spelling of [entry.name, ...entry.aliases]) {
      const key = sameNameKey(spelling);
      if (key === '' || seen.has(key)) continue;
      seen.add(key);
      const shared = byName.get(key) ?? { name: spelling, entities: [] };
      shared.entities.push({ id: entry.id, level: entry.level });
      byName.set(key, shared);
    }
  }
  const shared = [...byName.values()].filter((s) => s.entities.length > 1);
  return { entries: entities.length, malformed, shared };
}
