/** Who may see referrals: case workers and admins of the sending or receiving organisation. */
import type { Prisma } from '../../generated/prisma/client.ts';
import type { Viewer } from '../accounts/viewer.ts';

export const REFERRAL_ROLES = ['CASE_WORKER', 'ORG_ADMIN'] as const;

/** Organisations whose referrals the viewer may see (hub admins see none: counts only). */
export function referralOrganisationIds(viewer: Viewer | null): string[] {
  if (viewer?.kind !== 'user') return [];
  return [...viewer.roles].filter(([, roles]) => REFERRAL_ROLES.some((r) => roles.has(r))).map(([id]) => id);
}

export function visibleReferralsWhere(viewer: Viewer | null): Prisma.ReferralWhereInput {
  const orgs = referralOrganisationIds(viewer);
  return { OR: [{ senderOrganisationId: { in: orgs } }, { receiverOrganisationId: { in: orgs } }] };
}
