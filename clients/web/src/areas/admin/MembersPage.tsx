/**
 * An organisation's members (its admins; hub admins for any organisation): roles ticked per
 * person and saved, disabling an account (and inviting the person again to enable it), inviting
 * by e-mail with roles (the code goes by mail only), the open invitations (send again, withdraw),
 * and the audit log of these changes.
 */
import type { CombinedError, OperationResult } from '@urql/core';
import { useEffect, useId, useState, type FormEvent } from 'react';
import { useClient, useMutation, useQuery } from 'urql';
import {
  ConsoleAdminAuditLogDocument,
  ConsoleAdminInvitationsDocument,
  ConsoleAdminMembersDocument,
  ConsoleAdminOrganisationsDocument,
  type ConsoleAdminOrganisationsQuery,
  DisableMembershipDocument,
  InviteMemberDocument,
  ResendInvitationDocument,
  RevokeInvitationDocument,
  UpdateMemberRolesDocument,
  type InvitationFieldsFragment,
  type MailDelivery,
  type MembershipFieldsFragment,
  type Role,
} from '../../../../generated/graphql.ts';
import { organisationsWith, useViewer } from '../../app/viewer.tsx';
import { useFormat, useLocale, useMessages } from '../../i18n/i18n.tsx';
import { common } from '../../ui/common.messages.ts';
import { Page } from '../../ui/Page.tsx';
import { Empty, ErrorNotice, Notice, QueryState } from '../../ui/states.tsx';
import { adminMessages } from './admin.messages.ts';
import { membersMessages } from './members.messages.ts';
import {
  AdminOnly,
  ConfirmButton,
  isHubAdmin,
  OrganisationChooser,
  useChosenOrganisation,
  type AdminOrganisation,
} from './parts.tsx';
import { invalidFields, ProblemNotice, settle, type Problem } from './problems.tsx';

const ROLES: readonly Role[] = [
  'CASE_WORKER',
  'CATALOGUE_EDITOR',
  'WELCOME_COORDINATOR',
  'EVENT_ORGANISER',
  'ORG_ADMIN',
  'NETWORK_COORDINATOR',
  'HUB_ADMIN',
];
/** Roles that reach beyond the organisation: only a hub admin gives or takes them. */
const HUB_ONLY: readonly Role[] = ['NETWORK_COORDINATOR', 'HUB_ADMIN'];
const MAIL_LANGUAGES = [
  ['fr', 'Français'],
  ['de', 'Deutsch'],
  ['en', 'English'],
  ['lb', 'Lëtzebuergesch'],
] as const;

const byRoleOrder = (roles: readonly Role[]) => ROLES.filter((r) => roles.includes(r));

export default function MembersPage() {
  return (
    <AdminOnly>
      <Members />
    </AdminOnly>
  );
}

/** Every organisation of the network, page after page (hub admins manage any organisation's members). */
function useAllOrganisations(enabled: boolean) {
  const client = useClient();
  const [state, setState] = useState<{ list: AdminOrganisation[] | null; error: CombinedError | null }>({
    list: null,
    error: null,
  });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (!enabled) return;
    let cancelled = false;
    void (async () => {
      const list: AdminOrganisation[] = [];
      let after: string | null = null;
      for (;;) {
        const res: OperationResult<ConsoleAdminOrganisationsQuery> = await client
          .query(ConsoleAdminOrganisationsDocument, { after })
          .toPromise();
        if (cancelled) return;
        if (!res.data) return setState({ list: null, error: res.error ?? null });
        list.push(...res.data.organisations.edges.map((e) => e.node));
        const { hasNextPage, endCursor } = res.data.organisations.pageInfo;
        if (!hasNextPage || !endCursor) break;
        after = endCursor;
      }
      setState({ list, error: null });
    })();
    return () => {
      cancelled = true;
    };
  }, [client, enabled, attempt]);
  return { ...state, retry: () => setAttempt((n) => n + 1) };
}

