/** `/organiser`: the events the viewer organises, each with its editions, newest first. */
import { useQuery } from 'urql';
import { Link } from 'wouter';
import { ConsoleOrganiserEventsDocument } from '../../../../generated/graphql.ts';
import { useFormat, useLocale, useMessages } from '../../i18n/i18n.tsx';
import { Page } from '../../ui/Page.tsx';
import { Empty, QueryState } from '../../ui/states.tsx';
import { apiLanguage } from './edition.tsx';
import { eventsMessages } from './events.messages.ts';
import { invitationsMessages } from './invitations.messages.ts';
import './events.css';

export default function OrganiserEventsPage() {
  const t = useMessages(eventsMessages);
  const ti = useMessages(invitationsMessages);
  const f = useFormat();
  const { locale } = useLocale();
  const [result, reexecute] = useQuery({
    query: ConsoleOrganiserEventsDocument,
    variables: { lang: apiLanguage(locale) },
  });
  return (
    <Page title={t.eventsTitle}>
      <p className="muted">{t.eventsIntro}</p>
      <QueryState result={result} retry={() => reexecute({ requestPolicy: 'network-only' })}>
        {(data) => {
          const events = data.events
            .map((e) => ({ ...e, editions: e.editions.filter((ed) => ed.youOrganise) }))
            .filter((e) => e.youOrganise || e.editions.length > 0);
          if (events.length === 0) return <Empty>{t.noEvents}</Empty>;
          return events.map((event) => (
            <section key={event.id} className="card" aria-labelledby={`event-${event.id}`}>
              <h2 id={`event-${event.id}`}>{event.name.text}</h2>
              <p className="muted">{t.runBy(event.organisation.name)}</p>
              {event.youOrganise && (
                <p>
                  <Link href={`/organiser/events/${event.slug}/new-edition`} className="button">
                    {t.newEdition}
                    <span className="visually-hidden"> – {event.name.text}</span>
                  </Link>
                </p>
              )}
              {event.editions.length === 0 ? (
                <Empty>{t.noEditions}</Empty>
              ) : (
                <ul className="ev-editions">
                  {event.editions.map((edition) => {
                    const from = f.date(edition.startsAt);
                    const to = f.date(edition.endsAt);
                    const counts = edition.participantCounts;
                    return (
                      <li key={edition.id} className="ev-edition">
                        <h3>
                          <Link href={`/organiser/${edition.slug}`}>{edition.title.text}</Link>
                        </h3>
                        <p>
                          {t.dates(from, to)} ·{' '}
                          <span className={`badge ev-status-${edition.status.toLowerCase()}`}>
                            {t[`editionStatus_${edition.status}`]}
                          </span>
                        </p>
                        {counts && (
                          <p>{t.countsShort(f.number(counts.registered), f.number(counts.checkedIn))}</p>
                        )}
                        <p className="row">
                          <Link href={`/organiser/${edition.slug}`} className="button">
                            {t.openParticipants}
                            <span className="visually-hidden"> – {edition.title.text}</span>
                          </Link>
                          <Link href={`/organiser/${edition.slug}/check-in`} className="button">
                            {t.openCheckIn}
                            <span className="visually-hidden"> – {edition.title.text}</span>
                          </Link>
                          <Link href={`/organiser/${edition.slug}/stands`} className="button">
                            {t.openStands}
                            <span className="visually-hidden"> – {edition.title.text}</span>
                          </Link>
                          <Link href={`/organiser/${edition.slug}/invitations`} className="button">
                            {ti.openInvitations}
                            <span className="visually-hidden"> – {edition.title.text}</span>
                          </Link>
                        </p>
                      </li>
                    );
                  })}
                </ul>
              )}
            </section>
          ));
        }}
      </QueryState>
    </Page>
  );
}
