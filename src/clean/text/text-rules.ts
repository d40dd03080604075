/** Cleaning rules for plain-text pages, loaded from config/rules/text.json. */
export interface TextRules {
  version: number;
}
