/**
 * What the public sees of an edition (its page `/events/<slug>`, the iCalendar programme, and the
 * public fields of GraphQL): the programme, the stand directory and the participant list, each
 * participant with the fields they agreed to and nobody else ("and N others"), never an e-mail
 * and never a registration's ID. Consent is read at every request: a withdrawal or a cancellation
 * takes the person off at once. Who sees what is events.access.ts (`publicParticipantFields`,
 * `PUBLICLY_LISTED`, `visibleEditionsWhere(null)` for the public); this file only reads and shapes.
 */
import type { PrismaClient } from '../../generated/prisma/client.ts';
import type { EditionStatus, ParticipantCategory, SessionKind } from '../../generated/prisma/enums.ts';
import { ParticipantCategory as Categories } from '../../generated/prisma/enums.ts';
import { visibleOffersWhere } from '../catalogue/catalogue.access.ts';
import { localize, type Language, type Localized } from '../catalogue/translations.ts';
import {
  PUBLICLY_LISTED,
  publicParticipantFields,
  visibleEditionsWhere,
  type PublicParticipantFields,
} from './events.access.ts';

/** A participant as the public list shows them: only what they agreed to show. */
export interface PublicParticipant extends PublicParticipantFields {
  /** The hub organisation named, when the participant shows their organisation and it is one. */
  organisationId: string | null;
}

/** A list of participants as consent allows: those listed, and how many others there are. */
export interface PublicList {
  members: PublicParticipant[];
  /** Registered participants not listed (they agreed to show nothing). */
  othersCount: number;
}

/** What a registration must select for the public list (never its e-mail or ID). */
export const PUBLIC_REGISTRATION_SELECT = {
  status: true,
  anonymisedAt: true,
  name: true,
  organisationId: true,
  organisationName: true,
  function: true,
  showName: true,
  showOrganisation: true,
  showFunction: true,
  organisation: { select: { name: true } },
} as const;

interface RegistrationForPublic {
  status: string;
  anonymisedAt: Date | null;
  name: string;
  organisationId: string | null;
  organisationName: string | null;
  function: string | null;
  showName: boolean;
  showOrganisation: boolean;
  showFunction: boolean;
  organisation: { name: string } | null;
}

const collator = new Intl.Collator('fr', { sensitivity: 'base', numeric: true });

/** null last, then the collation of the text. */
function byText(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return collator.compare(a, b);
}

/**
 * Sorted by the organisation shown, then the name shown, then the function (what is not shown
 * sorts last and never decides the order: the order tells nothing a participant did not agree to).
 */
export function byOrganisationThenName(a: PublicParticipantFields, b: PublicParticipantFields): number {
  return byText(a.organisation, b.organisation) || byText(a.name, b.name) || byText(a.function, b.function);
}

/** One participant as the public sees them, or null when not listed. */
function publicView(r: RegistrationForPublic): PublicParticipant | null {
  const fields = publicParticipantFields({
    ...r,
    // The hub organisation's name when the registration names a hub organisation only.
    organisationName: r.organisationName ?? r.organisation?.name ?? null,
  });
  if (!fields) return null;
  return { ...fields, organisationId: fields.organisation !== null ? r.organisationId : null };
}

/** Registrations as a public list: REGISTERED ones listed by their consent, the others counted. */
export function publicList(registrations: readonly RegistrationForPublic[]): PublicList {
  const registered = registrations.filter((r) => r.status === 'REGISTERED');
  const members = registered
    .map(publicView)
    .filter((p): p is PublicParticipant => p !== null)
    .sort(byOrganisationThenName);
  return { members, othersCount: registered.length - members.length };
}

/** The participant list of an edition (the caller has checked it may see the edition). */
export async function editionParticipants(prisma: PrismaClient, editionId: string): Promise<PublicList> {
  const [listed, registered] = await Promise.all([
    prisma.registration.findMany({
      where: { editionId, AND: [PUBLICLY_LISTED] },
      select: PUBLIC_REGISTRATION_SELECT,
    }),
    prisma.registration.count({ where: { editionId, status: 'REGISTERED' } }),
  ]);
  const { members } = publicList(listed);
  return { members, othersCount: registered - members.length };
}

/** The public teams of stands, in the order of `standIds` (one statement for them all). */
export async function standTeams(prisma: PrismaClient, standIds: readonly string[]): Promise<PublicList[]> {
  const rows = await prisma.standMember.findMany({
    where: { standId: { in: [...standIds] } },
    select: { standId: true, registration: { select: PUBLIC_REGISTRATION_SELECT } },
  });
  const byStand = new Map<string, RegistrationForPublic[]>();
  for (const row of rows) {
    const list = byStand.get(row.standId) ?? [];
    list.push(row.registration);
    byStand.set(row.standId, list);
  }
  return standIds.map((id) => publicList(byStand.get(id) ?? []));
}

