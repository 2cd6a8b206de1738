/** Invitations: sent by an organisation's admins, listed to them, accepted with the mailed code. */
import { z } from 'zod';
import { builder } from '../../builder.ts';
import type { Invitation, Organisation as OrganisationRow, Role } from '../../generated/prisma/client.ts';
import {
  ForbiddenError,
  InvalidInputError,
  InvalidTransitionError,
  NotFoundError,
} from '../../shared/errors.ts';
import { asUuid } from '../../shared/ids.ts';
import type { MailStatus } from '../mail/mailer.ts';
import { Organisation } from '../organisations/organisation.schema.ts';
import {
  AlreadyMemberError,
  IdentityRequiredError,
  InvitationForAnotherAccountError,
  InvitationPendingError,
} from './accounts.errors.ts';
import {
  acceptInvitation,
  invitationByCode,
  invitationState,
  inviteMember,
  resendInvitation,
  revokeInvitation,
} from './invitation.service.ts';
import { managedOrganisationsWhere, mayManageMembers } from './members.access.ts';
import { RoleEnum } from './user.schema.ts';
import { HubSession } from './session.schema.ts';
import type { SessionTokens } from './session.service.ts';

export const InvitationStatusEnum = builder.enumType('InvitationStatus', {
  values: ['PENDING', 'ACCEPTED', 'EXPIRED', 'REVOKED'] as const,
});

export const MailDeliveryEnum = builder.enumType('MailDelivery', {
  description: 'What became of an e-mail.',
  values: {
    SENT: { description: 'Accepted by the SMTP server.' },
    KEPT: { description: 'No SMTP server configured: kept and listed to hub admins (`mailMessages`).' },
    FAILED: { description: 'Could not be sent (the hub logged why): send it again later.' },
  } as const,
});

