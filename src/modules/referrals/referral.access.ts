/**
 * Who may see and act on referrals: case workers and admins of the sending or receiving
 * organisation, and that organisation's API clients with the referral scopes. Nobody else, hub
 * admins included (they see counts in statistics, never referrals).
 */
import type { Prisma } from '../../generated/prisma/client.ts';
import { hasRole, type Viewer } from '../accounts/viewer.ts';
import type { Side } from './referral-status.ts';

export const REFERRAL_ROLES = ['CASE_WORKER', 'ORG_ADMIN'] as const;

/** Who acts, for which organisation: a person or an API client (one of the two ids is set). */
export interface Actor {
  organisationId: string;
  userId: string | null;
  apiClientId: string | null;
}

/** The viewer acting for `organisationId` on referrals (`read` or `write`), or null. */
export function actorFor(
  viewer: Viewer | null,
  organisationId: string,
  access: 'read' | 'write',
): Actor | null {
  if (viewer?.kind === 'user') {
    return hasRole(viewer, organisationId, REFERRAL_ROLES)
      ? { organisationId, userId: viewer.userId, apiClientId: null }
      : null;
  }
  if (viewer?.kind === 'apiClient' && viewer.organisationId === organisationId) {
    const allowed =
      viewer.scopes.has('REFERRALS_WRITE') || (access === 'read' && viewer.scopes.has('REFERRALS_READ'));
    return allowed ? { organisationId, userId: null, apiClientId: viewer.apiClientId } : null;
  }
  return null;
}

/** The side the viewer may act for on this referral (sender first), or null. */
export function actingSide(
  viewer: Viewer | null,
  r: { senderOrganisationId: string; receiverOrganisationId: string; sentAt: Date | null },
): (Actor & { side: Side }) | null {
  const sender = actorFor(viewer, r.senderOrganisationId, 'write');
  if (sender) return { ...sender, side: 'SENDER' };
  const receiver = r.sentAt ? actorFor(viewer, r.receiverOrganisationId, 'write') : null;
  return receiver ? { ...receiver, side: 'RECEIVER' } : null;
}

/** Organisations whose referrals the viewer may read. */
export function referralOrganisationIds(viewer: Viewer | null): string[] {
  if (viewer?.kind === 'user') {
    return [...viewer.roles]
      .filter(([, roles]) => REFERRAL_ROLES.some((r) => roles.has(r)))
      .map(([id]) => id);
  }
  return actorFor(viewer, viewer?.organisationId ?? '', 'read') ? [viewer!.organisationId] : [];
}

/** The receiving side sees a referral once it was sent: drafts stay with their sender. */
export const SENT: Prisma.ReferralWhereInput = { sentAt: { not: null } };

export function visibleReferralsWhere(viewer: Viewer | null): Prisma.ReferralWhereInput {
  const orgs = referralOrganisationIds(viewer);
  return {
    OR: [{ senderOrganisationId: { in: orgs } }, { receiverOrganisationId: { in: orgs }, ...SENT }],
  };
}

/** True when the viewer administers one of the two organisations (may read the access log). */
export function administersSide(
  viewer: Viewer | null,
  r: { senderOrganisationId: string; receiverOrganisationId: string },
): boolean {
  return [r.senderOrganisationId, r.receiverOrganisationId].some((o) => hasRole(viewer, o, ['ORG_ADMIN']));
}