// --- Comparing editions --------------------------------------------------------------------------

/** An edition in figures: teams (stands), organisations present, participants by category. */
export interface EditionFigures {
  editionId: string;
  /** Stands. */
  teams: number;
  /** Distinct organisations with a stand or a registered participant (a hub one, or a name given). */
  organisations: number;
  /** REGISTERED participants. */
  participants: number;
  /** REGISTERED participants per category, every category listed (0 included), in the enum's order. */
  byCategory: { category: ParticipantCategory; count: number }[];
}

/**
 * Figures of editions, in the order of `editionIds` (the caller has checked it may see them).
 * Counts only, which retention keeps: an anonymised edition compares like any other.
 */
export async function editionFigures(
  prisma: PrismaClient,
  editionIds: readonly string[],
): Promise<EditionFigures[]> {
  const ids = [...editionIds];
  const [stands, categories, organisations] = await Promise.all([
    prisma.stand.findMany({
      where: { editionId: { in: ids } },
      select: { editionId: true, organisationId: true },
    }),
    prisma.registration.groupBy({
      by: ['editionId', 'category'],
      where: { editionId: { in: ids }, status: 'REGISTERED' },
      _count: { _all: true },
    }),
    prisma.registration.groupBy({
      by: ['editionId', 'organisationId', 'organisationName'],
      where: { editionId: { in: ids }, status: 'REGISTERED' },
    }),
  ]);
  return ids.map((editionId) => {
    const present = new Set<string>();
    for (const s of stands) if (s.editionId === editionId) present.add(s.organisationId);
    for (const o of organisations) {
      if (o.editionId !== editionId) continue;
      const key = o.organisationId ?? o.organisationName?.trim().toLocaleLowerCase('fr');
      if (key) present.add(key);
    }
    const counts = new Map<ParticipantCategory, number>();
    for (const c of categories) if (c.editionId === editionId) counts.set(c.category, c._count._all);
    const byCategory = Object.values(Categories).map((category) => ({
      category,
      count: counts.get(category) ?? 0,
    }));
    return {
      editionId,
      teams: stands.filter((s) => s.editionId === editionId).length,
      organisations: present.size,
      participants: byCategory.reduce((sum, c) => sum + c.count, 0),
      byCategory,
    };
  });
}

// --- The public page and the iCalendar programme -------------------------------------------------

/** The events' clock: programmes are written and read in Luxembourg's time. */
export const EVENT_TIME_ZONE = 'Europe/Luxembourg';

export interface PublicSpeaker {
  name: string;
  organisation: string | null;
  function: string | null;
}

export interface PublicSession {
  id: string;
  kind: SessionKind;
  title: Localized;
  description: Localized | null;
  startsAt: Date;
  endsAt: Date;
  room: string | null;
  /** Null: no limit. */
  capacity: number | null;
  seatsTaken: number;
  waitlistLength: number;
  speakers: PublicSpeaker[];
  updatedAt: Date;
}

export interface PublicVenue {
  name: string;
  street: string | null;
  postcode: string | null;
  commune: string;
}

export interface PublicStand {
  id: string;
  number: string | null;
  organisation: { id: string; name: string };
  title: Localized;
  description: Localized | null;
  results: Localized | null;
  figures: { label: Localized; value: number }[];
  /** Its organisation's offers the public may see (catalogue.access.ts). */
  offers: { id: string; title: Localized }[];
  team: PublicList;
}

export interface PublicEdition {
  id: string;
  slug: string;
  lang: Language;
  status: EditionStatus;
  event: { slug: string; name: Localized | null };
  organisation: { id: string; name: string };
  title: Localized;
  description: Localized | null;
  startsAt: Date;
  endsAt: Date;
  /** When registration closes (null: when the edition starts); see registrationOpen. */
  registrationClosesAt: Date | null;
  venue: PublicVenue | null;
  /** By start time. */
  sessions: PublicSession[];
  /** By stand number (numbers in numeric order), stands without one last. */
  stands: PublicStand[];
  participants: PublicList;
  /** The latest change of the edition or its programme (the feed's Last-Modified). */
  programmeUpdatedAt: Date;
}

const text = (value: unknown, lang: Language): Localized | null => localize(value, [lang]);
const untitled = (lang: Language): Localized => ({ text: '', language: lang, fallback: false });

function speakersOf(value: unknown): PublicSpeaker[] {
  if (!Array.isArray(value)) return [];
  const str = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);
  return value.flatMap((s: unknown) => {
    if (!s || typeof s !== 'object') return [];
    const o = s as Record<string, unknown>;
    const name = str(o.name);
    return name ? [{ name, organisation: str(o.organisation), function: str(o.function) }] : [];
  });
}

