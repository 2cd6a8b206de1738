/**
 * French, German and English: the user's choice, remembered in this browser (first visit: the
 * browser's languages, else French). Each screen's words live beside it as a catalogue made with
 * `defineMessages`, whose three languages must have the same keys (the typecheck says which one is
 * missing). A message is a string, or a function of its parameters.
 */
import { typesetFrench } from '../../../typography.ts';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';

export const LOCALES = ['fr', 'de', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const LOCALE_NAMES: Record<Locale, string> = { fr: 'Français', de: 'Deutsch', en: 'English' };

const KEY = 'maillage.locale';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Message = string | ((...args: any[]) => string);
export type Catalogue<M extends Record<string, Message>> = Record<Locale, M>;

/**
 * A screen's words in the three languages; `de` and `en` must have `fr`'s keys and shapes. The
 * French words are typeset here, once for every screen (`typesetFrench`): catalogues are written
 * with plain spaces.
 */
export function defineMessages<M extends Record<string, Message>>(catalogue: {
  fr: M;
  de: { [K in keyof M]: M[K] };
  en: { [K in keyof M]: M[K] };
}): Catalogue<M> {
  return { ...catalogue, fr: typesetFrench(catalogue.fr) };
}

function initialLocale(): Locale {
  const saved = localStorage.getItem(KEY);
  if (LOCALES.includes(saved as Locale)) return saved as Locale;
  for (const lang of navigator.languages ?? []) {
    const base = lang.slice(0, 2).toLowerCase();
    if (LOCALES.includes(base as Locale)) return base as Locale;
  }
  return 'fr';
}

interface I18n {
  locale: Locale;
  setLocale: (locale: Locale) => void;
}

const I18nContext = createContext<I18n>({ locale: 'fr', setLocale: () => undefined });

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(initialLocale);
  const setLocale = useCallback((next: Locale) => {
    localStorage.setItem(KEY, next);
    setLocaleState(next);
  }, []);
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  const value = useMemo(() => ({ locale, setLocale }), [locale, setLocale]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export const useLocale = () => useContext(I18nContext);

/** The messages of a catalogue in the user's language. */
export function useMessages<M extends Record<string, Message>>(catalogue: Catalogue<M>): M {
  return catalogue[useContext(I18nContext).locale];
}

/** Dates and times in the user's language, Luxembourg's time zone. */
export function useFormat() {
  const { locale } = useLocale();
  return useMemo(() => {
    const tag = locale === 'fr' ? 'fr-LU' : locale === 'de' ? 'de-LU' : 'en-GB';
    const dateTime = new Intl.DateTimeFormat(tag, {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone: 'Europe/Luxembourg',
    });
    const date = new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeZone: 'Europe/Luxembourg' });
    const number = new Intl.NumberFormat(tag);
    return {
      dateTime: (iso: string | null | undefined) => (iso ? dateTime.format(new Date(iso)) : '—'),
      date: (iso: string | null | undefined) => (iso ? date.format(new Date(iso)) : '—'),
      number: (n: number) => number.format(n),
    };
  }, [locale]);
}

/** The API's `Language` for the user's language (offers and reasons come back in it). */
export function useApiLanguage(): 'FR' | 'DE' | 'EN' {
  return useLocale().locale.toUpperCase() as 'FR' | 'DE' | 'EN';
}