function Members() {
  const t = useMessages(membersMessages);
  const viewer = useViewer();
  const hub = isHubAdmin(viewer);
  const own = organisationsWith(viewer, ['ORG_ADMIN']);
  const all = useAllOrganisations(hub);
  const choices =
    hub && all.list ? [...own, ...all.list.filter((o) => !own.some((m) => m.id === o.id))] : own;
  const [chosen, choose] = useChosenOrganisation(choices);
  return (
    <Page
      title={t.title}
      actions={<OrganisationChooser choices={choices} chosen={chosen} onChoose={choose} />}
    >
      <p className="admin-intro">{t.intro}</p>
      {hub && all.error && <ErrorNotice error={all.error} onRetry={all.retry} />}
      {chosen && <MembersOf key={chosen.slug} organisation={chosen} hub={hub} />}
    </Page>
  );
}

function MembersOf({ organisation, hub }: { organisation: AdminOrganisation; hub: boolean }) {
  const t = useMessages(membersMessages);
  // Each change shows in the audit log (read again), and some in the invitations (read again).
  const [logged, setLogged] = useState(0);
  const [invitationChanges, setInvitationChanges] = useState(0);
  const changed = () => setLogged((n) => n + 1);
  const invitationsChanged = () => {
    changed();
    setInvitationChanges((n) => n + 1);
  };
  return (
    <>
      <section aria-labelledby="members-heading">
        <h2 id="members-heading">{t.membersHeading}</h2>
        <MemberList
          organisation={organisation}
          hub={hub}
          onChanged={changed}
          onInvited={invitationsChanged}
        />
      </section>
      <section aria-labelledby="invite-heading">
        <h2 id="invite-heading">{t.inviteHeading}</h2>
        <InviteForm organisation={organisation} hub={hub} onInvited={invitationsChanged} />
      </section>
      <section aria-labelledby="invitations-heading">
        <h2 id="invitations-heading">{t.invitationsHeading}</h2>
        <InvitationPages
          slug={organisation.slug}
          status="PENDING"
          changes={invitationChanges}
          onChanged={changed}
          onResent={invitationsChanged}
        />
      </section>
      <InvitationPages
        slug={organisation.slug}
        status="EXPIRED"
        changes={invitationChanges}
        onChanged={changed}
        onResent={invitationsChanged}
      />
      <section aria-labelledby="audit-heading">
        <h2 id="audit-heading">{t.auditHeading}</h2>
        <p className="admin-intro">{t.auditIntro}</p>
        <AuditLog key={logged} slug={organisation.slug} />
      </section>
    </>
  );
}

function MemberList({
  organisation,
  hub,
  onChanged,
  onInvited,
}: {
  organisation: AdminOrganisation;
  hub: boolean;
  onChanged: () => void;
  onInvited: () => void;
}) {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  return (
    <>
      {cursors.map((after, i) => (
        <MemberPage
          key={after ?? ''}
          organisation={organisation}
          after={after}
          first={i === 0}
          last={i === cursors.length - 1}
          hub={hub}
          onChanged={onChanged}
          onInvited={onInvited}
          onMore={(cursor) => setCursors((list) => [...list, cursor])}
        />
      ))}
    </>
  );
}

function MemberPage({
  organisation,
  after,
  first,
  last,
  hub,
  onChanged,
  onInvited,
  onMore,
}: {
  organisation: AdminOrganisation;
  after: string | null;
  first: boolean;
  last: boolean;
  hub: boolean;
  onChanged: () => void;
  onInvited: () => void;
  onMore: (cursor: string) => void;
}) {
  const t = useMessages(membersMessages);
  const a = useMessages(adminMessages);
  const [result, reexecute] = useQuery({
    query: ConsoleAdminMembersDocument,
    variables: { slug: organisation.slug, after },
  });
  return (
    <QueryState result={result} retry={() => reexecute({ requestPolicy: 'network-only' })}>
      {(data) => {
        const members = data.organisation?.members;
        if (!members) return <Empty />;
        if (first && members.edges.length === 0) return <Empty>{t.noMembers}</Empty>;
        const { hasNextPage, endCursor } = members.pageInfo;
        return (
          <>
            {first && <p className="muted">{t.membersCount(members.totalCount)}</p>}
            <ul className="admin-list">
              {members.edges.map(({ node }) => (
                <li key={node.id}>
                  <MemberCard
                    membership={node}
                    organisation={organisation}
                    hub={hub}
                    onChanged={onChanged}
                    onInvited={onInvited}
                  />
                </li>
              ))}
            </ul>
            {last && hasNextPage && endCursor && (
              <p>
                <button type="button" className="secondary" onClick={() => onMore(endCursor)}>
                  {a.showMore}
                </button>
              </p>
            )}
          </>
        );
      }}
    </QueryState>
  );
}

