import { common } from '../ui/common.messages.ts';
import { LOCALES, LOCALE_NAMES, useLocale, useMessages, type Locale } from './i18n.tsx';

/** The console's language, chosen from a list of each language's own name (remembered in the browser). */
export function LocaleSelect() {
  const t = useMessages(common);
  const { locale, setLocale } = useLocale();
  return (
    <label className="locale">
      <span className="visually-hidden">{t.language}</span>
      <select value={locale} onChange={(e) => setLocale(e.target.value as Locale)}>
        {LOCALES.map((l) => (
          <option key={l} value={l} lang={l}>
            {LOCALE_NAMES[l]}
          </option>
        ))}
      </select>
    </label>
  );
}
