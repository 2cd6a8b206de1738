/**
 * `/welcome/:id`: the guide builder. The guide at a glance (shelter, residents' profile,
 * languages), its alerts (live), the activities agreed with their providers, the proposals sent
 * and their answers, suggestions to propose in one click, attendance counts (and recording them),
 * the residents' preview, printing and publishing. A guide the viewer may not see is "not found",
 * as the API says; one they see but do not write is shown without the editing controls.
 */
import { useCallback, useState, type ReactNode } from 'react';
import { useMutation, useQuery } from 'urql';
import { Link, useParams } from 'wouter';
import {
  ConsoleWelcomeArchiveDocument,
  ConsoleWelcomeGuideDocument,
  ConsoleWelcomePublishDocument,
  ConsoleWelcomeResolveAlertDocument,
  type ConsoleWelcomeGuideQuery,
} from '../../../../generated/graphql.ts';
import { organisationsWith, useViewer } from '../../app/viewer.tsx';
import { useFormat, useLocale, useMessages } from '../../i18n/i18n.tsx';
import { common } from '../../ui/common.messages.ts';
import { Page } from '../../ui/Page.tsx';
import { Empty, ErrorNotice, Loading, Notice } from '../../ui/states.tsx';
import { Attendance } from './Attendance.tsx';
import { EntryList, type EntryContext } from './GuideItems.tsx';
import { Suggestions } from './Suggestions.tsx';
import {
  ageBand,
  apiLanguage,
  decodeId,
  failureOf,
  FailureNotice,
  GuideBadge,
  guidePath,
  LiveAlertsState,
  useGuideAlerts,
  useNames,
  type Failure,
} from './welcome.tsx';
import { welcomeMessages } from './welcome.messages.ts';

type Guide = Extract<NonNullable<ConsoleWelcomeGuideQuery['node']>, { __typename: 'Guide' }>;

const COORDINATORS = ['WELCOME_COORDINATOR', 'ORG_ADMIN'] as const;

export default function GuidePage() {
  const t = useMessages(welcomeMessages);
  const params = useParams<{ id: string }>();
  const id = decodeId(params.id);
  const { locale } = useLocale();
  const [result, reexecute] = useQuery({
    query: ConsoleWelcomeGuideDocument,
    variables: { id, lang: apiLanguage(locale) },
  });
  const refresh = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);
  const [liveMessage, setLiveMessage] = useState<string | null>(null);
  const live = useGuideAlerts((notice) => {
    if (notice && notice.guideId !== id) return;
    refresh();
    if (notice) setLiveMessage(t.liveAlertArrived(t[`alert_${notice.kind}`]));
  });

  if (!result.data) {
    return (
      <Page title={t.guidesTitle}>
        {result.error ? <ErrorNotice error={result.error} onRetry={refresh} /> : <Loading />}
      </Page>
    );
  }
  const node = result.data.node;
  if (node?.__typename !== 'Guide') {
    return (
      <Page title={t.guideNotFound}>
        <p>{t.guideNotFoundText}</p>
        <p>
          <Link href="/welcome">{t.backToGuides}</Link>
        </p>
      </Page>
    );
  }
  return (
    <Builder
      key={node.id}
      guide={node}
      live={<LiveAlertsState state={live} />}
      liveMessage={liveMessage}
      refresh={refresh}
      refreshing={result.fetching}
    />
  );
}

