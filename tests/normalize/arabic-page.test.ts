import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { processPage, type PipelineDeps } from '../../src/pipeline/process-page.js';
import { runCli, ROOT } from '../helpers/cli.js';
import { loadRepoPipelineDeps } from '../helpers/pipeline-deps.js';

const PAGE = join(ROOT, 'tests', 'fixtures', 'arabic', 'qalamoun-talks.txt');

/** Every mention of the page in text order, field, surface and entity id. */
const EXPECTED: Array<[field: 'title' | 'body', surface: string, id: string]> = [
  ['title', 'القلمون الشرقي', 'eastern-qalamoun'],
  ['title', 'جيرود', 'jayrud'],
  ['body', 'دمشق', 'damascus'],
  ['body', 'جيرود', 'jayrud'],
  ['body', 'القلمون الشرقي', 'eastern-qalamoun'],
  ['body', 'جيش الإسلام', 'jaysh-al-islam'],
  // Behind the conjunction wa: "وأحرار الشام".
  ['body', 'أحرار الشام', 'ahrar-al-sham'],
  // Behind the preposition bi and the conjunction wa: "بالرحيبة والضمير".
  ['body', 'الرحيبة', 'ruhaybah'],
  ['body', 'الضمير', 'dumayr'],
  ['body', 'قوات الدفاع الوطني', 'national-defence-forces'],
  ['body', 'دوما', 'douma'],
  ['body', 'ريف دمشق', 'rif-dimashq-governorate'],
  ['body', 'قدسيا', 'qudsaya'],
  ['body', 'دمر', 'dummar'],
  ['body', 'الهامة', 'al-hamah-rif-dimashq'],
  ['body', 'هيئة تحرير الشام', 'hayat-tahrir-al-sham'],
  ['body', 'حرستا', 'harasta'],
  ['body', 'يبرود', 'yabroud'],
  ['body', 'النبك', 'nabk'],
  ['body', 'حزب الله', 'hezbollah'],
];

describe('an Arabic page', () => {
  let deps: PipelineDeps;
  beforeAll(async () => {
    deps = await loadRepoPipelineDeps();
  });

  it('yields its places and groups with exact offsets, and lang ar', async () => {
    const body = await readFile(PAGE);
    const { record } = processPage(
      {
        kind: 'file',
        uri: PAGE,
        url: null,
        retrievedAt: null,
        contentType: null,
        headers: {},
        body,
      },
      deps,
    );
    expect(record.lang).toBe('ar');
    const found = record.entities
      .flatMap((e) => e.mentions.map((m) => ({ ...m, id: e.id })))
      .sort((a, b) => (a.field === b.field ? a.start - b.start : a.field === 'title' ? -1 : 1));
    expect(found.map((m) => [m.field, m.surface, m.id])).toEqual(EXPECTED);
    for (const m of found) {
      expect((m.field === 'title' ? record.title : record.body).slice(m.start, m.end)).toBe(
        m.surface,
      );
    }
    // The particles stay in the canonical text: "بالرحيبة" becomes "بal-Ruhaybah".
    expect(record.canonical.body).toContain('بal-Ruhaybah وal-Dumayr');
  });

  it('tells an HTML page that declares no language as Arabic, and finds the same names', async () => {
    const [title = '', ...paragraphs] = (await readFile(PAGE, 'utf8')).trim().split(/\n\n/);
    const html =
      `<!doctype html><html dir="rtl"><head><meta charset="utf-8"><title>${title}</title></head>` +
      `<body><article><h1>${title}</h1>${paragraphs.map((p) => `<p>${p}</p>`).join('')}` +
      '</article></body></html>';
    const { record } = processPage(
      {
        kind: 'file',
        uri: 'page.html',
        url: null,
        retrievedAt: null,
        contentType: 'text/html; charset=utf-8',
        headers: {},
        body: new TextEncoder().encode(html),
      },
      deps,
    );
    expect(record.lang).toBe('ar');
    expect(record.entities.map((e) => e.id).sort()).toEqual(
      [...new Set(EXPECTED.map(([, , id]) => id))].sort(),
    );
  });

  it('resolves Arabic names on the command line', () => {
    const run = runCli(['resolve', 'دوما', 'القلمون', 'جيرود']);
    expect(run.status, run.stderr).toBe(0);
    expect(
      run.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as unknown),
    ).toEqual([
      { surface: 'دوما', id: 'douma', name: 'Douma' },
      { surface: 'القلمون', id: 'qalamoun', name: 'Qalamoun' },
      { surface: 'جيرود', id: 'jayrud', name: 'Jayrud' },
    ]);
  });
});
