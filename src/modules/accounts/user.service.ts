/** Who may see which user accounts. */
import type { Prisma } from '../../generated/prisma/client.ts';
import { administeredOrganisationIds } from './members.access.ts';
import { viewerOrganisationIds, type Viewer } from './viewer.ts';

/**
 * Users visible to the viewer: themselves and the active members of their own organisations (an
 * admin also the disabled ones); a hub admin sees every account. Anonymous callers and API
 * clients see none.
 */
export function visibleUsersWhere(viewer: Viewer | null): Prisma.UserWhereInput {
  if (viewer?.kind !== 'user') return { id: { in: [] } };
  if (viewer.hubAdmin) return {};
  return {
    OR: [
      { id: viewer.userId },
      { memberships: { some: { organisationId: { in: viewerOrganisationIds(viewer) }, disabledAt: null } } },
      { memberships: { some: { organisationId: { in: administeredOrganisationIds(viewer) } } } },
    ],
  };
}

/** An e-mail address as accounts and invitations store it: trimmed, lower-cased. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}