export const InvitationNode = builder.prismaNode('Invitation', {
  description:
    "An invitation to join an organisation. Its code is only in the e-mail. Visible to the organisation's admins and hub admins.",
  id: { field: 'id' },
  nullable: true,
  findUnique: (id, ctx) => ({ id: asUuid(id), AND: [managedOrganisationsWhere(ctx.viewer)] }),
  authScopes: { person: true },
  fields: (t) => ({
    organisation: t.relation('organisation'),
    email: t.exposeString('email'),
    name: t.exposeString('name', { nullable: true }),
    locale: t.exposeString('locale', { nullable: true, description: 'Language of the mail.' }),
    roles: t.expose('roles', { type: [RoleEnum] }),
    status: t.field({ type: InvitationStatusEnum, resolve: (i) => invitationState(i) }),
    invitedBy: t.relation('invitedBy', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    sentAt: t.expose('sentAt', { type: 'DateTime', description: 'When the current code was sent.' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
    acceptedAt: t.expose('acceptedAt', { type: 'DateTime', nullable: true }),
    acceptedBy: t.relation('acceptedBy', { nullable: true }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
  }),
});

/** What an invitation code invites to, for the person holding it (before they accept it). */
const InvitationPreview = builder
  .objectRef<Invitation & { organisation: OrganisationRow }>('InvitationPreview')
  .implement({
    description:
      'What an invitation invites to, read with its code (`invitationByCode`), so that the person can see it before accepting.',
    // Whoever holds the code: the query that hands it out is the gate.
    authScopes: { public: true },
    fields: (t) => ({
      organisation: t.field({ type: Organisation, resolve: (i) => i.organisation }),
      email: t.exposeString('email', { description: 'The address the invitation went to.' }),
      name: t.exposeString('name', { nullable: true, description: 'The name the inviter gave.' }),
      roles: t.expose('roles', { type: [RoleEnum] }),
      status: t.field({ type: InvitationStatusEnum, resolve: (i) => invitationState(i) }),
      expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
    }),
  });

builder.queryFields((t) => ({
  invitationByCode: t.field({
    type: InvitationPreview,
    nullable: true,
    description:
      'The invitation a code from an invitation e-mail belongs to: its organisation, address, roles and status. Null for a code that is not, or no longer, an invitation’s (a resent invitation has a new code).',
    authScopes: { public: true },
    args: { code: t.arg.string({ required: true }) },
    resolve: (_root, { code }, ctx) => invitationByCode(ctx.prisma, code.trim()),
  }),
}));

builder.prismaObjectFields('Organisation', (t) => ({
  invitations: t.relatedConnection('invitations', {
    cursor: 'id',
    description: "The organisation's invitations, newest first (its admins and hub admins only).",
    authScopes: (org, _args, ctx) => mayManageMembers(ctx.viewer, org.id),
    args: { status: t.arg({ type: InvitationStatusEnum, required: false }) },
    totalCount: true,
    // The time comes from the context, so that the plan of a kept lookup never keeps it.
    query: (args, ctx) => ({
      where: statusWhere(args.status ?? null, ctx.now()),
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    }),
  }),
}));

function statusWhere(status: 'PENDING' | 'ACCEPTED' | 'EXPIRED' | 'REVOKED' | null, now: Date) {
  switch (status) {
    case 'ACCEPTED':
      return { acceptedAt: { not: null } };
    case 'REVOKED':
      return { acceptedAt: null, revokedAt: { not: null } };
    case 'EXPIRED':
      return { acceptedAt: null, revokedAt: null, expiresAt: { lte: now } };
    case 'PENDING':
      return { acceptedAt: null, revokedAt: null, expiresAt: { gt: now } };
    default:
      return {};
  }
}

const InvitationPayload = builder
  .objectRef<{ invitation: Invitation; mail: MailStatus | null }>('InvitationPayload')
  .implement({
    authScopes: { person: true },
    fields: (t) => ({
      invitation: t.field({ type: InvitationNode, resolve: (p) => p.invitation }),
      mailDelivery: t.field({
        type: MailDeliveryEnum,
        nullable: true,
        description: 'What became of the mail with the code; null when this step sends none.',
        resolve: (p) => p.mail,
      }),
    }),
  });

const email = z.email('must be an e-mail address').max(320);
const locale = z.string().regex(/^[a-zA-Z]{2,3}$/, 'a language code such as fr, de, en or lb');

export const InviteeFields = {
  email,
  name: z.string().trim().min(1).max(200),
  locale,
};

const InviteMemberInput = builder.inputType('InviteMemberInput', {
  fields: (t) => ({
    organisationId: t.globalID({ required: true, for: [Organisation] }),
    email: t.string({ required: true, validate: email }),
    roles: t.field({ type: [RoleEnum], required: true, validate: z.array(z.string()).min(1) }),
    name: t.string({ description: 'How the mail greets the person.', validate: InviteeFields.name }),
    locale: t.string({
      description: "The person's language: the mail comes in French, then in it (de, en; lb reads de).",
      validate: locale,
    }),
  }),
});

const InvitationIdInput = (name: string) =>
  builder.inputType(name, {
    fields: (t) => ({ invitationId: t.globalID({ required: true, for: [InvitationNode] }) }),
  });

const AcceptInvitationInput = builder.inputType('AcceptInvitationInput', {
  fields: (t) => ({
    code: t.string({
      required: true,
      description: 'The code from the invitation e-mail.',
      validate: z.string().trim().min(1).max(200),
    }),
    name: t.string({ description: 'Your name, for a new account.', validate: InviteeFields.name }),
    locale: t.string({ description: 'Your language, for a new account.', validate: locale }),
  }),
});

const AcceptInvitationPayload = builder
  .objectRef<{
    organisation: OrganisationRow;
    email: string;
    roles: Role[];
    session: SessionTokens | null;
  }>('AcceptInvitationPayload')
  .implement({
    authScopes: { public: true },
    fields: (t) => ({
      organisation: t.field({ type: Organisation, resolve: (p) => p.organisation }),
      email: t.exposeString('email', { description: 'The account the invitation went to.' }),
      roles: t.field({
        type: [RoleEnum],
        description: 'Your roles in the organisation now.',
        resolve: (p) => p.roles,
      }),
      token: t.string({
        nullable: true,
        description:
          'A bearer token for you, signed by the hub; null when a partner identity provider signs people in (use its token, now bound to your account), or when you accepted signed in (keep using your session).',
        resolve: (p) => p.session?.access.token ?? null,
      }),
      tokenExpiresAt: t.field({
        type: 'DateTime',
        nullable: true,
        resolve: (p) => p.session?.access.expiresAt ?? null,
      }),
      session: t.field({
        type: HubSession,
        nullable: true,
        description:
          'Your session with the hub: the token above and a refresh token to get the next one (refreshSession). Null with a partner identity provider, or when you accepted signed in.',
        resolve: (p) => p.session,
      }),
    }),
  });

builder.mutationFields((t) => ({
  inviteMember: t.field({
    type: InvitationPayload,
    description:
      "Invites a person by e-mail with roles (the organisation's admins; HUB_ADMIN only by hub admins). The code goes by mail only. Audited.",
    authScopes: { person: true },
    errors: {
      types: [InvalidInputError, NotFoundError, ForbiddenError, AlreadyMemberError, InvitationPendingError],
    },
    args: { input: t.arg({ type: InviteMemberInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      inviteMember(ctx.prisma, ctx.accounts, ctx.viewer, {
        organisationId: input.organisationId.id,
        email: input.email,
        roles: input.roles,
        name: input.name ?? null,
        locale: input.locale ?? null,
      }),
  }),
  resendInvitation: t.field({
    type: InvitationPayload,
    description:
      'Sends an open or expired invitation again with a new code and a new validity; the old code stops working. Audited.',
    authScopes: { person: true },
    errors: { types: [InvalidInputError, NotFoundError, ForbiddenError, InvalidTransitionError] },
    args: { input: t.arg({ type: InvitationIdInput('ResendInvitationInput'), required: true }) },
    resolve: (_root, { input }, ctx) =>
      resendInvitation(ctx.prisma, ctx.accounts, ctx.viewer, input.invitationId.id),
  }),
  revokeInvitation: t.field({
    type: InvitationPayload,
    description: 'Withdraws an invitation: its code stops working. Audited.',
    authScopes: { person: true },
    errors: { types: [InvalidInputError, NotFoundError, ForbiddenError, InvalidTransitionError] },
    args: { input: t.arg({ type: InvitationIdInput('RevokeInvitationInput'), required: true }) },
    resolve: async (_root, { input }, ctx) => ({
      invitation: await revokeInvitation(ctx.prisma, ctx.viewer, input.invitationId.id),
      mail: null,
    }),
  }),
  acceptInvitation: t.field({
    type: AcceptInvitationPayload,
    description:
      "Accepts an invitation with its code, once. Without a partner identity provider it needs no token and returns the hub's token for you; with one (AUTH_JWKS_URL), call it with your provider's token: its subject is bound to your account.",
    authScopes: { public: true },
    errors: {
      types: [
        InvalidInputError,
        ForbiddenError,
        NotFoundError,
        InvalidTransitionError,
        IdentityRequiredError,
        InvitationForAnotherAccountError,
      ],
    },
    args: { input: t.arg({ type: AcceptInvitationInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const accepted = await acceptInvitation(
        ctx.prisma,
        ctx.accounts,
        { viewer: ctx.viewer, unboundSubject: ctx.unboundSubject },
        { code: input.code, name: input.name ?? null, locale: input.locale ?? null },
      );
      return {
        organisation: accepted.organisation,
        email: accepted.user.email,
        roles: accepted.membership.roles,
        session: accepted.session,
      };
    },
  }),
}));