function Builder({
  guide,
  live,
  liveMessage,
  refresh,
  refreshing,
}: {
  guide: Guide;
  live: ReactNode;
  liveMessage: string | null;
  refresh: () => void;
  refreshing: boolean;
}) {
  const t = useMessages(welcomeMessages);
  const f = useFormat();
  const names = useNames();
  const viewer = useViewer();
  const { locale } = useLocale();
  const canEdit = organisationsWith(viewer, COORDINATORS).some((o) => o.id === guide.organisation.id);
  const [message, setMessage] = useState<string | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);

  const entries = guide.items.edges.map((e) => e.node).sort((a, b) => a.position - b.position);
  const agreed = entries.filter((e) => e.status === 'CONFIRMED' || e.status === 'REGULAR');
  const proposals = entries.filter((e) => e.status === 'PROPOSED' || e.status === 'DECLINED');
  const closed = entries.filter((e) => e.status === 'ENDED' || e.status === 'WITHDRAWN');
  const waiting = entries.filter((e) => e.status === 'PROPOSED').length;
  const declined = entries.filter((e) => e.status === 'DECLINED').length;
  const offersInGuide = new Set(
    entries
      .filter((e) => !['DECLINED', 'ENDED', 'WITHDRAWN'].includes(e.status))
      .flatMap((e) => (e.offer ? [e.offer.id] : [])),
  );
  const attendance = new Map(
    (guide.attendanceSummary?.items ?? []).map((s) => [
      s.item.id,
      { total: s.total, weeksRecorded: s.weeksRecorded },
    ]),
  );
  const onChanged = (text: string | null) => {
    setFailure(null);
    setMessage(text);
    refresh();
  };
  const context: EntryContext = {
    canEdit,
    sourceLanguage: guide.sourceLanguage,
    attendance,
    onChanged,
  };
  const printLanguage = guide.languages.includes(locale) ? locale : guide.sourceLanguage.toLowerCase();
  const titleOfEntry = (itemId: string) => {
    const entry = entries.find((e) => e.id === itemId);
    if (!entry) return t.offerHidden;
    return entry.offer?.title.text ?? t.offerHiddenBy(entry.providerOrganisation.name);
  };

  return (
    <Page
      title={guide.title.text}
      actions={
        <>
          <Link href={`${guidePath(guide.id)}/preview`} className="button">
            {t.preview}
          </Link>
          {guide.status === 'PUBLISHED' && (
            <a
              className="button"
              href={`/guides/${encodeURIComponent(guide.slug)}?lang=${printLanguage}`}
              target="_blank"
              rel="noopener"
            >
              {t.printPublic}
              <span className="visually-hidden"> {t.printPublicHint}</span>
            </a>
          )}
          {canEdit && (
            <StatusActions
              guide={guide}
              onDone={(text) => onChanged(text)}
              onFailure={(problem) => {
                setMessage(null);
                setFailure(problem);
                if (problem.code === 'common/version_conflict') refresh();
              }}
            />
          )}
        </>
      }
    >
      <p className="row">
        <GuideBadge status={guide.status} />
        <Link href="/welcome">{t.backToGuides}</Link>
      </p>
      {live}
      <div aria-live="polite">{liveMessage && <p className="notice notice-ok">{liveMessage}</p>}</div>
      {message && <Notice kind="ok">{message}</Notice>}
      {failure && <FailureNotice failure={failure} />}
      {!canEdit && <p className="notice wl-readonly">{t.readOnly}</p>}
      <nav className="wl-toc" aria-label={t.onThisPage}>
        <ul>
          {guide.alerts && guide.alerts.length > 0 && (
            <li>
              <a href="#wl-alerts">{t.alertsTitle}</a>
            </li>
          )}
          <li>
            <a href="#wl-entries">{t.entriesTitle}</a>
          </li>
          <li>
            <a href="#wl-proposals">{t.proposalsTitle}</a>
          </li>
          {canEdit && guide.status !== 'ARCHIVED' && (
            <li>
              <a href="#wl-suggestions">{t.suggestionsTitle}</a>
            </li>
          )}
          {guide.attendanceSummary && (
            <li>
              <a href="#wl-attendance">{t.attendanceTitle}</a>
            </li>
          )}
        </ul>
      </nav>

      <section aria-labelledby="wl-about" className="card">
        <h2 id="wl-about">{t.about}</h2>
        <dl className="wl-about">
          <dt>{t.organisation}</dt>
          <dd>{guide.organisation.name}</dd>
          <dt>{t.shelter}</dt>
          <dd>
            {guide.shelter
              ? `${guide.shelter.site.name} (${t[`shelterKind_${guide.shelter.kind}`]}, ${guide.shelter.site.commune})`
              : (guide.commune ?? '—')}
          </dd>
          {guide.shelter && (
            <>
              <dt>{t.residents}</dt>
              <dd>
                {guide.shelter.residentProfile ? (
                  <>
                    {t.residentsProfile(
                      f.number(guide.shelter.residentProfile.total),
                      names.day(guide.shelter.residentProfile.asOf),
                    )}
                    <br />
                    {t.languagesSpoken(
                      guide.shelter.residentProfile.languages
                        .map((l) => `${names.language(l.code)} (${f.number(l.count)})`)
                        .join(', '),
                    )}
                    <br />
                    {t.ageBands(
                      guide.shelter.residentProfile.ageBands
                        .map((a) => `${ageBand(a.band)} (${f.number(a.count)})`)
                        .join(', '),
                    )}
                  </>
                ) : (
                  t.noProfile
                )}
              </dd>
            </>
          )}
          <dt>{t.guideLanguages}</dt>
          <dd>
            {guide.translations
              .map((tr) => `${names.language(tr.language)}${tr.outdated ? ` (${t.noteOutdated})` : ''}`)
              .join(', ')}
          </dd>
          <dt>{t.status}</dt>
          <dd>
            {t[`guideStatus_${guide.status}`]}
            {guide.publishedAt &&
              guide.status === 'PUBLISHED' &&
              ` · ${t.publishedOn(f.date(guide.publishedAt))}`}
          </dd>
        </dl>
      </section>

      {guide.alerts && (
        <section aria-labelledby="wl-alerts">
          <h2 id="wl-alerts">{t.alertsTitle}</h2>
          {guide.alerts.length === 0 ? (
            <Empty>{t.noAlerts}</Empty>
          ) : (
            <ul className="wl-alerts">
              {guide.alerts.map((a) => (
                <AlertRow
                  key={a.id}
                  alert={a}
                  entryTitle={titleOfEntry(a.item.id)}
                  canResolve={canEdit}
                  onResolved={() => onChanged(t.resolved)}
                />
              ))}
            </ul>
          )}
        </section>
      )}

      <section aria-labelledby="wl-entries">
        <h2 id="wl-entries">{t.entriesTitle}</h2>
        <p className="muted">{t.entriesIntro}</p>
        {agreed.length === 0 ? (
          <Empty>{t.noEntries}</Empty>
        ) : (
          <EntryList entries={agreed} context={context} />
        )}
      </section>

      <section aria-labelledby="wl-proposals">
        <h2 id="wl-proposals">{t.proposalsTitle}</h2>
        <p className="muted">{t.proposalsIntro}</p>
        <div className="row">
          <ul className="wl-counts">
            <li>{t.waitingCount(f.number(waiting))}</li>
            <li>{t.declinedCount(f.number(declined))}</li>
          </ul>
          <button
            type="button"
            className="secondary"
            disabled={refreshing}
            onClick={() => onChanged(t.refreshed)}
          >
            {t.refresh}
          </button>
        </div>
        {proposals.length === 0 ? (
          <Empty>{t.noProposals}</Empty>
        ) : (
          <EntryList entries={proposals} context={context} />
        )}
        {closed.length > 0 && (
          <details className="wl-closed">
            <summary>{t.endedTitle(f.number(closed.length))}</summary>
            <EntryList entries={closed} context={context} />
          </details>
        )}
      </section>

      {canEdit && guide.status !== 'ARCHIVED' && (
        <section aria-labelledby="wl-suggestions">
          <h2 id="wl-suggestions">{t.suggestionsTitle}</h2>
          <p className="muted">{t.suggestionsIntro}</p>
          {guide.shelter ? (
            <Suggestions
              guideId={guide.id}
              shelterId={guide.shelter.id}
              offersInGuide={offersInGuide}
              onProposed={(text) => onChanged(text)}
            />
          ) : (
            <Empty>{t.suggestionsNoShelter}</Empty>
          )}
        </section>
      )}

      {guide.attendanceSummary && (
        <section aria-labelledby="wl-attendance">
          <h2 id="wl-attendance">{t.attendanceTitle}</h2>
          <Attendance summary={guide.attendanceSummary} entries={entries} onRecorded={refresh} />
        </section>
      )}
    </Page>
  );
}

