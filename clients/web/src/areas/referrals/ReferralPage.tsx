/**
 * One referral: where it stands, the steps the viewer may take now (the hub's `allowedSteps`, the
 * same table its mutations check), the person and the consent, the timeline with its messages, who
 * is in charge, and who read the person's data (admins). It follows the other side live.
 */
import { useState, type FormEvent } from 'react';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { useClient, useMutation, useQuery } from 'urql';
import { useParams, useSearch } from 'wouter';
import {
  ConsoleAcceptReferralDocument,
  ConsoleAcknowledgeReferralDocument,
  ConsoleAssignReferralDocument,
  ConsoleCancelReferralDocument,
  ConsoleCompleteReferralDocument,
  ConsoleDeclineReferralDocument,
  ConsoleHoldReferralDocument,
  ConsolePostMessageDocument,
  ConsoleReferralDocument,
  ConsoleResumeReferralDocument,
  ConsoleSendReferralDocument,
  ConsoleStartReferralDocument,
  ConsoleWithdrawConsentDocument,
  type ConsoleReferralQuery,
  type ReferralAction,
} from '../../../../generated/graphql.ts';
import { useViewer } from '../../app/viewer.tsx';
import { useReferralNotices } from '../../graphql/live.tsx';
import { useFormat, useMessages } from '../../i18n/i18n.tsx';
import { common } from '../../ui/common.messages.ts';
import { fieldProblems, useErrorText, type ApiError } from '../../ui/errors.ts';
import { Page } from '../../ui/Page.tsx';
import { ErrorNotice, Loading, Notice } from '../../ui/states.tsx';
import { StatusBadge } from '../../ui/StatusBadge.tsx';
import { rm } from './referrals.messages.ts';

type Referral = NonNullable<ConsoleReferralQuery['referral']>;
type StepInput = { id: string; expectedVersion: number; reason?: string; outcome?: string };
/** Every step's mutation answers the same way: success with the referral, or an Error. */
type StepResult = Record<string, { __typename: string; code?: string; message?: string } | undefined>;

const STEP_DOCUMENTS = {
  SEND: ConsoleSendReferralDocument,
  ACKNOWLEDGE: ConsoleAcknowledgeReferralDocument,
  ACCEPT: ConsoleAcceptReferralDocument,
  DECLINE: ConsoleDeclineReferralDocument,
  START: ConsoleStartReferralDocument,
  HOLD: ConsoleHoldReferralDocument,
  RESUME: ConsoleResumeReferralDocument,
  COMPLETE: ConsoleCompleteReferralDocument,
  CANCEL: ConsoleCancelReferralDocument,
} as unknown as Record<ReferralAction, TypedDocumentNode<StepResult, { input: StepInput }>>;

export default function ReferralPage() {
  const t = useMessages(rm);
  const { id = '' } = useParams<{ id: string }>();
  const justSent = new URLSearchParams(useSearch()).get('sent') === '1';
  const [result, reexecute] = useQuery({ query: ConsoleReferralDocument, variables: { id } });
  const reload = () => reexecute({ requestPolicy: 'network-only' });
  useReferralNotices(reload, (n) => n.referralId === id);
  const referral = result.data?.referral;
  if (!referral) {
    return (
      <Page title={t.inboxTitle}>
        {result.error ? (
          <ErrorNotice error={result.error} onRetry={reload} />
        ) : result.data ? (
          <ErrorNotice error={t.referralTitle('?')} />
        ) : (
          <Loading />
        )}
        {result.data && !referral && <NotFound />}
      </Page>
    );
  }
  return (
    <Page title={t.referralTitle(referral.reference)} actions={<StatusBadge status={referral.status} />}>
      {justSent && referral.status === 'SENT' && <Notice kind="ok">{t.sentOk(referral.reference)}</Notice>}
      <Summary referral={referral} />
      <Steps referral={referral} onDone={reload} />
      <div className="columns">
        <div>
          <Person referral={referral} />
          <Consent referral={referral} onDone={reload} />
        </div>
        <div>
          <Timeline referral={referral} />
          <Messages referral={referral} onDone={reload} />
        </div>
      </div>
      {referral.personAccessLog && <AccessLog referral={referral} />}
    </Page>
  );
}

