/** Memberships: a person's roles in one organisation; the member list and the changes admins make. */
import { z } from 'zod';
import { builder } from '../../builder.ts';
import type { Membership } from '../../generated/prisma/client.ts';
import {
  ForbiddenError,
  InvalidInputError,
  InvalidTransitionError,
  NotFoundError,
} from '../../shared/errors.ts';
import { asUuid } from '../../shared/ids.ts';
import { LastAdminError } from './accounts.errors.ts';
import { managedOrganisationsWhere, mayManageMembers } from './members.access.ts';
import { disableMembership, updateMemberRoles } from './membership.service.ts';
import { RoleEnum } from './user.schema.ts';

export const MembershipNode = builder.prismaNode('Membership', {
  description:
    "A person's roles in one organisation. Visible to the person and to the organisation's admins (and hub admins).",
  id: { field: 'id' },
  nullable: true,
  findUnique: (id, ctx) => ({
    id: asUuid(id),
    AND: [
      ctx.viewer?.kind === 'user'
        ? { OR: [{ userId: ctx.viewer.userId }, managedOrganisationsWhere(ctx.viewer)] }
        : { id: { in: [] } },
    ],
  }),
  authScopes: { person: true },
  fields: (t) => ({
    organisation: t.relation('organisation'),
    // Reached only through a visible user, the member list (admins) or its own id.
    user: t.relation('user'),
    roles: t.expose('roles', {
      type: [RoleEnum],
      description: 'The roles held; a disabled membership keeps them for the record but gives none.',
    }),
    active: t.boolean({ resolve: (m) => m.disabledAt === null }),
    disabledAt: t.expose('disabledAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.prismaObjectFields('Organisation', (t) => ({
  members: t.relatedConnection('memberships', {
    cursor: 'id',
    description: "The organisation's members and their roles (its admins and hub admins only).",
    authScopes: (org, _args, ctx) => mayManageMembers(ctx.viewer, org.id),
    args: {
      includeDisabled: t.arg.boolean({
        description: 'Disabled memberships too (default: active ones only).',
        defaultValue: false,
      }),
    },
    totalCount: true,
    query: (args) => ({
      where: args.includeDisabled ? {} : { disabledAt: null },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    }),
  }),
}));

const MembershipPayload = builder.objectRef<{ membership: Membership }>('MembershipPayload').implement({
  authScopes: { person: true },
  fields: (t) => ({ membership: t.field({ type: MembershipNode, resolve: (p) => p.membership }) }),
});

const UpdateMemberRolesInput = builder.inputType('UpdateMemberRolesInput', {
  fields: (t) => ({
    membershipId: t.globalID({ required: true, for: [MembershipNode] }),
    roles: t.field({
      type: [RoleEnum],
      required: true,
      description: 'The roles the member holds from now on (all of them).',
      validate: z.array(z.string()).min(1, 'give at least one role (disableMembership removes all access)'),
    }),
  }),
});

const MembershipInput = builder.inputType('DisableMembershipInput', {
  fields: (t) => ({ membershipId: t.globalID({ required: true, for: [MembershipNode] }) }),
});

const common = [InvalidInputError, NotFoundError, ForbiddenError, LastAdminError] as const;

builder.mutationFields((t) => ({
  updateMemberRoles: t.field({
    type: MembershipPayload,
    description:
      "Replaces a member's roles (organisation admins; hub admins for HUB_ADMIN). Audited; the member's open subscriptions end when their roles change.",
    authScopes: { person: true },
    errors: { types: [...common, InvalidTransitionError] },
    args: { input: t.arg({ type: UpdateMemberRolesInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({
      membership: await updateMemberRoles(ctx.prisma, ctx.viewer, input.membershipId.id, input.roles),
    }),
  }),
  disableMembership: t.field({
    type: MembershipPayload,
    description:
      'Disables a membership: the person loses every role in the organisation at once and their open subscriptions end. Audited. Inviting them again enables it.',
    authScopes: { person: true },
    errors: { types: [...common] },
    args: { input: t.arg({ type: MembershipInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({
      membership: await disableMembership(ctx.prisma, ctx.viewer, input.membershipId.id),
    }),
  }),
}));
