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
    place('zafran-subdistrict', 'Zafran', 'subdistrict'),
    place('zafran-district', 'Zafran', 'district'),
    place('zafran-governorate', 'Zafran', 'governorate'),
    place('zafran-city', 'Zafran', 'city'),
    place('umm-adas-north', 'Umm Adas', 'town', 'North'),
    place('umm-adas-south', 'Umm Adas', 'town', 'South'),
    place('umm-adas-subdistrict', 'Umm Adas', 'subdistrict'),
  ],
});

describe('place levels among namesakes', () => {
  it('takes the level a designator says', () => {
    expect(matcher.resolve('Zafran Governorate')?.id).toBe('zafran-governorate');
    expect(matcher.resolve('Muhafazat Zafrane')?.id).toBe('zafran-governorate');
    expect(matcher.resolve('Zafran District')?.id).toBe('zafran-district');
    expect(matcher.resolve('Nahiyat Markaz Zafrane')?.id).toBe('zafran-subdistrict');
    expect(matcher.resolve('Zafran Sub-district')?.id).toBe('zafran-subdistrict');
    expect(matcher.resolve('Zafran City')?.id).toBe('zafran-city');
  });

  it('takes the populated place for a bare name, whatever the gazetteer order', () => {
    expect(matcher.resolve('Zafran')?.id).toBe('zafran-city');
    expect(matcher.findMentions('Shelling hit Zafran on Monday.')[0]?.entity.id).toBe(
      'zafran-city',
    );
  });

  it('picks one of namesakes of one level in different regions, the page naming the region', () => {
    expect(matcher.resolve('Umm Adas')?.id).toBe('umm-adas-north');
    expect(matcher.resolve('Nahiyat Umm Adas')?.id).toBe('umm-adas-subdistrict');
    const [south] = matcher.findMentions('Shelling hit Umm Adas.', 'Fighting in the South');
    expect(south?.entity.id).toBe('umm-adas-south');
  });

  it('names no entity when the designator says a level the gazetteer gives none of them', () => {
    const cityOnly = createNameMatcher({ entities: [place('qarnin', 'Qarnin', 'town')] });
    expect(cityOnly.resolve('Qarnin District')).toBeNull();
    expect(cityOnly.resolve('Qarnin')?.id).toBe('qarnin');
    const unknown = createNameMatcher({ entities: [place('qarnin', 'Qarnin')] });
    expect(unknown.resolve('Qarnin District')?.id).toBe('qarnin');
  });
});