function MemberCard({
  membership,
  organisation,
  hub,
  onChanged,
  onInvited,
}: {
  membership: MembershipFieldsFragment;
  organisation: AdminOrganisation;
  hub: boolean;
  onChanged: () => void;
  onInvited: () => void;
}) {
  const t = useMessages(membersMessages);
  const c = useMessages(common);
  const f = useFormat();
  const viewer = useViewer();
  const id = useId();
  const [draft, setDraft] = useState<Role[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [saving, updateRoles] = useMutation(UpdateMemberRolesDocument);
  const [disabling, disable] = useMutation(DisableMembershipDocument);
  const [inviting, invite] = useMutation(InviteMemberDocument);
  const { user } = membership;
  const isYou = user.id === viewer.id;
  const roles = draft ?? membership.roles;
  const edited = draft !== null && byRoleOrder(draft).join() !== byRoleOrder(membership.roles).join();
  const shownRoles = ROLES.filter((r) => !HUB_ONLY.includes(r) || hub || membership.roles.includes(r));

  const toggle = (role: Role, on: boolean) => {
    setDone(null);
    setProblem(null);
    setDraft(on ? byRoleOrder([...roles, role]) : roles.filter((r) => r !== role));
  };

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setDone(null);
    if (roles.length === 0) {
      setProblem({ kind: 'typed', failure: { __typename: 'Local', message: t.noRoleLeft } });
      return;
    }
    const res = await updateRoles({ input: { membershipId: membership.id, roles: byRoleOrder(roles) } });
    const s = settle(res.error, res.data?.updateMemberRoles, 'MutationUpdateMemberRolesSuccess');
    setProblem(s.problem);
    if (s.ok) {
      setDraft(null);
      setDone(t.rolesSaved(user.name));
      onChanged();
    }
  };

  const disableMember = async () => {
    setDone(null);
    const res = await disable({ input: { membershipId: membership.id } });
    const s = settle(res.error, res.data?.disableMembership, 'MutationDisableMembershipSuccess');
    setProblem(s.problem);
    if (s.ok) {
      setDraft(null);
      setDone(t.disabledDone(user.name));
      onChanged();
    }
  };

  const inviteAgain = async () => {
    setDone(null);
    const res = await invite({
      input: {
        organisationId: organisation.id,
        email: user.email,
        name: user.name,
        roles: membership.roles.filter((r) => hub || !HUB_ONLY.includes(r)),
      },
    });
    const s = settle(res.error, res.data?.inviteMember, 'MutationInviteMemberSuccess');
    setProblem(s.problem);
    if (s.ok) {
      setDone(`${t.invited(user.email)} ${mailWords(t, s.ok.data.mailDelivery)}`);
      onInvited();
    }
  };

  return (
    <article className="card" aria-labelledby={`${id}-name`}>
      <div className="item-head">
        <h3 id={`${id}-name`}>
          {user.name}
          {isYou && <span className="muted"> ({t.you})</span>}
        </h3>
        <span className="muted">{user.email}</span>
        <span className={`badge badge-${membership.active ? 'active' : 'disabled'}`}>
          {membership.active ? t.active : t.disabled}
        </span>
      </div>
      {membership.active ? (
        <form onSubmit={(e) => void save(e)}>
          <fieldset className="roles-fieldset">
            <legend>{t.rolesOf(user.name)}</legend>
            {shownRoles.map((role) => (
              <label key={role} className="check">
                <input
                  type="checkbox"
                  checked={roles.includes(role)}
                  disabled={HUB_ONLY.includes(role) && !hub}
                  onChange={(e) => toggle(role, e.target.checked)}
                />
                {c[`role_${role}`]}
              </label>
            ))}
          </fieldset>
          <div className="row">
            <button type="submit" className="primary" disabled={!edited || saving.fetching}>
              {saving.fetching ? (
                c.loading
              ) : (
                <>
                  {t.saveRoles}
                  <span className="visually-hidden">{t.ofName(user.name)}</span>
                </>
              )}
            </button>
            {edited && (
              <button
                type="button"
                className="secondary"
                onClick={() => {
                  setDraft(null);
                  setProblem(null);
                }}
              >
                {t.undo}
              </button>
            )}
            <ConfirmButton
              question={t.disableQuestion(user.name)}
              busy={disabling.fetching}
              onConfirm={() => void disableMember()}
            >
              {t.disable}
              <span className="visually-hidden"> {user.name}</span>
            </ConfirmButton>
          </div>
          <p className="muted">
            {t.memberSince} {f.date(membership.createdAt)}
          </p>
        </form>
      ) : (
        <>
          <dl className="item-facts">
            <div>
              <dt>{t.disabledOn}</dt>
              <dd>{f.dateTime(membership.disabledAt)}</dd>
            </div>
            <div>
              <dt>{t.keptRoles}</dt>
              <dd>
                {byRoleOrder(membership.roles)
                  .map((r) => c[`role_${r}`])
                  .join(', ') || t.noRoles}
              </dd>
            </div>
          </dl>
          <p className="muted">{t.reinviteHint}</p>
          <button
            type="button"
            className="primary"
            disabled={inviting.fetching}
            onClick={() => void inviteAgain()}
          >
            {t.reinvite}
            <span className="visually-hidden"> {user.name}</span>
          </button>
        </>
      )}
      <ProblemNotice problem={problem} labels={{ roles: t.roles }} kinds={{ roles: 'choice' }} />
      {done && <Notice kind="ok">{done}</Notice>}
    </article>
  );
}

