/**
 * `/organiser/:slug`: an edition for its organisers: the counts, the participant list with its
 * filters (kept in the address, so that a reload or a shared link shows the same list), the
 * exports with those filters, and the programme with its seats and waitlists.
 */
import {
  Fragment,
  useCallback,
  useEffect,
  useId,
  useRef,
  useState,
  type FormEvent,
  type ReactNode,
} from 'react';
import { useQuery } from 'urql';
import { Link, useParams, useSearchParams } from 'wouter';
import {
  OrganiserParticipantsDocument,
  type ParticipantCategory,
  type ParticipantFilter,
} from '../../../../generated/graphql.ts';
import { useFormat, useLocale, useMessages } from '../../i18n/i18n.tsx';
import { common } from '../../ui/common.messages.ts';
import { Page } from '../../ui/Page.tsx';
import { Empty, ErrorNotice, Notice } from '../../ui/states.tsx';
import { Breadcrumb, EditionGate, useTime, type Edition } from './edition.tsx';
import { RegistrationSection } from './RegistrationSection.tsx';
import { SessionForm } from './SessionForm.tsx';
import { luxembourgDayAndTime } from '../../i18n/luxembourg-time.ts';
import { eventsMessages } from './events.messages.ts';
import { editEditionMessages } from './edit-edition.messages.ts';
import { invitationsMessages } from './invitations.messages.ts';
import { downloadExport, ExportError, type ExportFile } from './exports.ts';
import './events.css';

const CATEGORIES: ParticipantCategory[] = [
  'PARTNER_STAFF',
  'VOLUNTEER',
  'PUBLIC_SECTOR',
  'PRESS',
  'SPEAKER',
  'ORGANISER',
  'OTHER',
];
const PAGE_SIZE = 50;

/** The filter's fields in the address: `q`, `category`, `organisation`, `session`, `arrived`, `status`. */
interface Filters {
  q: string;
  category: string;
  organisation: string;
  session: string;
  arrived: string;
  status: string;
}
const FILTER_KEYS = ['q', 'category', 'organisation', 'session', 'arrived', 'status'] as const;

function filtersOf(params: URLSearchParams): Filters {
  const get = (k: string) => params.get(k) ?? '';
  return {
    q: get('q'),
    category: CATEGORIES.includes(get('category') as ParticipantCategory) ? get('category') : '',
    organisation: get('organisation'),
    session: get('session'),
    arrived: ['yes', 'no'].includes(get('arrived')) ? get('arrived') : '',
    status: get('status') === 'CANCELLED' ? 'CANCELLED' : '',
  };
}

function apiFilter(f: Filters): ParticipantFilter {
  return {
    ...(f.q.trim() ? { text: f.q.trim() } : {}),
    ...(f.category ? { category: f.category as ParticipantCategory } : {}),
    ...(f.organisation ? { organisationId: f.organisation } : {}),
    ...(f.session ? { sessionId: f.session } : {}),
    ...(f.arrived ? { checkedIn: f.arrived === 'yes' } : {}),
    ...(f.status ? { status: 'CANCELLED' as const } : {}),
  };
}

/** The exports' query parameters for the same filter (src/http/event-exports.ts). */
function exportParams(f: ParticipantFilter, lang: string): URLSearchParams {
  const p = new URLSearchParams();
  if (f.text) p.set('text', f.text);
  if (f.category) p.set('category', f.category);
  if (f.organisationId) p.set('organisationId', String(f.organisationId));
  if (f.sessionId) p.set('sessionId', String(f.sessionId));
  if (f.checkedIn !== undefined && f.checkedIn !== null) p.set('checkedIn', String(f.checkedIn));
  if (f.status) p.set('status', f.status);
  p.set('lang', lang);
  return p;
}

export default function EditionPage() {
  const { slug } = useParams<{ slug: string }>();
  return (
    <EditionGate slug={slug}>
      {(edition, retry) => <EditionContent edition={edition} retry={retry} />}
    </EditionGate>
  );
}

