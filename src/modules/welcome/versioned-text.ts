/**
 * Translated texts that know which version of their source they were made from: a guide's title
 * and introduction, an entry's note. Editing the source language's text makes a new source
 * version; a translation written records the source version it was made from; a translation made
 * from an older version than the current one is outdated (shown as such in the API).
 */

/** `{ "ar": 3 }`: the source version each translation was made from (anything else is ignored). */
export function translatedFromOf(value: unknown): Record<string, number> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).filter(
      (e): e is [string, number] => typeof e[1] === 'number',
    ),
  );
}

export interface VersionedTexts {
  sourceLanguage: string;
  /** The current source version. */
  version: number;
  translatedFrom: unknown;
}

/** Whether the text in `language` was translated from an older source version (never the source). */
export function isOutdated(texts: VersionedTexts, language: string): boolean {
  if (language === texts.sourceLanguage) return false;
  const from = translatedFromOf(texts.translatedFrom)[language];
  return from === undefined || from < texts.version;
}

/**
 * The versions after a write: a new source version when the source text changed, and every other
 * language written recorded as made from the (new) current version.
 */
export function versionsAfterWrite(
  texts: VersionedTexts,
  change: { sourceChanged: boolean; languagesWritten: Iterable<string> },
): { version: number; translatedFrom: Record<string, number> } {
  const version = texts.version + (change.sourceChanged ? 1 : 0);
  const translatedFrom = translatedFromOf(texts.translatedFrom);
  for (const language of change.languagesWritten) {
    if (language !== texts.sourceLanguage) translatedFrom[language] = version;
  }
  return { version, translatedFrom };
}
