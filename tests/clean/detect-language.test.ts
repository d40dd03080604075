import { describe, expect, it } from 'vitest';
import { detectLanguage } from '../../src/clean/detect-language.js';

describe('detectLanguage', () => {
  it('calls English prose English by its function words', () => {
    expect(
      detectLanguage(
        'Government forces shelled the town of Jayrud on Sunday, and the opposition said that ' +
          'it was the heaviest bombardment of the area in a month.',
      ),
    ).toBe('en');
  });

  it('calls Arabic and Russian text by their script', () => {
    expect(detectLanguage('قصفت قوات النظام بلدة جيرود في القلمون الشرقي يوم الأحد الماضي')).toBe(
      'ar',
    );
    expect(detectLanguage('Правительственные войска обстреляли город Джируд в воскресенье')).toBe(
      'ru',
    );
  });

  it('abstains on other Latin-script languages and on text too short to tell', () => {
    expect(
      detectLanguage(
        'Les forces gouvernementales ont bombardé la ville de Jayrud dimanche, selon l’opposition.',
      ),
    ).toBeNull();
    expect(detectLanguage('Jayrud, Qalamoun')).toBeNull();
  });

  it('counts words in any case, and only words of letters a to z', () => {
    const shouted = 'THE TOWN OF JAYRUD AND THE VILLAGES OF THE QALAMOUN WERE SHELLED ON SUNDAY';
    expect(detectLanguage(shouted)).toBe('en');
    // Numbers and symbols between the words neither make nor break a word.
    expect(detectLanguage('12 34 56 78 90 '.repeat(10) + shouted)).toBe('en');
  });

  it('reads words as the lower-cased text has them, where İ becomes i and a combining dot', () => {
    // Lower-cased, each "İx" is two words ("i", "x"): 3 function words in 35 are too few.
    const text = 'the the the ' + 'İx '.repeat(16);
    expect(text.toLowerCase().match(/[a-z]+/g)).toHaveLength(35);
    expect(detectLanguage(text)).toBeNull();
    // Written "ix", the same text is 3 function words in 19: English.
    expect(detectLanguage('the the the ' + 'ix '.repeat(16))).toBe('en');
  });
});
