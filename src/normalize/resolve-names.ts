import type { Mention, RecordEntity } from '../record/canonical-record.js';
import type { FoundMention, NameMatcher } from './name-matcher.js';

export interface ResolvedNames {
  entities: RecordEntity[];
  canonical: { title: string; body: string };
}

/** Replaces each mention by its entity's canonical name; text between mentions is kept as is. */
function canonicalize(text: string, mentions: FoundMention[]): string {
  let out = '';
  let at = 0;
  for (const m of mentions) {
    out += text.slice(at, m.start) + m.entity.name;
    at = m.end;
  }
  return out + text.slice(at);
}

/**
 * Finds entity mentions in a cleaned title and body, groups them by entity (in order of first
 * appearance) and writes the canonical text. The title and body confirm each other's doubtful
 * candidates.
 */
export function resolveNames(
  page: { title: string; body: string },
  matcher: NameMatcher,
): ResolvedNames {
  const inTitle = matcher.findMentions(page.title, page.body);
  const inBody = matcher.findMentions(page.body, page.title);
  const byId = new Map<string, RecordEntity>();
  const add = (field: Mention['field'], found: FoundMention[]) => {
    for (const m of found) {
      let entity = byId.get(m.entity.id);
      if (!entity) {
        entity = { id: m.entity.id, name: m.entity.name, type: m.entity.type, mentions: [] };
        byId.set(m.entity.id, entity);
      }
      entity.mentions.push({ field, start: m.start, end: m.end, surface: m.surface });
    }
  };
  add('title', inTitle);
  add('body', inBody);
  return {
    entities: [...byId.values()],
    canonical: { title: canonicalize(page.title, inTitle), body: canonicalize(page.body, inBody) },
  };
}
