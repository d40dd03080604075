import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { GOLD_DIR, goldAvailable } from '../helpers/gold.js';

interface EntityGroup {
  type: string;
  surfaces: string[];
}

describe.skipIf(!goldAvailable())('newsnorm resolve on ../shared/gold/entities.json', () => {
  it('gives one id to every spelling of a group and different ids to different groups', () => {
    const groups = JSON.parse(
      readFileSync(join(GOLD_DIR, 'entities.json'), 'utf8'),
    ) as EntityGroup[];
    const surfaces = groups.flatMap((g) => g.surfaces);
    const run = runCli(['resolve', ...surfaces]);
    expect(run.status, run.stderr).toBe(0);
    const answers = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { surface: string; id: string | null });
    expect(answers.map((a) => a.surface)).toEqual(surfaces);
    const idOf = new Map(answers.map((a) => [a.surface, a.id]));
    const groupIds = groups.map((g) => {
      const ids = new Set(g.surfaces.map((s) => idOf.get(s)));
      expect([...ids], `one id for ${g.surfaces.join(' / ')}`).toHaveLength(1);
      const [id] = ids;
      expect(id, `${g.surfaces[0]} is known`).not.toBeNull();
      return id;
    });
    expect(new Set(groupIds).size).toBe(groups.length);
  });
});
