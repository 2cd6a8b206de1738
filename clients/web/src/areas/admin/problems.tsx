/**
 * What went wrong with an admin's action, in plain words in the user's language: the hub's typed
 * results (last admin, already a member, invitation pending, invalid fields…) each have their
 * sentence; invalid fields are named by their label; a request that did not run says so.
 */
import type { CombinedError } from '@urql/core';
import { useMessages } from '../../i18n/i18n.tsx';
import { fieldKey, useReasonText, type FieldFailure, type FieldKind } from '../../ui/errors.ts';
import { Notice } from '../../ui/states.tsx';
import { adminMessages } from './admin.messages.ts';

/** The fields every failure of a mutation may carry (`... on Error`, `InvalidInputError`…). */
export interface TypedFailure {
  __typename: string;
  code?: string;
  message?: string;
  fields?: readonly FieldFailure[];
  scope?: string;
  status?: string;
  requiredRole?: string | null;
}

export type Problem =
  { kind: 'typed'; failure: TypedFailure } | { kind: 'request'; error: CombinedError | undefined };

type Settled<T, S> = { ok: Extract<T, { __typename: S }>; problem: null } | { ok: null; problem: Problem };

/** A mutation's answer: its success member, or the problem to show. */
export function settle<T extends { __typename: string }, S extends T['__typename']>(
  error: CombinedError | undefined,
  payload: T | null | undefined,
  success: S,
): Settled<T, S> {
  if (!payload) return { ok: null, problem: { kind: 'request', error } };
  if (payload.__typename === success) return { ok: payload as Extract<T, { __typename: S }>, problem: null };
  return { ok: null, problem: { kind: 'typed', failure: payload as unknown as TypedFailure } };
}

/** Names of the fields with a problem (for aria-invalid). */
export function invalidFields(problem: Problem | null): Set<string> {
  if (problem?.kind !== 'typed') return new Set();
  return new Set((problem.failure.fields ?? []).map((f) => fieldKey(f.path)));
}

type Words = (typeof adminMessages)['fr'];

/** A web address's problem in the admin's words (a webhook's endpoint), or null. */
function urlText(field: string, f: FieldFailure, t: Words): string | null {
  switch (f.reason) {
    case 'FORMAT':
      return field === 'url' ? t.urlNotAbsolute : null;
    case 'INSECURE_URL':
      return t.urlHttps;
    case 'URL_CREDENTIALS':
      return t.urlCredentials;
    case 'URL_FRAGMENT':
      return t.urlFragment;
    case 'BLOCKED_PORT':
      return t.urlPort;
    case 'INTERNAL_ADDRESS':
      return t.urlInternal;
    default:
      return null;
  }
}

/** The sentence for a problem, and one line per invalid field. */
export function useProblemText() {
  const t = useMessages(adminMessages);
  const reasonText = useReasonText();
  return (
    problem: Problem,
    labels: Record<string, string> = {},
    kinds: Record<string, FieldKind> = {},
  ): { summary: string; fields: string[] } => {
    if (problem.kind === 'request') {
      const graphQL = problem.error?.graphQLErrors?.[0]?.message;
      return { summary: graphQL ?? t.requestFailed, fields: [] };
    }
    const f = problem.failure;
    const fields = (f.fields ?? []).map((p) => {
      const name = fieldKey(p.path);
      const words = urlText(name, p, t) ?? reasonText(p, kinds[name]);
      return t.fieldProblem(labels[name] ?? name, words ?? p.message);
    });
    switch (f.__typename) {
      case 'LastAdminError':
        return { summary: f.scope === 'HUB' ? t.lastAdminHub : t.lastAdminOrganisation, fields };
      case 'AlreadyMemberError':
        return { summary: t.alreadyMember, fields };
      case 'InvitationPendingError':
        return { summary: t.invitationPending, fields };
      case 'InvalidInputError':
        return { summary: t.invalidInput, fields };
      case 'NotFoundError':
        return { summary: t.notFound, fields };
      case 'ForbiddenError':
        return { summary: f.requiredRole === 'HUB_ADMIN' ? t.forbiddenHubAdmin : t.forbidden, fields };
      case 'InvalidTransitionError':
        return {
          summary:
            f.status === 'DISABLED'
              ? t.membershipDisabled
              : f.status === 'ACCEPTED'
                ? t.invitationAccepted
                : f.status === 'REVOKED'
                  ? t.invitationRevoked
                  : t.notPossibleNow(f.status ?? ''),
          fields,
        };
      default:
        return { summary: f.message ?? t.requestFailed, fields };
    }
  };
}

/**
 * The problem, announced (role=alert), with the invalid fields listed by their labels; `kinds`
 * says which fields are lists of boxes to tick or e-mail addresses, for their words.
 */
export function ProblemNotice({
  problem,
  labels,
  kinds,
}: {
  problem: Problem | null;
  labels?: Record<string, string>;
  kinds?: Record<string, FieldKind>;
}) {
  const text = useProblemText();
  const t = useMessages(adminMessages);
  if (!problem) return null;
  const { summary, fields } = text(problem, labels, kinds);
  return (
    <Notice kind="problem">
      <p className="notice-line">
        <strong>{t.problemTitle}</strong> {summary}
      </p>
      {fields.length > 0 && (
        <ul className="notice-fields">
          {fields.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      )}
    </Notice>
  );
}
