/**
 * Who may see and do what in the Welcome module: shelters, their residents' profile, guides, their
 * items, attendance and alerts. Decided here and only here; GraphQL fields and lists, node/nodes,
 * the public pages, subscriptions and webhooks all call these functions.
 *
 * - A shelter is seen by the members of its operator and of its partner organisations, and by hub
 *   admins; its residents' profile (counts only) by the operator and the partners, never publicly.
 *   The operator's admins and the Welcome coordinators of the operator or of a partner edit it.
 * - A published guide is public. A draft or archived guide is seen by its organisation, the
 *   shelter's operator and partners, and the organisations that provide one of its items (they
 *   must see what they are asked to join). Its organisation's Welcome coordinators and admins edit it.
 * - An item is seen with its guide; on a published guide, by the public only once the provider
 *   agreed (CONFIRMED or REGULAR). The provider's Welcome coordinators, catalogue editors and
 *   admins answer proposals.
 * - Attendance counts and alerts: the guide's organisation, the shelter's operator and partners,
 *   and the item's provider. Never public.
 * - API clients: with GUIDES_READ, what the members of their organisation read; they change nothing.
 */
import { Prisma } from '../../generated/prisma/client.ts';
import type { GuideStatus, Role } from '../../generated/prisma/enums.ts';
import { hasRole, viewerOrganisationIds, type Viewer } from '../accounts/viewer.ts';
import type { GuideItemSide } from './guide-item-status.ts';

export const PUBLIC_GUIDE_STATUS = 'PUBLISHED' satisfies GuideStatus;
/** Items the public sees on a published guide: the provider agreed. */
export const PUBLIC_ITEM_STATUSES = ['CONFIRMED', 'REGULAR'] as const;

/** Who edits a guide, and a shelter's profile, for their organisation. */
export const GUIDE_EDITOR_ROLES = ['WELCOME_COORDINATOR', 'ORG_ADMIN'] as const satisfies readonly Role[];
/** Who answers a proposal for their organisation's offer. */
export const PROVIDER_ROLES = [
  'WELCOME_COORDINATOR',
  'CATALOGUE_EDITOR',
  'ORG_ADMIN',
] as const satisfies readonly Role[];

/** Organisations whose Welcome data the viewer reads as a member (API clients need GUIDES_READ). */
export function welcomeReaderOrganisationIds(viewer: Viewer | null): string[] {
  if (viewer?.kind === 'apiClient') return viewer.scopes.has('GUIDES_READ') ? [viewer.organisationId] : [];
  return viewerOrganisationIds(viewer);
}

/** Organisations in which the viewer (a person) holds one of `roles`. */
export function organisationsWithRole(viewer: Viewer | null, roles: readonly Role[]): string[] {
  if (viewer?.kind !== 'user') return [];
  return [...viewer.roles.keys()].filter((id) => hasRole(viewer, id, roles));
}

/** A shelter's operator or one of its partners is among `organisationIds`. */
function shelterOfAny(organisationIds: string[]): Prisma.ShelterWhereInput {
  return {
    OR: [
      { organisationId: { in: organisationIds } },
      { partners: { some: { organisationId: { in: organisationIds } } } },
    ],
  };
}

/** Shelters the viewer may see. */
export function visibleSheltersWhere(viewer: Viewer | null): Prisma.ShelterWhereInput {
  if (viewer?.kind === 'user' && viewer.hubAdmin) return {};
  return shelterOfAny(welcomeReaderOrganisationIds(viewer));
}

/** Shelters whose residents' profile the viewer may read (operator and partners; no hub admin). */
export function profileReadableSheltersWhere(viewer: Viewer | null): Prisma.ShelterWhereInput {
  return shelterOfAny(welcomeReaderOrganisationIds(viewer));
}

/** Shelters whose residents' profile the viewer may change. */
export function profileEditableSheltersWhere(viewer: Viewer | null): Prisma.ShelterWhereInput {
  return {
    OR: [
      { organisationId: { in: organisationsWithRole(viewer, ['ORG_ADMIN', 'WELCOME_COORDINATOR']) } },
      {
        partners: {
          some: { organisationId: { in: organisationsWithRole(viewer, ['WELCOME_COORDINATOR']) } },
        },
      },
    ],
  };
}

