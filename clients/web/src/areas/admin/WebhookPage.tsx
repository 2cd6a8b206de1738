/**
 * One webhook's delivery log, newest event first: status, attempts, the last answer (HTTP status
 * or the class of failure), redelivery of any delivery, and a new signing secret (shown once).
 * The first page refreshes itself every few seconds while the tab is visible.
 */
import { useEffect, useId, useState } from 'react';
import { Link, useParams, useSearchParams } from 'wouter';
import { useMutation, useQuery } from 'urql';
import {
  ConsoleAdminWebhookDocument,
  RedeliverWebhookDeliveryDocument,
  RotateWebhookSecretDocument,
  type WebhookDeliveryFieldsFragment,
  type WebhookDeliveryStatus,
} from '../../../../generated/graphql.ts';
import { useFormat, useMessages } from '../../i18n/i18n.tsx';
import { Page } from '../../ui/Page.tsx';
import { Empty, ErrorNotice, Loading, Notice } from '../../ui/states.tsx';
import { adminMessages } from './admin.messages.ts';
import { AdminOnly, ConfirmButton, OnceSecret } from './parts.tsx';
import { ProblemNotice, settle, type Problem } from './problems.tsx';
import { EVENT_NAMES, webhooksMessages } from './webhooks.messages.ts';

const STATUSES: readonly WebhookDeliveryStatus[] = ['PENDING', 'DELIVERED', 'FAILED'];
const REFRESH_MS = 5000;

export default function WebhookPage() {
  return (
    <AdminOnly>
      <WebhookLog />
    </AdminOnly>
  );
}

function WebhookLog() {
  const t = useMessages(webhooksMessages);
  const a = useMessages(adminMessages);
  const params = useParams<{ id: string }>();
  const id = decodeURIComponent(params.id);
  const [search] = useSearchParams();
  const org = search.get('org');
  const back = org ? `/admin/webhooks?org=${encodeURIComponent(org)}` : '/admin/webhooks';
  const filterId = useId();
  const [status, setStatus] = useState<WebhookDeliveryStatus | ''>('');
  const [cursors, setCursors] = useState<string[]>([]);
  const [secret, setSecret] = useState<string | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [rotating, rotate] = useMutation(RotateWebhookSecretDocument);
  const [result, reexecute] = useQuery({
    query: ConsoleAdminWebhookDocument,
    variables: { id, status: status || null, after: null },
  });
  const paging = cursors.length > 0;

  // New deliveries show without a reload (the first page only: later pages would shift).
  useEffect(() => {
    if (paging) return;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') reexecute({ requestPolicy: 'network-only' });
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [paging, reexecute]);

  const refresh = () => {
    setCursors([]);
    reexecute({ requestPolicy: 'network-only' });
  };
  const rotateSecret = async () => {
    const res = await rotate({ input: { id } });
    const s = settle(res.error, res.data?.rotateWebhookSecret, 'MutationRotateWebhookSecretSuccess');
    setProblem(s.problem);
    if (s.ok) setSecret(s.ok.data.secret);
  };

  const node = result.data?.node;
  const webhook = node?.__typename === 'WebhookEndpoint' ? node : null;
  const backLink = (
    <Link href={back} className="button secondary">
      {t.back}
    </Link>
  );

  if (!result.data) {
    return (
      <Page title={t.logTitle} actions={backLink}>
        {result.error ? <ErrorNotice error={result.error} onRetry={refresh} /> : <Loading />}
      </Page>
    );
  }
  if (!webhook) {
    return (
      <Page title={t.logTitle} actions={backLink}>
        <Notice kind="problem">{t.notFound}</Notice>
      </Page>
    );
  }
  const { deliveries } = webhook;
  return (
    <Page title={t.logTitle} actions={backLink}>
      <p className="url">{webhook.url}</p>
      <p className="muted">
        {webhook.active ? t.state_active : t.state_inactive} ·{' '}
        {webhook.eventTypes.map((type) => t[`event_${type}`]).join(', ')}
      </p>
      {secret && (
        <OnceSecret
          title={t.rotatedTitle}
          label={t.secretLabel}
          value={secret}
          warning={t.secretWarning}
          onDone={() => setSecret(null)}
        />
      )}
      <div className="filters">
        <div className="field">
          <label htmlFor={`${filterId}-status`}>{t.statusFilter}</label>
          <select
            id={`${filterId}-status`}
            value={status}
            onChange={(e) => {
              setCursors([]);
              setStatus(e.target.value as WebhookDeliveryStatus | '');
            }}
          >
            <option value="">{t.allStatuses}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t[`delivery_${s}`]}
              </option>
            ))}
          </select>
        </div>
        <button type="button" className="secondary" onClick={refresh}>
          {a.refresh}
        </button>
        <ConfirmButton
          question={t.rotateQuestion}
          busy={rotating.fetching}
          onConfirm={() => void rotateSecret()}
        >
          {t.rotate}
        </ConfirmButton>
      </div>
      <ProblemNotice problem={problem} />
      {result.error && <ErrorNotice error={result.error} onRetry={refresh} />}
      <p className="muted" aria-live="polite">
        {t.deliveriesCount(deliveries.totalCount)}
        {!paging && ` · ${t.autoRefresh}`}
      </p>
      {deliveries.edges.length === 0 ? (
        <Empty>{t.noDeliveries}</Empty>
      ) : (
        <DeliveryList deliveries={deliveries.edges.map((e) => e.node)} />
      )}
      {cursors.map((after, i) => (
        <DeliveryPage
          key={after}
          id={id}
          status={status || null}
          after={after}
          last={i === cursors.length - 1}
          onMore={(cursor) => setCursors((list) => [...list, cursor])}
        />
      ))}
      {!paging && deliveries.pageInfo.hasNextPage && deliveries.pageInfo.endCursor && (
        <p>
          <button
            type="button"
            className="secondary"
            onClick={() => setCursors([deliveries.pageInfo.endCursor!])}
          >
            {a.showMore}
          </button>
        </p>
      )}
    </Page>
  );
}

