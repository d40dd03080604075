import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PermanentError } from '../../src/errors.js';
import { loadGazetteer } from '../../src/normalize/gazetteer.js';

describe('loadGazetteer', () => {
  let dir: string;
  const write = async (name: string, text: string) => {
    const path = join(dir, name);
    await writeFile(path, text);
    return path;
  };
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'newsnorm-gazetteer-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loads the default gazetteer, every entry with a source', async () => {
    const gazetteer = await loadGazetteer(
      new URL('../../config/gazetteer.json', import.meta.url).pathname,
    );
    expect(gazetteer.entities.length).toBeGreaterThan(150);
    for (const entry of gazetteer.entities) expect(entry.source, entry.id).toBeTruthy();
  });

  it('accepts a gazetteer in the design form, aliases and region optional', async () => {
    const path = await write(
      'ok.json',
      JSON.stringify({ entities: [{ id: 'jayrud', name: 'Jayrud', type: 'place' }] }),
    );
    const gazetteer = await loadGazetteer(path);
    expect(gazetteer.entities[0]?.aliases).toEqual([]);
  });

  it('refuses a malformed entry, naming the entry and the field', async () => {
    const path = await write(
      'bad.json',
      JSON.stringify({
        entities: [
          { id: 'jayrud', name: 'Jayrud', type: 'place' },
          { id: 'dumayr', name: 'al-Dumayr', type: 'town' },
          { id: 'nabk', type: 'place', aliases: ['Nebek', 7] },
        ],
      }),
    );
    const error = await loadGazetteer(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as PermanentError).code).toBe('GAZETTEER_INVALID');
    const message = (error as Error).message;
    expect(message).toContain(path);
    expect(message).toMatch(/entry 2 \(id "dumayr"\), field "type"/);
    expect(message).toMatch(/entry 3 \(id "nabk"\), field "name"/);
    expect(message).toMatch(/entry 3 \(id "nabk"\), field "aliases\.1"/);
  });

  it('accepts a place level and refuses an unknown one, naming the entry and the field', async () => {
    const ok = await write(
      'level.json',
      JSON.stringify({
        entities: [{ id: 'hama-gov', name: 'Hama', type: 'place', level: 'governorate' }],
      }),
    );
    expect((await loadGazetteer(ok)).entities[0]?.level).toBe('governorate');
    const bad = await write(
      'bad-level.json',
      JSON.stringify({ entities: [{ id: 'hama', name: 'Hama', type: 'place', level: 'village' }] }),
    );
    await expect(loadGazetteer(bad)).rejects.toThrow(
      /entry 1 \(id "hama"\), field "level": unknown level "village"/,
    );
  });

  it('refuses duplicate ids, naming the second entry', async () => {
    const entry = { id: 'homs', name: 'Homs', type: 'place' };
    const path = await write('dup.json', JSON.stringify({ entities: [entry, entry] }));
    await expect(loadGazetteer(path)).rejects.toThrow(
      /entry 2 \(id "homs"\), field "id": duplicate id/,
    );
  });

  it('refuses a file that is not JSON, or is missing', async () => {
    const path = await write('broken.json', '{ "entities": [');
    await expect(loadGazetteer(path)).rejects.toThrow(/not JSON/);
    await expect(loadGazetteer(join(dir, 'absent.json'))).rejects.toMatchObject({
      code: 'GAZETTEER_UNREADABLE',
    });
  });
});
