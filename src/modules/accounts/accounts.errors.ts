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