/** Publish a draft (or an archived guide again); take a published one out of public view. */
function StatusActions({
  guide,
  onDone,
  onFailure,
}: {
  guide: Guide;
  onDone: (message: string) => void;
  onFailure: (failure: Failure) => void;
}) {
  const t = useMessages(welcomeMessages);
  const c = useMessages(common);
  const { locale } = useLocale();
  const lang = apiLanguage(locale);
  const [publishState, publish] = useMutation(ConsoleWelcomePublishDocument);
  const [archiveState, archive] = useMutation(ConsoleWelcomeArchiveDocument);
  const [confirming, setConfirming] = useState(false);
  const input = { id: guide.id, expectedVersion: guide.version };

  if (guide.status === 'PUBLISHED') {
    if (!confirming) {
      return (
        <button type="button" className="secondary" onClick={() => setConfirming(true)}>
          {t.archive}
        </button>
      );
    }
    return (
      <>
        <button
          type="button"
          className="danger"
          disabled={archiveState.fetching}
          onClick={() =>
            void archive({ input, lang }).then((r) => {
              setConfirming(false);
              const problem = failureOf(r.error, r.data?.archiveGuide, 'MutationArchiveGuideSuccess');
              if (problem) onFailure(problem);
              else onDone(t.archived);
            })
          }
        >
          {t.archiveConfirm}
        </button>
        <button type="button" className="secondary" onClick={() => setConfirming(false)}>
          {c.cancel}
        </button>
      </>
    );
  }
  return (
    <button
      type="button"
      className="primary"
      disabled={publishState.fetching}
      onClick={() =>
        void publish({ input, lang }).then((r) => {
          const problem = failureOf(r.error, r.data?.publishGuide, 'MutationPublishGuideSuccess');
          if (problem) onFailure(problem);
          else onDone(t.published);
        })
      }
    >
      {publishState.fetching ? t.publishing : t.publish}
    </button>
  );
}

