import type { IndexedName, NameIndex } from './name-index.js';

/**
 * The nominal endings European languages put on a foreign name, or take off it: Latin and
 * Greek -us/-os/-um/-as/-is ("Damascus"), Romance -o/-a/-e ("Damasco"), Slavic and Baltic
 * -a/-u/-o/-as ("Damaska", "Deir ez Zoras"), Albanian and Turkish -i/-u ("Dameski"). Only after
 * a consonant: a vowel after a vowel or a glide is part of the name ("Daraa", "Latakiya").
 */
const EXONYM_ENDING = /(?<=[^aeiouyw'])(?:[aeiou]s?|um)$/;

/** Vowels, half-vowels and the ʿayn mark: what a form's consonant skeleton leaves out. */
const NOT_CONSONANTS = /[aeiouyw']/g;

/**
 * Fewest consonants in a stem for it to be compared at all: a stem of three ("Tart" of
 * Tartus) is shared by too many other names once endings no longer count.
 */
const MIN_STEM_CONSONANTS = 4;

/**
 * Fewest consonants in a skeleton for one consonant more, less or other to be let through:
 * then it is at most a seventh of the name ("Rasm Harmal al Imam" for Rasm Haram El-Imam). On
 * ten countries' GeoNames alternate names, six let in as many false merges as finds.
 */
const MIN_EDIT_CONSONANTS = 7;

/** A spelling form without the ending another language would have put on it. */
export function exonymStem(form: string): string {
  return form.replace(EXONYM_ENDING, '');
}

/**
 * The skeleton of a form as a spelling that lost its diacritics writes it: ş and š become s
 * (so sh is s), ḫ and ẖ become h (so kh is h). The other digraphs are folded already.
 */
function plainSkeleton(form: string): string {
  return form.replace(NOT_CONSONANTS, '').replace(/\$/g, 's').replace(/x/g, 'h');
}

/** Each skeleton one consonant shorter than `key`. */
function deletionsOf(key: string): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i < key.length; i += 1) out.add(key.slice(0, i) + key.slice(i + 1));
  return out;
}

function push<V>(map: Map<string, V[]>, key: string, values: readonly V[]): void {
  const list = map.get(key);
  if (list) list.push(...values);
  else map.set(key, [...values]);
}

/** A gazetteer spelling seen through its stem: only ever a likeness, never the same text. */
function stemmed(name: IndexedName, stemForm: string): IndexedName {
  return { ...name, surface: '', written: '\u0000', folded: '\u0000', form: stemForm };
}

/** What a span is compared as in the near tier: its stem form and that stem's skeleton. */
export interface NearQuery {
  form: string;
  key: string;
}

/** The near tier's maps, made on first use. */
interface NearMaps {
  /** Plain skeleton of a spelling's stem → the spellings, seen through their stems. */
  byStem: Map<string, IndexedName[]>;
  /** Each long skeleton one consonant shorter → the spellings of the long one. */
  byDeletion: Map<string, IndexedName[]>;
}

/**
 * Spellings that no key of the name finds: another language's ending on an exonym, or off it
 * ("Damasko", "Damaszek", "Dimashq" for Damascus, "Deir ez Zoras" for Deir ez-Zor), and in a
 * long name one consonant more, less or other. Each gazetteer spelling is indexed by the plain
 * skeleton of its stem, when that stem is long; a span finds them by its own stem's, or, when
 * long, by one consonant edit of it (the deletion neighbourhoods of both skeletons meet).
 * Confirmation still compares the stems letter by letter, within the usual allowance, and still
 * abstains when two names are about as close. Built on first use: only standalone names that
 * nothing else finds come here.
 */
export class NearSpellings {
  private maps: NearMaps | undefined;

  constructor(private readonly index: NameIndex) {}

  /** The span as this tier compares it, or undefined when its stem is too short to tell. */
  query(form: string): NearQuery | undefined {
    const stem = exonymStem(form);
    const key = plainSkeleton(stem);
    return key.length < MIN_STEM_CONSONANTS ? undefined : { form: stem, key };
  }

  /** The gazetteer spellings whose stems' skeletons are the span's, or one edit from it. */
  candidates(query: NearQuery): readonly IndexedName[] | undefined {
    this.maps ??= this.build();
    const { byStem, byDeletion } = this.maps;
    const same = byStem.get(query.key);
    if (query.key.length < MIN_EDIT_CONSONANTS) return same;
    const found = new Set<IndexedName>(same);
    const add = (names: readonly IndexedName[] | undefined) => names?.forEach((n) => found.add(n));
    add(byDeletion.get(query.key));
    for (const shorter of deletionsOf(query.key)) {
      add(byStem.get(shorter));
      add(byDeletion.get(shorter));
    }
    return found.size === 0 ? undefined : [...found];
  }

  private build(): NearMaps {
    const byStem = new Map<string, IndexedName[]>();
    for (const names of this.index.byKey.values()) {
      for (const name of names) {
        const near = this.query(name.form);
        if (near !== undefined) push(byStem, near.key, [stemmed(name, near.form)]);
      }
    }
    const byDeletion = new Map<string, IndexedName[]>();
    for (const [key, names] of byStem) {
      if (key.length < MIN_EDIT_CONSONANTS) continue;
      for (const shorter of deletionsOf(key)) push(byDeletion, shorter, names);
    }
    return { byStem, byDeletion };
  }
}
