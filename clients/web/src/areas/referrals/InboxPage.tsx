/**
 * Incoming and outgoing referrals: counts per status (each a filter), the overdue ones (the hub's
 * rule: sent and unanswered by their due date) first, then the hub's order, newest first; and the
 * list, which follows the other side's steps live (a notice re-reads the list and the further pages
 * shown; after a lost connection the stream replays what was missed).
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useClient, useQuery } from 'urql';
import { Link, useLocation, useSearch } from 'wouter';
import {
  ConsoleInboxDocument,
  ConsoleInboxPageDocument,
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

/** The hub's largest page. */
const PAGE = 100;

/** Overdue first; otherwise the hub's order (newest first). Once each (pages read at different times may overlap). */
export function inboxOrder(rows: ConsoleInboxRowFragment[]): ConsoleInboxRowFragment[] {
  const once = [...new Map(rows.map((r) => [r.id, r])).values()];
  return [...once.filter((r) => r.overdue), ...once.filter((r) => !r.overdue)];
}

/** Pages read after the first: their rows, and where the next one starts. */
interface Further {
  rows: ConsoleInboxRowFragment[];
  hasNextPage: boolean;
  endCursor: string | null | undefined;
  pages: number;
}

/** Further pages belong to the list they were read for: the box and the filter. */
interface ViewPages extends Further {
  view: string;
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
  const view = `${box} ${status ?? ''} ${overdue}`;
  const viewNow = useRef(view);
  viewNow.current = view;
  const [pages, setPages] = useState<ViewPages | null>(null);
  // Shown only with the list they were read for; dropped when the box or filter changes.
  const further = pages?.view === view ? pages : null;
  useEffect(() => setPages(null), [view]);
  const [loadingMore, setLoadingMore] = useState(false);
  const client = useClient();
  const [announcement, setAnnouncement] = useState('');
  const filter: ReferralFilter = {
    ...(status ? { status: [status] } : {}),
    ...(overdue ? { overdue: true } : {}),
  };
  const [result, reexecute] = useQuery({
    query: ConsoleInboxDocument,
    variables: { box, filter, first: PAGE },
  });

  /** `pages` pages after the cursor `after`, one after the other. */
  const readPages = useCallback(
    async (after: string | null | undefined, pages: number): Promise<Further | null> => {
      const out: Further = { rows: [], hasNextPage: true, endCursor: after, pages: 0 };
      while (out.pages < pages && out.hasNextPage) {
        const page = await client
          .query(
            ConsoleInboxPageDocument,
            { box, filter, first: PAGE, after: out.endCursor },
            { requestPolicy: 'network-only' },
          )
          .toPromise();
        if (!page.data) return null;
        const { edges, pageInfo } = page.data.referrals;
        out.rows.push(...edges.map((e) => e.node));
        out.hasNextPage = pageInfo.hasNextPage;
        out.endCursor = pageInfo.endCursor;
        out.pages++;
      }
      return out;
    },
    // The filter is rebuilt on each render from `status` and `overdue`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [client, box, status, overdue],
  );
  const more = async (after: string | null | undefined) => {
    const at = view;
    setLoadingMore(true);
    try {
      const next = await readPages(after, 1);
      // A page that arrives after the box or filter changed belongs to no list shown.
      if (next && viewNow.current === at) {
        setPages((f) => {
          const before = f?.view === at ? f : null;
          return {
            view: at,
            rows: [...(before?.rows ?? []), ...next.rows],
            hasNextPage: next.hasNextPage,
            endCursor: next.endCursor,
            pages: (before?.pages ?? 0) + 1,
          };
        });
      }
    } finally {
      setLoadingMore(false);
    }
  };

  // Live: re-read the list when a referral the viewer sees changes (at most once per 300 ms).
  const pending = useRef<number | null>(null);
  const rereadPages = useRef(0);
  const refresh = useCallback(() => {
    if (pending.current !== null) return;
    pending.current = window.setTimeout(() => {
      pending.current = null;
      reexecute({ requestPolicy: 'network-only' });
      // The further pages shown are read again, after the first page's new end.
      rereadPages.current = further?.pages ?? 0;
    }, 300);
  }, [reexecute, further]);
  useEffect(() => {
    const count = rereadPages.current;
    if (count === 0 || !result.data) return;
    rereadPages.current = 0;
    const at = viewNow.current;
    let current = true;
    void readPages(result.data.referrals.pageInfo.endCursor, count).then(
      (f) => current && f && setPages({ ...f, view: at }),
    );
    return () => {
      current = false;
    };
  }, [result.data, readPages]);
  useReferralNotices((notice) => {
    if (notice) setAnnouncement(t.newArrived(notice.reference));
    refresh();
  });

  const rows = useMemo(
    () => inboxOrder([...(result.data?.referrals.edges.map((e) => e.node) ?? []), ...(further?.rows ?? [])]),
    [result.data, further],
  );
  const pageInfo = further ?? result.data?.referrals.pageInfo;

  const switchBox = (next: ReferralBox) => {
    setStatus(null);
    setOverdue(false);
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
                <button
                  type="button"
                  aria-pressed={overdue}
                  onClick={() => {
                    setOverdue(!overdue);
                  }}
                >
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
                      onClick={() => {
                        setStatus(status === s.status ? null : s.status);
                      }}
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
                          <td className={r.overdue ? 'overdue' : undefined}>
                            {fmt.date(r.dueAt)}
                            {r.overdue && ` · ${t.overdue}`}
                          </td>
                          <td>{r.assigneeName ?? '—'}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
                {pageInfo?.hasNextPage && (
                  <p>
                    <button
                      type="button"
                      disabled={result.fetching || loadingMore}
                      onClick={() => void more(pageInfo.endCursor)}
                    >
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
