/**
 * Expected failures of organisation, invitation and membership changes that no shared error
 * means (see src/shared/errors.ts: an unknown invitation code is NotFoundError, a used, expired or
 * revoked one InvalidTransitionError, a taken slug InvalidInputError).
 */
import { DomainError } from '../../shared/errors.ts';

/** With a partner identity provider, accepting needs the person's token from it. */
export class IdentityRequiredError extends DomainError {
  static readonly code = 'accounts/identity_required';
  readonly code = IdentityRequiredError.code;
  constructor() {
    super(
      'Sign in with your identity provider first and accept the invitation with its token: the hub binds your account to it.',
    );
  }
}

/**
 * The invitation's address belongs to another account than the caller's, or that account is bound
 * to another identity: accepting would give one person's access to another.
 */
export class InvitationForAnotherAccountError extends DomainError {
  static readonly code = 'accounts/invitation_for_another_account';
  readonly code = InvitationForAnotherAccountError.code;
  constructor() {
    super("This invitation was sent to another account's address: accept it signed in as that account.");
  }
}

/** The person already has an active membership in the organisation. */
export class AlreadyMemberError extends DomainError {
  static readonly code = 'accounts/already_member';
  readonly code = AlreadyMemberError.code;
  constructor() {
    super('This person is already a member of the organisation: change their roles instead.');
  }
}

/** An invitation to the same address is still open. */
export class InvitationPendingError extends DomainError {
  static readonly code = 'accounts/invitation_pending';
  readonly code = InvitationPendingError.code;
  constructor(readonly invitationId: string) {
    super('An invitation to this address is still open: resend it or revoke it first.');
  }
}

/** The change would leave the organisation (or the network) without an active admin. */
export class LastAdminError extends DomainError {
  static readonly code = 'accounts/last_admin';
  readonly code = LastAdminError.code;
  constructor(readonly scope: 'ORGANISATION' | 'HUB') {
    super(
      scope === 'ORGANISATION'
        ? 'This is the last admin of the organisation: make someone else admin first.'
        : 'This is the last hub admin of the network: make someone else hub admin first.',
    );
  }
}

/** With a partner identity provider (AUTH_JWKS_URL), signing in and sessions are its job. */
export class SignInByProviderError extends DomainError {
  static readonly code = 'accounts/sign_in_by_provider';
  readonly code = SignInByProviderError.code;
  constructor() {
    super(
      "This hub signs people in through their organisation's identity provider: sign in there and use its token.",
    );
  }
}

/** Why a session cannot be refreshed. */
export type SessionEndReason = 'EXPIRED' | 'SIGNED_OUT' | 'REPLAYED' | 'ACCOUNT_DISABLED' | 'UNKNOWN';

/** The session is over: sign in again (requestSignInCode). */
export class SessionEndedError extends DomainError {
  static readonly code = 'accounts/session_ended';
  readonly code = SessionEndedError.code;
  constructor(readonly reason: SessionEndReason) {
    super(
      {
        EXPIRED: 'Your session has expired: sign in again.',
        SIGNED_OUT: 'This session was signed out: sign in again.',
        REPLAYED:
          'This refresh token was already used, so the session was ended for safety (a copy of it may exist): sign in again.',
        ACCOUNT_DISABLED: 'This account is disabled or has no active membership: ask your organisation.',
        UNKNOWN: 'Unknown refresh token: sign in again.',
      }[reason],
    );
  }
}

/** The refresh token was just used by another request (two tabs at once): the session goes on. */
export class SessionRefreshedError extends DomainError {
  static readonly code = 'accounts/session_refreshed';
  readonly code = SessionRefreshedError.code;
  constructor() {
    super(
      'This refresh token was used by another request a moment ago: use the tokens that request received. The session goes on.',
    );
  }
}
