/**
 * `/organiser/:slug/stands`: an edition's stand directory in stand-number order (the hub's), with
 * each stand's organisation, project, team, offers presented and what worked. The edition's
 * organisers set up a stand for any invited organisation and change any; an invited
 * organisation's admins set up and change their own (the hub decides: `youMayEdit`, and
 * events.access.ts#maySetUpStand, read as `standOrganisations`). Anyone else reads a
 * plain refusal, as on the other organisers' pages.
 */
import { useEffect, useState } from 'react';
import { useQuery } from 'urql';
import { Link, useParams } from 'wouter';
import {
  ConsoleEditionStandsDocument,
  type ConsoleEditionStandsQuery,
} from '../../../../generated/graphql.ts';
import { useFormat, useLocale, useMessages } from '../../i18n/i18n.tsx';
import { Page } from '../../ui/Page.tsx';
import { Empty, ErrorNotice, Loading, Notice } from '../../ui/states.tsx';
import { apiLanguage, Breadcrumb } from './edition.tsx';
import { eventsMessages } from './events.messages.ts';
import { StandForm, type StandEdition } from './StandForm.tsx';
import './events.css';

type StandsEdition = NonNullable<ConsoleEditionStandsQuery['eventEdition']>;
export type ConsoleStand = StandsEdition['stands'][number];

export default function StandsPage() {
  const { slug } = useParams<{ slug: string }>();
  const t = useMessages(eventsMessages);
  const { locale } = useLocale();
  const [result, reexecute] = useQuery({
    query: ConsoleEditionStandsDocument,
    variables: { slug, lang: apiLanguage(locale) },
  });
  const reload = () => reexecute({ requestPolicy: 'network-only' });
  const edition = result.data?.eventEdition;
  if (result.data === undefined) {
    if (result.error) {
      return (
        <Page title={t.standDirectory}>
          <ErrorNotice error={result.error} onRetry={reload} />
        </Page>
      );
    }
    return <Loading />;
  }
  const creatable = edition?.standOrganisations ?? [];
  const mayManage =
    !!edition && (edition.youOrganise || creatable.length > 0 || edition.stands.some((s) => s.youMayEdit));
  if (!edition || !mayManage) {
    return (
      <Page title={edition ? t.refusedTitle : t.notFoundTitle}>
        <p>{edition ? t.standsRefusedText : t.notFoundText}</p>
        <p>
          <Link href="/organiser">{t.backToEvents}</Link>
        </p>
      </Page>
    );
  }
  return <Stands edition={edition} creatable={creatable} reload={reload} />;
}

function Stands({
  edition,
  creatable,
  reload,
}: {
  edition: StandsEdition;
  creatable: { id: string; slug: string; name: string }[];
  reload: () => void;
}) {
  const t = useMessages(eventsMessages);
  const f = useFormat();
  /** The stand being changed (its ID), 'new' while one is set up, null otherwise. */
  const [editing, setEditing] = useState<string | null>(null);
  const [saved, setSaved] = useState<{ id: string; text: string } | null>(null);
  const forForm: StandEdition = { id: edition.id, slug: edition.slug };
  const onStands = new Map(
    edition.stands.flatMap((s) =>
      s.teamRegistrations.map((r) => [r.id, s.number ?? s.organisation.name] as const),
    ),
  );

  // After a save, the stand's heading has the focus (the form it replaces had it).
  useEffect(() => {
    if (saved) document.getElementById(`stand-${saved.id}`)?.focus();
  }, [saved]);

  const done = (stand: ConsoleStand, created: boolean) => {
    const label = standName(t, stand);
    setEditing(null);
    setSaved({ id: stand.id, text: created ? t.standCreated(label) : t.standSaved(label) });
    reload();
  };
  const count = edition.stands.length;

  return (
    <Page
      title={t.standsTitle(edition.title.text)}
      actions={
        editing !== 'new' &&
        creatable.length > 0 && (
          <button
            type="button"
            className="primary"
            onClick={() => {
              setSaved(null);
              setEditing('new');
            }}
          >
            {t.newStand}
          </button>
        )
      }
    >
      <Breadcrumb>
        {edition.youOrganise ? (
          <Link href={`/organiser/${edition.slug}`}>{edition.title.text}</Link>
        ) : (
          edition.title.text
        )}
      </Breadcrumb>
      <p className="muted">{t.standsIntro}</p>

      {editing === 'new' && (
        <section className="card ev-stand-form" aria-labelledby="stand-new-heading">
          <h2 id="stand-new-heading">{t.newStand}</h2>
          <StandForm
            edition={forForm}
            organisations={creatable}
            onStands={onStands}
            onDone={(s) => done(s, true)}
            onCancel={() => setEditing(null)}
          />
        </section>
      )}

      <section aria-labelledby="stand-directory">
        <h2 id="stand-directory">{t.standDirectory}</h2>
        <p className="ev-matching">{count === 1 ? t.standsCountOne : t.standsCount(f.number(count))}</p>
        {saved && <Notice kind="ok">{saved.text}</Notice>}
        {count === 0 ? (
          <Empty>{t.noStands}</Empty>
        ) : (
          <ol className="ev-stands">
            {edition.stands.map((stand) => (
              <li key={stand.id} className="card ev-stand" data-stand={stand.number ?? ''}>
                {editing === stand.id ? (
                  <section aria-labelledby={`stand-edit-${stand.id}`}>
                    <h3 id={`stand-edit-${stand.id}`}>{t.editStandTitle(standName(t, stand))}</h3>
                    <StandForm
                      edition={forForm}
                      stand={stand}
                      onStands={onStands}
                      onDone={(s) => done(s, false)}
                      onCancel={() => setEditing(null)}
                      onStale={reload}
                    />
                  </section>
                ) : (
                  <StandCard
                    stand={stand}
                    onEdit={() => {
                      setSaved(null);
                      setEditing(stand.id);
                    }}
                  />
                )}
              </li>
            ))}
          </ol>
        )}
      </section>
    </Page>
  );
}

