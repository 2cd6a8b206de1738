/**
 * Who may see and do what in the Events module: series, editions, their programme, registrations,
 * stands, check-ins and contact exchanges. Decided here and only here; GraphQL fields and lists,
 * node/nodes, the public pages, exports, subscriptions and the manage link all call these.
 *
 * - Organisers of an edition are the EVENT_ORGANISER members and the admins of the organising
 *   organisation (hub admins are not organisers: they see what the public sees). They see and
 *   change everything of the edition: registrations, check-ins, stands, sessions.
 * - An edition is public once it is OPEN or CLOSED: its programme, stands and the participant list
 *   as consent allows (`publicParticipantFields`). A DRAFT edition is seen by its organisers and by
 *   the invited organisations' members (they prepare stands and registrations).
 * - A registration (a participant's global ID) is seen by the organisers, and by the admins of the
 *   participant's organisation (their own staff's); the participant reads theirs with the manage
 *   token, never with a global ID. Anyone else: as if it did not exist.
 * - A stand is public with a public edition; its organisation's admins and organisers edit it.
 * - Accessibility needs: organisers only. An e-mail address: organisers, the participant's
 *   organisation's admins, and the other side of an accepted contact exchange; never public.
 */
import type { Prisma } from '../../generated/prisma/client.ts';
import type { EditionStatus, Role } from '../../generated/prisma/enums.ts';
import { hasRole, viewerOrganisationIds, type Viewer } from '../accounts/viewer.ts';

/** Roles that organise the events of their organisation. */
export const ORGANISER_ROLES = ['EVENT_ORGANISER', 'ORG_ADMIN'] as const satisfies readonly Role[];
/** Roles that register their organisation's staff and see their registrations. */
export const STAFF_ADMIN_ROLES = ['ORG_ADMIN'] as const satisfies readonly Role[];
/** Editions anyone may see (programme, stands, the consented participant list). */
export const PUBLIC_EDITION_STATUSES = ['OPEN', 'CLOSED'] as const satisfies readonly EditionStatus[];

/** Organisations in which the viewer (a person) holds one of `roles`. */
function organisationsWithRole(viewer: Viewer | null, roles: readonly Role[]): string[] {
  if (viewer?.kind !== 'user') return [];
  return [...viewer.roles.keys()].filter((id) => hasRole(viewer, id, roles));
}

/** Organisations whose events the viewer organises. */
export function organiserOrganisationIds(viewer: Viewer | null): string[] {
  return organisationsWithRole(viewer, ORGANISER_ROLES);
}

/** Whether the viewer organises the events of `organisationId`. */
export function organises(viewer: Viewer | null, organisationId: string): boolean {
  return hasRole(viewer, organisationId, ORGANISER_ROLES);
}

/** Organisations whose staff's registrations the viewer manages (their admins). */
export function staffAdminOrganisationIds(viewer: Viewer | null): string[] {
  return organisationsWithRole(viewer, STAFF_ADMIN_ROLES);
}

// --- Series and editions ----------------------------------------------------------------------

/** Series the viewer may see: any with a public edition, and those they organise or are invited to. */
export function visibleEventsWhere(viewer: Viewer | null): Prisma.EventWhereInput {
  return {
    OR: [
      { organisationId: { in: organiserOrganisationIds(viewer) } },
      { editions: { some: visibleEditionsWhere(viewer) } },
    ],
  };
}

/** Editions the viewer may see. */
export function visibleEditionsWhere(viewer: Viewer | null): Prisma.EventEditionWhereInput {
  return {
    OR: [
      { status: { in: [...PUBLIC_EDITION_STATUSES] } },
      { organisationId: { in: organiserOrganisationIds(viewer) } },
      { invitations: { some: { organisationId: { in: viewerOrganisationIds(viewer) } } } },
    ],
  };
}

/** Editions the viewer organises (everything of them is theirs to see and change). */
export function organisedEditionsWhere(viewer: Viewer | null): Prisma.EventEditionWhereInput {
  return { organisationId: { in: organiserOrganisationIds(viewer) } };
}

// --- Registrations -----------------------------------------------------------------------------

/** Registrations whose global ID the viewer may see: organisers, and admins of their own staff's. */
export function visibleRegistrationsWhere(viewer: Viewer | null): Prisma.RegistrationWhereInput {
  return {
    OR: [
      { edition: organisedEditionsWhere(viewer) },
      { organisationId: { in: staffAdminOrganisationIds(viewer) } },
    ],
  };
}