/** Guides the viewer may see (the rule above, as a Prisma filter). */
export function visibleGuidesWhere(viewer: Viewer | null): Prisma.GuideWhereInput {
  const orgs = welcomeReaderOrganisationIds(viewer);
  if (orgs.length === 0) return { status: PUBLIC_GUIDE_STATUS };
  return {
    OR: [
      { status: PUBLIC_GUIDE_STATUS },
      { organisationId: { in: orgs } },
      { shelter: shelterOfAny(orgs) },
      { items: { some: { providerOrganisationId: { in: orgs } } } },
    ],
  };
}

/** Guides whose non-public parts (all items, attendance, alerts) the viewer reads: as above, less the public. */
export function insideGuidesWhere(viewer: Viewer | null): Prisma.GuideWhereInput {
  const orgs = welcomeReaderOrganisationIds(viewer);
  return {
    OR: [
      { organisationId: { in: orgs } },
      { shelter: shelterOfAny(orgs) },
      { items: { some: { providerOrganisationId: { in: orgs } } } },
    ],
  };
}

/** Guides the viewer may change (texts, items, publishing). */
export function editableGuidesWhere(viewer: Viewer | null): Prisma.GuideWhereInput {
  return { organisationId: { in: organisationsWithRole(viewer, GUIDE_EDITOR_ROLES) } };
}

/**
 * Items the viewer may see: every item of a guide they see from inside; on a guide they see only
 * because it is published, the items the provider agreed to.
 */
export function visibleGuideItemsWhere(viewer: Viewer | null): Prisma.GuideItemWhereInput {
  return {
    OR: [
      { guide: insideGuidesWhere(viewer) },
      { guide: { status: PUBLIC_GUIDE_STATUS }, status: { in: [...PUBLIC_ITEM_STATUSES] } },
    ],
  };
}

/** Items whose proposal the viewer may answer for the providing organisation. */
export function answerableGuideItemsWhere(viewer: Viewer | null): Prisma.GuideItemWhereInput {
  return { providerOrganisationId: { in: organisationsWithRole(viewer, PROVIDER_ROLES) } };
}

/** Items whose attendance the viewer may read and record: guide side, shelter side, provider. */
export function attendanceGuideItemsWhere(viewer: Viewer | null): Prisma.GuideItemWhereInput {
  const orgs = viewer?.kind === 'user' ? viewerOrganisationIds(viewer) : [];
  return {
    OR: [
      { providerOrganisationId: { in: orgs } },
      { guide: { organisationId: { in: orgs } } },
      { guide: { shelter: shelterOfAny(orgs) } },
    ],
  };
}

/** Who hears of a guide's alert (outbox routing): the guide's organisation, the shelter's operator and partners. */
export function guideAlertAudience(
  viewer: Viewer | null,
  routing: { organisationIds: readonly string[] },
): boolean {
  const orgs = new Set(welcomeReaderOrganisationIds(viewer));
  return routing.organisationIds.some((id) => orgs.has(id));
}

/**
 * The sides the viewer acts for on an item (guide-item-status.ts): the guide's side as one of its
 * organisation's editors, the provider's as one of its PROVIDER_ROLES. Both when an organisation
 * puts its own offer in its own guide; none for readers (they may see it, not act on it).
 */
export function guideItemSides(
  viewer: Viewer | null,
  item: { providerOrganisationId: string; guide: { organisationId: string } },
): GuideItemSide[] {
  const sides: GuideItemSide[] = [];
  if (organisationsWithRole(viewer, GUIDE_EDITOR_ROLES).includes(item.guide.organisationId))
    sides.push('GUIDE');
  if (organisationsWithRole(viewer, PROVIDER_ROLES).includes(item.providerOrganisationId))
    sides.push('PROVIDER');
  return sides;
}

/**
 * The items the viewer acts on (either side), as SQL over "GuideItem" for the locking statement
 * (`select … for update`): `{ guide: editableGuidesWhere } OR answerableGuideItemsWhere`, the same
 * role lists as `guideItemSides`.
 */
export function actableGuideItemsSql(viewer: Viewer | null): Prisma.Sql {
  const editors = organisationsWithRole(viewer, GUIDE_EDITOR_ROLES);
  const providers = organisationsWithRole(viewer, PROVIDER_ROLES);
  return Prisma.sql`("providerOrganisationId" = any(${providers}::uuid[])
    or "guideId" in (select g.id from "Guide" g where g."organisationId" = any(${editors}::uuid[])))`;
}

