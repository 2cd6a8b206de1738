/**
 * Accepting an invitation (`/join`, the link of the invitation mail: `/join#code=inv_…`). The code
 * travels in the address's fragment, which browsers never send to a server, and is taken out of
 * the address at once (`takeJoinCode`). Until it is used it waits in this tab's sessionStorage, so
 * that it survives the trip to a partner identity provider: there, the person signs in first and
 * the callback accepts with the provider's token (`acceptPendingInvitation`, called by oidc.ts),
 * which binds their provider account to the invited address.
 */
import {
  AcceptInvitationDocument,
  InvitationByCodeDocument,
  type InvitationByCodeQuery,
  type Role,
} from '../../../generated/graphql.ts';
import { request } from '../graphql/request.ts';
import { LOCALES, type Locale } from '../i18n/i18n.tsx';
import { fromHubSession } from './hub-session.ts';
import { joinMessages } from './join.messages.ts';
import type { StoredSession } from './session.ts';

const JOIN_KEY = 'maillage.join';

/** The invitation code from the address (then removed from it and kept in this tab), or the one kept. */
export function takeJoinCode(): string {
  const fromAddress = new URLSearchParams(location.hash.replace(/^#/, '')).get('code')?.trim();
  if (fromAddress) {
    sessionStorage.setItem(JOIN_KEY, fromAddress);
    history.replaceState(history.state, '', `${location.pathname}${location.search}`);
  }
  return sessionStorage.getItem(JOIN_KEY) ?? '';
}

export function keepJoinCode(code: string): void {
  sessionStorage.setItem(JOIN_KEY, code);
}

export function forgetJoinCode(): void {
  sessionStorage.removeItem(JOIN_KEY);
}

export function pendingJoinCode(): string | null {
  return sessionStorage.getItem(JOIN_KEY);
}

export interface Joined {
  organisation: string;
  roles: Role[];
  /** The hub's session for the person (no partner identity provider); null otherwise. */
  session: StoredSession | null;
}

function words() {
  const lang = document.documentElement.lang as Locale;
  return joinMessages[LOCALES.includes(lang) ? lang : 'fr'];
}

/**
 * Accepts the invitation whose code is given, as the holder of `token` (none: a new or existing
 * account by the invited address, without a partner identity provider). Throws the reason, in the
 * page's language, when the hub refuses; the code is forgotten once accepted.
 */
export async function acceptInvitation(
  code: string,
  details: { name?: string; locale?: string },
  token?: string | null,
): Promise<Joined> {
  const w = words();
  const data = await request(
    AcceptInvitationDocument,
    { input: { code: code.trim(), name: details.name?.trim() || null, locale: details.locale ?? null } },
    token,
  );
  const r = data.acceptInvitation;
  switch (r.__typename) {
    case 'MutationAcceptInvitationSuccess':
      forgetJoinCode();
      return {
        organisation: r.data.organisation.name,
        roles: r.data.roles,
        session: r.data.session ? fromHubSession(r.data.session) : null,
      };
    case 'NotFoundError':
      throw new Error(w.notFound);
    case 'InvalidTransitionError':
      throw new Error(unusableReason(r.status as InvitationPreview['status']) ?? w.failed(r.message));
    case 'InvitationForAnotherAccountError':
      throw new Error(w.otherAccount);
    default:
      throw new Error(w.failed(r.message));
  }
}

export type InvitationPreview = NonNullable<InvitationByCodeQuery['invitationByCode']>;

/** An invitation code's shape (`inv_` and 43 characters): only such a code is looked up. */
export const looksLikeInvitationCode = (code: string) => /^inv_[A-Za-z0-9_-]{43}$/.test(code.trim());

/** What the code invites to (null: no invitation has it, or no longer). */
export async function previewInvitation(
  code: string,
  token?: string | null,
): Promise<InvitationPreview | null> {
  return (await request(InvitationByCodeDocument, { code: code.trim() }, token)).invitationByCode ?? null;
}

/** Why an invitation in this state cannot be accepted, in the page's language (null: it can). */
export function unusableReason(status: InvitationPreview['status']): string | null {
  const w = words();
  if (status === 'PENDING') return null;
  return status === 'EXPIRED' ? w.expired : status === 'ACCEPTED' ? w.alreadyAccepted : w.revoked;
}

/**
 * Back from the identity provider with a code waiting: accepts it with the provider's token.
 * Returns false when no invitation was waiting.
 */
export async function acceptPendingInvitation(token: string): Promise<boolean> {
  const code = pendingJoinCode();
  if (!code) return false;
  await acceptInvitation(code, { locale: document.documentElement.lang }, token);
  return true;
}
