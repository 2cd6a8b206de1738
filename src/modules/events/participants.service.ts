/**
 * The organisers' participant list: one filter for the GraphQL list, the CSV export and the
 * badges, counts by category and organisation (checked in or not), and the rows of the exports,
 * read in batches so that an export of 10,000 participants never holds them all in memory.
 *
 * Who sees what is events.access.ts: organisers every registration of their edition, an
 * organisation's admins their own staff's (`visibleRegistrationsWhere`), nobody else anything.
 * Exports and badges are the organisers' only (`organisedEditionsWhere`).
 */
import type { Prisma, PrismaClient } from '../../generated/prisma/client.ts';
import {
  ParticipantCategory,
  type RegistrationSource,
  type RegistrationStatus,
  type SeatStatus,
} from '../../generated/prisma/enums.ts';
import { asUuid } from '../../shared/ids.ts';
import type { Viewer } from '../accounts/viewer.ts';
import { organisedEditionsWhere, seesParticipantsOf, visibleRegistrationsWhere } from './events.access.ts';

/** What the participant list, the CSV export and the badges filter on; all optional. */
export interface ParticipantFilter {
  /** A hub organisation's id: its staff. */
  organisationId?: string | null;
  category?: ParticipantCategory | null;
  /** Holders of a confirmed seat in this session (the waitlist is not the session's audience). */
  sessionId?: string | null;
  /** true: arrived (checked in and not undone); false: not (yet) arrived. */
  checkedIn?: boolean | null;
  /** Default REGISTERED: a cancelled registration is listed only when asked for. */
  status?: RegistrationStatus | null;
  /** Contained in the name, the e-mail address or the organisation's name (any case). */
  text?: string | null;
}

/** Longest `text` filter (GraphQL bounds it with searchTextExtensions; the HTTP export here). */
export const PARTICIPANT_TEXT_MAX = 200;

/** The list's order, also the exports' (stable: the id breaks ties between namesakes). */
export const PARTICIPANT_ORDER = [
  { name: 'asc' },
  { id: 'asc' },
] satisfies Prisma.RegistrationOrderByWithRelationInput[];

function filterWhere(filter: ParticipantFilter | null | undefined): Prisma.RegistrationWhereInput[] {
  const where: Prisma.RegistrationWhereInput[] = [{ status: filter?.status ?? 'REGISTERED' }];
  if (!filter) return where;
  if (filter.organisationId) where.push({ organisationId: asUuid(filter.organisationId) });
  if (filter.category) where.push({ category: filter.category });
  if (filter.sessionId)
    where.push({ seats: { some: { sessionId: asUuid(filter.sessionId), status: 'CONFIRMED' } } });
  if (filter.checkedIn !== null && filter.checkedIn !== undefined)
    where.push({ checkedInAt: filter.checkedIn ? { not: null } : null });
  const text = filter.text?.trim();
  if (text) {
    const contains = { contains: text, mode: 'insensitive' as const };
    where.push({
      OR: [
        { name: contains },
        { email: contains },
        { organisationName: contains },
        { organisation: { name: contains } },
      ],
    });
  }
  return where;
}

/**
 * The registrations of an edition the viewer may list, filtered: the one WHERE of every path
 * (`editionId` null where the relation already scopes it: `EventEdition.participants`).
 */
export function participantsWhere(
  viewer: Viewer | null,
  editionId: string | null,
  filter?: ParticipantFilter | null,
): Prisma.RegistrationWhereInput {
  return {
    AND: [...(editionId ? [{ editionId }] : []), visibleRegistrationsWhere(viewer), ...filterWhere(filter)],
  };
}

// --- Counts ------------------------------------------------------------------------------------

export interface CategoryCount {
  category: ParticipantCategory;
  registered: number;
  checkedIn: number;
}

export interface OrganisationCount {
  /** A hub organisation, or null for a name written by hand (`name`). */
  organisationId: string | null;
  name: string;
  registered: number;
  checkedIn: number;
}

/** Counts of the registrations the viewer may see (cancelled ones apart). */
export interface ParticipantCounts {
  editionId: string;
  registered: number;
  checkedIn: number;
  notCheckedIn: number;
  cancelled: number;
  /** Every category, in the enum's order (zeros included). */
  byCategory: CategoryCount[];
  /** Organisations with someone registered, most registered first. */
  byOrganisation: OrganisationCount[];
}

/**
 * An edition's participants counted by category and organisation, arrived or not: all of them for
 * its organisers, their own staff for an organisation's admins; null for anyone else. One GROUP BY
 * whatever the size (arrivals are its count of `checkedInAt`), and the names of hub organisations
 * whose registrations carry none.
 */
