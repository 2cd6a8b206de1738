/**
 * `/organiser/:slug/invitations`: the organisations invited to an edition, each with the
 * registration code (`evc_…`) its people register with and until when it is valid, for the
 * organisers to hand out (a "copy" button, or the code selected where the clipboard is refused);
 * and a form to invite more of the network's organisations (those already invited keep their
 * code: the hub's `inviteOrganisations`). An invitation can be withdrawn (its code stops working;
 * inviting again gives a new one), after a question. Only the edition's organisers see it
 * (`EditionGate`).
 */
import type { OperationResult } from '@urql/core';
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useClient, useMutation, useQuery } from 'urql';
import { Link, useParams } from 'wouter';
import {
  ConsoleEditionInvitationsDocument,
  ConsoleInviteOrganisationsDocument,
  ConsoleNetworkOrganisationsDocument,
  ConsoleWithdrawInvitationDocument,
  type ConsoleInvitationFieldsFragment,
  type ConsoleNetworkOrganisationsQuery,
} from '../../../../generated/graphql.ts';
import { useFormat, useMessages } from '../../i18n/i18n.tsx';
import { fieldProblems, useErrorText, useReasonText, type ApiError } from '../../ui/errors.ts';
import { Page } from '../../ui/Page.tsx';
import { Question, useQuestion } from '../../ui/Question.tsx';
import { Empty, ErrorNotice, Loading, Notice } from '../../ui/states.tsx';
import { Breadcrumb, EditionGate, type Edition } from './edition.tsx';
import { invitationsMessages } from './invitations.messages.ts';
import './events.css';

interface Organisation {
  id: string;
  name: string;
}

export default function InvitationsPage() {
  const { slug } = useParams<{ slug: string }>();
  return <EditionGate slug={slug}>{(edition) => <Invitations edition={edition} />}</EditionGate>;
}

function Invitations({ edition }: { edition: Edition }) {
  const t = useMessages(invitationsMessages);
  const f = useFormat();
  const [result, reexecute] = useQuery({
    query: ConsoleEditionInvitationsDocument,
    variables: { slug: edition.slug },
  });
  const reload = () => reexecute({ requestPolicy: 'network-only' });
  const invitations = result.data?.eventEdition?.invitations;
  /** The confirmation after inviting: it has the focus (the form's button had it). */
  const [done, setDone] = useState<{ key: number; text: string } | null>(null);
  const status = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (done) status.current?.focus();
  }, [done]);

  const invited = useMemo(() => new Set(invitations?.map((i) => i.organisation.id)), [invitations]);
  const count = invitations?.length ?? 0;
  return (
    <Page title={t.title(edition.title.text)}>
      <Breadcrumb>
        <Link href={`/organiser/${edition.slug}`}>{edition.title.text}</Link>
      </Breadcrumb>
      <p className="muted">{t.intro}</p>

      <section aria-labelledby="invited-heading">
        <h2 id="invited-heading">{t.invitedHeading}</h2>
        {done && (
          <div key={done.key} ref={status} className="notice notice-ok" role="status" tabIndex={-1}>
            {done.text}
          </div>
        )}
        {!invitations ? (
          result.error ? (
            <ErrorNotice error={result.error} onRetry={reload} />
          ) : (
            <Loading />
          )
        ) : (
          <>
            <p className="ev-matching">{count === 1 ? t.invitedCountOne : t.invitedCount(f.number(count))}</p>
            {count === 0 ? (
              <Empty>{t.noInvitations}</Empty>
            ) : (
              <ul className="ev-stands ev-invitations">
                {invitations.map((inv) => (
                  <InvitationCard
                    key={inv.organisation.id}
                    editionId={edition.id}
                    invitation={inv}
                    onWithdrawn={(name) => {
                      // Its card is gone: the confirmation takes the focus.
                      setDone({ key: Date.now(), text: t.withdrawn(name) });
                      reload();
                    }}
                    onRefused={reload}
                  />
                ))}
              </ul>
            )}
          </>
        )}
      </section>

      {invitations && (
        <InviteForm
          editionId={edition.id}
          invited={invited}
          onInvited={(added) => {
            // One organisation: its code in the confirmation itself, where the focus is (its card
            // may be far down the list).
            const one = added.length === 1 ? added[0]! : null;
            setDone({
              key: Date.now(),
              text: one?.code ? t.invitedOne(one.name, one.code) : t.invitedMany(f.number(added.length)),
            });
          }}
        />
      )}
    </Page>
  );
}