/** Whether the viewer organises the edition of a registration (sees its accessibility needs). */
export function organisesRegistration(viewer: Viewer | null, edition: { organisationId: string }): boolean {
  return organises(viewer, edition.organisationId);
}

/** The fields of a participant the public list shows, by their consent. */
export interface PublicParticipantFields {
  name: string | null;
  organisation: string | null;
  function: string | null;
}

/**
 * What the public (and other participants) see of a registration: only the fields it agreed to,
 * nothing once cancelled or anonymised, never an e-mail. Null: not listed (counted in "N others").
 */
export function publicParticipantFields(r: {
  status: string;
  anonymisedAt: Date | null;
  name: string;
  organisationName: string | null;
  function: string | null;
  showName: boolean;
  showOrganisation: boolean;
  showFunction: boolean;
}): PublicParticipantFields | null {
  if (r.status !== 'REGISTERED' || r.anonymisedAt) return null;
  if (!r.showName && !r.showOrganisation && !r.showFunction) return null;
  return {
    name: r.showName ? r.name : null,
    organisation: r.showOrganisation ? r.organisationName : null,
    function: r.showFunction ? r.function : null,
  };
}

/** Registrations listed publicly: registered, not anonymised, agreeing to show at least one field. */
export const PUBLICLY_LISTED: Prisma.RegistrationWhereInput = {
  status: 'REGISTERED',
  anonymisedAt: null,
  OR: [{ showName: true }, { showOrganisation: true }, { showFunction: true }],
};

/** Participants others may find to exchange contacts: registered and agreeing to be contacted. */
export const CONTACTABLE: Prisma.RegistrationWhereInput = {
  status: 'REGISTERED',
  anonymisedAt: null,
  contactable: true,
};

/** Sessions the viewer may see: those of editions they may see. */
export function visibleSessionsWhere(viewer: Viewer | null): Prisma.EventSessionWhereInput {
  return { edition: visibleEditionsWhere(viewer) };
}

// --- Stands ------------------------------------------------------------------------------------

/** Stands the viewer may see: those of editions they may see. */
export function visibleStandsWhere(viewer: Viewer | null): Prisma.StandWhereInput {
  return { edition: visibleEditionsWhere(viewer) };
}

/** Stands the viewer may change: their organisation's (its admins), or any of an edition they organise. */
export function editableStandsWhere(viewer: Viewer | null): Prisma.StandWhereInput {
  return {
    OR: [
      { organisationId: { in: staffAdminOrganisationIds(viewer) } },
      { edition: organisedEditionsWhere(viewer) },
    ],
  };
}

/**
 * Whether the viewer may set up a stand of `organisationId` at an edition: its organisers for any
 * organisation; that organisation's admins when it is invited to the edition. (Once it exists,
 * `editableStandsWhere` decides who changes it.)
 */
export function maySetUpStand(
  viewer: Viewer | null,
  edition: { organisationId: string; invitedOrganisationIds: readonly string[] },
  organisationId: string,
): boolean {
  if (organises(viewer, edition.organisationId)) return true;
  return (
    staffAdminOrganisationIds(viewer).includes(organisationId) &&
    edition.invitedOrganisationIds.includes(organisationId)
  );
}

// --- Live arrivals -----------------------------------------------------------------------------

/** Whether the viewer hears an edition's check-ins (outbox EVENT_CHECK_IN): its organisers. */
export function hearsCheckIns(viewer: Viewer | null, row: { organisationIds: string[] }): boolean {
  return row.organisationIds.some((id) => organises(viewer, id));
}

/** Check-ins (scans and their undoing) the viewer may see: those of editions they organise. */
export function visibleCheckInsWhere(viewer: Viewer | null): Prisma.CheckInWhereInput {
  return { edition: organisedEditionsWhere(viewer) };
}

// --- Organisers' tools -------------------------------------------------------------------------

/**
 * Whether the viewer gets an edition's participant list and counts at all: its organisers (every
 * registration), and organisations' admins (their own staff's only, by `visibleRegistrationsWhere`).
 * Anyone else gets an empty list and no counts. Exports and badges are for organisers only
 * (`organisedEditionsWhere`).
 */
export function seesParticipantsOf(viewer: Viewer | null, edition: { organisationId: string }): boolean {
  return organises(viewer, edition.organisationId) || staffAdminOrganisationIds(viewer).length > 0;
}
