/**
 * Who may see and change what in the catalogue. Who sees an offer is decided here and only here:
 * `offerVisibility` (a predicate), `visibleOffersWhere` (Prisma) and `visibleOffersSql` (SQL) are
 * three renderings of one rule, built from the same two facts (the public status and
 * `catalogueReaderOrganisationIds`). GraphQL fields and lists, node/nodes, the HSDS API,
 * subscriptions, webhooks (`offerChangeView`) and the locking statements of mutations all call them.
 */
import { Prisma } from '../../generated/prisma/client.ts';
import type { OfferStatus } from '../../generated/prisma/enums.ts';
import { ForbiddenError } from '../../shared/errors.ts';
import type { Viewer } from '../accounts/viewer.ts';

/** The one status anyone may see, without a token. */
export const PUBLIC_OFFER_STATUS = 'PUBLISHED' satisfies OfferStatus;

const EDITOR_ROLES = ['CATALOGUE_EDITOR', 'ORG_ADMIN'] as const;

/**
 * Organisations whose unpublished offers (drafts, paused, withdrawn) the viewer may see: a
 * person's own organisations (any role); an API client's own with CATALOGUE_READ or
 * CATALOGUE_WRITE (writing implies reading, as REFERRALS_WRITE does for referrals). Nobody else,
 * hub administrators included: they see the public catalogue.
 */
export function catalogueReaderOrganisationIds(viewer: Viewer | null): string[] {
  if (viewer?.kind === 'user') return [...viewer.roles.keys()];
  if (viewer?.kind === 'apiClient') {
    const reads = viewer.scopes.has('CATALOGUE_READ') || viewer.scopes.has('CATALOGUE_WRITE');
    return reads ? [viewer.organisationId] : [];
  }
  return [];
}

/** Organisations whose catalogue the viewer may change (a subset of the readable ones). */
export function catalogueEditorOrganisationIds(viewer: Viewer | null): string[] {
  if (viewer?.kind === 'user') {
    return [...viewer.roles].filter(([, roles]) => EDITOR_ROLES.some((r) => roles.has(r))).map(([id]) => id);
  }
  if (viewer?.kind === 'apiClient' && viewer.scopes.has('CATALOGUE_WRITE')) return [viewer.organisationId];
  return [];
}

/**
 * THE rule, as a predicate: a published offer is public; any other is visible to the readers of
 * its organisation only (`catalogueReaderOrganisationIds`). Build it once per viewer and call it
 * per offer (subscriptions call it for every notice).
 */
export function offerVisibility(
  viewer: Viewer | null,
): (offer: { organisationId: string; status: OfferStatus }) => boolean {
  const readers = new Set(catalogueReaderOrganisationIds(viewer));
  return (offer) => offer.status === PUBLIC_OFFER_STATUS || readers.has(offer.organisationId);
}

/** An offer's change as the outbox row tells it: the offer's organisation, its status after and before. */
export interface OfferChange {
  organisationId: string;
  status: OfferStatus;
  previousStatus: OfferStatus;
}

/**
 * What the viewer hears of a change of an offer (subscriptions, webhooks), by the rule above:
 * - `'CHANGED'`: the change, when they could see the offer when it happened (before or after it)
 *   and may see it `now`;
 * - `'UNAVAILABLE'`: only that the offer is no longer available to them, when they could see it
 *   then but not `now` (paused, withdrawn, deleted: `now` null, or their access went);
 * - `null`: nothing, when they could never see it (a draft's places, a paused offer's edits).
 *
 * `now` is the offer as it is at the moment of telling: by default the state the change left it
 * in (a live outbox row carries it; a later change is the next row).
 */
export function offerChangeView(
  viewer: Viewer | null,
): (
  change: OfferChange,
  now?: { organisationId: string; status: OfferStatus } | null,
) => 'CHANGED' | 'UNAVAILABLE' | null {
  const sees = offerVisibility(viewer);
  return (change, now = change) => {
    const sawIt =
      sees(change) || sees({ organisationId: change.organisationId, status: change.previousStatus });
    if (!sawIt) return null;
    return now !== null && sees(now) ? 'CHANGED' : 'UNAVAILABLE';
  };
}

/** The rule as a Prisma filter: node/nodes, `organisation.offers`, loads by id. */
export function visibleOffersWhere(viewer: Viewer | null): Prisma.OfferWhereInput {
  const readers = catalogueReaderOrganisationIds(viewer);
  return readers.length === 0
    ? { status: PUBLIC_OFFER_STATUS }
    : { OR: [{ status: PUBLIC_OFFER_STATUS }, { organisationId: { in: readers } }] };
}

/** The rule as SQL over the offer alias `alias`: hand-written searches, HSDS, locking statements. */
export function visibleOffersSql(viewer: Viewer | null, alias = 'o'): Prisma.Sql {
  const o = Prisma.raw(alias);
  // A literal (a constant of ours), as the planner likes it best.
  const published = Prisma.sql`${o}.status = ${Prisma.raw(`'${PUBLIC_OFFER_STATUS}'`)}`;
  const readers = catalogueReaderOrganisationIds(viewer);
  return readers.length === 0
    ? published
    : Prisma.sql`(${published} OR ${o}."organisationId" = ANY(${readers}::uuid[]))`;
}

/**
 * Offers (alias `alias`) the viewer may change: visible to them and of an organisation whose
 * catalogue they edit. Locking statements put it in their WHERE, so that a row the caller may not
 * change is never locked.
 */
export function editableOffersSql(viewer: Viewer | null, alias = 'o'): Prisma.Sql {
  const o = Prisma.raw(alias);
  return Prisma.sql`${visibleOffersSql(viewer, alias)} AND ${o}."organisationId" = ANY(${catalogueEditorOrganisationIds(viewer)}::uuid[])`;
}

/** Catalogue editors and admins of the organisation, or its API client with CATALOGUE_WRITE. */
export function canEditCatalogue(viewer: Viewer | null, organisationId: string): boolean {
  return catalogueEditorOrganisationIds(viewer).includes(organisationId);
}

/** The error for a visible object of a catalogue the viewer may not change. */
export function catalogueEditForbidden(): ForbiddenError {
  return new ForbiddenError("edit this organisation's catalogue");
}

export function assertCanEditCatalogue(viewer: Viewer | null, organisationId: string): void {
  if (!canEditCatalogue(viewer, organisationId)) throw catalogueEditForbidden();
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
