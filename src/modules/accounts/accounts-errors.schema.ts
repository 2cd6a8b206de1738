/** GraphQL types of the accounts module's own expected failures (see accounts.errors.ts). */
import { builder } from '../../builder.ts';
import { asUuid } from '../../shared/ids.ts';
import { errorType } from '../common/errors.schema.ts';
import {
  AlreadyMemberError,
  IdentityRequiredError,
  InvitationForAnotherAccountError,
  InvitationPendingError,
  LastAdminError,
  SessionEndedError,
  SessionRefreshedError,
  SignInByProviderError,
} from './accounts.errors.ts';
import { managedOrganisationsWhere } from './members.access.ts';

builder.objectType(IdentityRequiredError, {
  name: 'IdentityRequiredError',
  ...errorType(
    IdentityRequiredError,
    "Accepting an invitation needs the person's token from the partner identity provider.",
  ),
});

builder.objectType(InvitationForAnotherAccountError, {
  name: 'InvitationForAnotherAccountError',
  ...errorType(
    InvitationForAnotherAccountError,
    "The invitation was sent to another account's address, or that account is bound to another identity: accept it signed in as that account.",
  ),
});

builder.objectType(AlreadyMemberError, {
  name: 'AlreadyMemberError',
  ...errorType(
    AlreadyMemberError,
    'The person is already an active member of the organisation: change their roles instead.',
  ),
});

builder.objectType(InvitationPendingError, {
  name: 'InvitationPendingError',
  ...errorType(InvitationPendingError, 'An invitation to this address is still open: resend or revoke it.'),
  fields: (t) => ({
    invitation: t.prismaField({
      type: 'Invitation',
      nullable: true,
      description: 'The open invitation (null if the caller may not see it).',
      resolve: (query, e, _args, ctx) =>
        ctx.prisma.invitation.findFirst({
          ...query,
          where: { id: asUuid(e.invitationId), ...managedOrganisationsWhere(ctx.viewer) },
        }),
    }),
  }),
});

builder.objectType(LastAdminError, {
  name: 'LastAdminError',
  ...errorType(
    LastAdminError,
    'The change would leave the organisation, or the network, without an active admin.',
  ),
  fields: (t) => ({
    scope: t.field({
      type: builder.enumType('AdminScope', {
        description: 'Whose last admin: the organisation’s (ORG_ADMIN) or the network’s (HUB_ADMIN).',
        values: ['ORGANISATION', 'HUB'] as const,
      }),
      resolve: (e) => e.scope,
    }),
  }),
});

builder.objectType(SignInByProviderError, {
  name: 'SignInByProviderError',
  ...errorType(
    SignInByProviderError,
    "The hub signs people in through their organisation's identity provider (AUTH_JWKS_URL): use its token.",
  ),
});

builder.objectType(SessionEndedError, {
  name: 'SessionEndedError',
  ...errorType(SessionEndedError, 'The session is over: sign in again (requestSignInCode, then signIn).'),
  fields: (t) => ({
    reason: t.field({
      type: builder.enumType('SessionEndReason', {
        values: {
          EXPIRED: { description: 'Not refreshed within SESSION_TTL_DAYS.' },
          SIGNED_OUT: { description: 'Signed out (here or everywhere).' },
          REPLAYED: {
            description: 'A refresh token was used twice: the session was ended, as a copy of it may exist.',
          },
          ACCOUNT_DISABLED: { description: 'The account is disabled or has no active membership.' },
          UNKNOWN: { description: 'The hub does not know this refresh token.' },
        } as const,
      }),
      resolve: (e) => e.reason,
    }),
  }),
});

builder.objectType(SessionRefreshedError, {
  name: 'SessionRefreshedError',
  ...errorType(
    SessionRefreshedError,
    'The refresh token was used by another request of the same client a moment ago (within 10 s): take the tokens that request got; the session goes on.',
  ),
});
