/** The audit log of organisations, invitations and memberships, for admins and hub admins. */
import { builder } from '../../builder.ts';
import { AuditAction } from '../../generated/prisma/enums.ts';
import { asUuid } from '../../shared/ids.ts';
import { Organisation } from '../organisations/organisation.schema.ts';
import { visibleAuditWhere } from './audit-log.service.ts';
import { mayManageMembers } from './members.access.ts';
import { RoleEnum } from './user.schema.ts';

const AuditActionEnum = builder.enumType(AuditAction, {
  name: 'AuditAction',
  description: 'What an audit log entry records.',
});

builder.prismaObject('AuditLogEntry', {
  description: 'One change to an organisation, an invitation or a membership: who, when, what.',
  authScopes: { person: true },
  fields: (t) => ({
    id: t.exposeID('id'),
    at: t.expose('at', { type: 'DateTime' }),
    action: t.expose('action', { type: AuditActionEnum }),
    organisation: t.relation('organisation'),
    actor: t.relation('actorUser', { nullable: true, description: 'Who made the change.' }),
    subject: t.relation('subjectUser', {
      nullable: true,
      description: 'Whose membership it concerns (for invitations: once accepted).',
    }),
    email: t.exposeString('email', { nullable: true, description: "The invitee's address (invitations)." }),
    rolesBefore: t.expose('rolesBefore', { type: [RoleEnum] }),
    rolesAfter: t.expose('rolesAfter', { type: [RoleEnum] }),
  }),
});

builder.prismaObjectFields('Organisation', (t) => ({
  auditLog: t.relatedConnection('auditLog', {
    cursor: 'id',
    description:
      "Changes to the organisation's members and invitations, newest first (its admins and hub admins).",
    authScopes: (org, _args, ctx) => mayManageMembers(ctx.viewer, org.id),
    totalCount: true,
    query: { orderBy: [{ at: 'desc' }, { id: 'desc' }] },
  }),
}));

builder.queryFields((t) => ({
  auditLog: t.prismaConnection({
    type: 'AuditLogEntry',
    cursor: 'id',
    description:
      'Changes to organisations, invitations and memberships, newest first: every organisation for hub admins, those they administer for organisation admins.',
    authScopes: { person: true },
    args: {
      organisationId: t.arg.globalID({ for: [Organisation], description: 'Only this organisation.' }),
      action: t.arg({ type: AuditActionEnum, description: 'Only this kind of change.' }),
    },
    totalCount: (_parent, args, ctx) => ctx.prisma.auditLogEntry.count({ where: auditWhere(ctx, args) }),
    resolve: (query, _root, args, ctx) =>
      ctx.prisma.auditLogEntry.findMany({
        ...query,
        where: auditWhere(ctx, args),
        orderBy: [{ at: 'desc' }, { id: 'desc' }],
      }),
  }),
}));

function auditWhere(
  ctx: { viewer: Parameters<typeof visibleAuditWhere>[0] },
  args: { organisationId?: { id: string } | null; action?: AuditAction | null },
) {
  return {
    AND: [
      visibleAuditWhere(ctx.viewer),
      args.organisationId ? { organisationId: asUuid(args.organisationId.id) } : {},
      args.action ? { action: args.action } : {},
    ],
  };
}
