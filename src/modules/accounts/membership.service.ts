/**
 * Organisation admins (and hub admins) change a member's roles or disable a membership. Each
 * change is one transaction: authorised from the viewer before any read, locked per organisation,
 * authorised again from the database, checked (never the last admin), written with its audit
 * entry. The Membership trigger writes ACCESS_CHANGED to the outbox in the same transaction, so
 * the member's open subscriptions end (src/modules/realtime/outbox-stream.ts).
 */
import type { Membership, Prisma, PrismaClient } from '../../generated/prisma/client.ts';
import type { Role } from '../../generated/prisma/enums.ts';
import {
  ForbiddenError,
  InvalidInputError,
  InvalidTransitionError,
  NotFoundError,
} from '../../shared/errors.ts';
import { asUuid } from '../../shared/ids.ts';
import { LastAdminError } from './accounts.errors.ts';
import { recordAudit } from './audit-log.service.ts';
import {
  lockHubAdmins,
  lockOrganisationMembers,
  managedOrganisationsWhere,
  memberManager,
  normaliseRoles,
  otherActiveHolders,
  grantsNetworkRole,
  networkRoleRefusal,
} from './members.access.ts';
import { viewerOrganisationIds, type UserViewer, type Viewer } from './viewer.ts';

const MANAGE = "manage this organisation's members";

/** Replaces a member's roles (at least one; `disableMembership` removes all access). */
export async function updateMemberRoles(
  prisma: PrismaClient,
  viewer: Viewer | null,
  membershipId: string,
  roles: readonly Role[],
): Promise<Membership> {
  const actor = memberManager(viewer, MANAGE);
  const wanted = normaliseRoles(roles);
  if (wanted.length === 0) {
    throw new InvalidInputError(null, [
      {
        path: ['input', 'roles'],
        message: 'give at least one role (disableMembership removes all access)',
        reason: 'REQUIRED',
      },
    ]);
  }
  if (grantsNetworkRole(wanted) && !actor.hubAdmin) throw networkRoleRefusal(wanted);
  const found = await findManageable(prisma, actor, membershipId);
  return prisma.$transaction(async (tx) => {
    const { membership, rights } = await lockMembership(tx, actor, found);
    if (membership.disabledAt) {
      throw new InvalidTransitionError(
        'This membership is disabled: its roles cannot change. Invite the person again to give them access.',
        'DISABLED',
      );
    }
    const before = normaliseRoles(membership.roles);
    if (sameRoles(before, wanted)) return membership;
    if ((before.includes('HUB_ADMIN') || wanted.includes('HUB_ADMIN')) && !rights.hubAdmin) {
      throw new ForbiddenError("change a hub admin's roles", 'HUB_ADMIN');
    }
    if (
      (before.includes('NETWORK_COORDINATOR') || wanted.includes('NETWORK_COORDINATOR')) &&
      !rights.hubAdmin
    ) {
      throw new ForbiddenError("change a network coordinator's roles", 'HUB_ADMIN');
    }
    await keepAnAdmin(tx, membership, before, wanted);
    const updated = await tx.membership.update({ where: { id: membership.id }, data: { roles: wanted } });
    await recordAudit(tx, {
      organisationId: membership.organisationId,
      action: 'MEMBER_ROLES_CHANGED',
      actorUserId: actor.userId,
      subjectUserId: membership.userId,
      membershipId: membership.id,
      rolesBefore: before,
      rolesAfter: wanted,
    });
    return updated;
  });
}

/**
 * Disables a membership: its holder loses every role in the organisation at once (their roles
 * stay recorded). Disabling a disabled membership changes nothing.
 */
export async function disableMembership(
  prisma: PrismaClient,
  viewer: Viewer | null,
  membershipId: string,
): Promise<Membership> {
  const actor = memberManager(viewer, MANAGE);
  const found = await findManageable(prisma, actor, membershipId);
  return prisma.$transaction(async (tx) => {
    const { membership, rights } = await lockMembership(tx, actor, found);
    if (membership.disabledAt) return membership;
    const before = normaliseRoles(membership.roles);
    if (before.includes('HUB_ADMIN') && !rights.hubAdmin)
      throw new ForbiddenError('disable a hub admin', 'HUB_ADMIN');
    await keepAnAdmin(tx, membership, before, []);
    const updated = await tx.membership.update({
      where: { id: membership.id },
      data: { disabledAt: new Date() },
    });
    await recordAudit(tx, {
      organisationId: membership.organisationId,
      action: 'MEMBERSHIP_DISABLED',
      actorUserId: actor.userId,
      subjectUserId: membership.userId,
      membershipId: membership.id,
      rolesBefore: before,
      rolesAfter: [],
    });
    return updated;
  });
}

/**
 * The membership, if the actor may manage it (the rule is in the query). Otherwise: forbidden
 * when the actor can see it (their own, or a colleague's), not found when not, like an unknown id.
 */
async function findManageable(prisma: PrismaClient, actor: UserViewer, membershipId: string) {
  const id = asUuid(membershipId);
  const found = await prisma.membership.findFirst({
    where: { id, ...managedOrganisationsWhere(actor) },
    select: { id: true, organisationId: true },
  });
  if (found) return found;
  const visible = await prisma.membership.count({
    where: {
      id,
      OR: [{ userId: actor.userId }, { organisationId: { in: viewerOrganisationIds(actor) } }],
    },
  });
  throw visible ? new ForbiddenError(MANAGE) : new NotFoundError('membership');
}

/** Takes the organisation's lock (and the hub admins' one when needed), then the row. */
async function lockMembership(
  tx: Prisma.TransactionClient,
  actor: UserViewer,
  found: { id: string; organisationId: string },
) {
  const rights = await lockOrganisationMembers(tx, actor, found.organisationId, MANAGE);
  const [locked] = await tx.$queryRaw<{ id: string }[]>`
    select id from "Membership" where id = ${found.id}::uuid for update`;
  const membership = locked ? await tx.membership.findUnique({ where: { id: locked.id } }) : null;
  if (!membership) throw new NotFoundError('membership');
  if (membership.roles.includes('HUB_ADMIN')) await lockHubAdmins(tx);
  return { membership, rights };
}

/** Refuses a change that would leave the organisation, or the network, without an active admin. */
async function keepAnAdmin(
  tx: Prisma.TransactionClient,
  membership: Membership,
  before: Role[],
  after: Role[],
): Promise<void> {
  for (const [role, scope] of [
    ['ORG_ADMIN', 'ORGANISATION'],
    ['HUB_ADMIN', 'HUB'],
  ] as const) {
    if (before.includes(role) && !after.includes(role)) {
      if ((await otherActiveHolders(tx, role, membership.id, membership.organisationId)) === 0) {
        throw new LastAdminError(scope);
      }
    }
  }
}

function sameRoles(a: readonly Role[], b: readonly Role[]): boolean {
  return a.length === b.length && a.every((r, i) => r === b[i]);
}
