import type { SiteNames } from './site-names.js';

/** Author strings longer than this are bios or sentences, not bylines. */
const MAX_BYLINE_CHARS = 160;
/** A person's name has at most this many words ("Abu Muhammad al-Sayed al-Halabi"). */
const MAX_NAME_WORDS = 5;

/** Labels a byline starts with: "By", "Written by:", "Reporter:". */
const BYLINE_LABEL =
  /^(?:(?:written|reported|words|text|story|posted|article|report) by|by|authors?|reporters?|writers?|correspondents?)\b\s*:?\s*/i;
/** Parts of a credit that are not a person's name: roles, desks, agencies, places of filing. */
const CREDIT_SEPARATOR = /\s+[|–—/-]\s+|\s*\|\s*|\n/;
/** People named in one credit: "A and B", "A, B & C". */
const PEOPLE_SEPARATOR = /\s*(?:,|;|&|\band\b|\bwith\b)\s*/i;
/** Roles and credits that are no authors: editors, translators, photographers, staff credits. */
const NOT_AN_AUTHOR =
  /\b(?:staff|editors?|edited|editing|editorial|translat\w*|photo\w*|pictures?|images?|illustrat\w*|graphics?|video|desk|bureau|newsroom|team|agency|agencies|news|press|media|wires?|contributors?|correspondents?|reporters?|writers?|columnists?|analysts?|online|admin|administrator|webmaster|guest|anonymous|unknown)\b/i;
/** A name word: capitalised, or a lower-case particle of Arabic, Dutch, German or Romance names. */
const NAME_WORD =
  /^(?:[\p{Lu}][\p{L}\p{M}'’.-]*|(?:al|el|ad|ar|as|ash|at|az|an|bin|bint|ibn|abu|de|da|di|do|dos|du|del|della|der|den|la|le|van|von)(?:[-'’][\p{L}\p{M}'’.-]+)?)$/u;

/** What may not be a person in a byline: the site itself and CMS account names. */
export interface AuthorEvidence {
  site: SiteNames;
  /** Lower-cased account names the CMS prints ("admin"). */
  accounts: ReadonlySet<string>;
}

/** True when `name` reads as a person's name of two or more words. */
function isPersonName(name: string, evidence: AuthorEvidence): boolean {
  const words = name.split(' ');
  if (words.length < 2 || words.length > MAX_NAME_WORDS) return false;
  if (!words.every((word) => NAME_WORD.test(word))) return false;
  if (!/[\p{Ll}]/u.test(name)) return false; // "AFP PHOTO", "SANA NEWS" are agencies
  if (NOT_AN_AUTHOR.test(name)) return false;
  if (evidence.accounts.has(name.toLowerCase())) return false;
  return !evidence.site.names(name);
}

/**
 * The people a byline names: its label ("By", "Written by:") removed, split at credit
 * separators ("Name | Staff writer", "Beirut - Name") and between people ("A and B"), keeping
 * only what reads as a person's name (two or more name words, not the site, not a role).
 */
export function bylinePeople(text: string, evidence: AuthorEvidence): string[] {
  const line = text.replace(/[^\S\n]+/g, ' ').trim();
  if (line === '' || line.length > MAX_BYLINE_CHARS) return [];
  const people: string[] = [];
  for (const credit of line.split(CREDIT_SEPARATOR)) {
    const named = credit.trim().replace(BYLINE_LABEL, '');
    if (named === '' || /\d|@|https?:/.test(named)) continue;
    for (const part of named.split(PEOPLE_SEPARATOR)) {
      const name = part.replace(/^[\s"“(]+|[\s"”).,:;]+$/g, '');
      if (isPersonName(name, evidence)) people.push(name);
    }
  }
  return people;
}

/**
 * The people an author field of the metadata (JSON-LD, meta author) names, read like a
 * byline: the site's own name and CMS account names are dropped.
 */
export function statedAuthors(text: string, evidence: AuthorEvidence): string[] {
  const line = text.replace(/\s+/g, ' ').trim();
  if (evidence.site.names(line) || evidence.accounts.has(line.toLowerCase())) return [];
  return bylinePeople(line, evidence);
}
