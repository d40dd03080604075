/**
 * A deterministic synthetic gazetteer of Arabic-style place and group names, for measuring
 * the matcher at scale: names are built from Arabic consonant roots in common noun patterns
 * ("Kafr Dahal", "Tall al-Muzayrib", "Liwa Shuhada al-Qasim") with usual alternate spellings.
 */
import type { Gazetteer, GazetteerEntry } from '../src/normalize/gazetteer.js';

/** Latin spellings of Arabic consonants, as English-language reports write them. */
const CONSONANTS = [
  'b',
  't',
  'th',
  'j',
  'h',
  'kh',
  'd',
  'dh',
  'r',
  'z',
  's',
  'sh',
  'f',
  'q',
  'k',
  'l',
  'm',
  'n',
  'w',
  'y',
  'gh',
];

/** Noun patterns over a three-consonant root (C1, C2, C3). */
const PATTERNS = [
  'C1aC2aC3',
  'C1uC2ayC3',
  'C1aC2C3ah',
  'maC1C2aC3',
  'C1aC2iC3ah',
  'C1aC2C3un',
  'C1C2ayC3ah',
  'C1aC2aC3iyah',
  'C1uC2C3an',
];

/** Generic first words of place names, and of group names. */
const PLACE_HEADS = ['', '', '', 'Kafr', 'Tall', 'Deir', 'Ayn', 'Khirbat', 'Bayt', 'Jabal', 'Wadi'];
const GROUP_HEADS = ['Liwa', 'Jaysh', 'Katibat', 'Harakat', 'Faylaq', 'Saraya'];
const REGIONS = ['Aleppo', 'Idlib', 'Hama', 'Homs', 'Rif Dimashq', 'Daraa', 'Raqqa', 'Latakia'];

/** mulberry32: a small seeded generator, so every run builds the same gazetteer. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(items: readonly T[], next: () => number): T {
  return items[Math.floor(next() * items.length)] as T;
}

function word(next: () => number): string {
  const root = [pick(CONSONANTS, next), pick(CONSONANTS, next), pick(CONSONANTS, next)];
  const pattern = pick(PATTERNS, next);
  const w = pattern.replace(/C([123])/g, (_, i: string) => root[Number(i) - 1] ?? '');
  return w.charAt(0).toUpperCase() + w.slice(1);
}

/** The French-style spelling of a name: ou for u, é for a final -ah, dj for j. */
function frenchSpelling(name: string): string {
  return name.replace(/u/g, 'ou').replace(/ah\b/g, 'é').replace(/j/g, 'dj').replace(/J/g, 'Dj');
}

/**
 * `count` synthetic entities (nine places for one group), ids prefixed "synthetic-", each with
 * one or two alternate spellings.
 */
export function syntheticGazetteer(count: number, seed = 20_26): GazetteerEntry[] {
  const next = random(seed);
  const entries: GazetteerEntry[] = [];
  for (let i = 0; i < count; i += 1) {
    const isGroup = i % 10 === 9;
    const head = isGroup ? pick(GROUP_HEADS, next) : pick(PLACE_HEADS, next);
    const article = next() < 0.3 ? 'al-' : '';
    const core = `${article}${word(next)}`;
    const name = head ? `${head} ${core}` : core;
    const aliases = [frenchSpelling(name)];
    if (next() < 0.5) aliases.push(name.replace('al-', 'el-').replace(/ay/g, 'ei'));
    entries.push({
      id: `synthetic-${i}`,
      name,
      type: isGroup ? 'group' : 'place',
      aliases: [...new Set(aliases.filter((a) => a !== name))],
      region: pick(REGIONS, next),
      source: 'synthetic (bench/normalize-synthetic-gazetteer.ts)',
    });
  }
  return entries;
}

/** The default entries followed by synthetic ones, up to `total` entities. */
export function withSynthetic(base: Gazetteer, total: number): Gazetteer {
  return { entities: [...base.entities, ...syntheticGazetteer(total - base.entities.length)] };
}
