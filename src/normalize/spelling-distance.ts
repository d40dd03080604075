/** Letters that stand for vowels or half-vowels in Latin transliterations of Arabic. */
const VOWEL_LETTERS = new Set(['a', 'e', 'i', 'o', 'u', 'y', 'w']);

/**
 * The ʿayn/hamza mark `'` of a form: other spellings drop it ("Dar'a" / "Daraa") or write a
 * vowel for it, each at the cost of a soft consonant; against any other letter it is a
 * consonant ("Sa'sa'" is not "Susah").
 */
const MARK = "'".charCodeAt(0);
/** The vowels written for ʿayn ("Daraa", "Ein"). */
const MARK_VOWEL = new Uint8Array(128);
MARK_VOWEL['a'.charCodeAt(0)] = 1;
MARK_VOWEL['e'.charCodeAt(0)] = 1;

/** Vowels are written freely (a/e/i, o/u, y/i): changing one costs a fraction of a consonant. */
export const VOWEL_EDIT_COST = 0.3;

/** h comes and goes (silent final h, ḥ written or dropped), so it costs half a consonant. */
const SOFT_CONSONANT_COST = 0.5;

/**
 * Consonant pairs that transliterations confuse: ḥ/kh, j/g (Egyptian), k/g (q, ghayn), the
 * dentals and sibilants t/d/z/s (ث ذ ظ), b/p, and s/sh ($): ş and š lose their marks, and ş is
 * sh in Turkish but ṣād in GeoNames' romanization ("Şam" is Sham, "Al Quşayr" Qusayr).
 */
const CLOSE_CONSONANTS = new Set(
  ['hx', 'jg', 'hk', 'kg', 'td', 'dz', 'zs', 'ts', 'tz', 'ds', 'bp', 's$'].flatMap((p) => [
    p,
    `${p.charAt(1)}${p.charAt(0)}`,
  ]),
);

/**
 * y and w written or left out change the syllables, not just a vowel ("Daraa" / "Darayya"):
 * dropping one costs more than dropping a vowel, less than a consonant. That is only so where
 * the other spelling has the vowel that stands for the diphthong (e for ay as in "Jeroud" /
 * "Jayrud", o for aw as in "Jobar" / "Jawbar"); elsewhere a y or w is a letter of the name
 * that the other spelling lacks ("Dummar" is not "Dumayr") and costs a consonant.
 */
const HALF_VOWEL_INDEL_COST = 0.5;
const GLIDE_INDEL_COST = 1;

/**
 * No Arabic word starts with a vowel: a name's first vowel letter stands for hamza or ʿayn, a
 * consonant ("Adlan" is ʿAdilan, not Dalan), so writing or dropping it costs like h.
 */
const INITIAL_VOWEL_INDEL_COST = 0.5;

/** Cost tables by character code, filled once: the distance runs thousands of times a page. */
const TABLE_SIZE = 128;
const INDEL = new Float64Array(TABLE_SIZE).fill(1);
const VOWEL = new Uint8Array(TABLE_SIZE);
for (const v of VOWEL_LETTERS) {
  INDEL[v.charCodeAt(0)] = VOWEL_EDIT_COST;
  VOWEL[v.charCodeAt(0)] = 1;
}
INDEL['y'.charCodeAt(0)] = GLIDE_INDEL_COST;
INDEL['w'.charCodeAt(0)] = GLIDE_INDEL_COST;
INDEL['h'.charCodeAt(0)] = SOFT_CONSONANT_COST;
INDEL[' '.charCodeAt(0)] = SOFT_CONSONANT_COST;
INDEL[MARK] = SOFT_CONSONANT_COST;
const GLIDE = new Uint8Array(TABLE_SIZE);
GLIDE['y'.charCodeAt(0)] = 1;
GLIDE['w'.charCodeAt(0)] = 1;
/** The vowels a glide stands for, both ways round: y for i or e, w for u or o. */
const GLIDE_VOWEL = new Set(
  ['yi', 'ye', 'wu', 'wo', 'yw'].flatMap((p) => [
    p.charCodeAt(0) * TABLE_SIZE + p.charCodeAt(1),
    p.charCodeAt(1) * TABLE_SIZE + p.charCodeAt(0),
  ]),
);
const CLOSE = new Set(
  [...CLOSE_CONSONANTS].map((p) => p.charCodeAt(0) * TABLE_SIZE + p.charCodeAt(1)),
);