function mailWords(t: (typeof membersMessages)['fr'], delivery: MailDelivery | null | undefined): string {
  return delivery ? t[`mail${delivery}`] : '';
}

function InviteForm({
  organisation,
  hub,
  onInvited,
}: {
  organisation: AdminOrganisation;
  hub: boolean;
  onInvited: () => void;
}) {
  const t = useMessages(membersMessages);
  const c = useMessages(common);
  const { locale } = useLocale();
  const id = useId();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [mailLocale, setMailLocale] = useState<string>(locale);
  const [roles, setRoles] = useState<Role[]>(['CASE_WORKER']);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [sending, invite] = useMutation(InviteMemberDocument);
  const invalid = invalidFields(problem);
  const labels = { email: t.email, name: t.name, locale: t.mailLanguage, roles: t.roles };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setDone(null);
    if (roles.length === 0) {
      setProblem({ kind: 'typed', failure: { __typename: 'Local', message: t.chooseRole } });
      return;
    }
    const address = email.trim();
    const res = await invite({
      input: {
        organisationId: organisation.id,
        email: address,
        name: name.trim() || null,
        locale: mailLocale,
        roles: byRoleOrder(roles),
      },
    });
    const s = settle(res.error, res.data?.inviteMember, 'MutationInviteMemberSuccess');
    setProblem(s.problem);
    if (s.ok) {
      setDone(`${t.invited(s.ok.data.invitation.email)} ${mailWords(t, s.ok.data.mailDelivery)}`);
      setEmail('');
      setName('');
      onInvited();
    }
  };

  return (
    <form className="form admin-form" onSubmit={(e) => void submit(e)} aria-describedby={`${id}-intro`}>
      <p id={`${id}-intro`} className="admin-intro">
        {t.inviteIntro}
      </p>
      <label>
        {t.email}
        <input
          type="email"
          required
          autoComplete="off"
          value={email}
          aria-invalid={invalid.has('email') || undefined}
          onChange={(e) => setEmail(e.target.value)}
        />
      </label>
      <div className="field">
        <label htmlFor={`${id}-name`}>{t.name}</label>
        <input
          id={`${id}-name`}
          type="text"
          value={name}
          aria-describedby={`${id}-name-hint`}
          onChange={(e) => setName(e.target.value)}
        />
        <span id={`${id}-name-hint`} className="field-hint">
          {t.nameHint}
        </span>
      </div>
      <div className="field">
        <label htmlFor={`${id}-locale`}>{t.mailLanguage}</label>
        <select id={`${id}-locale`} value={mailLocale} onChange={(e) => setMailLocale(e.target.value)}>
          {MAIL_LANGUAGES.map(([code, label]) => (
            <option key={code} value={code} lang={code}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <fieldset className="roles-fieldset">
        <legend>{t.roles}</legend>
        {ROLES.filter((r) => !HUB_ONLY.includes(r) || hub).map((role) => (
          <label key={role} className="check">
            <input
              type="checkbox"
              checked={roles.includes(role)}
              onChange={(e) =>
                setRoles(e.target.checked ? byRoleOrder([...roles, role]) : roles.filter((r) => r !== role))
              }
            />
            {c[`role_${role}`]}
          </label>
        ))}
      </fieldset>
      <div className="row">
        <button type="submit" className="primary" disabled={sending.fetching}>
          {sending.fetching ? c.loading : t.send}
        </button>
      </div>
      <ProblemNotice problem={problem} labels={labels} kinds={{ roles: 'choice', email: 'email' }} />
      {done && <Notice kind="ok">{done}</Notice>}
    </form>
  );
}

/** The invitations of one status (open or expired), page after page. */
function InvitationPages(props: {
  slug: string;
  status: 'PENDING' | 'EXPIRED';
  changes: number;
  onChanged: () => void;
  onResent: () => void;
}) {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  return (
    <>
      {cursors.map((after, i) => (
        <InvitationPage
          key={after ?? ''}
          {...props}
          after={after}
          first={i === 0}
          last={i === cursors.length - 1}
          onMore={(cursor) => setCursors((list) => [...list, cursor])}
        />
      ))}
    </>
  );
}

function InvitationPage({
  slug,
  status,
  changes,
  after,
  first,
  last,
  onChanged,
  onResent,
  onMore,
}: {
  slug: string;
  status: 'PENDING' | 'EXPIRED';
  changes: number;
  after: string | null;
  first: boolean;
  last: boolean;
  onChanged: () => void;
  onResent: () => void;
  onMore: (cursor: string) => void;
}) {
  const t = useMessages(membersMessages);
  const a = useMessages(adminMessages);
  const [result, reexecute] = useQuery({
    query: ConsoleAdminInvitationsDocument,
    variables: { slug, status, after },
  });
  useEffect(() => {
    if (changes > 0) reexecute({ requestPolicy: 'network-only' });
  }, [changes, reexecute]);
  return (
    <QueryState result={result} retry={() => reexecute({ requestPolicy: 'network-only' })}>
      {(data) => {
        const page = data.organisation?.invitations;
        // A withdrawn or resent invitation leaves its list at once (the cache has its new status).
        const invitations = (page?.edges ?? []).map((e) => e.node).filter((i) => i.status === status);
        if (first && invitations.length === 0) {
          return status === 'PENDING' ? <Empty>{t.noInvitations}</Empty> : null;
        }
        const list = (
          <>
            <ul className="admin-list">
              {invitations.map((inv) => (
                <li key={inv.id}>
                  <InvitationCard invitation={inv} onChanged={onChanged} onResent={onResent} />
                </li>
              ))}
            </ul>
            {last && page?.pageInfo.hasNextPage && page.pageInfo.endCursor && (
              <p>
                <button type="button" className="secondary" onClick={() => onMore(page.pageInfo.endCursor!)}>
                  {a.showMore}
                </button>
              </p>
            )}
          </>
        );
        if (status === 'PENDING' || !first) return list;
        return (
          <section aria-labelledby="expired-heading">
            <h2 id="expired-heading">{t.expiredHeading}</h2>
            {list}
          </section>
        );
      }}
    </QueryState>
  );
}

function InvitationCard({
  invitation,
  onChanged,
  onResent,
}: {
  invitation: InvitationFieldsFragment;
  onChanged: () => void;
  onResent: () => void;
}) {
  const t = useMessages(membersMessages);
  const c = useMessages(common);
  const f = useFormat();
  const id = useId();
  const [problem, setProblem] = useState<Problem | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [resending, resend] = useMutation(ResendInvitationDocument);
  const [revoking, revoke] = useMutation(RevokeInvitationDocument);
  const status = invitation.status === 'EXPIRED' ? 'EXPIRED' : 'PENDING';

  const resendIt = async () => {
    setDone(null);
    const res = await resend({ input: { invitationId: invitation.id } });
    const s = settle(res.error, res.data?.resendInvitation, 'MutationResendInvitationSuccess');
    setProblem(s.problem);
    if (s.ok) {
      setDone(`${t.resent(invitation.email)} ${mailWords(t, s.ok.data.mailDelivery)}`);
      onResent();
    }
  };
  const revokeIt = async () => {
    setDone(null);
    const res = await revoke({ input: { invitationId: invitation.id } });
    const s = settle(res.error, res.data?.revokeInvitation, 'MutationRevokeInvitationSuccess');
    setProblem(s.problem);
    if (s.ok) onChanged();
  };

  return (
    <article className="card" aria-labelledby={`${id}-email`}>
      <div className="item-head">
        <h3 id={`${id}-email`}>{invitation.email}</h3>
        {invitation.name && <span className="muted">{invitation.name}</span>}
        <span className={`badge badge-${status.toLowerCase()}`}>{t[`status_${status}`]}</span>
      </div>
      <dl className="item-facts">
        <div>
          <dt>{t.roles}</dt>
          <dd>
            {byRoleOrder(invitation.roles)
              .map((r) => c[`role_${r}`])
              .join(', ')}
          </dd>
        </div>
        <div>
          <dt>{t.sentAt}</dt>
          <dd>{f.dateTime(invitation.sentAt)}</dd>
        </div>
        <div>
          <dt>{status === 'EXPIRED' ? t.expiredAt : t.expiresAt}</dt>
          <dd>{f.date(invitation.expiresAt)}</dd>
        </div>
        {invitation.invitedBy && (
          <div>
            <dt>{t.invitedBy}</dt>
            <dd>{invitation.invitedBy.email}</dd>
          </div>
        )}
      </dl>
      <div className="row">
        <button
          type="button"
          className="secondary"
          disabled={resending.fetching}
          onClick={() => void resendIt()}
        >
          {t.resend}
          <span className="visually-hidden"> {t.invitationOf(invitation.email)}</span>
        </button>
        <ConfirmButton
          question={t.revokeQuestion(invitation.email)}
          busy={revoking.fetching}
          onConfirm={() => void revokeIt()}
        >
          {t.revoke}
          <span className="visually-hidden"> {t.invitationOf(invitation.email)}</span>
        </ConfirmButton>
      </div>
      <ProblemNotice problem={problem} />
      {done && <Notice kind="ok">{done}</Notice>}
    </article>
  );
}

function AuditLog({ slug }: { slug: string }) {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  return (
    <>
      {cursors.map((after, i) => (
        <AuditPage
          key={after ?? ''}
          slug={slug}
          after={after}
          first={i === 0}
          last={i === cursors.length - 1}
          onMore={(cursor) => setCursors((list) => [...list, cursor])}
        />
      ))}
    </>
  );
}

function AuditPage({
  slug,
  after,
  first,
  last,
  onMore,
}: {
  slug: string;
  after: string | null;
  first: boolean;
  last: boolean;
  onMore: (cursor: string) => void;
}) {
  const t = useMessages(membersMessages);
  const a = useMessages(adminMessages);
  const c = useMessages(common);
  const f = useFormat();
  const [result, reexecute] = useQuery({ query: ConsoleAdminAuditLogDocument, variables: { slug, after } });
  return (
    <QueryState result={result} retry={() => reexecute({ requestPolicy: 'network-only' })}>
      {(data) => {
        const log = data.organisation?.auditLog;
        if (!log || (first && log.edges.length === 0)) return <Empty>{t.noAudit}</Empty>;
        const roles = (list: readonly Role[]) =>
          byRoleOrder(list)
            .map((r) => c[`role_${r}`])
            .join(', ') || t.noRoles;
        return (
          <>
            <ol className="audit-log">
              {log.edges.map(({ node }) => {
                const actor = node.actor ? node.actor.name : t.someone;
                const who = node.subject ? node.subject.name : (node.email ?? t.someone);
                return (
                  <li key={node.id}>
                    <time dateTime={node.at}>{f.dateTime(node.at)}</time>
                    {t[`audit_${node.action}`](actor, who, roles(node.rolesBefore), roles(node.rolesAfter))}
                  </li>
                );
              })}
            </ol>
            {last && log.pageInfo.hasNextPage && log.pageInfo.endCursor && (
              <p>
                <button type="button" className="secondary" onClick={() => onMore(log.pageInfo.endCursor!)}>
                  {a.showMore}
                </button>
              </p>
            )}
          </>
        );
      }}
    </QueryState>
  );
}
