/**
 * Who may manage an organisation's members and invitations: its admins and the hub admins. One
 * rule for every path (mutations, the member list, invitations, the audit log), first from the
 * viewer (before anything is read), then again inside the transaction from the database, under a
 * lock that serialises the organisation's member changes.
 */
import type { Prisma } from '../../generated/prisma/client.ts';
import type { Role } from '../../generated/prisma/enums.ts';
import { ForbiddenError } from '../../shared/errors.ts';
import { hasRole, type UserViewer, type Viewer } from './viewer.ts';

/** Organisations where the viewer is an admin (ORG_ADMIN). */
export function administeredOrganisationIds(viewer: Viewer | null): string[] {
  if (viewer?.kind !== 'user') return [];
  return [...viewer.roles.entries()].filter(([, roles]) => roles.has('ORG_ADMIN')).map(([id]) => id);
}

/** Whether the viewer may manage `organisationId`'s members, invitations and audit log. */
export function mayManageMembers(viewer: Viewer | null, organisationId: string): boolean {
  return viewer?.kind === 'user' && (viewer.hubAdmin || hasRole(viewer, organisationId, ['ORG_ADMIN']));
}

/** Rows of organisations the viewer may manage, as a Prisma filter on `organisationId`. */
export function managedOrganisationsWhere(viewer: Viewer | null): { organisationId?: { in: string[] } } {
  if (viewer?.kind === 'user' && viewer.hubAdmin) return {};
  return { organisationId: { in: administeredOrganisationIds(viewer) } };
}

/** The viewer as a person who administers something, or ForbiddenError before any read. */
export function memberManager(viewer: Viewer | null, action: string): UserViewer {
  if (viewer?.kind !== 'user' || (!viewer.hubAdmin && administeredOrganisationIds(viewer).length === 0)) {
    throw new ForbiddenError(action);
  }
  return viewer;
}

/** The rights a person holds now, read from the database (active memberships of an active account). */
interface Rights {
  orgAdmin: boolean;
  hubAdmin: boolean;
}

/**
 * Serialises the member changes of one organisation (membership changes, invitations sent and
 * accepted) for the rest of the transaction, then checks that `actor` still may make them: the
 * token's roles were read before the lock, and a concurrent change may have removed them (two
 * admins demoting each other must not leave the organisation with none).
 */
export async function lockOrganisationMembers(
  tx: Prisma.TransactionClient,
  actor: UserViewer | null,
  organisationId: string,
  action: string,
): Promise<Rights> {
  await tx.$executeRaw`select pg_advisory_xact_lock(hashtextextended(${`maillage:members:${organisationId}`}::text, 0))`;
  if (!actor) return { orgAdmin: false, hubAdmin: false };
  const rights = await rightsOf(tx, actor.userId, organisationId);
  if (!rights.orgAdmin && !rights.hubAdmin) throw new ForbiddenError(action);
  return rights;
}

/**
 * Serialises changes that grant or remove the hub admin role (taken after an organisation's lock,
 * never before, so that two transactions cannot wait for each other).
 */
export async function lockHubAdmins(tx: Prisma.TransactionClient): Promise<void> {
  await tx.$executeRaw`select pg_advisory_xact_lock(hashtextextended('maillage:hub-admins', 0))`;
}

async function rightsOf(tx: Prisma.TransactionClient, userId: string, organisationId: string) {
  const [row] = await tx.$queryRaw<Rights[]>`
    select coalesce(bool_or(m."organisationId" = ${organisationId}::uuid
                            and 'ORG_ADMIN'::"Role" = any(m.roles)), false) as "orgAdmin",
           coalesce(bool_or('HUB_ADMIN'::"Role" = any(m.roles)), false) as "hubAdmin"
      from "Membership" m join "User" u on u.id = m."userId"
     where m."userId" = ${userId}::uuid and m."disabledAt" is null and u."disabledAt" is null`;
  return row ?? { orgAdmin: false, hubAdmin: false };
}

/**
 * Active holders of `role` other than the membership `exceptMembershipId`: in the organisation
 * (ORG_ADMIN) or anywhere in the network (HUB_ADMIN).
 */
export async function otherActiveHolders(
  tx: Prisma.TransactionClient,
  role: Extract<Role, 'ORG_ADMIN' | 'HUB_ADMIN'>,
  exceptMembershipId: string,
  organisationId: string,
): Promise<number> {
  return tx.membership.count({
    where: {
      id: { not: exceptMembershipId },
      ...(role === 'ORG_ADMIN' ? { organisationId } : {}),
      roles: { has: role },
      disabledAt: null,
      user: { disabledAt: null },
    },
  });
}

/**
 * Roles that reach beyond the organisation: the hub's administration and the network's
 * statistics (every organisation's flows). Only a hub admin gives or takes them.
 */
/** What a caller who is no hub admin may not do with these roles, for the ForbiddenError. */
/** Giving a network role is a hub admin's: the refusal names the action and the role it needs. */
export function networkRoleRefusal(roles: readonly Role[]): ForbiddenError {
  const action = roles.includes('HUB_ADMIN') ? 'make someone hub admin' : 'make someone network coordinator';
  return new ForbiddenError(action, 'HUB_ADMIN');
}

export function grantsNetworkRole(roles: readonly Role[]): boolean {
  return roles.includes('HUB_ADMIN') || roles.includes('NETWORK_COORDINATOR');
}

/** Roles without duplicates, in the enum's order (stable for comparisons and the audit log). */
export function normaliseRoles(roles: readonly Role[]): Role[] {
  const order: Role[] = [
    'HUB_ADMIN',
    'ORG_ADMIN',
    'CATALOGUE_EDITOR',
    'CASE_WORKER',
    'WELCOME_COORDINATOR',
    'EVENT_ORGANISER',
    'NETWORK_COORDINATOR',
  ];
  return order.filter((r) => roles.includes(r));
}
