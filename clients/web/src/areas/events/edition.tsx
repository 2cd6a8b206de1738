/**
 * What the edition's pages share: the edition read by the slug in the address, and what anyone
 * but its organisers sees instead (an unknown edition and one they may not organise read alike:
 * a plain sentence and the way back).
 */
import { useMemo, type ReactNode } from 'react';
import { useQuery } from 'urql';
import { Link } from 'wouter';
import {
  ConsoleOrganiserEditionDocument,
  type ConsoleOrganiserEditionQuery,
  type Language,
} from '../../../../generated/graphql.ts';
import { useLocale, useMessages, type Locale } from '../../i18n/i18n.tsx';
import { Page } from '../../ui/Page.tsx';
import { ErrorNotice, Loading } from '../../ui/states.tsx';
import { eventsMessages } from './events.messages.ts';

export type Edition = NonNullable<ConsoleOrganiserEditionQuery['eventEdition']>;

/** The API's language for the console's. */
export const apiLanguage = (locale: Locale): Language =>
  locale === 'de' ? 'DE' : locale === 'en' ? 'EN' : 'FR';

/** The edition named by the address, as its organisers see it. */
export function useEdition(slug: string) {
  const { locale } = useLocale();
  const [result, reexecute] = useQuery({
    query: ConsoleOrganiserEditionDocument,
    variables: { slug, lang: apiLanguage(locale) },
  });
  return { result, retry: () => reexecute({ requestPolicy: 'network-only' }) };
}

/**
 * The page's content for the edition's organisers; for anyone else, or an unknown edition, a
 * plain refusal. `title` names the page once the edition is read.
 */
export function EditionGate({
  slug,
  children,
}: {
  slug: string;
  children: (edition: Edition, retry: () => void) => ReactNode;
}) {
  const t = useMessages(eventsMessages);
  const { result, retry } = useEdition(slug);
  const edition = result.data?.eventEdition;
  if (result.data === undefined) {
    if (result.error) {
      return (
        <Page title={t.participants}>
          <ErrorNotice error={result.error} onRetry={retry} />
        </Page>
      );
    }
    return <Loading />;
  }
  if (!edition || !edition.youOrganise) {
    return (
      <Page title={edition ? t.refusedTitle : t.notFoundTitle}>
        <p>{edition ? t.refusedText : t.notFoundText}</p>
        <p>
          <Link href="/organiser">{t.backToEvents}</Link>
        </p>
      </Page>
    );
  }
  return <>{children(edition, retry)}</>;
}

/** Hours and minutes in Luxembourg's time, in the user's language. */
export function useTime() {
  const { locale } = useLocale();
  return useMemo(() => {
    const tag = locale === 'fr' ? 'fr-LU' : locale === 'de' ? 'de-LU' : 'en-GB';
    const time = new Intl.DateTimeFormat(tag, { timeStyle: 'short', timeZone: 'Europe/Luxembourg' });
    return (iso: string | null | undefined) => (iso ? time.format(new Date(iso)) : '—');
  }, [locale]);
}

/** The back link to the organiser's events, and where the page sits. */
export function Breadcrumb({ children }: { children?: ReactNode }) {
  const t = useMessages(eventsMessages);
  return (
    <nav aria-label={t.breadcrumb} className="ev-breadcrumb">
      <Link href="/organiser">{t.eventsTitle}</Link>
      {children && <> › {children}</>}
    </nav>
  );
}
