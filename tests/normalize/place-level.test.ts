import { describe, expect, it } from 'vitest';
import { createNameMatcher } from '../../src/normalize/create-name-matcher.js';
import type { GazetteerEntry, PlaceLevel } from '../../src/normalize/gazetteer.js';

const place = (id: string, name: string, level?: PlaceLevel, region?: string): GazetteerEntry => ({
  id,
  name,
  type: 'place',
  aliases: [],
  ...(level === undefined ? {} : { level }),
  ...(region === undefined ? {} : { region }),
});

/** A city and the administrative units named after it, listed units first on purpose. */
const matcher = createNameMatcher({
  entities: [
    place('hama-subdistrict', 'Hama', 'subdistrict'),
    place('hama-district', 'Hama', 'district'),
    place('hama-governorate', 'Hama', 'governorate'),
    place('hama-city', 'Hama', 'city'),
    place('nasiriyah-rif-dimashq', 'An Nasiriyah', 'town', 'Rif Dimashq'),
    place('nasiriyah-hama', 'An Nasiriyah', 'town', 'Hama'),
    place('nasiriyah-subdistrict', 'An Nasiriyah', 'subdistrict'),
  ],
});

describe('place levels among namesakes', () => {
  it('takes the level a designator says', () => {
    expect(matcher.resolve('Hama Governorate')?.id).toBe('hama-governorate');
    expect(matcher.resolve('Muhafazat Hamah')?.id).toBe('hama-governorate');
    expect(matcher.resolve('Hama District')?.id).toBe('hama-district');
    expect(matcher.resolve('Nahiyat Markaz Hamah')?.id).toBe('hama-subdistrict');
    expect(matcher.resolve('Hama Sub-district')?.id).toBe('hama-subdistrict');
    expect(matcher.resolve('Hama City')?.id).toBe('hama-city');
  });

  it('takes the populated place for a bare name, whatever the gazetteer order', () => {
    expect(matcher.resolve('Hama')?.id).toBe('hama-city');
    expect(matcher.findMentions('Shelling hit Hama on Monday.')[0]?.entity.id).toBe('hama-city');
  });

  it('still abstains between namesakes of one level in different regions', () => {
    expect(matcher.resolve('An Nasiriyah')).toBeNull();
    expect(matcher.resolve('Nahiyat an Nasiriyah')?.id).toBe('nasiriyah-subdistrict');
  });
});