export async function participantCounts(
  prisma: PrismaClient,
  viewer: Viewer | null,
  edition: { id: string; organisationId: string },
): Promise<ParticipantCounts | null> {
  if (!seesParticipantsOf(viewer, edition)) return null;
  const groups = await prisma.registration.groupBy({
    by: ['status', 'category', 'organisationId', 'organisationName'],
    where: { AND: [{ editionId: edition.id }, visibleRegistrationsWhere(viewer)] },
    _count: { _all: true, checkedInAt: true },
  });
  const unnamed = [
    ...new Set(groups.filter((g) => g.organisationId && !g.organisationName).map((g) => g.organisationId!)),
  ];
  const names = new Map(
    unnamed.length === 0
      ? []
      : (
          await prisma.organisation.findMany({
            where: { id: { in: unnamed } },
            select: { id: true, name: true },
          })
        ).map((o) => [o.id, o.name]),
  );
  const counts: ParticipantCounts = {
    editionId: edition.id,
    registered: 0,
    checkedIn: 0,
    notCheckedIn: 0,
    cancelled: 0,
    byCategory: Object.values(ParticipantCategory).map((category) => ({
      category,
      registered: 0,
      checkedIn: 0,
    })),
    byOrganisation: [],
  };
  const organisations = new Map<string, OrganisationCount>();
  for (const g of groups) {
    const n = g._count._all;
    if (g.status === 'CANCELLED') {
      counts.cancelled += n;
      continue;
    }
    const arrived = g._count.checkedInAt;
    counts.registered += n;
    counts.checkedIn += arrived;
    const category = counts.byCategory.find((c) => c.category === g.category)!;
    category.registered += n;
    category.checkedIn += arrived;
    const name = g.organisationName ?? (g.organisationId ? names.get(g.organisationId) : null) ?? '—';
    // A hub organisation by its id; a name written by hand by that name (any case, trimmed).
    const key = g.organisationId ?? `name:${name.trim().toLowerCase()}`;
    let org = organisations.get(key);
    if (!org) {
      org = { organisationId: g.organisationId, name: name.trim(), registered: 0, checkedIn: 0 };
      organisations.set(key, org);
    }
    org.registered += n;
    org.checkedIn += arrived;
  }
  counts.notCheckedIn = counts.registered - counts.checkedIn;
  counts.byOrganisation = [...organisations.values()].sort(
    (a, b) => b.registered - a.registered || a.name.localeCompare(b.name, 'fr'),
  );
  return counts;
}

// --- Exports -----------------------------------------------------------------------------------

/** The edition an export is asked for, by its slug: its organisers only; null for anyone else. */
export function exportableEdition(prisma: PrismaClient, viewer: Viewer | null, slug: string) {
  return prisma.eventEdition.findFirst({
    where: { slug, AND: [organisedEditionsWhere(viewer)] },
    select: { id: true, slug: true, organisationId: true, title: true },
  });
}

/** One participant as the CSV export and the badges print them. */
export interface ParticipantRow {
  id: string;
  name: string;
  email: string;
  organisation: string | null;
  function: string | null;
  category: ParticipantCategory;
  source: RegistrationSource;
  status: RegistrationStatus;
  accessibilityNeeds: string | null;
  badgeCode: string;
  checkedInAt: Date | null;
  registeredAt: Date;
  seats: { sessionId: string; status: SeatStatus }[];
}

/** Rows read per statement by the exports. */
export const EXPORT_BATCH = 500;

/**
 * The participants of an edition the viewer organises, in batches of `batchSize` in the list's
 * order (keyset pages on name and id): the exports write each batch before reading the next, so
 * memory holds one batch whatever the edition's size. Each page sorts what remains of the edition
 * (no index orders registrations by name): linear per page, fine for editions of thousands.
 * Yields nothing for anyone but the organisers (the caller checked already; this is the rule
 * again, in the WHERE).
 */
export async function* participantBatches(
  prisma: PrismaClient,
  viewer: Viewer | null,
  editionId: string,
  filter: ParticipantFilter | null,
  batchSize = EXPORT_BATCH,
): AsyncGenerator<ParticipantRow[]> {
  const where: Prisma.RegistrationWhereInput = {
    AND: [participantsWhere(viewer, editionId, filter), { edition: organisedEditionsWhere(viewer) }],
  };
  let after: { name: string; id: string } | null = null;
  for (;;) {
    const rows: Awaited<ReturnType<typeof readBatch>> = await readBatch(prisma, where, after, batchSize);
    if (rows.length === 0) return;
    yield rows.map((r) => ({
      id: r.id,
      name: r.name,
      email: r.email,
      organisation: r.organisationName ?? r.organisation?.name ?? null,
      function: r.function,
      category: r.category,
      source: r.source,
      status: r.status,
      accessibilityNeeds: r.accessibilityNeeds,
      badgeCode: r.badgeCode,
      checkedInAt: r.checkedInAt,
      registeredAt: r.createdAt,
      seats: r.seats,
    }));
    if (rows.length < batchSize) return;
    const last = rows[rows.length - 1]!;
    after = { name: last.name, id: last.id };
  }
}

function readBatch(
  prisma: PrismaClient,
  where: Prisma.RegistrationWhereInput,
  after: { name: string; id: string } | null,
  take: number,
) {
  return prisma.registration.findMany({
    where: after
      ? { AND: [where, { OR: [{ name: { gt: after.name } }, { name: after.name, id: { gt: after.id } }] }] }
      : where,
    orderBy: PARTICIPANT_ORDER,
    take,
    select: {
      id: true,
      name: true,
      email: true,
      organisationName: true,
      organisation: { select: { name: true } },
      function: true,
      category: true,
      source: true,
      status: true,
      accessibilityNeeds: true,
      badgeCode: true,
      checkedInAt: true,
      createdAt: true,
      seats: { select: { sessionId: true, status: true } },
    },
  });
}

/** The sessions of an edition by id, for the exports' "sessions" column. */
export async function editionSessions(
  prisma: PrismaClient,
  editionId: string,
): Promise<Map<string, { title: Prisma.JsonValue; startsAt: Date }>> {
  const sessions = await prisma.eventSession.findMany({
    where: { editionId },
    orderBy: [{ startsAt: 'asc' }, { id: 'asc' }],
    select: { id: true, title: true, startsAt: true },
  });
  return new Map(sessions.map((s) => [s.id, { title: s.title, startsAt: s.startsAt }]));
}
