import { describe, expect, it } from 'vitest';
import { createNameMatcher } from '../../src/normalize/create-name-matcher.js';
import { loadGazetteer } from '../../src/normalize/gazetteer.js';

const GAZETTEER_PATH = new URL('../../config/gazetteer.json', import.meta.url).pathname;

describe('the default gazetteer', async () => {
  const gazetteer = await loadGazetteer(GAZETTEER_PATH);
  const matcher = createNameMatcher(gazetteer);

  it('covers every Syrian governorate, district and subdistrict, each entry credited', () => {
    const levels = new Map<string, number>();
    for (const e of gazetteer.entities) {
      expect(e.source, e.id).toBeTruthy();
      expect(e.attribution, e.id).toBeTruthy();
      if (e.level) levels.set(e.level, (levels.get(e.level) ?? 0) + 1);
    }
    expect(levels.get('governorate')).toBe(14);
    expect(levels.get('district')).toBe(62);
    expect(levels.get('subdistrict')).toBe(272);
  });

  it('tells the Damascus suburbs from the towns and cities they are spelled like', () => {
    for (const [name, id] of [
      ['Dummar', 'dummar'],
      ['al-Hama', 'al-hamah-rif-dimashq'],
      ['Daraya', 'darayya'],
      ['Harasta', 'harasta'],
      ['Qudsaya', 'qudsaya'],
      ['Hama', 'hama'],
      ['al-Dumayr', 'dumayr'],
      ['Douma', 'douma'],
    ]) {
      expect(matcher.resolve(name!)?.id, name).toBe(id);
    }
  });

  it('reads an article on a page as telling al-Hama from Hama', () => {
    const found = matcher.findMentions('Shelling hit al-Hama, west of Damascus, and Hama.');
    expect(found.map((m) => [m.surface, m.entity.id])).toEqual([
      ['al-Hama', 'al-hamah-rif-dimashq'],
      ['Damascus', 'damascus'],
      ['Hama', 'hama'],
    ]);
  });

  it('takes a designator after a name as the unit, leaving it out of the mention', () => {
    const [idlib] = matcher.findMentions('Rebels advanced in Idlib province on Monday.');
    expect(idlib?.surface).toBe('Idlib');
    expect(idlib?.entity.id).toBe('idlib-governorate');
  });
});
