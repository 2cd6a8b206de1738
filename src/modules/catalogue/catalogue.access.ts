/** Who may see and change what in the catalogue. */
import type { Prisma } from '../../generated/prisma/client.ts';
import { ForbiddenError } from '../../shared/errors.ts';
import { hasRole, viewerOrganisationIds, type Viewer } from '../accounts/viewer.ts';

/**
 * Published offers are public; drafts, paused and withdrawn offers are visible to the members of
 * the owning organisation only.
 */
export function visibleOffersWhere(viewer: Viewer | null): Prisma.OfferWhereInput {
  const own = viewerOrganisationIds(viewer);
  return own.length === 0
    ? { status: 'PUBLISHED' }
    : { OR: [{ status: 'PUBLISHED' }, { organisationId: { in: own } }] };
}

/** Catalogue editors and admins of the organisation, or its API client with CATALOGUE_WRITE. */
export function canEditCatalogue(viewer: Viewer | null, organisationId: string): boolean {
  if (viewer?.kind === 'apiClient') {
    return viewer.organisationId === organisationId && viewer.scopes.has('CATALOGUE_WRITE');
  }
  return hasRole(viewer, organisationId, ['CATALOGUE_EDITOR', 'ORG_ADMIN']);
}

export function assertCanEditCatalogue(viewer: Viewer | null, organisationId: string): void {
  if (!canEditCatalogue(viewer, organisationId))
    throw new ForbiddenError("edit this organisation's catalogue");
}

/** Who made a change, for the change log. */
export function actorOf(viewer: Viewer | null): {
  actorUserId: string | null;
  actorApiClientId: string | null;
} {
  return {
    actorUserId: viewer?.kind === 'user' ? viewer.userId : null,
    actorApiClientId: viewer?.kind === 'apiClient' ? viewer.apiClientId : null,
  };
}