function DeliveryPage({
  id,
  status,
  after,
  last,
  onMore,
}: {
  id: string;
  status: WebhookDeliveryStatus | null;
  after: string;
  last: boolean;
  onMore: (cursor: string) => void;
}) {
  const a = useMessages(adminMessages);
  const [result, reexecute] = useQuery({
    query: ConsoleAdminWebhookDocument,
    variables: { id, status, after },
  });
  const node = result.data?.node;
  if (!result.data) {
    return result.error ? (
      <ErrorNotice error={result.error} onRetry={() => reexecute({ requestPolicy: 'network-only' })} />
    ) : (
      <Loading />
    );
  }
  if (node?.__typename !== 'WebhookEndpoint') return null;
  const { edges, pageInfo } = node.deliveries;
  return (
    <>
      <DeliveryList deliveries={edges.map((e) => e.node)} />
      {last && pageInfo.hasNextPage && pageInfo.endCursor && (
        <p>
          <button type="button" className="secondary" onClick={() => onMore(pageInfo.endCursor!)}>
            {a.showMore}
          </button>
        </p>
      )}
    </>
  );
}

function DeliveryList({ deliveries }: { deliveries: WebhookDeliveryFieldsFragment[] }) {
  return (
    <ul className="admin-list deliveries">
      {deliveries.map((d) => (
        <li key={d.id}>
          <DeliveryCard delivery={d} />
        </li>
      ))}
    </ul>
  );
}

function DeliveryCard({ delivery }: { delivery: WebhookDeliveryFieldsFragment }) {
  const t = useMessages(webhooksMessages);
  const f = useFormat();
  const id = useId();
  const [problem, setProblem] = useState<Problem | null>(null);
  const [done, setDone] = useState(false);
  const [redelivering, redeliver] = useMutation(RedeliverWebhookDeliveryDocument);

  const again = async () => {
    setDone(false);
    const res = await redeliver({ input: { id: delivery.id } });
    const s = settle(
      res.error,
      res.data?.redeliverWebhookDelivery,
      'MutationRedeliverWebhookDeliverySuccess',
    );
    setProblem(s.problem);
    setDone(!!s.ok);
  };

  const error = delivery.lastError ? t[`error_${delivery.lastError}`] : null;
  const answer =
    delivery.lastStatusCode !== null
      ? error
        ? t.statusAndError(t.httpStatus(delivery.lastStatusCode), error)
        : t.httpStatus(delivery.lastStatusCode)
      : (error ?? (delivery.lastAttemptAt ? '—' : t.noAttemptYet));

  return (
    <article className="card delivery" aria-labelledby={`${id}-event`}>
      <div className="item-head">
        <h3 id={`${id}-event`}>{t[`event_${delivery.eventType}`]}</h3>
        <code className="muted">{EVENT_NAMES[delivery.eventType]}</code>
        <span className={`badge badge-${delivery.status.toLowerCase()}`}>
          {t[`delivery_${delivery.status}`]}
        </span>
      </div>
      <dl className="item-facts">
        <div>
          <dt>{t.eventId}</dt>
          <dd>
            <code>{delivery.eventId}</code>
          </dd>
        </div>
        <div>
          <dt>{t.attempts}</dt>
          <dd>{delivery.attempts}</dd>
        </div>
        <div>
          <dt>{t.lastAttempt}</dt>
          <dd>{f.dateTime(delivery.lastAttemptAt)}</dd>
        </div>
        <div>
          <dt>{t.lastAnswer}</dt>
          <dd className="last-answer">{answer}</dd>
        </div>
        {delivery.status === 'PENDING' && delivery.nextAttemptAt && (
          <div>
            <dt>{t.nextAttempt}</dt>
            <dd>{f.dateTime(delivery.nextAttemptAt)}</dd>
          </div>
        )}
        {delivery.deliveredAt && (
          <div>
            <dt>{t.deliveredAt}</dt>
            <dd>{f.dateTime(delivery.deliveredAt)}</dd>
          </div>
        )}
      </dl>
      <button
        type="button"
        className="secondary"
        disabled={redelivering.fetching}
        onClick={() => void again()}
      >
        {t.redeliver}
        <span className="visually-hidden">{t.ofEvent(delivery.eventId)}</span>
      </button>
      <ProblemNotice problem={problem} />
      {done && <Notice kind="ok">{t.redelivered}</Notice>}
    </article>
  );
}