function EditionContent({ edition, retry }: { edition: Edition; retry: () => void }) {
  const t = useMessages(eventsMessages);
  const ti = useMessages(invitationsMessages);
  const tx = useMessages(editEditionMessages);
  const f = useFormat();
  const [params, setParams] = useSearchParams();
  const filters = filtersOf(params);
  const filter = apiFilter(filters);
  const listHeading = useRef<HTMLHeadingElement>(null);
  const counts = edition.participantCounts;

  const setFilter = (changes: Partial<Filters>) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        for (const [k, v] of Object.entries(changes)) {
          if (v) next.set(k, v);
          else next.delete(k);
        }
        return next;
      },
      { replace: true },
    );
  const clearFilters = () =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        for (const k of FILTER_KEYS) next.delete(k);
        return next;
      },
      { replace: true },
    );
  const anyFilter = FILTER_KEYS.some((k) => filters[k]);

  const showSession = (id: string) => {
    setFilter({ session: id });
    listHeading.current?.scrollIntoView({ block: 'start' });
    listHeading.current?.focus();
  };

  return (
    <Page
      title={edition.title.text}
      actions={
        <>
          <Link href={`/organiser/${edition.slug}/check-in`} className="button primary">
            {t.openCheckIn}
          </Link>
          <Link href={`/organiser/${edition.slug}/stands`} className="button">
            {t.openStands}
          </Link>
          <Link href={`/organiser/${edition.slug}/invitations`} className="button">
            {ti.openInvitations}
          </Link>
          <Link href={`/organiser/${edition.slug}/edit`} className="button">
            {tx.openEdit}
          </Link>
        </>
      }
    >
      <Breadcrumb>{edition.event.name.text}</Breadcrumb>
      <p className="muted">
        {t.dates(f.date(edition.startsAt), f.date(edition.endsAt))}
        {edition.venue && ` · ${edition.venue.name}`} ·{' '}
        <span className={`badge ev-status-${edition.status.toLowerCase()}`}>
          {t[`editionStatus_${edition.status}`]}
        </span>
      </p>

      <RegistrationSection edition={edition} onChanged={retry} />

      {counts && (
        <section aria-labelledby="ev-counts">
          <h2 id="ev-counts">{t.counts}</h2>
          <dl className="ev-figures">
            <div>
              <dt>{t.registered}</dt>
              <dd>{f.number(counts.registered)}</dd>
            </div>
            <div>
              <dt>{t.arrived}</dt>
              <dd>{f.number(counts.checkedIn)}</dd>
            </div>
            <div>
              <dt>{t.notArrived}</dt>
              <dd>{f.number(counts.notCheckedIn)}</dd>
            </div>
            <div>
              <dt>{t.cancelled}</dt>
              <dd>{f.number(counts.cancelled)}</dd>
            </div>
          </dl>
          <details className="ev-details">
            <summary>{t.byCategory}</summary>
            <div className="table-wrap">
              <table>
                <caption className="visually-hidden">{t.byCategory}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t.category}</th>
                    <th scope="col">{t.registered}</th>
                    <th scope="col">{t.arrived}</th>
                  </tr>
                </thead>
                <tbody>
                  {counts.byCategory.map((c) => (
                    <tr key={c.category}>
                      <th scope="row">{t[`category_${c.category}`]}</th>
                      <td>{f.number(c.registered)}</td>
                      <td>{f.number(c.checkedIn)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
          <details className="ev-details">
            <summary>{t.byOrganisation}</summary>
            <div className="table-wrap">
              <table>
                <caption className="visually-hidden">{t.byOrganisation}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t.organisation}</th>
                    <th scope="col">{t.registered}</th>
                    <th scope="col">{t.arrived}</th>
                  </tr>
                </thead>
                <tbody>
                  {counts.byOrganisation.map((o) => (
                    <tr key={o.organisation?.id ?? `name:${o.name}`}>
                      <th scope="row">{o.name}</th>
                      <td>{f.number(o.registered)}</td>
                      <td>{f.number(o.checkedIn)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        </section>
      )}

      <section aria-labelledby="ev-participants">
        <h2 id="ev-participants" ref={listHeading} tabIndex={-1}>
          {t.participants}
        </h2>
        <FilterForm
          edition={edition}
          filters={filters}
          onChange={setFilter}
          onClear={anyFilter ? clearFilters : null}
        />
        <Exports slug={edition.slug} filter={filter} />
        <ParticipantList slug={edition.slug} filter={filter} day={f.date(edition.startsAt)} />
      </section>

      <Sessions edition={edition} onShow={showSession} onChanged={retry} />
    </Page>
  );
}

function FilterForm({
  edition,
  filters,
  onChange,
  onClear,
}: {
  edition: Edition;
  filters: Filters;
  onChange: (changes: Partial<Filters>) => void;
  onClear: (() => void) | null;
}) {
  const t = useMessages(eventsMessages);
  const time = useTime();
  const [text, setText] = useState(filters.q);
  // The address changed under the form (cleared, back): the box follows.
  const [shownQ, setShownQ] = useState(filters.q);
  if (shownQ !== filters.q) {
    setShownQ(filters.q);
    setText(filters.q);
  }
  const organisations = (edition.participantCounts?.byOrganisation ?? [])
    .filter((o) => o.organisation)
    .sort((a, b) => a.name.localeCompare(b.name));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onChange({ q: text.trim() });
  };
  return (
    <form className="ev-filters" role="search" aria-label={t.filters} onSubmit={submit}>
      <div className="ev-search">
        <Field label={t.search}>
          {(id) => (
            <input
              id={id}
              type="search"
              value={text}
              maxLength={200}
              onChange={(e) => setText(e.target.value)}
            />
          )}
        </Field>
        <button type="submit">{t.apply}</button>
      </div>
      <Field label={t.category}>
        {(id) => (
          <select id={id} value={filters.category} onChange={(e) => onChange({ category: e.target.value })}>
            <option value="">{t.all}</option>
            {CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {t[`category_${c}`]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t.organisation}>
        {(id) => (
          <select
            id={id}
            value={filters.organisation}
            onChange={(e) => onChange({ organisation: e.target.value })}
          >
            <option value="">{t.all}</option>
            {organisations.map((o) => (
              <option key={o.organisation!.id} value={o.organisation!.id}>
                {o.name} ({o.registered})
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t.session}>
        {(id) => (
          <select id={id} value={filters.session} onChange={(e) => onChange({ session: e.target.value })}>
            <option value="">{t.all}</option>
            {edition.sessions.map((s) => (
              <option key={s.id} value={s.id}>
                {time(s.startsAt)} – {s.title.text}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t.arrival}>
        {(id) => (
          <select id={id} value={filters.arrived} onChange={(e) => onChange({ arrived: e.target.value })}>
            <option value="">{t.everyone}</option>
            <option value="yes">{t.arrivedOnly}</option>
            <option value="no">{t.notArrivedOnly}</option>
          </select>
        )}
      </Field>
      <Field label={t.status}>
        {(id) => (
          <select id={id} value={filters.status} onChange={(e) => onChange({ status: e.target.value })}>
            <option value="">{t.statusREGISTERED}</option>
            <option value="CANCELLED">{t.statusCANCELLED}</option>
          </select>
        )}
      </Field>
      {onClear && (
        <button type="button" className="secondary" onClick={onClear}>
          {t.clearFilters}
        </button>
      )}
    </form>
  );
}

/** A label above its control (not around it: a select's name would then include its value). */
function Field({ label, children }: { label: string; children: (id: string) => ReactNode }) {
  const id = useId();
  return (
    <div className="ev-field">
      <label htmlFor={id}>{label}</label>
      {children(id)}
    </div>
  );
}

function Exports({ slug, filter }: { slug: string; filter: ParticipantFilter }) {
  const t = useMessages(eventsMessages);
  const { locale } = useLocale();
  const [busy, setBusy] = useState<ExportFile | null>(null);
  const [outcome, setOutcome] = useState<{ kind: 'ok' | 'problem'; text: string } | null>(null);
  const download = async (file: ExportFile) => {
    setBusy(file);
    setOutcome(null);
    try {
      const name = await downloadExport(slug, file, exportParams(filter, locale));
      setOutcome({ kind: 'ok', text: t.exported(name) });
    } catch (err) {
      const why =
        err instanceof ExportError && err.status === 404
          ? t.refusedText
          : err instanceof Error
            ? err.message
            : String(err);
      setOutcome({ kind: 'problem', text: t.exportFailed(why) });
    } finally {
      setBusy(null);
    }
  };
  const files: [ExportFile, string][] = [
    ['participants.csv', t.exportCsv],
    ['badges.csv', t.exportBadgesCsv],
    ['badges.html', t.exportBadgesHtml],
  ];
  return (
    <div className="ev-exports">
      <h3 id="ev-exports">{t.exports}</h3>
      <p className="muted">{t.exportsIntro}</p>
      <div className="row" role="group" aria-labelledby="ev-exports">
        {files.map(([file, label]) => (
          <button
            key={file}
            type="button"
            disabled={busy !== null}
            aria-busy={busy === file}
            onClick={() => void download(file)}
          >
            {label}
          </button>
        ))}
      </div>
      <div aria-live="polite">
        {busy && (
          <p className="state">
            <span className="spinner" aria-hidden="true" /> {t.exporting}
          </p>
        )}
      </div>
      {outcome && <Notice kind={outcome.kind}>{outcome.text}</Notice>}
    </div>
  );
}

interface PageReport {
  totalCount: number;
  shown: number;
  hasNextPage: boolean;
  endCursor: string | null;
}

/** The participants matching the filter, fifty at a time ("show more" reads the next fifty). */
/** `day`: the edition's day, as dates are written (arrivals that day show their time only). */
function ParticipantList({ slug, filter, day }: { slug: string; filter: ParticipantFilter; day: string }) {
  const t = useMessages(eventsMessages);
  const f = useFormat();
  const key = JSON.stringify(filter);
  const [state, setState] = useState<{ key: string; cursors: (string | null)[] }>({ key, cursors: [null] });
  const [reports, setReports] = useState<Record<string, PageReport>>({});
  // Another filter: back to its first page.
  const cursors = state.key === key ? state.cursors : [null];
  if (state.key !== key) setState({ key, cursors: [null] });
  const report = useCallback(
    (pageKey: string, r: PageReport) =>
      setReports((prev) => {
        const old = prev[pageKey];
        if (
          old &&
          old.totalCount === r.totalCount &&
          old.shown === r.shown &&
          old.hasNextPage === r.hasNextPage &&
          old.endCursor === r.endCursor
        )
          return prev;
        return { ...prev, [pageKey]: r };
      }),
    [],
  );
  const pageKey = (cursor: string | null) => `${key}|${cursor ?? ''}`;
  const reported = cursors.map((c) => reports[pageKey(c)]);
  const first = reported[0];
  const last = reported[reported.length - 1];
  const shown = reported.reduce((sum, r) => sum + (r?.shown ?? 0), 0);
  return (
    <>
      <p className="ev-matching" role="status" aria-live="polite">
        {first === undefined
          ? ''
          : first.totalCount === 0
            ? t.noMatch
            : first.totalCount === 1
              ? t.matchingOne
              : t.matching(f.number(first.totalCount))}
      </p>
      {/* Focusable: a keyboard scrolls it sideways when it is wider than the screen. */}
      <div className="table-wrap ev-list" role="region" aria-label={t.participants} tabIndex={0}>
        <table>
          <caption className="visually-hidden">{t.participants}</caption>
          <thead>
            <tr>
              <th scope="col">{t.name}</th>
              <th scope="col">{t.organisation}</th>
              <th scope="col">{t.category}</th>
              <th scope="col">{t.arrival}</th>
              <th scope="col">{t.badge}</th>
              <th scope="col">{t.needs}</th>
            </tr>
          </thead>
          {cursors.map((cursor) => (
            <ParticipantRows
              key={pageKey(cursor)}
              pageKey={pageKey(cursor)}
              slug={slug}
              filter={filter}
              day={day}
              after={cursor}
              onReport={report}
            />
          ))}
        </table>
      </div>
      {first && first.totalCount > 0 && (
        <p className="row">
          <span className="muted">{t.shown(f.number(shown), f.number(first.totalCount))}</span>
          {last?.hasNextPage && last.endCursor && (
            <button type="button" onClick={() => setState({ key, cursors: [...cursors, last.endCursor] })}>
              {t.showMore}
            </button>
          )}
        </p>
      )}
    </>
  );
}

function ParticipantRows({
  pageKey,
  slug,
  filter,
  day,
  after,
  onReport,
}: {
  pageKey: string;
  slug: string;
  filter: ParticipantFilter;
  day: string;
  after: string | null;
  onReport: (pageKey: string, r: PageReport) => void;
}) {
  const t = useMessages(eventsMessages);
  const c = useMessages(common);
  const f = useFormat();
  const time = useTime();
  const [result, reexecute] = useQuery({
    query: OrganiserParticipantsDocument,
    variables: { slug, filter, first: PAGE_SIZE, after },
  });
  const connection = result.data?.eventEdition?.participants;
  useEffect(() => {
    if (connection) {
      onReport(pageKey, {
        totalCount: connection.totalCount,
        shown: connection.edges.length,
        hasNextPage: connection.pageInfo.hasNextPage,
        endCursor: connection.pageInfo.endCursor ?? null,
      });
    }
  }, [connection, onReport, pageKey]);
  const whole = (content: ReactNode) => (
    <tbody>
      <tr>
        <td colSpan={6}>{content}</td>
      </tr>
    </tbody>
  );
  if (!connection) {
    if (result.error) {
      return whole(
        <ErrorNotice error={result.error} onRetry={() => reexecute({ requestPolicy: 'network-only' })} />,
      );
    }
    return whole(
      <span className="state" role="status">
        <span className="spinner" aria-hidden="true" /> {c.loading}
      </span>,
    );
  }
  if (connection.edges.length === 0 && after === null) return whole(<Empty>{t.noMatch}</Empty>);
  return (
    <tbody aria-busy={result.fetching || result.stale}>
      {connection.edges.map(({ node: p }) => (
        <tr key={p.id}>
          <td data-label={t.name}>
            <strong>{p.name}</strong>
            <br />
            <span className="muted ev-small">{p.email}</span>
          </td>
          <td data-label={t.organisation}>
            {p.organisationName ?? '—'}
            {p.function && (
              <>
                <br />
                <span className="muted ev-small">{p.function}</span>
              </>
            )}
          </td>
          <td data-label={t.category}>{t[`category_${p.category}`]}</td>
          <td data-label={t.arrival}>
            {p.status === 'CANCELLED' ? (
              <span className="badge badge-cancelled">{t.cancelledRegistration}</span>
            ) : p.checkedInAt ? (
              <span className="ev-arrived">
                {t.arrivedAt(f.date(p.checkedInAt) === day ? time(p.checkedInAt) : f.dateTime(p.checkedInAt))}
              </span>
            ) : (
              <span className="muted">{t.notYet}</span>
            )}
          </td>
          <td data-label={t.badge}>
            <code>{p.badgeCode ?? '—'}</code>
          </td>
          <td data-label={t.needs}>{p.accessibilityNeeds ?? '—'}</td>
        </tr>
      ))}
    </tbody>
  );
}

function Sessions({
  edition,
  onShow,
  onChanged,
}: {
  edition: Edition;
  onShow: (sessionId: string) => void;
  /** A session was changed, or found changed by someone else: the edition is read again. */
  onChanged: () => void;
}) {
  const t = useMessages(eventsMessages);
  const f = useFormat();
  const time = useTime();
  const [editing, setEditing] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  /** The form closed: the focus goes back to the button that opened it (the form held it). */
  const [closed, setClosed] = useState<string | null>(null);
  useEffect(() => {
    if (closed) document.getElementById(`edit-session-${closed}`)?.focus();
  }, [closed]);
  const close = (id: string) => {
    setEditing(null);
    setClosed(id);
  };
  return (
    <section aria-labelledby="ev-sessions">
      <h2 id="ev-sessions" tabIndex={-1}>
        {t.sessions}
      </h2>
      {saved && <Notice kind="ok">{saved}</Notice>}
      <p>
        <button
          type="button"
          id="edit-session-new"
          aria-expanded={editing === 'new'}
          onClick={() => {
            setSaved(null);
            setClosed(null);
            setEditing(editing === 'new' ? null : 'new');
          }}
        >
          {t.openNewSession}
        </button>
      </p>
      {editing === 'new' && (
        <SessionForm
          editionId={edition.id}
          firstDay={luxembourgDayAndTime(edition.startsAt).day}
          lastDay={luxembourgDayAndTime(edition.endsAt).day}
          onCancel={() => close('new')}
          onStale={onChanged}
          onDone={(added) => {
            close('new');
            setSaved(t.sessionAdded(added.title.text));
            onChanged();
          }}
        />
      )}
      {edition.sessions.length === 0 ? (
        <Empty>{t.noSessions}</Empty>
      ) : (
        <div className="table-wrap ev-list">
          <table>
            <caption className="visually-hidden">{t.sessions}</caption>
            <thead>
              <tr>
                <th scope="col">{t.session}</th>
                <th scope="col">{t.time}</th>
                <th scope="col">{t.room}</th>
                <th scope="col">{t.seats}</th>
                <th scope="col">{t.waitlist}</th>
              </tr>
            </thead>
            <tbody>
              {edition.sessions.map((s) => {
                const full = s.capacity !== null && s.capacity !== undefined && s.seatsTaken >= s.capacity;
                return (
                  <Fragment key={s.id}>
                    <tr>
                      <td data-label={t.session}>
                        <strong>{s.title.text}</strong>
                        <br />
                        <span className="muted ev-small">{t[`kind_${s.kind}`]}</span>
                        <br />
                        <button type="button" className="ev-link-button" onClick={() => onShow(s.id)}>
                          {t.showSessionParticipants}
                          <span className="visually-hidden"> – {s.title.text}</span>
                        </button>
                        {' · '}
                        <button
                          type="button"
                          className="ev-link-button"
                          id={`edit-session-${s.id}`}
                          aria-expanded={editing === s.id}
                          onClick={() => {
                            setSaved(null);
                            setClosed(null);
                            setEditing(editing === s.id ? null : s.id);
                          }}
                        >
                          {t.editSession}
                          <span className="visually-hidden"> – {s.title.text}</span>
                        </button>
                      </td>
                      <td data-label={t.time} className="ev-nowrap">
                        {time(s.startsAt)}–{time(s.endsAt)}
                      </td>
                      <td data-label={t.room}>{s.room ?? '—'}</td>
                      <td data-label={t.seats}>
                        {s.capacity === null || s.capacity === undefined
                          ? t.unlimited(f.number(s.seatsTaken))
                          : t.seatsOf(f.number(s.seatsTaken), f.number(s.capacity))}{' '}
                        {full && <span className="badge badge-declined">{t.full}</span>}
                      </td>
                      <td data-label={t.waitlist}>{f.number(s.waitlistLength)}</td>
                    </tr>
                    {editing === s.id && (
                      <tr className="ev-session-edit">
                        <td colSpan={5}>
                          <SessionForm
                            session={s}
                            editionId={edition.id}
                            firstDay={luxembourgDayAndTime(edition.startsAt).day}
                            lastDay={luxembourgDayAndTime(edition.endsAt).day}
                            onCancel={() => close(s.id)}
                            onStale={onChanged}
                            onDone={(after, promotedCount, toldCount) => {
                              close(s.id);
                              const saved = t.sessionSaved(after.title.text, promotedCount);
                              setSaved(toldCount > 0 ? `${saved} ${t.sessionTold(toldCount)}` : saved);
                              onChanged();
                            }}
                            onDropped={(title, toldCount) => {
                              setEditing(null);
                              setSaved(t.sessionDropped(title, toldCount));
                              // Its row is gone: the focus goes to the section's heading.
                              document.getElementById('ev-sessions')?.focus();
                              onChanged();
                            }}
                          />
                        </td>
                      </tr>
                    )}
                  </Fragment>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
