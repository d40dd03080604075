/**
 * The transliteration-aware key of one folded word: the consonant skeleton that English,
 * French and scholarly spellings of the same Arabic word share. "Qalamoun", "Kalamoun" and
 * "Qalamun" all give "klmn"; "Jeroud", "Djeroud" and "Jayrud" give "jrd".
 *
 * The key is deliberately coarse: it finds candidates. Deciding between them is the job of
 * the confirmation step, which compares the fuller folded forms.
 */
export function translitKey(folded: string): string {
  let s = folded;
  // French spellings: dj = j, ch = sh, ou = w/u; "gu" before e/i is a hard g.
  s = s.replace(/dj/g, 'j').replace(/tch/g, 'sh').replace(/ch/g, 'sh').replace(/ou/g, 'u');
  s = s.replace(/gu(?=[ei])/g, 'g');
  // Digraphs for single Arabic letters: kh is its own letter (x), gh ~ g, sh/th/dh ~ s/t/d,
  // ph = f. Folding them to one letter keeps variants together.
  s = s.replace(/x/g, 'ks').replace(/kh/g, 'x').replace(/gh/g, 'g').replace(/sh/g, 's');
  s = s.replace(/th/g, 't').replace(/dh/g, 'd').replace(/zh/g, 'z').replace(/ph/g, 'f');
  // Emphatic and plain consonants are not told apart in Latin spellings.
  s = s.replace(/q/g, 'k').replace(/c/g, 'k').replace(/v/g, 'f');
  // Taa marbuta: -ah, -eh, -a, -e all end the same word; drop a final h after a vowel.
  s = s.replace(/([aeiouy])h$/, '$1');
  // Vowels and the half-vowels y/w carry no consonant: drop them.
  s = s.replace(/[aeiouyw]/g, '');
  // Doubled letters (shadda) are written single or double.
  s = s.replace(/(.)\1+/g, '$1');
  return s;
}

/** Joins word keys into a name key; letters doubled across the join count once ("Ez-Zor"). */
export function joinKeys(keys: readonly string[]): string {
  let out = '';
  for (const key of keys) {
    out += out.endsWith(key.charAt(0)) ? key.slice(1) : key;
  }
  return out;
}
