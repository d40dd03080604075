import { describe, expect, it } from 'vitest';
import { createNameMatcher } from '../../src/normalize/create-name-matcher.js';
import { loadGazetteer } from '../../src/normalize/gazetteer.js';
import type { NameMatcher } from '../../src/normalize/name-matcher.js';

const GAZETTEER_PATH = new URL('../../config/gazetteer.json', import.meta.url).pathname;

/** Sentences from the seed pages, with the mentions (surface → entity id) in text order. */
const SEED_SENTENCES: Array<{ text: string; mentions: Array<[string, string]> }> = [
  {
    text: 'However, the Russian TV network RT reported that many militants, meanly from the towns of al- Ruhaybah and Jayrud, had agreed on a possible reconciliation agreement with the Damascus government.',
    mentions: [
      ['al- Ruhaybah', 'ruhaybah'],
      ['Jayrud', 'jayrud'],
      ['Damascus', 'damascus'],
    ],
  },
  {
    text: 'On September 29, representatives of the Syrian opposition and the Free Syrian Army (FSA) groups in the Eastern Qalamun region met with Russian officials in Jayrud town in the eastern Qalamun region, according to pro-opposition sources.',
    mentions: [
      ['Free Syrian Army', 'free-syrian-army'],
      ['FSA', 'free-syrian-army'],
      ['Eastern Qalamun', 'eastern-qalamoun'],
      ['Jayrud', 'jayrud'],
      ['eastern Qalamun', 'eastern-qalamoun'],
    ],
  },
  {
    text: 'However, the FSA will not likely agree to the Syrian government demands mostly because of a pressure that it faces from Hay’at Tahrir al-Sham (formerly Jabhat al-Nusra, the Syrian branch of al-Qaeda).',
    mentions: [
      ['FSA', 'free-syrian-army'],
      ['Hay’at Tahrir al-Sham', 'hayat-tahrir-al-sham'],
      ['Jabhat al-Nusra', 'jabhat-al-nusra'],
    ],
  },
  {
    text: 'The Eastern Qalamoun region consists of the cities and towns of Jeroud, Rahiba, Nasiriyah, al-Atna and al-Dumayr.',
    mentions: [
      ['Eastern Qalamoun', 'eastern-qalamoun'],
      ['Jeroud', 'jayrud'],
      ['Rahiba', 'ruhaybah'],
      ['Nasiriyah', 'nasiriyah-rif-dimashq'],
      ['al-Atna', 'atna'],
      ['al-Dumayr', 'dumayr'],
    ],
  },
  {
    text: 'Keywords:  Syria Qalamoun',
    mentions: [['Qalamoun', 'qalamoun']],
  },
  {
    text: 'most of FSA fighters want to stay and join the pro-government Nation Defense Forces (NDF).',
    mentions: [
      ['FSA', 'free-syrian-army'],
      ['Nation Defense Forces', 'national-defence-forces'],
      ['NDF', 'national-defence-forces'],
    ],
  },
];

describe('findMentions on seed sentences', () => {
  let matcher: NameMatcher;
  it('loads the default gazetteer', async () => {
    matcher = createNameMatcher(await loadGazetteer(GAZETTEER_PATH));
  });

  for (const { text, mentions } of SEED_SENTENCES) {
    it(`finds ${mentions.map(([s]) => s).join(', ')}`, () => {
      const found = matcher.findMentions(text);
      expect(found.map((m) => [m.surface, m.entity.id])).toEqual(mentions);
      let previousEnd = 0;
      for (const m of found) {
        expect(text.slice(m.start, m.end)).toBe(m.surface);
        expect(m.start).toBeGreaterThanOrEqual(previousEnd);
        previousEnd = m.end;
      }
    });
  }

  it('keeps Eastern Qalamun apart from Qalamun', () => {
    const [eastern] = matcher.findMentions('in Eastern Qalamun today');
    const [plain] = matcher.findMentions('in Qalamun today');
    expect(eastern?.entity.id).toBe('eastern-qalamoun');
    expect(plain?.entity.id).toBe('qalamoun');
  });

  it('finds an unseen spelling one vowel away, and a farther one when the page confirms it', () => {
    const [kalamoon] = matcher.findMentions('Fighting resumed in the Kalamoon mountains.');
    expect(kalamoon?.surface).toBe('Kalamoon');
    expect(kalamoon?.entity.id).toBe('qalamoun');
    const jayrudOnly = createNameMatcher({
      entities: [{ id: 'jayrud', name: 'Jayrud', type: 'place', aliases: [] }],
    });
    expect(jayrudOnly.findMentions('Militants left Jirud on Monday.')).toEqual([]);
    const [jirud] = jayrudOnly.findMentions(
      'Militants left Jirud on Monday.',
      'The Jayrud town council was burned down.',
    );
    expect(jirud?.entity.id).toBe('jayrud');
  });

  it('takes no likeness inside a longer run of capitalised words, but an exact spelling', () => {
    const zafrane = createNameMatcher({
      entities: [{ id: 'zafrane', name: 'Zafrane', type: 'place', aliases: [] }],
    });
    const ids = (text: string) => zafrane.findMentions(text).map((m) => m.surface);
    expect(ids('Shelling hit Zafrani on Monday.')).toEqual(['Zafrani']);
    expect(ids('In Zafrani, shelling went on.')).toEqual(['Zafrani']);
    expect(ids('Reporters of Daily Zafrani said so.')).toEqual([]);
    expect(ids('The Zafrani Center said so.')).toEqual([]);
    expect(ids('Reporters of Daily Zafrane said so.')).toEqual(['Zafrane']);
  });

  it('takes no English word or first name for a transliteration', () => {
    expect(matcher.findMentions('RTA (Bob or Al) said Russian officials met Hamas.')).toEqual([]);
  });

  it('resolves unseen standalone spellings, and refuses English words and unknown names', () => {
    expect(matcher.resolve('Kalamun')?.id).toBe('qalamoun');
    expect(matcher.resolve('Al-Dmeir')?.id).toBe('dumayr');
    for (const word of ['Hamas', 'Bob', 'Russian', 'Springfield', 'Mosul']) {
      expect(matcher.resolve(word), word).toBeNull();
    }
  });

  it('ignores lower-case common words and unknown capitalised names', () => {
    expect(matcher.findMentions('the army went home as planned in Springfield')).toEqual([]);
  });
});

describe('a one-word name split by a space', () => {
  it('is read as one word, where the letter doubled across the space is one letter', () => {
    const split = createNameMatcher({
      entities: [{ id: 'zabbar', name: 'Zabbar', type: 'place', aliases: [] }],
    });
    expect(split.resolve('Zab Bar')?.id).toBe('zabbar');
    expect(split.resolve('Zab Dar')).toBeNull();
  });
});