function NotFound() {
  const errorText = useErrorText();
  return <p>{errorText({ code: 'common/not_found', message: '' })}</p>;
}

function Summary({ referral }: { referral: Referral }) {
  const t = useMessages(rm);
  const fmt = useFormat();
  const viewer = useViewer();
  const errorText = useErrorText();
  const [assigning, assign] = useMutation(ConsoleAssignReferralDocument);
  const [problem, setProblem] = useState<ApiError | null>(null);
  const receiver = viewer.memberships.some((m) => m.organisation.id === referral.receiverOrganisation.id);
  const mine = referral.assignee?.id === viewer.id;
  const setAssignee = async (assigneeId: string | null) => {
    setProblem(null);
    const res = await assign({ input: { id: referral.id, expectedVersion: referral.version, assigneeId } });
    const r = res.data?.assignReferral;
    if (r && r.__typename !== 'MutationAssignReferralSuccess') setProblem(r);
  };
  return (
    <dl className="card summary">
      <dt>{t.from}</dt>
      <dd>{referral.senderOrganisation.name}</dd>
      <dt>{t.to}</dt>
      <dd>{referral.receiverOrganisation.name}</dd>
      <dt>{t.offer}</dt>
      <dd>{referral.offer?.title.text ?? '—'}</dd>
      <dt>{t.urgency}</dt>
      <dd>{t[`urgency_${referral.urgency}`]}</dd>
      <dt>{t.due}</dt>
      <dd>{fmt.date(referral.dueAt)}</dd>
      {referral.waitlisted && (
        <>
          <dt>{t.status}</dt>
          <dd>{t.waitlisted}</dd>
        </>
      )}
      {referral.statusReason && (
        <>
          <dt>{t.statusReason}</dt>
          <dd>{referral.statusReason}</dd>
        </>
      )}
      {referral.outcome && (
        <>
          <dt>{t.outcome}</dt>
          <dd>{referral.outcome}</dd>
        </>
      )}
      <dt>{t.assignee}</dt>
      <dd>
        {referral.assignee?.name ?? referral.assigneeName ?? t.nobody}{' '}
        {receiver && referral.status !== 'DRAFT' && (
          <button
            type="button"
            className="secondary"
            disabled={assigning.fetching}
            onClick={() => void setAssignee(mine ? null : viewer.id)}
          >
            {mine ? t.unassign : t.assignMe}
          </button>
        )}
        {problem && <Notice kind="problem">{errorText(problem)}</Notice>}
      </dd>
    </dl>
  );
}

function Steps({ referral, onDone }: { referral: Referral; onDone: () => void }) {
  const t = useMessages(rm);
  const c = useMessages(common);
  const errorText = useErrorText();
  const client = useClient();
  const [open, setOpen] = useState<{ action: ReferralAction; requires: string } | null>(null);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiError | null>(null);
  const [done, setDone] = useState(false);

  const take = async (action: ReferralAction, requires: string | null) => {
    setBusy(true);
    setProblem(null);
    setDone(false);
    const input: StepInput = {
      id: referral.id,
      expectedVersion: referral.version,
      ...(requires === 'reason' ? { reason: text } : {}),
      ...(requires === 'outcome' ? { outcome: text } : {}),
    };
    const res = await client.mutation(STEP_DOCUMENTS[action], { input }).toPromise();
    setBusy(false);
    const outcome = res.data ? Object.values(res.data)[0] : undefined;
    if (!outcome) return setProblem({ code: 'network', message: res.error?.message ?? '' });
    if (!outcome.__typename.endsWith('Success')) {
      setProblem({ code: outcome.code ?? '', message: outcome.message ?? '' });
      return onDone();
    }
    setOpen(null);
    setText('');
    setDone(true);
    onDone();
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (open) void take(open.action, open.requires);
  };

  return (
    <section className="card" aria-labelledby="steps-title">
      <h2 id="steps-title">{t.steps}</h2>
      {referral.allowedSteps.length === 0 && <p className="muted">{t.noSteps}</p>}
      <div className="row">
        {referral.allowedSteps.map((step) => (
          <button
            key={step.action}
            type="button"
            className={step.action === 'DECLINE' || step.action === 'CANCEL' ? 'danger' : 'primary'}
            disabled={busy}
            aria-expanded={step.requires ? open?.action === step.action : undefined}
            onClick={() =>
              step.requires
                ? setOpen({ action: step.action, requires: step.requires })
                : void take(step.action, null)
            }
          >
            {t[`step_${step.action}`]}
          </button>
        ))}
      </div>
      {open && (
        <form className="form step-form" onSubmit={submit}>
          <label>
            {open.requires === 'outcome' ? t.outcomeLabel : t.reasonLabel}
            <textarea
              required
              autoFocus
              maxLength={2000}
              value={text}
              onChange={(e) => setText(e.target.value)}
            />
          </label>
          <p className="row">
            <button type="submit" className="primary" disabled={busy || !text.trim()}>
              {t.labelled(t.confirm)}
              {t[`step_${open.action}`]}
            </button>
            <button type="button" className="secondary" onClick={() => setOpen(null)}>
              {c.cancel}
            </button>
          </p>
        </form>
      )}
      {busy && <Loading />}
      {problem && <Notice kind="problem">{errorText(problem)}</Notice>}
      {done && <Notice kind="ok">{t.stepDone}</Notice>}
    </section>
  );
}