function AlertRow({
  alert,
  entryTitle,
  canResolve,
  onResolved,
}: {
  alert: NonNullable<Guide['alerts']>[number];
  entryTitle: string;
  canResolve: boolean;
  onResolved: () => void;
}) {
  const t = useMessages(welcomeMessages);
  const f = useFormat();
  const [state, resolve] = useMutation(ConsoleWelcomeResolveAlertDocument);
  const [failure, setFailure] = useState<Failure | null>(null);
  return (
    <li className="card wl-alert">
      <p>
        <strong>{t[`alert_${alert.kind}`]}</strong>
      </p>
      <p className="muted">{t.alertOn(entryTitle, f.dateTime(alert.at))}</p>
      {canResolve && (
        <button
          type="button"
          disabled={state.fetching}
          onClick={() => {
            setFailure(null);
            void resolve({ input: { id: alert.id } }).then((r) => {
              const problem = failureOf(
                r.error,
                r.data?.resolveGuideAlert,
                'MutationResolveGuideAlertSuccess',
              );
              if (problem) setFailure(problem);
              else onResolved();
            });
          }}
        >
          {t.resolve}
          <span className="visually-hidden"> – {entryTitle}</span>
        </button>
      )}
      {failure && <FailureNotice failure={failure} />}
    </li>
  );
}
