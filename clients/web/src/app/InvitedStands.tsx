/**
 * On the start page of an organisation's admins: the open editions their organisation is invited
 * to, each with a link to its stand directory, where they prepare their own stand (the events menu
 * is the organisers'). Nothing when there is none.
 */
import { useQuery } from 'urql';
import { Link } from 'wouter';
import { ConsoleInvitedEditionsDocument } from '../../../generated/graphql.ts';
import { apiLanguage } from '../areas/events/edition.tsx';
import { useLocale, useMessages } from '../i18n/i18n.tsx';
import { homeMessages } from './home.messages.ts';
import type { Viewer } from './viewer.tsx';

export function InvitedStands({ viewer }: { viewer: Viewer }) {
  const t = useMessages(homeMessages);
  const { locale } = useLocale();
  // Only an organisation's admins set up stands; the hub says for which (`standOrganisations`).
  const admin = viewer.memberships.some((m) => m.roles.includes('ORG_ADMIN'));
  const [result] = useQuery({
    query: ConsoleInvitedEditionsDocument,
    variables: { lang: apiLanguage(locale) },
    pause: !admin,
  });
  const editions = (result.data?.events ?? [])
    .flatMap((e) => e.editions)
    .filter((e) => e.status === 'OPEN' && !e.youOrganise && e.standOrganisations.length > 0);
  if (editions.length === 0) return null;
  return (
    <>
      <h2>{t.yourEvents}</h2>
      <ul className="tiles">
        {editions.map((e) => (
          <li key={e.id}>
            <Link href={`/organiser/${e.slug}/stands`}>{t.standsOf(e.title.text)}</Link>
          </li>
        ))}
      </ul>
    </>
  );
}
