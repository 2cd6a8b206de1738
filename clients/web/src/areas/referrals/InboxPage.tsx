/**
 * Incoming and outgoing referrals: counts per status (each a filter), overdue first, and the list,
 * which follows the other side's steps live (a notice re-reads the list; after a lost connection
 * the stream replays what was missed).
 */
import { useCallback, useMemo, useRef, useState } from 'react';
import { useQuery } from 'urql';
import { Link, useLocation, useSearch } from 'wouter';
import {
  ConsoleInboxDocument,
  type ConsoleInboxRowFragment,
  type ReferralBox,
  type ReferralFilter,
  type ReferralStatus,
} from '../../../../generated/graphql.ts';
import { useReferralNotices } from '../../graphql/live.tsx';
import { useFormat, useMessages } from '../../i18n/i18n.tsx';
import { common } from '../../ui/common.messages.ts';
import { Page } from '../../ui/Page.tsx';
import { Empty, QueryState } from '../../ui/states.tsx';
import { StatusBadge } from '../../ui/StatusBadge.tsx';
import { rm } from './referrals.messages.ts';

const FINAL: ReferralStatus[] = ['COMPLETED', 'DECLINED', 'CANCELLED'];
const PAGE = 200;

export const isOverdue = (r: { dueAt?: string | null; status: ReferralStatus }, now: number) =>
  !!r.dueAt && Date.parse(r.dueAt) < now && !FINAL.includes(r.status) && r.status !== 'DRAFT';

/** Overdue first, then by due date (soonest first), then the most recently changed. */
export function inboxOrder(rows: ConsoleInboxRowFragment[], now: number): ConsoleInboxRowFragment[] {
  const due = (r: ConsoleInboxRowFragment) => (r.dueAt ? Date.parse(r.dueAt) : Infinity);
  return [...rows].sort(
    (a, b) =>
      Number(isOverdue(b, now)) - Number(isOverdue(a, now)) ||
      due(a) - due(b) ||
      Date.parse(b.updatedAt) - Date.parse(a.updatedAt),
  );
}

export default function InboxPage() {
  const t = useMessages(rm);
  const c = useMessages(common);
  const fmt = useFormat();
  const params = new URLSearchParams(useSearch());
  const [, navigate] = useLocation();
  const box: ReferralBox = params.get('box') === 'outgoing' ? 'OUTGOING' : 'INCOMING';
  const [status, setStatus] = useState<ReferralStatus | null>(null);
  const [overdue, setOverdue] = useState(false);
  const [first, setFirst] = useState(PAGE);
  const [announcement, setAnnouncement] = useState('');
  const filter: ReferralFilter = {
    ...(status ? { status: [status] } : {}),
    ...(overdue ? { overdue: true } : {}),
  };
  const [result, reexecute] = useQuery({ query: ConsoleInboxDocument, variables: { box, filter, first } });

  // Live: re-read the list when a referral the viewer sees changes (at most once per 300 ms).
  const pending = useRef<number | null>(null);
  const refresh = useCallback(() => {
    if (pending.current !== null) return;
    pending.current = window.setTimeout(() => {
      pending.current = null;
      reexecute({ requestPolicy: 'network-only' });
    }, 300);
  }, [reexecute]);
  useReferralNotices((notice) => {
    if (notice) setAnnouncement(t.newArrived(notice.reference));
    refresh();
  });

  const now = Date.now();
  const rows = useMemo(
    () =>
      result.data
        ? inboxOrder(
            result.data.referrals.edges.map((e) => e.node),
            now,
          )
        : [],
    // The order is computed again when the data changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [result.data],
  );

  const switchBox = (next: ReferralBox) => {
    setStatus(null);
    setOverdue(false);
    setFirst(PAGE);
    navigate(next === 'OUTGOING' ? '/inbox?box=outgoing' : '/inbox');
  };

  return (
    <Page title={t.inboxTitle}>
      <div className="tabs" role="group" aria-label={t.inboxTitle}>
        <button type="button" aria-pressed={box === 'INCOMING'} onClick={() => switchBox('INCOMING')}>
          {t.incoming}
        </button>
        <button type="button" aria-pressed={box === 'OUTGOING'} onClick={() => switchBox('OUTGOING')}>
          {t.outgoing}
        </button>
      </div>
      <p className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>
      <QueryState result={result} retry={() => reexecute({ requestPolicy: 'network-only' })}>
        {(data) => (
          <>
            <ul className="counts" aria-label={t.status}>
              <li>
                <button
                  type="button"
                  aria-pressed={status === null && !overdue}
                  onClick={() => {
                    setStatus(null);
                    setOverdue(false);
                  }}
                >
                  {t.allStatuses} ({data.referralStatusCounts.reduce((n, s) => n + s.count, 0)})
                </button>
              </li>
              <li>
                <button type="button" aria-pressed={overdue} onClick={() => setOverdue(!overdue)}>
                  {t.overdueCount(data.overdue.totalCount)}
                </button>
              </li>
              {data.referralStatusCounts
                .filter((s) => s.count > 0)
                .map((s) => (
                  <li key={s.status}>
                    <button
                      type="button"
                      aria-pressed={status === s.status}
                      onClick={() => setStatus(status === s.status ? null : s.status)}
                    >
                      {c[`status_${s.status}`]} ({s.count})
                    </button>
                  </li>
                ))}
            </ul>
            {rows.length === 0 ? (
              <Empty>{box === 'INCOMING' ? t.emptyIncoming : t.emptyOutgoing}</Empty>
            ) : (
              <>
                <p className="muted">{t.shown(rows.length, data.referrals.totalCount)}</p>
                <div className="table-wrap">
                  <table className="inbox">
                    <thead>
                      <tr>
                        <th scope="col">{t.reference}</th>
                        <th scope="col">{t.person}</th>
                        <th scope="col">{t.status}</th>
                        <th scope="col">{box === 'INCOMING' ? t.from : t.to}</th>
                        <th scope="col">{t.offer}</th>
                        <th scope="col">{t.due}</th>
                        <th scope="col">{t.assignee}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {rows.map((r) => (
                        <tr key={r.id} data-reference={r.reference}>
                          <th scope="row">
                            <Link href={`/referrals/${encodeURIComponent(r.id)}`}>{r.reference}</Link>
                          </th>
                          <td>{r.person?.initials ?? '—'}</td>
                          <td>
                            <StatusBadge status={r.status} />
                            {r.urgency !== 'ROUTINE' && (
                              <span className="muted"> · {t[`urgency_${r.urgency}`]}</span>
                            )}
                          </td>
                          <td>
                            {box === 'INCOMING' ? r.senderOrganisation.name : r.receiverOrganisation.name}
                          </td>
                          <td>{r.offer?.title.text ?? '—'}</td>
                          <td className={isOverdue(r, now) ? 'overdue' : undefined}>
                            {fmt.date(r.dueAt)}
                            {isOverdue(r, now) && ` · ${t.overdue}`}
                          </td>
                          <td>{r.assigneeName ?? '—'}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
                {data.referrals.pageInfo.hasNextPage && (
                  <p>
                    <button type="button" disabled={result.fetching} onClick={() => setFirst(first + PAGE)}>
                      {t.more}
                    </button>
                  </p>
                )}
              </>
            )}
          </>
        )}
      </QueryState>
    </Page>
  );
}