function InvitationCard({
  editionId,
  invitation,
  onWithdrawn,
  onRefused,
}: {
  editionId: string;
  invitation: ConsoleInvitationFieldsFragment;
  /** The invitation was withdrawn (here or already): its code no longer works. */
  onWithdrawn: (organisationName: string) => void;
  /** The hub refused, or did not answer: the list is read again. */
  onRefused: () => void;
}) {
  const t = useMessages(invitationsMessages);
  const f = useFormat();
  const errorText = useErrorText();
  const codeRef = useRef<HTMLElement>(null);
  const [copied, setCopied] = useState<string | null>(null);
  const org = invitation.organisation;
  const headingId = `invitation-${org.id}`;
  /** "Withdraw", asked first. */
  const question = useQuestion();
  const [withdrawState, withdraw] = useMutation(ConsoleWithdrawInvitationDocument);
  const [problem, setProblem] = useState<ApiError | null>(null);

  const confirmWithdrawal = async () => {
    setProblem(null);
    const res = await withdraw({ input: { editionId, organisationId: org.id } });
    const r = res.data?.withdrawInvitation;
    // Withdrawn already (by another organiser, or in another tab): its code no longer works either.
    if (r?.__typename === 'NotFoundError') {
      question.done();
      return onWithdrawn(org.name);
    }
    if (!r) {
      // No answer: the list stays as read (reading it again would fail too, and take the card).
      question.keep();
      return setProblem({ code: 'network', message: res.error?.message ?? '' });
    }
    if (r.__typename !== 'MutationWithdrawInvitationSuccess') {
      question.keep();
      // Refused: the list is read again, to show what the hub holds now.
      onRefused();
      return setProblem(r);
    }
    question.done();
    onWithdrawn(org.name);
  };

  /** The clipboard where the browser allows it; else the code is selected for the user to copy. */
  const copy = async () => {
    const code = invitation.code;
    if (!code) return;
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(code);
      setCopied(t.copied(org.name));
    } catch {
      const el = codeRef.current;
      const selection = window.getSelection();
      if (el && selection) {
        const range = document.createRange();
        range.selectNodeContents(el);
        selection.removeAllRanges();
        selection.addRange(range);
      }
      setCopied(t.copyManually(org.name));
    }
  };

  return (
    <li className="card ev-stand ev-invitation" data-organisation={org.id}>
      <article aria-labelledby={headingId}>
        <h3 id={headingId}>{org.name}</h3>
        <dl className="ev-stand-facts">
          <div>
            <dt>{t.code}</dt>
            <dd>
              {invitation.code ? (
                <code ref={codeRef} className="ev-invitation-code">
                  {invitation.code}
                </code>
              ) : (
                <span className="muted">{t.codeHidden}</span>
              )}
            </dd>
          </div>
          <div>
            <dt>{t.expires}</dt>
            <dd>{f.date(invitation.expiresAt)}</dd>
          </div>
        </dl>
        {invitation.code && (
          <p className="row">
            <button type="button" onClick={() => void copy()}>
              {t.copy}
              <span className="visually-hidden">
                {' '}
                – {t.code} – {org.name}
              </span>
            </button>
            <span role="status" className="muted">
              {copied}
            </span>
          </p>
        )}
        {problem && <Notice kind="problem">{errorText(problem)}</Notice>}
        {question.asking ? (
          <Question
            state={question}
            act={withdrawState.fetching ? t.withdrawing : t.withdrawConfirm}
            keepLabel={t.withdrawKeep}
            busy={withdrawState.fetching}
            onAct={() => void confirmWithdrawal()}
          >
            {t.withdrawAsk(org.name)}
          </Question>
        ) : (
          <p>
            <button type="button" className="ev-link-button" ref={question.askRef} onClick={question.ask}>
              {t.withdraw}
              <span className="visually-hidden"> – {org.name}</span>
            </button>
          </p>
        )}
      </article>
    </li>
  );
}

/** Every organisation of the network, by name (read a page of 100 at a time). */
function useNetworkOrganisations() {
  const client = useClient();
  const [state, setState] = useState<{ list: Organisation[] | null; failed: boolean }>({
    list: null,
    failed: false,
  });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let live = true;
    void (async () => {
      const list: Organisation[] = [];
      let after: string | null = null;
      for (;;) {
        const res: OperationResult<ConsoleNetworkOrganisationsQuery> = await client
          .query(ConsoleNetworkOrganisationsDocument, { after }, { requestPolicy: 'network-only' })
          .toPromise();
        const page = res.data?.organisations;
        if (!page) {
          if (live) setState({ list: null, failed: true });
          return;
        }
        list.push(...page.edges.map((e) => e.node));
        if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) break;
        after = page.pageInfo.endCursor;
      }
      if (live) setState({ list, failed: false });
    })();
    return () => {
      live = false;
    };
  }, [client, attempt]);
  return {
    ...state,
    retry: () => {
      setState({ list: null, failed: false });
      setAttempt((n) => n + 1);
    },
  };
}

