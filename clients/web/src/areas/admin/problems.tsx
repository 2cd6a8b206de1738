/**
 * What went wrong with an admin's action, in plain words in the user's language: the hub's typed
 * results (last admin, already a member, invitation pending, invalid fields…) each have their
 * sentence; invalid fields are named by their label; a request that did not run says so.
 */
import type { CombinedError } from '@urql/core';
import { useMessages } from '../../i18n/i18n.tsx';
import { Notice } from '../../ui/states.tsx';
import { adminMessages } from './admin.messages.ts';

/** The fields every failure of a mutation may carry (`... on Error`, `InvalidInputError`…). */
export interface TypedFailure {
  __typename: string;
  code?: string;
  message?: string;
  fields?: readonly { path: readonly string[]; message: string }[];
  scope?: string;
  status?: string;
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

/** The input field a problem is about: `['input', 'url']` → `url`. */
export function fieldOf(path: readonly string[]): string {
  return (path[0] === 'input' ? path.slice(1) : path).join('.');
}

/** Names of the fields with a problem (for aria-invalid). */
export function invalidFields(problem: Problem | null): Set<string> {
  if (problem?.kind !== 'typed') return new Set();
  return new Set((problem.failure.fields ?? []).map((f) => fieldOf(f.path)));
}

type Words = (typeof adminMessages)['fr'];

/** A field problem from the hub (in English) in the user's words, when it is one we know. */
function fieldText(message: string, t: Words): string {
  const port = /port (\d+)/.exec(message);
  const long = /at most (\d+)/.exec(message);
  if (/absolute URL|Invalid url/i.test(message)) return t.urlNotAbsolute;
  if (/must use https/.test(message)) return t.urlHttps;
  if (/credentials/.test(message)) return t.urlCredentials;
  if (/fragment/.test(message)) return t.urlFragment;
  if (port && /must not use port/.test(message)) return t.urlPort(port[1]!);
  if (/must not point to/.test(message)) return t.urlInternal;
  if (/in the future/.test(message)) return t.mustBeFuture;
  if (/at least one|at least 1/i.test(message)) return t.atLeastOne;
  if (long) return t.tooLong(long[1]!);
  if (/at least 1 character|must not be empty/i.test(message)) return t.mustNotBeEmpty;
  return message;
}

/** The sentence for a problem, and one line per invalid field. */
export function useProblemText() {
  const t = useMessages(adminMessages);
  return (problem: Problem, labels: Record<string, string> = {}): { summary: string; fields: string[] } => {
    if (problem.kind === 'request') {
      const graphQL = problem.error?.graphQLErrors?.[0]?.message;
      return { summary: graphQL ?? t.requestFailed, fields: [] };
    }
    const f = problem.failure;
    const fields = (f.fields ?? []).map((p) => {
      const name = fieldOf(p.path);
      return t.fieldProblem(labels[name] ?? name, fieldText(p.message, t));
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
        return { summary: /hub admin/.test(f.message ?? '') ? t.forbiddenHubAdmin : t.forbidden, fields };
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

/** The problem, announced (role=alert), with the invalid fields listed by their labels. */
export function ProblemNotice({
  problem,
  labels,
}: {
  problem: Problem | null;
  labels?: Record<string, string>;
}) {
  const text = useProblemText();
  const t = useMessages(adminMessages);
  if (!problem) return null;
  const { summary, fields } = text(problem, labels);
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
