/** GraphQL types of the accounts module's own expected failures (see accounts.errors.ts). */
import { builder } from '../../builder.ts';
import { asUuid } from '../../shared/ids.ts';
import { errorType } from '../common/errors.schema.ts';
import {
  AlreadyMemberError,
  IdentityRequiredError,
  InvitationPendingError,
  LastAdminError,
} from './accounts.errors.ts';
import { managedOrganisationsWhere } from './members.access.ts';

builder.objectType(IdentityRequiredError, {
  name: 'IdentityRequiredError',
  ...errorType(
    IdentityRequiredError,
    "Accepting an invitation needs the person's token from the partner identity provider.",
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