function Person({ referral }: { referral: Referral }) {
  const t = useMessages(rm);
  const p = referral.person;
  return (
    <section className="card" aria-labelledby="person-title">
      <h2 id="person-title">{t.personLegend}</h2>
      {!p ? (
        <p className="muted">{t.personHidden}</p>
      ) : (
        <>
          <dl className="summary">
            <dt>{t.initials}</dt>
            <dd>{p.initials ?? '—'}</dd>
            {p.name && (
              <>
                <dt>{t.name}</dt>
                <dd>{p.name}</dd>
              </>
            )}
            <dt>{t.birthYear}</dt>
            <dd>{p.birthYear ?? '—'}</dd>
            <dt>{t.langs}</dt>
            <dd>{p.languages.join(', ') || '—'}</dd>
            <dt>{t.reach}</dt>
            <dd>
              {p.contactChannel ? t[`channel_${p.contactChannel}`] : '—'}
              {p.contact && `: ${p.contact}`}
            </dd>
            {p.interpreterNeeded && (
              <>
                <dt>{t.interpreter}</dt>
                <dd>✓</dd>
              </>
            )}
          </dl>
          <p className="field-hint">{t.readLogged}</p>
        </>
      )}
      {referral.needs && (
        <>
          <h3>{t.needs}</h3>
          <p className="prewrap">{referral.needs}</p>
        </>
      )}
      {referral.needThemes.length > 0 && (
        <p className="row">
          {referral.needThemes.map((th) => (
            <span key={th.code} className="badge">
              {th.label.text}
            </span>
          ))}
        </p>
      )}
    </section>
  );
}

function Consent({ referral, onDone }: { referral: Referral; onDone: () => void }) {
  const t = useMessages(rm);
  const fmt = useFormat();
  const viewer = useViewer();
  const errorText = useErrorText();
  const [withdrawing, withdraw] = useMutation(ConsoleWithdrawConsentDocument);
  const [problem, setProblem] = useState<ApiError | null>(null);
  const c = referral.consent;
  if (!c) return null;
  const sender = viewer.memberships.some((m) => m.organisation.id === referral.senderOrganisation.id);
  const doWithdraw = async () => {
    const res = await withdraw({ input: { id: referral.id } });
    const r = res.data?.withdrawConsent;
    if (r && r.__typename !== 'MutationWithdrawConsentSuccess') setProblem(r);
    onDone();
  };
  return (
    <section className="card" aria-labelledby="consent-title">
      <h2 id="consent-title">{t.consent}</h2>
      {c.purpose && <p>{c.purpose}</p>}
      <p>
        <strong>{t.labelled(t.consentRecipients)}</strong>
        {c.recipients.map((o) => o.name).join(', ')}
      </p>
      <p className="muted">
        {t.consentGiven(fmt.date(c.recordedAt))}
        {c.recordedBy && ` ${t.eventBy(c.recordedBy.name)}`}
        {c.expiresAt && ` · ${t.consentExpires(fmt.date(c.expiresAt))}`}
      </p>
      {c.withdrawnAt ? (
        <p>
          <strong>{t.consentWithdrawn(fmt.date(c.withdrawnAt))}</strong>
        </p>
      ) : (
        sender && (
          <button
            type="button"
            className="danger"
            disabled={withdrawing.fetching}
            onClick={() => void doWithdraw()}
          >
            {t.withdrawConsent}
          </button>
        )
      )}
      {problem && <Notice kind="problem">{errorText(problem)}</Notice>}
    </section>
  );
}