function figuresOf(value: unknown, lang: Language): PublicStand['figures'] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((f: unknown) => {
    if (!f || typeof f !== 'object') return [];
    const o = f as Record<string, unknown>;
    const label = text(o.label, lang);
    return label && typeof o.value === 'number' && Number.isFinite(o.value)
      ? [{ label, value: o.value }]
      : [];
  });
}

/** Stands by number in numeric order ("2" before "10"), those without one last, then by organisation. */
export function byStandNumber(
  a: { number: string | null; organisation: { name: string } },
  b: { number: string | null; organisation: { name: string } },
): number {
  return byText(a.number, b.number) || collator.compare(a.organisation.name, b.organisation.name);
}

/**
 * The public edition `slug` as the page and the feed show it in `lang`; null when the public may
 * not see it (unknown, or a DRAFT: all alike). A constant number of SQL statements whatever the
 * size of the programme, the directory or the list.
 */
export async function publicEdition(
  prisma: PrismaClient,
  slug: string,
  lang: Language,
): Promise<PublicEdition | null> {
  const edition = await prisma.eventEdition.findFirst({
    // The public is the anonymous viewer: the module's rule, read for `null`.
    where: { slug, AND: [visibleEditionsWhere(null)] },
    include: {
      event: { select: { slug: true, name: true } },
      organisation: { select: { id: true, name: true } },
      venue: { select: { name: true, street: true, postcode: true, commune: true } },
      sessions: { orderBy: [{ startsAt: 'asc' }, { id: 'asc' }] },
      stands: {
        include: {
          organisation: { select: { id: true, name: true } },
          offers: { where: visibleOffersWhere(null), select: { id: true, title: true } },
          team: { select: { registration: { select: PUBLIC_REGISTRATION_SELECT } } },
        },
      },
    },
  });
  if (!edition) return null;
  const [seats, participants] = await Promise.all([
    prisma.registrationSeat.groupBy({
      by: ['sessionId', 'status'],
      where: { session: { editionId: edition.id } },
      _count: { _all: true },
    }),
    editionParticipants(prisma, edition.id),
  ]);
  const seatCount = (sessionId: string, status: 'CONFIRMED' | 'WAITLISTED') =>
    seats.find((s) => s.sessionId === sessionId && s.status === status)?._count._all ?? 0;

  let programmeUpdatedAt = edition.updatedAt;
  const sessions = edition.sessions.map((s): PublicSession => {
    if (s.updatedAt > programmeUpdatedAt) programmeUpdatedAt = s.updatedAt;
    return {
      id: s.id,
      kind: s.kind,
      title: text(s.title, lang) ?? untitled(lang),
      description: text(s.description, lang),
      startsAt: s.startsAt,
      endsAt: s.endsAt,
      room: s.room,
      capacity: s.capacity,
      seatsTaken: seatCount(s.id, 'CONFIRMED'),
      waitlistLength: seatCount(s.id, 'WAITLISTED'),
      speakers: speakersOf(s.speakers),
      updatedAt: s.updatedAt,
    };
  });
  const stands = edition.stands
    .map((s): PublicStand => ({
      id: s.id,
      number: s.number,
      organisation: s.organisation,
      title: text(s.title, lang) ?? untitled(lang),
      description: text(s.description, lang),
      results: text(s.results, lang),
      figures: figuresOf(s.figures, lang),
      offers: s.offers
        .flatMap((o) => {
          const title = text(o.title, lang);
          return title ? [{ id: o.id, title }] : [];
        })
        .sort((a, b) => collator.compare(a.title.text, b.title.text)),
      team: publicList(s.team.map((m) => m.registration)),
    }))
    .sort(byStandNumber);

  return {
    id: edition.id,
    slug: edition.slug,
    lang,
    status: edition.status,
    event: { slug: edition.event.slug, name: text(edition.event.name, lang) },
    organisation: edition.organisation,
    title: text(edition.title, lang) ?? untitled(lang),
    description: text(edition.description, lang),
    startsAt: edition.startsAt,
    endsAt: edition.endsAt,
    registrationClosesAt: edition.registrationClosesAt,
    venue: edition.venue,
    sessions,
    stands,
    participants,
    programmeUpdatedAt,
  };
}

/** The slug of a series' newest edition the public may see, or null. */
export async function newestPublicEditionSlug(
  prisma: PrismaClient,
  seriesSlug: string,
): Promise<string | null> {
  const edition = await prisma.eventEdition.findFirst({
    where: { event: { slug: seriesSlug }, AND: [visibleEditionsWhere(null)] },
    orderBy: [{ startsAt: 'desc' }, { id: 'desc' }],
    select: { slug: true },
  });
  return edition?.slug ?? null;
}
