import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createNameMatcher } from '../../src/normalize/create-name-matcher.js';
import { loadGazetteer } from '../../src/normalize/gazetteer.js';

const GOLD_PATH = new URL('../../../shared/gold/entities.json', import.meta.url);
const GAZETTEER_PATH = new URL('../../config/gazetteer.json', import.meta.url);

interface GoldGroup {
  type: string;
  surfaces: string[];
}

const present = existsSync(GOLD_PATH);
if (!present) console.warn(`skipping gold entities: ${GOLD_PATH.pathname} is absent`);

describe.skipIf(!present)('default gazetteer against ../shared/gold/entities.json', () => {
  it('gives every spelling of a group one id, and different groups different ids', async () => {
    const groups = JSON.parse(readFileSync(GOLD_PATH, 'utf8')) as GoldGroup[];
    const matcher = createNameMatcher(await loadGazetteer(GAZETTEER_PATH.pathname));
    const owner = new Map<string, number>();
    groups.forEach((group, g) => {
      const ids = group.surfaces.map((s) => matcher.resolve(s));
      for (const [k, entity] of ids.entries()) {
        expect(entity, `"${group.surfaces[k]}" resolves`).not.toBeNull();
        expect(entity?.type, `"${group.surfaces[k]}" type`).toBe(group.type);
      }
      const distinct = new Set(ids.map((e) => e?.id));
      expect([...distinct], `spellings of ${group.surfaces.join(' / ')}`).toHaveLength(1);
      const id = ids[0]?.id ?? '';
      expect(owner.get(id), `${id} shared with group ${owner.get(id)}`).toBeUndefined();
      owner.set(id, g);
    });
  });
});
