/**
 * Folds the consonant spellings that English, French and scholarly transliterations of the
 * same Arabic letter disagree on, keeping vowels: "Djeroud" → "jerud", "Qoussair" → "kusair",
 * "Rheibeh" → "rheiba". Two spellings of one name usually differ only in vowels after this.
 */
export function foldSpelling(folded: string): string {
  let s = folded;
  // German and Slavic spellings: dsch/dzh/dz = j, (t)sch = sh, j after a vowel = y, v = w.
  s = s.replace(/dsch|dzh|dz/g, 'dj').replace(/t?sch/g, 'sh');
  s = s
    .replace(/([ae])jj(?=[aeiou])/g, '$1yy')
    .replace(/([ae])j(?=[^aeiou])/g, '$1y')
    .replace(/ij(?=a$)/, 'iy')
    .replace(/v/g, 'w');
  // French spellings: dj = j, (t)ch = sh, ou = u/w; "gu" before e/i is a hard g.
  s = s.replace(/dj/g, 'j').replace(/tch/g, 'sh').replace(/ch/g, 'sh').replace(/ou/g, 'u');
  s = s.replace(/gu(?=[ei])/g, 'g');
  // Digraphs for single Arabic letters: kh and sh are letters of their own (x, $), gh ~ g,
  // th/dh ~ t/d, ph = f. Folding them to one letter keeps variants together.
  s = s.replace(/x/g, 'ks').replace(/kh/g, 'x').replace(/gh/g, 'g').replace(/sh/g, '$');
  s = s.replace(/th/g, 't').replace(/dh/g, 'd').replace(/zh/g, 'z').replace(/ph/g, 'f');
  // Emphatic and plain consonants are not told apart in Latin spellings.
  s = s.replace(/q/g, 'k').replace(/c/g, 'k');
  // Doubled letters (shadda, or English "ee"/"oo") are written single or double.
  s = s.replace(/(.)\1+/g, '$1');
  // Taa marbuta: -ah, -eh, -a, -e, -é all end the same word.
  s = s.replace(/[aei]h$/, 'a').replace(/e$/, 'a');
  return s;
}

/** Vowels and the half-vowels y/w, which carry no consonant of their own. */
const VOWELS = /[aeiouyw]/g;

/**
 * The transliteration-aware key of one folded word: its consonant skeleton. "Qalamoun",
 * "Kalamoun" and "Qalamun" all give "klmn"; "Jeroud", "Djeroud" and "Jayrud" give "jrd".
 *
 * The key is deliberately coarse: it finds candidates. Deciding between them is the job of
 * the confirmation step, which compares the {@link foldSpelling} forms, vowels included.
 */
export function translitKey(folded: string): string {
  // Letters left doubled by removing vowels stay doubled: "Azaz" is "zz", not "z".
  return foldSpelling(folded).replace(VOWELS, '');
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