function InviteForm({
  editionId,
  invited,
  onInvited,
}: {
  editionId: string;
  invited: ReadonlySet<string>;
  /** The organisations invited, with their new codes. */
  onInvited: (added: { name: string; code: string | null }[]) => void;
}) {
  const t = useMessages(invitationsMessages);
  const f = useFormat();
  const errorText = useErrorText();
  const reasonText = useReasonText();
  const organisations = useNetworkOrganisations();
  const [filter, setFilter] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const [problem, setProblem] = useState<ApiError | null>(null);
  const [state, invite] = useMutation(ConsoleInviteOrganisationsDocument);
  const problemRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (problem) problemRef.current?.focus();
  }, [problem]);

  const open = useMemo(
    () => (organisations.list ?? []).filter((o) => !invited.has(o.id)),
    [organisations.list, invited],
  );
  const needle = normalise(filter.trim());
  const shown = needle ? open.filter((o) => normalise(o.name).includes(needle)) : open;
  const picked = chosen.filter((id) => open.some((o) => o.id === id));

  const toggle = (id: string, on: boolean) =>
    setChosen((prev) => (on ? [...prev.filter((x) => x !== id), id] : prev.filter((x) => x !== id)));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    if (picked.length === 0) {
      setProblem({ code: 'choose', message: t.chooseFirst });
      return;
    }
    const res = await invite({ input: { editionId, organisationIds: picked } });
    const r = res.data?.inviteOrganisations;
    if (!r) return setProblem({ code: 'network', message: t.network });
    if (r.__typename !== 'MutationInviteOrganisationsSuccess') return setProblem(r);
    const codes = new Map(r.data.edition.invitations.map((i) => [i.organisation.id, i.code ?? null]));
    const added = picked.map((id) => ({
      name: open.find((o) => o.id === id)!.name,
      code: codes.get(id) ?? null,
    }));
    setChosen([]);
    setFilter('');
    onInvited(added);
  };

  /** The problem in the user's words: the hub's typed error, or a field's reason. */
  const problemText = (p: ApiError): string => {
    if (p.code === 'choose' || p.code === 'network') return p.message;
    if (p.code === 'common/not_found') return t.unknownOrganisation;
    const fields = (p.fields ?? []).map((x) => reasonText(x, 'choice') ?? x.message);
    return [errorText(p), ...new Set(fields)].join(' ');
  };
  const listInvalid =
    !!problem && (problem.code === 'choose' || Object.keys(fieldProblems(problem)).length > 0);

  return (
    <section aria-labelledby="invite-heading" className="card">
      <h2 id="invite-heading">{t.inviteHeading}</h2>
      <p className="field-hint" id="invite-hint">
        {t.inviteHint}
      </p>
      {organisations.list === null ? (
        organisations.failed ? (
          <ErrorNotice error={t.organisationsFailed} onRetry={organisations.retry} />
        ) : (
          <Loading label={t.loadingOrganisations} />
        )
      ) : open.length === 0 ? (
        <Empty>{t.noneLeft}</Empty>
      ) : (
        <form className="form ev-stand-form" onSubmit={(e) => void submit(e)} aria-busy={state.fetching}>
          <label htmlFor="invite-filter">
            {t.filter}
            <input
              id="invite-filter"
              type="search"
              value={filter}
              autoComplete="off"
              aria-describedby="invite-matching"
              onChange={(e) => setFilter(e.target.value)}
            />
          </label>
          <fieldset
            aria-describedby={['invite-hint', listInvalid && 'invite-problem'].filter(Boolean).join(' ')}
          >
            <legend>{t.choose}</legend>
            <p className="field-hint" id="invite-matching" aria-live="polite">
              {t.matching(f.number(shown.length), f.number(open.length))}{' '}
              {picked.length === 1 ? t.selectedOne : t.selected(f.number(picked.length))}
            </p>
            {shown.length === 0 ? (
              <p className="muted">{t.noMatch}</p>
            ) : (
              <ul className="ev-checks">
                {shown.map((o) => (
                  <li key={o.id}>
                    <label className="check">
                      <input
                        type="checkbox"
                        checked={picked.includes(o.id)}
                        onChange={(e) => toggle(o.id, e.target.checked)}
                      />
                      <span>{o.name}</span>
                    </label>
                  </li>
                ))}
              </ul>
            )}
          </fieldset>
          {problem && (
            <div
              ref={problemRef}
              id="invite-problem"
              className="notice notice-problem"
              role="alert"
              tabIndex={-1}
            >
              {problemText(problem)}
            </div>
          )}
          <p>
            <button type="submit" className="primary" disabled={state.fetching}>
              {picked.length === 0
                ? t.invite
                : picked.length === 1
                  ? t.inviteOne
                  : t.inviteN(f.number(picked.length))}
            </button>
          </p>
        </form>
      )}
    </section>
  );
}

/** A name for matching: lower case, without accents. */
const normalise = (s: string) =>
  s
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase();