/** "Stand A1 – Inter-Actions", or the organisation alone for a stand without a number. */
export function standName(t: (typeof eventsMessages)['fr'], stand: ConsoleStand): string {
  return stand.number
    ? `${t.standLabel(stand.number)} – ${stand.organisation.name}`
    : stand.organisation.name;
}

function StandCard({ stand, onEdit }: { stand: ConsoleStand; onEdit: () => void }) {
  const t = useMessages(eventsMessages);
  const f = useFormat();
  // Those who may change the stand see its team as registrations; others as consent allows.
  const team = stand.youMayEdit
    ? stand.teamRegistrations.map((r) => ({ key: r.id, name: r.name, function: r.function }))
    : stand.team.members.flatMap((m, i) =>
        m.name ? [{ key: `${i}`, name: m.name, function: m.function }] : [],
      );
  const others = stand.youMayEdit ? 0 : stand.team.othersCount;
  return (
    <article aria-labelledby={`stand-${stand.id}`}>
      <header className="ev-stand-head">
        <span className="ev-stand-number" aria-hidden="true">
          {stand.number ?? '—'}
        </span>
        <div>
          <h3 id={`stand-${stand.id}`} tabIndex={-1}>
            <span className="visually-hidden">
              {stand.number ? t.standLabel(stand.number) : t.noNumber} –{' '}
            </span>
            {stand.title.text}
          </h3>
          <p className="ev-stand-org">{stand.organisation.name}</p>
        </div>
      </header>
      {stand.description && <p>{stand.description.text}</p>}
      <dl className="ev-stand-facts">
        <div>
          <dt>{t.team}</dt>
          <dd>
            {team.length === 0 && others === 0 ? (
              <span className="muted">{t.noTeam}</span>
            ) : (
              <ul className="ev-stand-list">
                {team.map((m) => (
                  <li key={m.key}>
                    {m.name}
                    {m.function && <span className="muted"> · {m.function}</span>}
                  </li>
                ))}
                {others > 0 && (
                  <li className="muted">{others === 1 ? t.teamOthersOne : t.teamOthers(f.number(others))}</li>
                )}
              </ul>
            )}
          </dd>
        </div>
        <div>
          <dt>{t.offersPresented}</dt>
          <dd>
            {stand.offers.length === 0 ? (
              <span className="muted">{t.noOffers}</span>
            ) : (
              <ul className="ev-stand-list">
                {stand.offers.map((o) => (
                  <li key={o.id}>{o.title.text}</li>
                ))}
              </ul>
            )}
          </dd>
        </div>
        {(stand.results || stand.figures.length > 0) && (
          <div>
            <dt>{t.whatWorked}</dt>
            <dd>
              {stand.results && <p className="ev-stand-results">{stand.results.text}</p>}
              {stand.figures.length > 0 && (
                <ul className="ev-stand-figures">
                  {stand.figures.map((fig, i) => (
                    <li key={i}>
                      <strong>{f.number(fig.value)}</strong> {fig.label.text}
                    </li>
                  ))}
                </ul>
              )}
            </dd>
          </div>
        )}
      </dl>
      {stand.youMayEdit && (
        <p>
          <button type="button" onClick={onEdit}>
            {t.editStand}
            <span className="visually-hidden"> – {standName(t, stand)}</span>
          </button>
        </p>
      )}
    </article>
  );
}