function indelCost(code: number): number {
  return code < TABLE_SIZE ? (INDEL[code] ?? 1) : 1;
}

const Y = 'y'.charCodeAt(0);
const W = 'w'.charCodeAt(0);
const E = 'e'.charCodeAt(0);
const O = 'o'.charCodeAt(0);

const T = 't'.charCodeAt(0);
const A = 'a'.charCodeAt(0);

/**
 * The cost of writing or dropping `code` where the other spelling has `facing` (its letter at
 * that point, NaN at an end): a glide facing the vowel that stands for its diphthong costs
 * {@link HALF_VOWEL_INDEL_COST}.
 */
function indelFacing(code: number, facing: number): number {
  if ((code === Y && facing === E) || (code === W && facing === O)) return HALF_VOWEL_INDEL_COST;
  return indelCost(code);
}

/**
 * The cost of writing or dropping letter `at` of `form`, facing `facing`: the t of a final
 * -at is the taa marbuta read in the construct state ("Hamat" / "Hama"), a soft consonant.
 */
function indelAt(form: string, at: number, code: number, facing: number): number {
  if (code === T && at === form.length - 1 && form.charCodeAt(at - 1) === A) {
    return SOFT_CONSONANT_COST;
  }
  return indelFacing(code, facing);
}

/** {@link indelCost} of a form's first letter. */
function initialIndelCost(code: number): number {
  return Math.max(indelCost(code), INITIAL_VOWEL_INDEL_COST);
}

function substitutionCost(a: number, b: number): number {
  if (a === b) return 0;
  if (a >= TABLE_SIZE || b >= TABLE_SIZE) return 1;
  if (VOWEL[a] === 1 && VOWEL[b] === 1) {
    // y is written for i and e only, w for u and o: "Dumayr" is not "Dumaar".
    return GLIDE_VOWEL.has(a * TABLE_SIZE + b) || (GLIDE[a] !== 1 && GLIDE[b] !== 1)
      ? VOWEL_EDIT_COST
      : GLIDE_INDEL_COST;
  }
  if ((a === MARK && MARK_VOWEL[b] === 1) || (b === MARK && MARK_VOWEL[a] === 1)) {
    return VOWEL_EDIT_COST;
  }
  return CLOSE.has(a * TABLE_SIZE + b) ? SOFT_CONSONANT_COST : 1;
}

/** Two rows of the edit-distance table, reused between calls. */
let previous = new Float64Array(32);
let current = new Float64Array(32);

/**
 * Edit distance between two {@link foldSpelling} forms where vowel edits are cheap and
 * consonant edits are not: "dumayr" and "dmeir" are 0.9 apart, "duma" and "dumayr" 1.6.
 * Past `limit` it stops early and returns some distance above the limit.
 */
export function spellingDistance(a: string, b: string, limit = Infinity): number {
  if (a === b) return 0;
  if (previous.length <= b.length) {
    previous = new Float64Array(b.length + 1);
    current = new Float64Array(b.length + 1);
  }
  previous[0] = 0;
  for (let j = 1; j <= b.length; j += 1) {
    const cb = b.charCodeAt(j - 1);
    previous[j] = (previous[j - 1] ?? 0) + (j === 1 ? initialIndelCost(cb) : indelCost(cb));
  }
  for (let i = 1; i <= a.length; i += 1) {
    const ca = a.charCodeAt(i - 1);
    current[0] = (previous[0] ?? 0) + (i === 1 ? initialIndelCost(ca) : indelCost(ca));
    for (let j = 1; j <= b.length; j += 1) {
      const cb = b.charCodeAt(j - 1);
      // A letter written in one spelling only faces the other's letter last aligned before it.
      const deleteA = i === 1 ? initialIndelCost(ca) : indelAt(a, i - 1, ca, b.charCodeAt(j - 1));
      const insertB = j === 1 ? initialIndelCost(cb) : indelAt(b, j - 1, cb, a.charCodeAt(i - 1));
      current[j] = Math.min(
        (previous[j] ?? 0) + deleteA,
        (current[j - 1] ?? 0) + insertB,
        (previous[j - 1] ?? 0) + substitutionCost(ca, cb),
      );
    }
    [previous, current] = [current, previous];
    let rowMin = Infinity;
    for (let j = 0; j <= b.length; j += 1) rowMin = Math.min(rowMin, previous[j] ?? 0);
    if (rowMin > limit) return rowMin;
  }
  return previous[b.length] ?? 0;
}