/**
 * The organisation a viewer records attendance for on an item: the provider, else the guide's
 * organisation, else the shelter's operator or partner they belong to (attendanceGuideItemsWhere).
 */
export function attendanceRecorderOrganisation(
  viewer: Viewer | null,
  item: {
    providerOrganisationId: string;
    guide: {
      organisationId: string;
      shelter: { organisationId: string; partners: { organisationId: string }[] } | null;
    };
  },
): string | null {
  const orgs = new Set(viewer?.kind === 'user' ? viewerOrganisationIds(viewer) : []);
  const candidates = [
    item.providerOrganisationId,
    item.guide.organisationId,
    ...(item.guide.shelter
      ? [item.guide.shelter.organisationId, ...item.guide.shelter.partners.map((p) => p.organisationId)]
      : []),
  ];
  return candidates.find((id) => orgs.has(id)) ?? null;
}

// --- Added for shelter and guide mutations (issue 11): the operator side, the shelters a guide may
// be for, and the SQL forms of the editing rules that locking statements put in their WHERE (built
// from the same facts as the Prisma forms above, so that a row the caller may not change is never
// locked).

/** Who acts for a shelter's operator: its admins and Welcome coordinators. */
const OPERATOR_ROLES = ['ORG_ADMIN', 'WELCOME_COORDINATOR'] as const satisfies readonly Role[];

/** Shelters whose own data (kind, capacity, partners) the viewer may change: the operator side. */
export function operatedSheltersWhere(viewer: Viewer | null): Prisma.ShelterWhereInput {
  return { organisationId: { in: organisationsWithRole(viewer, OPERATOR_ROLES) } };
}

/** Organisations for which the viewer may turn one of their sites into a shelter. */
export function shelterCreatorOrganisationIds(viewer: Viewer | null): string[] {
  return organisationsWithRole(viewer, OPERATOR_ROLES);
}

/** Shelters a guide written by `organisationId` may be for: those it operates or works at. */
export function guideSheltersWhere(organisationId: string): Prisma.ShelterWhereInput {
  return shelterOfAny([organisationId]);
}

/** `operatedSheltersWhere` as SQL over the shelter alias `alias`. */
export function operatedSheltersSql(viewer: Viewer | null, alias = 's'): Prisma.Sql {
  return Prisma.sql`${Prisma.raw(alias)}."organisationId" = ANY(${organisationsWithRole(viewer, OPERATOR_ROLES)}::uuid[])`;
}

/** `profileEditableSheltersWhere` as SQL over the shelter alias `alias`. */
export function profileEditableSheltersSql(viewer: Viewer | null, alias = 's'): Prisma.Sql {
  const s = Prisma.raw(alias);
  const operators = organisationsWithRole(viewer, ['ORG_ADMIN', 'WELCOME_COORDINATOR']);
  const partners = organisationsWithRole(viewer, ['WELCOME_COORDINATOR']);
  return Prisma.sql`(${s}."organisationId" = ANY(${operators}::uuid[]) or exists (
    select 1 from "ShelterPartner" sp
    where sp."shelterId" = ${s}.id and sp."organisationId" = ANY(${partners}::uuid[])))`;
}

/** `editableGuidesWhere` as SQL over the guide alias `alias`. */
export function editableGuidesSql(viewer: Viewer | null, alias = 'g'): Prisma.Sql {
  return Prisma.sql`${Prisma.raw(alias)}."organisationId" = ANY(${organisationsWithRole(viewer, GUIDE_EDITOR_ROLES)}::uuid[])`;
}

/**
 * Guides whose alerts the viewer reads: the audience `guideAlertAudience` gives live alerts (the
 * guide's organisation, the shelter's operator and partners; API clients with GUIDES_READ), so
 * that the list and the subscription agree.
 */
export function alertReadableGuidesWhere(viewer: Viewer | null): Prisma.GuideWhereInput {
  const orgs = welcomeReaderOrganisationIds(viewer);
  return { OR: [{ organisationId: { in: orgs } }, { shelter: shelterOfAny(orgs) }] };
}
