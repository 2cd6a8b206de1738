/**
 * Translated text is stored as a JSON object keyed by ISO 639-1 code: { "fr": "…", "de": "…" }.
 * A reader asks for a language (argument, else Accept-Language) and gets the best available text
 * along a fallback chain, with the language it is actually in.
 */
import { z } from 'zod';

/** Languages the catalogue speaks. fr, de, lb, en are expected; the others are welcome. */
export const LANGUAGES = ['fr', 'de', 'lb', 'en', 'pt', 'uk', 'ar', 'fa'] as const;
export type Language = (typeof LANGUAGES)[number];
/** Languages every published offer should have (editors see which are missing). */
export const EXPECTED_LANGUAGES: readonly Language[] = ['fr', 'de', 'lb', 'en'];
/** After the asked languages: French, then German, then English (DESIGN.md). */
export const FALLBACK_CHAIN: readonly Language[] = ['fr', 'de', 'en', 'lb'];

export type Translations = Partial<Record<Language, string>>;

export function isLanguage(code: string): code is Language {
  return (LANGUAGES as readonly string[]).includes(code);
}

/** Reads a stored JSON value as translations, dropping anything malformed. */
export function asTranslations(value: unknown): Translations {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  const out: Translations = {};
  for (const [lang, text] of Object.entries(value)) {
    if (isLanguage(lang) && typeof text === 'string' && text.trim() !== '') out[lang] = text;
  }
  return out;
}

export interface Localized {
  text: string;
  language: Language;
  /** True when the text is not in the first language asked for. */
  fallback: boolean;
}

/** The best text for `asked` (best first), then the fallback chain, then any language. */
export function localize(value: unknown, asked: readonly string[]): Localized | null {
  const t = asTranslations(value);
  const order = [...asked.filter(isLanguage), ...FALLBACK_CHAIN, ...LANGUAGES];
  for (const lang of order) {
    const text = t[lang];
    if (text !== undefined) return { text, language: lang, fallback: lang !== asked[0] };
  }
  return null;
}

/** Expected languages a translated field lacks. */
export function missingLanguages(value: unknown): Language[] {
  const t = asTranslations(value);
  return EXPECTED_LANGUAGES.filter((lang) => t[lang] === undefined);
}

/** Input validation for translated text: known language codes, non-empty, bounded. */
export const translationsInput = (maxLength: number) =>
  z
    .array(
      z.object({
        language: z.enum(LANGUAGES),
        text: z.string().trim().min(1).max(maxLength),
      }),
    )
    .max(LANGUAGES.length)
    .refine((list) => new Set(list.map((t) => t.language)).size === list.length, 'one text per language');

/** [{ language, text }] → stored JSON object. */
export function toTranslations(list: readonly { language: string; text: string }[]): Translations {
  const out: Translations = {};
  for (const { language, text } of list) if (isLanguage(language)) out[language] = text.trim();
  return out;
}
