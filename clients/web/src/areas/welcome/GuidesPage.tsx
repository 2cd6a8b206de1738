/**
 * `/welcome`: the guides of the viewer's organisations (those they coordinate), with their status,
 * shelter and counts, then the guides other organisations write for the shelters the viewer runs or
 * is a partner at. Alerts on any of them re-read the lists as they happen.
 */
import { useEffect, useState } from 'react';
import { useQuery } from 'urql';
import { Link } from 'wouter';
import {
  ConsoleWelcomeGuidesDocument,
  ConsoleWelcomeShelterGuidesDocument,
  type ConsoleWelcomeGuideSummaryFragment,
} from '../../../../generated/graphql.ts';
import { organisationsWith, useViewer } from '../../app/viewer.tsx';
import { useFormat, useLocale, useMessages } from '../../i18n/i18n.tsx';
import { Page } from '../../ui/Page.tsx';
import { Empty, QueryState } from '../../ui/states.tsx';
import { apiLanguage, GuideBadge, guidePath, LiveAlertsState, useGuideAlerts } from './welcome.tsx';
import { welcomeMessages } from './welcome.messages.ts';

const COORDINATORS = ['WELCOME_COORDINATOR', 'ORG_ADMIN'] as const;

export default function GuidesPage() {
  const t = useMessages(welcomeMessages);
  const viewer = useViewer();
  const organisations = organisationsWith(viewer, COORDINATORS);
  const { locale } = useLocale();
  const lang = apiLanguage(locale);
  const [shelters, reexecuteShelters] = useQuery({
    query: ConsoleWelcomeShelterGuidesDocument,
    variables: { lang },
  });
  const mine = new Set(organisations.map((o) => o.id));
  // Each alert (or a stream back after an interruption) re-reads the lists.
  const [tick, setTick] = useState(0);
  const live = useGuideAlerts(() => setTick((n) => n + 1));
  useEffect(() => {
    if (tick > 0) reexecuteShelters({ requestPolicy: 'network-only' });
  }, [tick, reexecuteShelters]);
  return (
    <Page title={t.guidesTitle}>
      <p className="muted">{t.guidesIntro}</p>
      <LiveAlertsState state={live} />
      {organisations.length === 0 && <Empty>{t.noGuides}</Empty>}
      {organisations.map((org) => (
        <OrganisationGuides key={org.id} organisation={org} tick={tick} />
      ))}
      <section aria-labelledby="wl-shelter-guides">
        <h2 id="wl-shelter-guides">{t.shelterGuides}</h2>
        <p className="muted">{t.shelterGuidesIntro}</p>
        <QueryState result={shelters} retry={() => reexecuteShelters({ requestPolicy: 'network-only' })}>
          {(data) => {
            const seen = new Set<string>();
            const guides = data.shelters.edges
              .flatMap((e) => e.node.guides.edges.map((g) => g.node))
              .filter((g) => !mine.has(g.organisation.id) && !seen.has(g.id) && seen.add(g.id));
            if (guides.length === 0) return <Empty>{t.noShelterGuides}</Empty>;
            return <GuideList guides={guides} showOrganisation />;
          }}
        </QueryState>
      </section>
    </Page>
  );
}

/** One organisation's guides; re-read when an alert arrives (`tick` goes up). */
function OrganisationGuides({
  organisation,
  tick,
}: {
  organisation: { id: string; name: string };
  tick: number;
}) {
  const t = useMessages(welcomeMessages);
  const { locale } = useLocale();
  const [result, reexecute] = useQuery({
    query: ConsoleWelcomeGuidesDocument,
    variables: { organisationId: organisation.id, lang: apiLanguage(locale) },
  });
  useEffect(() => {
    if (tick > 0) reexecute({ requestPolicy: 'network-only' });
  }, [tick, reexecute]);
  const headingId = `wl-org-${organisation.id.replace(/[^a-zA-Z0-9]/g, '')}`;
  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId}>{t.ourGuides(organisation.name)}</h2>
      <QueryState result={result} retry={() => reexecute({ requestPolicy: 'network-only' })}>
        {(data) =>
          data.guides.edges.length === 0 ? (
            <Empty>{t.noGuides}</Empty>
          ) : (
            <GuideList guides={data.guides.edges.map((e) => e.node)} />
          )
        }
      </QueryState>
    </section>
  );
}

function GuideList({
  guides,
  showOrganisation = false,
}: {
  guides: ConsoleWelcomeGuideSummaryFragment[];
  showOrganisation?: boolean;
}) {
  const t = useMessages(welcomeMessages);
  const f = useFormat();
  return (
    <ul className="wl-guides">
      {guides.map((g) => {
        const statuses = g.items.edges.map((e) => e.node.status);
        const agreed = statuses.filter((s) => s === 'CONFIRMED' || s === 'REGULAR').length;
        const waiting = statuses.filter((s) => s === 'PROPOSED').length;
        const alerts = g.alerts?.length ?? 0;
        return (
          <li key={g.id} className="card wl-guide">
            <h3>
              <Link href={guidePath(g.id)}>{g.title.text}</Link>
            </h3>
            <p className="row">
              <GuideBadge status={g.status} />
              {alerts > 0 && <span className="badge wl-alert-badge">{t.alertsCount(f.number(alerts))}</span>}
            </p>
            {showOrganisation && <p className="muted">{t.writtenBy(g.organisation.name)}</p>}
            <p>
              {g.shelter ? t.forShelter(g.shelter.site.name) : g.commune ? t.forCommune(g.commune) : null}
            </p>
            <ul className="wl-counts">
              <li>{t.entriesCount(f.number(g.items.totalCount))}</li>
              <li>{t.agreedCount(f.number(agreed))}</li>
              <li>{t.waitingCount(f.number(waiting))}</li>
            </ul>
            <p className="muted">
              {g.publishedAt && g.status === 'PUBLISHED'
                ? t.publishedOn(f.date(g.publishedAt))
                : t.updatedOn(f.date(g.updatedAt))}
            </p>
          </li>
        );
      })}
    </ul>
  );
}
