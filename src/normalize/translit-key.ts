/**
 * The words that begin so many place names (spring, hill, monastery, village, house, ruin,
 * mountain, valley, well) in their usual spellings, each mapped to one: their vowels follow
 * each tradition's habit ("Ein" / "Ayn", "Deir" / "Dayr"), not the name, so they must not use
 * up the vowel edits a name is allowed.
 */
const GENERIC_SPELLINGS: ReadonlyMap<string, string> = new Map(
  Object.entries({
    ayn: ['ain', 'ein', 'aayn', 'aain'],
    tall: ['tell', 'tal', 'tel'],
    dayr: ['deir', 'dair', 'der'],
    kafr: ['kfar', 'kafar', 'kafer', 'kefr', 'kefer', 'kfr'],
    bayt: ['beit', 'bait', 'beyt'],
    khirbat: ['khirbet', 'kherbet', 'khirbit', 'khurbet'],
    jabal: ['jebel', 'djebel', 'jbel', 'jabel'],
    wadi: ['ouadi', 'wady'],
    bir: ['beer', 'bier'],
  }).flatMap(([word, spellings]) => spellings.map((spelling) => [spelling, word] as const)),
);

/**
 * Folds the consonant spellings that English, French and scholarly transliterations of the
 * same Arabic letter disagree on, keeping vowels: "Djeroud" → "jerud", "Qoussair" → "kusair",
 * "Rheibeh" → "rheiba". Two spellings of one name usually differ only in vowels after this.
 */
export function foldSpelling(folded: string): string {
  // Slavic spellings write y as j after a vowel ("Kunejtra", "Suvajda", "Lazikija"), Russian
  // ones the diphthong эй as ehj ("Dehjr" for Dayr).
  let s = (GENERIC_SPELLINGS.get(folded) ?? folded)
    .replace(/([ae])jj(?=[aeiou])/g, '$1yy')
    .replace(/([ae])h?j(?=[^aeiou])/g, '$1y')
    .replace(/ij(?=a$)/, 'iy');
  // French ou before a vowel is u and the glide w ("Zouair" / "Zuwayr").
  // At the start of a word it is the consonant w alone ("Ouadi", "Ouaar" / "Wa'r").
  s = s.replace(/^ou(?=[aeiy])/, 'w').replace(/ou(?=[aeiy])/g, 'uw');
  s = s.replace(SPELLING_UNITS, (unit) => SPELLING_FOLDS[unit] ?? unit);
  // The diphthong ay is written ai, ei, ey or ay before a consonant or at the end of a word
  // ("Sheikh" / "Shaykh", "Qaryatein" / "Qaryatayn", "Jairoud" / "Jayrud").
  s = s.replace(DIPHTHONG_AY, 'ay');
  // English ee and oo are the long vowels i and u ("Mayadeen" / "Mayadin", "Yabrood").
  s = s.replace(/ee/g, 'i').replace(/oo/g, 'u');
  // Doubled letters (shadda) are written single or double.
  s = s.replace(/(.)\1+/g, '$1');
  // n before b is said and often written m ("Manbij" / "Membij", "Qanbar" / "Qambar").
  s = s.replace(/n(?=b)/g, 'm');
  // Taa marbuta: -ah, -eh, -a, -e, -é all end the same word. The ending -iya (nisba) is
  // written -ia, -ie or -iyeh too ("Latakia" / "Latakiya", "Salamieh"): it is one ending,
  // whose i and y are not dropped by a spelling that lacks the ending ("Nasira" / "Nasiriya").
  return s
    .replace(/[aei]h$/, 'a')
    .replace(/e$/, 'a')
    .replace(/iy?a$/, 'iya');
}

/**
 * Letter groups that spell one Arabic sound, longest first, and what they fold to. German and
 * Slavic dsch/dzh/dz and French dj are j; (t)sch, tch, ch and sh are one letter ($); kh is its
 * own letter (x); French ou is u, and gu before e/i a hard g; gh ~ g, th/dh ~ t/d, ph = f;
 * q and c are k (emphatic and plain consonants are not told apart in Latin spellings); v is w.
 * Polish sz and cz are sh and ch ("Damaszek").
 */
const SPELLING_FOLDS: Readonly<Record<string, string>> = {
  dsch: 'j',
  dzh: 'j',
  tsch: '$',
  sch: '$',
  tch: '$',
  dz: 'j',
  dj: 'j',
  sz: '$',
  cz: '$',
  ch: '$',
  ou: 'u',
  gu: 'g',
  kh: 'x',
  gh: 'g',
  sh: '$',
  th: 't',
  dh: 'd',
  zh: 'z',
  ph: 'f',
  x: 'ks',
  v: 'w',
  q: 'k',
  c: 'k',
};
const SPELLING_UNITS =
  /dsch|dzh|tsch|sch|tch|dz|dj|sz|cz|ch|ou|gu(?=[ei])|kh|gh|sh|th|dh|zh|ph|[xvqc]/g;

/** ai, ei, ey, ay not followed by a vowel: one diphthong, written ay. */
const DIPHTHONG_AY = /[ae][iy](?![aeiouy])/g;

/** Vowels, the half-vowels y/w and the ʿayn mark, which carry no consonant of their own. */
const VOWELS_AND_MARKS = /[aeiouyw']/g;

/**
 * The transliteration-aware key of one folded word: its consonant skeleton. "Qalamoun",
 * "Kalamoun" and "Qalamun" all give "klmn"; "Jeroud", "Djeroud" and "Jayrud" give "jrd".
 *
 * The key is deliberately coarse: it finds candidates. Deciding between them is the job of
 * the confirmation step, which compares the {@link foldSpelling} forms, vowels included.
 */
export function translitKey(folded: string): string {
  // Letters left doubled by removing vowels stay doubled: "Azaz" is "zz", not "z".
  return foldSpelling(folded).replace(VOWELS_AND_MARKS, '');
}

/**
 * Consonants that Latin spellings of Arabic swap for one another, each mapped to one letter
 * of its class: the dentals and sibilants t d z s (ث ذ ظ are written t/s, d/z, z/d: "Lazikiya"
 * and "Ladhiqiyah", "Abu az Zuhur" and "Abul Thohur"), k and g (q, ghayn), h and kh (Russian
 * spellings write ḥ as kh), b and p.
 */
const PHONETIC_CLASSES: Readonly<Record<string, string>> = {
  d: 't',
  z: 't',
  s: 't',
  g: 'k',
  x: 'h',
  p: 'b',
};
const PHONETIC_LETTERS = /[dzsgxp]/g;

/**
 * The coarser key of a name key: consonant classes instead of consonants, repeats once. It
 * finds candidates that the name key misses; only a closer confirmation may accept them.
 */
export function phoneticKey(nameKey: string): string {
  // h comes and goes (ḥ written or dropped), and so does the t of a taa marbuta ("Hamat").
  return nameKey
    .replace(/t$/, '')
    .replace(PHONETIC_LETTERS, (c) => PHONETIC_CLASSES[c] ?? c)
    .replace(/h/g, '')
    .replace(/(.)\1+/g, '$1');
}

/** Appends a word key to a name key; a letter doubled across the join counts once ("Ez-Zor"). */
export function appendKey(nameKey: string, wordKey: string): string {
  return nameKey.endsWith(wordKey.charAt(0)) ? nameKey + wordKey.slice(1) : nameKey + wordKey;
}

/** Joins word keys into a name key with {@link appendKey}. */
export function joinKeys(keys: readonly string[]): string {
  let out = '';
  for (const key of keys) out = appendKey(out, key);
  return out;
}