function Timeline({ referral }: { referral: Referral }) {
  const t = useMessages(rm);
  const c = useMessages(common);
  const fmt = useFormat();
  return (
    <section className="card" aria-labelledby="timeline-title">
      <h2 id="timeline-title">{t.timeline}</h2>
      <ol className="timeline">
        {referral.events.map((e) => (
          <li key={e.id}>
            <strong>
              {e.toStatus ? c[`status_${e.toStatus}`] : e.type.toLowerCase().replaceAll('_', ' ')}
            </strong>
            {e.actor &&
              ` ${t.eventBy(`${e.actor.name}${e.actor.organisation ? ` (${e.actor.organisation.name})` : ''}`)}`}
            <br />
            <time className="muted" dateTime={e.at}>
              {fmt.dateTime(e.at)}
            </time>
            {e.note && <p className="prewrap">{e.note}</p>}
          </li>
        ))}
      </ol>
    </section>
  );
}

function Messages({ referral, onDone }: { referral: Referral; onDone: () => void }) {
  const t = useMessages(rm);
  const fmt = useFormat();
  const errorText = useErrorText();
  const [body, setBody] = useState('');
  const [posting, post] = useMutation(ConsolePostMessageDocument);
  const [problem, setProblem] = useState<ApiError | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    const res = await post({ input: { id: referral.id, body } });
    const r = res.data?.postReferralMessage;
    if (!r) return setProblem({ code: 'network', message: res.error?.message ?? '' });
    if (r.__typename !== 'MutationPostReferralMessageSuccess') return setProblem(r);
    setBody('');
    onDone();
  };
  const problems = fieldProblems(problem);
  return (
    <section className="card" aria-labelledby="messages-title">
      <h2 id="messages-title">{t.messages}</h2>
      {referral.messages.length === 0 ? (
        <p className="muted">{t.noMessages}</p>
      ) : (
        <ul className="messages">
          {referral.messages.map((m, i) => (
            <li key={`${m.at}-${i}`}>
              <p className="prewrap">{m.body}</p>
              <p className="muted">
                {m.actor
                  ? `${m.actor.name}${m.actor.organisation ? ` (${m.actor.organisation.name})` : ''} · `
                  : ''}
                <time dateTime={m.at}>{fmt.dateTime(m.at)}</time>
              </p>
            </li>
          ))}
        </ul>
      )}
      <form className="form" onSubmit={(e) => void submit(e)}>
        <label>
          {t.writeMessage}
          <textarea required maxLength={4000} value={body} onChange={(e) => setBody(e.target.value)} />
          {problems.body && <span className="field-error">{problems.body}</span>}
        </label>
        <p>
          <button type="submit" disabled={posting.fetching || !body.trim()}>
            {t.post}
          </button>
        </p>
      </form>
      {problem && !problems.body && <Notice kind="problem">{errorText(problem)}</Notice>}
    </section>
  );
}

function AccessLog({ referral }: { referral: Referral }) {
  const t = useMessages(rm);
  const fmt = useFormat();
  const log = referral.personAccessLog ?? [];
  return (
    <section className="card" aria-labelledby="access-title">
      <h2 id="access-title">{t.accessLog}</h2>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t.when}</th>
              <th scope="col">{t.reader}</th>
              <th scope="col">{t.organisation}</th>
            </tr>
          </thead>
          <tbody>
            {log.map((a, i) => (
              <tr key={`${a.at}-${i}`}>
                <td>{fmt.dateTime(a.at)}</td>
                <td>{a.readerName}</td>
                <td>{a.organisation.name}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
