/**
 * The audit log of organisations, invitations and memberships: one row per change, written in
 * the change's own transaction, never updated. Read by the organisation's admins and hub admins.
 */
import type { Prisma } from '../../generated/prisma/client.ts';
import type { AuditAction, Role } from '../../generated/prisma/enums.ts';
import type { Viewer } from './viewer.ts';
import { managedOrganisationsWhere } from './members.access.ts';

export interface AuditEntry {
  organisationId: string;
  action: AuditAction;
  actorUserId: string | null;
  subjectUserId?: string | null;
  invitationId?: string | null;
  membershipId?: string | null;
  email?: string | null;
  rolesBefore?: readonly Role[];
  rolesAfter?: readonly Role[];
}

/** Appends one entry; call it inside the transaction that makes the change. */
export async function recordAudit(tx: Prisma.TransactionClient, entry: AuditEntry): Promise<void> {
  await tx.auditLogEntry.create({
    data: {
      organisationId: entry.organisationId,
      action: entry.action,
      actorUserId: entry.actorUserId,
      subjectUserId: entry.subjectUserId ?? null,
      invitationId: entry.invitationId ?? null,
      membershipId: entry.membershipId ?? null,
      email: entry.email ?? null,
      rolesBefore: [...(entry.rolesBefore ?? [])],
      rolesAfter: [...(entry.rolesAfter ?? [])],
    },
  });
}

/** Entries the viewer may read: those of the organisations they administer (all for hub admins). */
export function visibleAuditWhere(viewer: Viewer | null): Prisma.AuditLogEntryWhereInput {
  return managedOrganisationsWhere(viewer);
}
