import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cleanText } from '../../src/clean/text/clean-text.js';
import { isPersonName } from '../../src/clean/text/text-header.js';
import { blockText, shapeBreak, splitLines, toBlocks } from '../../src/clean/text/text-blocks.js';
import { loadTextRules, type TextRules } from '../../src/clean/text/text-rules.js';

const ROOT = join(import.meta.dirname, '..', '..');

const STORY = [
  'The harbour authority in the northern port said on Tuesday that two new cranes had been installed on the eastern quay, doubling the number of containers it can handle each day.',
  'Dock workers, who had waited for the machines since the spring, said the queues of lorries outside the gates were already shorter, and that the night shift would no longer be needed.',
  'The authority expects the extra capacity to bring back shipping lines that left for other ports during the long repairs, according to a statement published on its website.',
  'Local traders welcomed the news but warned that the road linking the port to the motorway remains narrow, and asked the regional council to widen it before the winter.',
];

/** A dump in the shape text browsers give: menu, headline, date and byline, story, footer, comments. */
function page(header: string[], after: string[] = []): string {
  return [
    'Harbour Gazette',
    'Home | World | Business | Sport | Contact',
    '',
    ...header,
    '',
    STORY.join('\n\n'),
    '',
    ...after,
  ].join('\n');
}

describe('text pages', () => {
  let rules: TextRules;
  beforeAll(async () => {
    rules = await loadTextRules(join(ROOT, 'config/rules/text.json'));
  });

  it('take the headline past the date, byline and caption, and the story as the body', () => {
    const p = cleanText(
      page([
        'Two new cranes double the capacity of the northern port',
        '',
        'Tuesday, 14 May 2019 09:30',
        'By Marta Lindqvist and Omar Haddad',
        '',
        'The new cranes on the eastern quay. (Photo by Harbour Gazette)',
      ]),
      rules,
    );
    expect(p.title).toBe('Two new cranes double the capacity of the northern port');
    expect(p.publishedAt).toBe('2019-05-14T09:30');
    expect(p.authors).toEqual(['Marta Lindqvist', 'Omar Haddad']);
    expect(p.body).toBe(STORY.join('\n\n'));
  });

  it('never take an update date or a banner month for the publication date', () => {
    const p = cleanText(
      page([
        'MAY 2019',
        '',
        'Two new cranes double the capacity of the northern port',
        '',
        'Updated 16 May 2019',
        '12.05.2019 | 18:05',
      ]),
      rules,
    );
    expect(p.publishedAt).toBe('2019-05-12T18:05');
  });

  it('keep agencies and staff credits out of the authors', () => {
    expect(isPersonName('Marta Lindqvist')).toBe(true);
    expect(isPersonName('Abu Omar al-Halabi')).toBe(true);
    expect(isPersonName('Gazette Staff')).toBe(false);
    expect(isPersonName('Reuters')).toBe(false);
    expect(isPersonName('admin')).toBe(false);
    const p = cleanText(
      page(['Two new cranes double the capacity of the northern port', '', 'By Harbour Staff']),
      rules,
    );
    expect(p.authors).toEqual([]);
  });

  it('file comments after the article, one per reader, with spam flagged', () => {
    const p = cleanText(
      page(
        ['Two new cranes double the capacity of the northern port'],
        [
          '3 Comments',
          '',
          'Jonas Berg',
          'May 14, 2019 at 10:02 am',
          'About time, I drove a lorry there for ten years and the queue was a nightmare.',
          'Reply',
          '',
          '    Lena Ek',
          '    May 14, 2019 at 11:15 am',
          '    The road is still the problem, as the traders say.',
          '    Reply',
          '',
          'Quick Cash Desk',
          'May 15, 2019 at 2:40 am',
          'Work from home and earn $300 per day, visit www.quick-cash-desk.top now!!!',
          'Reply',
        ],
      ),
      rules,
    );
    expect(p.body).toBe(STORY.join('\n\n'));
    expect(p.comments.map((c) => [c.author, c.depth, c.spam])).toEqual([
      ['Jonas Berg', 0, false],
      ['Lena Ek', 1, false],
      ['Quick Cash Desk', 0, true],
    ]);
    expect(p.comments[1]!.text).toBe('The road is still the problem, as the traders say.');
  });

  it('never let a comment button above the story turn the story into comments', () => {
    const p = cleanText(
      page(['Comment', 'Share', '', 'Two new cranes double the capacity of the northern port']),
      rules,
    );
    expect(p.body).toBe(STORY.join('\n\n'));
    expect(p.comments).toEqual([]);
  });

  it('cut blocks where lines change shape, and take invisible lines for blank ones', () => {
    const lines = splitLines(
      [
        'Prose that a text browser printed with line breaks,',
        'and a second line of it.',
        '[photo.jpg]',
        'More prose after the image.',
        '* Facebook',
        '* Twitter',
        '\u200b',
        'After a zero-width space.',
      ].join('\n'),
    );
    expect(lines[6]!.text).toBe('');
    const blocks = toBlocks(lines, () => true, shapeBreak).map((b) => blockText(b, '\n'));
    expect(blocks).toEqual([
      'Prose that a text browser printed with line breaks,\nand a second line of it.',
      '[photo.jpg]',
      'More prose after the image.',
      '* Facebook\n* Twitter',
      'After a zero-width space.',
    ]);
  });

  it('say why each block went: a rule id or the classifier and its score', () => {
    const p = cleanText(page(['Two new cranes double the capacity of the northern port']), rules);
    for (const r of p.removed) expect(r.rule).toMatch(/^[a-z-]+(?: \(classifier 0\.\d\d\))?$/);
    expect(p.removed.some((r) => r.rule.startsWith('masthead (classifier'))).toBe(true);
  });
});
