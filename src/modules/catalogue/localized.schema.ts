/** Translated text in the API: `title(lang:)` answers in the best language and says which. */
import { builder } from '../../builder.ts';
import type { Context } from '../../context.ts';
import { asTranslations, LANGUAGES, type Localized } from './translations.ts';

export const LanguageEnum = builder.enumType('Language', {
  description: 'Languages of the catalogue (ISO 639-1).',
  values: Object.fromEntries(LANGUAGES.map((l) => [l.toUpperCase(), { value: l }])) as Record<
    Uppercase<(typeof LANGUAGES)[number]>,
    { value: (typeof LANGUAGES)[number] }
  >,
});

export const LocalizedText = builder.objectRef<Localized>('LocalizedText').implement({
  description: 'A text in the best available language for the request.',
  authScopes: { public: true },
  fields: (t) => ({
    text: t.exposeString('text'),
    language: t.field({ type: LanguageEnum, resolve: (l) => l.language }),
    fallback: t.exposeBoolean('fallback', {
      description: 'True when the text is not in the language asked for first.',
    }),
  }),
});

export const Translation = builder
  .objectRef<{ language: (typeof LANGUAGES)[number]; text: string }>('Translation')
  .implement({
    authScopes: { public: true },
    fields: (t) => ({
      language: t.field({ type: LanguageEnum, resolve: (tr) => tr.language }),
      text: t.exposeString('text'),
    }),
  });

export const TranslationInput = builder.inputType('TranslationInput', {
  fields: (t) => ({
    language: t.field({ type: LanguageEnum, required: true }),
    text: t.string({ required: true }),
  }),
});

/** Languages asked for: the `lang` argument, else the Accept-Language header. */
export function askedLanguages(lang: string | null | undefined, ctx: Context): string[] {
  return lang ? [lang, ...ctx.languages] : ctx.languages;
}

export function translationList(value: unknown) {
  return Object.entries(asTranslations(value)).map(([language, text]) => ({
    language: language as (typeof LANGUAGES)[number],
    text,
  }));
}
