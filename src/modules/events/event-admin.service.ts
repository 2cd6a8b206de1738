/**
 * What organisers set up: a series, its editions (days, venue, invited organisations and their
 * registration codes, status), and the programme's sessions. Every function checks who asks
 * before reading anything the caller may not see (events.access.ts), and writes nothing on a
 * typed error.
 */
import type {
  EditionStatus,
  EventEdition,
  EventSession,
  SessionKind,
} from '../../generated/prisma/client.ts';
import { DateTime } from 'luxon';
import { Prisma, type PrismaClient } from '../../generated/prisma/client.ts';
import {
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  VersionConflictError,
  type FieldProblem,
} from '../../shared/errors.ts';
import { asUuid } from '../../shared/ids.ts';
import { secretPlace, secrets } from '../../shared/secrets.ts';
import { generateSecret } from '../accounts/secret-codes.ts';
import type { Viewer } from '../accounts/viewer.ts';
import { toTranslations, type Translations } from '../catalogue/translations.ts';
import {
  organises,
  visibleEditionsWhere,
  visibleEventsWhere,
  visibleSessionsWhere,
} from './events.access.ts';
import type { AccountServices } from '../accounts/account-services.ts';
import {
  lockSessions,
  promote,
  registrationOpen,
  codesValidUntil,
  tellEditionMoved,
  tellMoved,
  tellPromoted,
  tellSessionCancelled,
  type SeatNews,
} from './registration.service.ts';

export const EVENT_SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** Addresses under /events/ the hub uses itself (the participant's manage page). */
const RESERVED_SLUGS = new Set(['manage']);

/**
 * What is wrong with a new event's or edition's address, if anything: series and editions share
 * `/events/<slug>` (a series' address leads to its newest edition), so neither may take the
 * other's. Two creations of one slug in the same table are settled by its unique index; a series
 * and an edition created at the same instant with one slug could both pass (left: rare, and the
 * edition's page would win).
 */
async function slugProblem(db: PrismaClient, slug: string): Promise<FieldProblem | null> {
  const path = ['input', 'slug'];
  if (!EVENT_SLUG_PATTERN.test(slug)) {
    return { path, message: 'lower-case letters, digits and single hyphens only', reason: 'FORMAT' };
  }
  if (RESERVED_SLUGS.has(slug)) return { path, message: 'is reserved by the hub', reason: 'TAKEN' };
  const [event, edition] = await Promise.all([
    db.event.findUnique({ where: { slug }, select: { id: true } }),
    db.eventEdition.findUnique({ where: { slug }, select: { id: true } }),
  ]);
  return event || edition ? { path, message: 'is already used', reason: 'TAKEN' } : null;
}

type TextList = readonly { language: string; text: string }[];

const invalid = (fields: FieldProblem[]) => new InvalidInputError(null, fields);

/** An edition's or a session's title given with no text in any language. */
const titleMissing = (): FieldProblem => ({
  path: ['input', 'title'],
  message: 'needs a title in at least one language',
  reason: 'REQUIRED',
});

/** A session's capacity below one seat. */
const noSeat = (): FieldProblem => ({
  path: ['input', 'capacity'],
  message: 'must be at least 1 (null or left out: no limit)',
  reason: 'TOO_SMALL',
  limit: 1,
});

/** An end that is not after the start (`path`: where the two fields are). */
const endsTooEarly = (path: string[]): FieldProblem => ({
  path: [...path, 'endsAt'],
  message: 'must be after startsAt',
});

/** A session's times outside its edition's: a problem at the start, or at the end. */
function outsideEdition(
  edition: { startsAt: Date; endsAt: Date },
  startsAt: Date,
  endsAt: Date,
): FieldProblem[] {
  const out: FieldProblem[] = [];
  if (startsAt < edition.startsAt) {
    out.push({
      path: ['input', 'startsAt'],
      message: 'is before the edition starts: a session takes place during its edition',
      reason: 'OUTSIDE_EDITION',
    });
  }
  if (endsAt > edition.endsAt) {
    out.push({
      path: ['input', 'endsAt'],
      message: 'is after the edition ends: a session takes place during its edition',
      reason: 'OUTSIDE_EDITION',
    });
  }
  return out;
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}

/** Translated text, or null when the list is empty. */
function texts(list: TextList | null | undefined): Translations | null {
  const out = toTranslations(list ?? []);
  return Object.keys(out).length > 0 ? out : null;
}

const json = (t: Translations | null) => (t === null ? Prisma.DbNull : t);

// --- Series ----------------------------------------------------------------------------------

export interface CreateEventInput {
  organisationId: string;
  slug: string;
  name: TextList;
  description?: TextList | null;
}

export async function createEvent(prisma: PrismaClient, viewer: Viewer | null, input: CreateEventInput) {
  const organisationId = asUuid(input.organisationId);
  if (!organises(viewer, organisationId)) {
    throw new ForbiddenError('run events for this organisation (its event organisers and admins do)');
  }
  const problems: FieldProblem[] = [];
  const slug = await slugProblem(prisma, input.slug);
  if (slug) problems.push(slug);
  const name = texts(input.name);
  if (!name) problems.push({ path: ['input', 'name'], message: 'needs a name in at least one language' });
  if (problems.length > 0) throw invalid(problems);
  try {
    return await prisma.event.create({
      data: { organisationId, slug: input.slug, name: name!, description: json(texts(input.description)) },
    });
  } catch (error) {
    if (isUniqueViolation(error))
      throw invalid([{ path: ['input', 'slug'], message: 'is already used', reason: 'TAKEN' }]);
    throw error;
  }
}

// --- Editions --------------------------------------------------------------------------------

export interface CreateEditionInput {
  eventId: string;
  slug: string;
  title: TextList;
  description?: TextList | null;
  startsAt: Date;
  endsAt: Date;
  venueSiteId?: string | null;
  registrationClosesAt?: Date | null;
  invitedOrganisationIds?: readonly string[] | null;
}

function datesProblems(
  startsAt: Date,
  endsAt: Date,
  closesAt: Date | null | undefined,
  path: string[],
): FieldProblem[] {
  const out: FieldProblem[] = [];
  if (endsAt <= startsAt) out.push(endsTooEarly(path));
  if (closesAt && closesAt > endsAt) {
    out.push({ path: [...path, 'registrationClosesAt'], message: 'must be before the edition ends' });
  }
  return out;
}

/** A registration code for each organisation, sealed, valid until `expiresAt` (codesValidUntil). */
function invitationRows(editionId: string, organisationIds: string[], expiresAt: Date) {
  return organisationIds.map((organisationId) => {
    const { code, hash } = generateSecret('evc');
    return {
      editionId,
      organisationId,
      codeHash: hash,
      codeSealed: secrets().seal(code, secretPlace.editionCode(editionId, organisationId)),
      expiresAt,
    };
  });
}

async function knownOrganisations(
  prisma: PrismaClient | Prisma.TransactionClient,
  ids: readonly string[],
): Promise<string[]> {
  const unique = [...new Set(ids.map(asUuid))];
  const found = await prisma.organisation.findMany({ where: { id: { in: unique } }, select: { id: true } });
  if (found.length !== unique.length) throw new NotFoundError('organisation');
  return unique;
}

/** The series, when the viewer may see it, and whether they organise it. */
async function organisedEvent(prisma: PrismaClient, viewer: Viewer | null, eventId: string) {
  const event = await prisma.event.findFirst({
    where: { id: asUuid(eventId), AND: [visibleEventsWhere(viewer)] },
  });
  if (!event) throw new NotFoundError('event');
  if (!organises(viewer, event.organisationId)) throw new ForbiddenError('change this event');
  return event;
}

/** The edition, when the viewer may see it and organises it. */
export async function organisedEdition(
  db: PrismaClient | Prisma.TransactionClient,
  viewer: Viewer | null,
  editionId: string,
): Promise<EventEdition> {
  const edition = await db.eventEdition.findFirst({
    where: { id: asUuid(editionId), AND: [visibleEditionsWhere(viewer)] },
  });
  if (!edition) throw new NotFoundError('event edition');
  if (!organises(viewer, edition.organisationId)) throw new ForbiddenError('change this edition');
  return edition;
}

export async function createEventEdition(
  prisma: PrismaClient,
  viewer: Viewer | null,
  input: CreateEditionInput,
): Promise<EventEdition> {
  const event = await organisedEvent(prisma, viewer, input.eventId);
  const problems = datesProblems(input.startsAt, input.endsAt, input.registrationClosesAt, ['input']);
  const slug = await slugProblem(prisma, input.slug);
  if (slug) problems.push(slug);
  const title = texts(input.title);
  if (!title) problems.push(titleMissing());
  if (problems.length > 0) throw invalid(problems);
  const invited = await knownOrganisations(prisma, input.invitedOrganisationIds ?? []);
  const venueSiteId = input.venueSiteId ? asUuid(input.venueSiteId) : null;
  if (venueSiteId && !(await prisma.site.findUnique({ where: { id: venueSiteId }, select: { id: true } }))) {
    throw new NotFoundError('site');
  }
  try {
    return await prisma.$transaction(async (tx) => {
      const edition = await tx.eventEdition.create({
        data: {
          eventId: event.id,
          organisationId: event.organisationId,
          slug: input.slug,
          title: title!,
          description: json(texts(input.description)),
          startsAt: input.startsAt,
          endsAt: input.endsAt,
          venueSiteId,
          registrationClosesAt: input.registrationClosesAt ?? null,
        },
      });
      await tx.editionInvitation.createMany({
        data: invitationRows(edition.id, invited, codesValidUntil(edition)),
      });
      return edition;
    });
  } catch (error) {
    if (isUniqueViolation(error))
      throw invalid([{ path: ['input', 'slug'], message: 'is already used', reason: 'TAKEN' }]);
    throw error;
  }
}

export interface UpdateEditionInput {
  id: string;
  expectedVersion: number;
  title?: TextList | null;
  description?: TextList | null;
  startsAt?: Date | null;
  endsAt?: Date | null;
  venueSiteId?: string | null;
  registrationClosesAt?: Date | null;
  status?: EditionStatus | null;
}

/**
 * Changes an edition the viewer organises. Moved by whole days (its first and last day both
 * shifted by the same number of days on Luxembourg's calendar), its programme and its closing
 * time move with it, each at the same time of day on Luxembourg's clock, summer time or not; a
 * change of length (a day added or dropped, other hours) moves nothing else. Dates that would
 * leave a session outside the edition's hours are refused (`SESSIONS_OUTSIDE`, at the date that
 * excludes it). A change of dates before the edition ends is told by mail, after commit, to
 * everyone registered, with their programme. One transaction that locks the edition, then its
 * sessions (a registration holds the edition's key before its sessions; taking a session off
 * the programme locks the edition first too); a stale `expectedVersion` changes nothing.
 */
export async function updateEventEdition(
  prisma: PrismaClient,
  services: Pick<AccountServices, 'mailer' | 'publicUrl'>,
  viewer: Viewer | null,
  input: UpdateEditionInput,
  now: Date = new Date(),
): Promise<{ edition: EventEdition; toldCount: number }> {
  // Who asks first: the edition must be one the viewer sees and organises.
  const found = await organisedEdition(prisma, viewer, input.id);
  const { edition, told } = await prisma.$transaction(async (tx) => {
    const [locked] = await tx.$queryRaw<{ version: number }[]>`
      SELECT version FROM "EventEdition" WHERE id = ${found.id}::uuid FOR UPDATE`;
    if (!locked) throw new NotFoundError('edition');
    if (locked.version !== input.expectedVersion) {
      throw new VersionConflictError(input.expectedVersion, locked.version);
    }
    const current = await tx.eventEdition.findUniqueOrThrow({ where: { id: found.id } });
    const startsAt = input.startsAt ?? current.startsAt;
    const endsAt = input.endsAt ?? current.endsAt;
    const moved =
      startsAt.getTime() !== current.startsAt.getTime() || endsAt.getTime() !== current.endsAt.getTime();
    // Moved by whole days: the same shift for both ends (else a change of length: 0).
    const startDays = luxembourgDaysBetween(current.startsAt, startsAt);
    const days = moved && startDays === luxembourgDaysBetween(current.endsAt, endsAt) ? startDays : 0;
    const closesAt =
      input.registrationClosesAt !== undefined
        ? input.registrationClosesAt
        : current.registrationClosesAt && shiftLuxembourgDays(current.registrationClosesAt, days);
    // Only the dates a change touches are checked: closing or reopening registration is never
    // refused for dates that stay as they were.
    const datesChange = moved || input.registrationClosesAt !== undefined;
    const problems = datesChange ? datesProblems(startsAt, endsAt, closesAt, ['input']) : [];
    // Opening registration to a time already past would leave it closed behind an OPEN status;
    // a closing time is always set ahead (a past one would only wait to mislead a reopening).
    const opening = input.status === 'OPEN' && current.status !== 'OPEN';
    // Nor may a move carry a closing time ahead into the past, closing registration unasked.
    const carriedPast =
      closesAt !== current.registrationClosesAt &&
      (input.status ?? current.status) === 'OPEN' &&
      registrationOpen(current, now);
    if (
      (opening || input.registrationClosesAt !== undefined || carriedPast) &&
      !registrationOpen({ status: 'OPEN', registrationClosesAt: closesAt, startsAt }, now)
    ) {
      problems.push({
        path: ['input', 'registrationClosesAt'],
        message: 'has passed: registration would stay closed',
        reason: 'PAST',
      });
    }
    const title = input.title ? texts(input.title) : undefined;
    if (input.title && !title) {
      problems.push(titleMissing());
    }
    // The programme, locked, as it will stand.
    const sessions = moved ? await shiftedSessions(tx, found.id, days) : [];
    if (problems.length === 0) problems.push(...sessionsOutside(sessions, startsAt, endsAt));
    if (problems.length > 0) throw invalid(problems);
    const data: Prisma.EventEditionUncheckedUpdateInput = { version: { increment: 1 }, startsAt, endsAt };
    if (title) data.title = title;
    if (input.description !== undefined) data.description = json(texts(input.description));
    if (closesAt !== current.registrationClosesAt) data.registrationClosesAt = closesAt;
    if (input.status) data.status = input.status;
    if (input.venueSiteId !== undefined) {
      const venue = input.venueSiteId ? asUuid(input.venueSiteId) : null;
      if (venue && !(await tx.site.findUnique({ where: { id: venue }, select: { id: true } }))) {
        throw new NotFoundError('site');
      }
      data.venueSiteId = venue;
    }
    if (days !== 0 && sessions.length > 0) {
      await tx.$executeRaw`
        UPDATE "EventSession" AS s
        SET "startsAt" = m.starts, "endsAt" = m.ends, version = s.version + 1, "updatedAt" = ${new Date()}
        FROM unnest(${sessions.map((x) => x.id)}::uuid[], ${sessions.map((x) => x.startsAt)}::timestamptz[],
                    ${sessions.map((x) => x.endsAt)}::timestamptz[]) AS m(id, starts, ends)
        WHERE s.id = m.id`;
    }
    const updated = await tx.eventEdition.update({ where: { id: found.id }, data });
    // The codes follow the edition (a code written before this rule is brought in line too).
    const validUntil = codesValidUntil(updated);
    await tx.editionInvitation.updateMany({
      where: { editionId: found.id, expiresAt: { not: validUntil } },
      data: { expiresAt: validUntil },
    });
    // Before the edition ends, everyone registered is told of the new dates (a draft has nobody
    // registered, unless it was published before).
    const registrations =
      moved && current.endsAt > now
        ? await tx.registration.findMany({
            where: { editionId: found.id, status: 'REGISTERED', anonymisedAt: null },
            select: { id: true },
            orderBy: { createdAt: 'asc' },
          })
        : [];
    return { edition: updated, told: registrations.map((r) => r.id) };
  });
  await tellEditionMoved(prisma, services, told);
  return { edition, toldCount: told.length };
}

const LUXEMBOURG = 'Europe/Luxembourg';

/** Calendar days on Luxembourg's clock from `from`'s day to `to`'s (negative: earlier). */
function luxembourgDaysBetween(from: Date, to: Date): number {
  const day = (d: Date) => DateTime.fromJSDate(d, { zone: LUXEMBOURG }).startOf('day');
  return Math.round(day(to).diff(day(from), 'days').days);
}

/** `days` later (earlier when negative) at the same time of day on Luxembourg's clock. */
function shiftLuxembourgDays(at: Date, days: number): Date {
  return days === 0 ? at : DateTime.fromJSDate(at, { zone: LUXEMBOURG }).plus({ days }).toJSDate();
}

/** The edition's sessions, locked (in id order), with their times `days` later. */
async function shiftedSessions(tx: Prisma.TransactionClient, editionId: string, days: number) {
  const rows = await tx.$queryRaw<{ id: string; startsAt: Date; endsAt: Date }[]>`
    SELECT id, "startsAt", "endsAt" FROM "EventSession" WHERE "editionId" = ${editionId}::uuid
    ORDER BY id FOR UPDATE`;
  return rows.map((r) => ({
    id: r.id,
    startsAt: shiftLuxembourgDays(r.startsAt, days),
    endsAt: shiftLuxembourgDays(r.endsAt, days),
  }));
}

/**
 * A problem at the start when a session would begin before the edition, at the end when one
 * would end after it (`limit`: how many).
 */
function sessionsOutside(
  sessions: readonly { startsAt: Date; endsAt: Date }[],
  startsAt: Date,
  endsAt: Date,
): FieldProblem[] {
  const before = sessions.filter((x) => x.startsAt < startsAt).length;
  const after = sessions.filter((x) => x.endsAt > endsAt).length;
  const out: FieldProblem[] = [];
  if (before > 0) {
    out.push({
      path: ['input', 'startsAt'],
      message: `${before} session(s) of the programme would start before the edition: move or take them off first`,
      reason: 'SESSIONS_OUTSIDE',
      limit: before,
    });
  }
  if (after > 0) {
    out.push({
      path: ['input', 'endsAt'],
      message: `${after} session(s) of the programme would end after the edition: move or take them off first`,
      reason: 'SESSIONS_OUTSIDE',
      limit: after,
    });
  }
  return out;
}

/** Invites organisations (those already invited keep their code). Returns the edition. */
export async function inviteOrganisations(
  prisma: PrismaClient,
  viewer: Viewer | null,
  editionId: string,
  organisationIds: readonly string[],
): Promise<EventEdition> {
  const edition = await organisedEdition(prisma, viewer, editionId);
  const ids = await knownOrganisations(prisma, organisationIds);
  await prisma.$transaction(async (tx) => {
    // The dates as committed, held until the codes are in: an edition moved meanwhile
    // (updateEventEdition) moves these codes too, or waits for them.
    const [dates] = await tx.$queryRaw<{ endsAt: Date; registrationClosesAt: Date | null }[]>`
      SELECT "endsAt", "registrationClosesAt" FROM "EventEdition" WHERE id = ${edition.id}::uuid FOR SHARE`;
    await tx.editionInvitation.createMany({
      data: invitationRows(edition.id, ids, codesValidUntil(dates!)),
      skipDuplicates: true,
    });
  });
  return edition;
}

/**
 * Withdraws an organisation's invitation to an edition the viewer organises: its code stops
 * working at once (a code posted where it should not be, an organisation invited by mistake);
 * those already registered with it stay. Inviting the organisation again gives it a new code.
 * The code's hash is kept (`WithdrawnEditionCode`), so that it is answered WITHDRAWN, not counted
 * as a wrong guess against the address of whoever still follows a link with it.
 * NotFoundError when it is not invited. A registration that read the code just before the
 * withdrawal committed still goes through (the code is not locked): the withdrawal acts from
 * the next one.
 */
export async function withdrawInvitation(
  prisma: PrismaClient,
  viewer: Viewer | null,
  editionId: string,
  organisationId: string,
): Promise<EventEdition> {
  const edition = await organisedEdition(prisma, viewer, editionId);
  await prisma.$transaction(async (tx) => {
    // The edition first, as inviteOrganisations holds it: the withdrawn code's row below checks its
    // edition (a key-share lock), and updateEventEdition locks the edition, then the invitations.
    await tx.$queryRaw`SELECT 1 FROM "EventEdition" WHERE id = ${edition.id}::uuid FOR SHARE`;
    const withdrawn = await tx.editionInvitation.findUnique({
      where: { editionId_organisationId: { editionId: edition.id, organisationId: asUuid(organisationId) } },
      select: { codeHash: true, organisationId: true },
    });
    // Deleted by its code: a withdrawal racing this one deletes nothing and is NotFound.
    const { count } = withdrawn
      ? await tx.editionInvitation.deleteMany({ where: { codeHash: withdrawn.codeHash } })
      : { count: 0 };
    if (!withdrawn || count === 0) throw new NotFoundError('invitation');
    // The code is kept (hashed) to be answered "withdrawn", not counted as a guess.
    await tx.withdrawnEditionCode.create({
      data: { codeHash: withdrawn.codeHash, editionId: edition.id, organisationId: withdrawn.organisationId },
    });
  });
  return edition;
}

/**
 * An invited organisation's registration code, for those who hand it out: the edition's
 * organisers and the organisation's admins (null for anyone else).
 */
export function invitationCode(
  viewer: Viewer | null,
  invitation: { editionId: string; organisationId: string; codeSealed: string },
  edition: { organisationId: string },
  isAdminOf: (organisationId: string) => boolean,
): string | null {
  if (!organises(viewer, edition.organisationId) && !isAdminOf(invitation.organisationId)) return null;
  return secrets().open(
    invitation.codeSealed,
    secretPlace.editionCode(invitation.editionId, invitation.organisationId),
  );
}

// --- Sessions --------------------------------------------------------------------------------

export interface SessionInput {
  kind?: SessionKind | null;
  title?: TextList | null;
  description?: TextList | null;
  startsAt?: Date | null;
  endsAt?: Date | null;
  room?: string | null;
  capacity?: number | null;
  speakers?: readonly { name: string; organisation?: string | null; function?: string | null }[] | null;
}

export async function createSession(
  prisma: PrismaClient,
  viewer: Viewer | null,
  editionId: string,
  input: SessionInput & { kind: SessionKind; title: TextList; startsAt: Date; endsAt: Date },
): Promise<EventSession> {
  const edition = await organisedEdition(prisma, viewer, editionId);
  const title = texts(input.title);
  const problems: FieldProblem[] = [];
  if (!title) problems.push(titleMissing());
  if (input.endsAt <= input.startsAt) problems.push(endsTooEarly(['input']));
  if (input.capacity != null && input.capacity < 1) problems.push(noSeat());
  if (problems.length > 0) throw invalid(problems);
  return prisma.$transaction(async (tx) => {
    // The edition's days as committed, held until the session is in: a move of the edition
    // (updateEventEdition) waits for it and moves it too, or goes first and is read here.
    const [dates] = await tx.$queryRaw<{ startsAt: Date; endsAt: Date }[]>`
      SELECT "startsAt", "endsAt" FROM "EventEdition" WHERE id = ${edition.id}::uuid FOR SHARE`;
    const outside = outsideEdition(dates!, input.startsAt, input.endsAt);
    if (outside.length > 0) throw invalid(outside);
    return tx.eventSession.create({
      data: {
        editionId: edition.id,
        kind: input.kind,
        title: title!,
        description: json(texts(input.description)),
        startsAt: input.startsAt,
        endsAt: input.endsAt,
        room: input.room?.trim() || null,
        capacity: input.capacity ?? null,
        speakers: speakerRows(input.speakers),
      },
    });
  });
}

/**
 * A session of an edition the viewer organises, with that edition: NotFound when the viewer does
 * not see the session, Forbidden when they see it but do not organise its edition. Read before
 * any lock.
 */
async function organisedSession(
  prisma: PrismaClient,
  viewer: Viewer | null,
  id: string,
): Promise<{ found: { id: string; editionId: string }; edition: EventEdition }> {
  const found = await prisma.eventSession.findFirst({
    where: { id: asUuid(id), AND: [visibleSessionsWhere(viewer)] },
    select: { id: true, editionId: true },
  });
  if (!found) throw new NotFoundError('session');
  return { found, edition: await organisedEdition(prisma, viewer, found.editionId) };
}

export interface UpdateSessionInput extends SessionInput {
  id: string;
  expectedVersion: number;
}

/** A speaker as stored: trimmed, empty parts as null. */
const speakerRows = (speakers: SessionInput['speakers']) =>
  (speakers ?? []).map((s) => ({
    name: s.name.trim(),
    organisation: s.organisation?.trim() || null,
    function: s.function?.trim() || null,
  }));

/**
 * Changes a session of an edition the viewer organises: what it is, when, where, its speakers and
 * its seats. Fields left out stay; `capacity: null` lifts the limit, `room: null` clears it. Seats
 * are never taken back: a capacity below the confirmed seats is refused. While the edition takes
 * registrations, a capacity raised (or lifted) gives the new seats to the people waiting, in order,
 * each told by mail after commit, as a cancellation does; once registration has closed, nobody is
 * moved or mailed. One transaction that locks the session; a stale `expectedVersion` changes
 * nothing. Returns the session and how many people got a seat.
 */
export async function updateSession(
  prisma: PrismaClient,
  services: Pick<AccountServices, 'mailer' | 'publicUrl'>,
  viewer: Viewer | null,
  input: UpdateSessionInput,
): Promise<{ session: EventSession; promotedCount: number; toldCount: number }> {
  // Who asks first: the session's edition must be one the viewer sees and organises.
  const { found, edition } = await organisedSession(prisma, viewer, input.id);
  const news: SeatNews = { promoted: new Set() };
  /** Registrations to tell of a new time or room, after commit. */
  const told: string[] = [];
  const session = await prisma.$transaction(async (tx) => {
    await lockSessions(tx, [found.id]);
    const current = await tx.eventSession.findUnique({ where: { id: found.id } });
    // Taken off the programme (cancelSession) while this request waited for the lock.
    if (!current) throw new NotFoundError('session');
    if (current.version !== input.expectedVersion) {
      throw new VersionConflictError(input.expectedVersion, current.version);
    }
    const problems: FieldProblem[] = [];
    const title = input.title ? texts(input.title) : undefined;
    if (input.title && !title) {
      problems.push(titleMissing());
    }
    const startsAt = input.startsAt ?? current.startsAt;
    const endsAt = input.endsAt ?? current.endsAt;
    if (endsAt <= startsAt) problems.push(endsTooEarly(['input']));
    else if (
      startsAt.getTime() !== current.startsAt.getTime() ||
      endsAt.getTime() !== current.endsAt.getTime()
    ) {
      // New times stay within the edition's days as committed (a move of the edition locks this
      // session before it commits, so it is read here once moved).
      const dates = await tx.eventEdition.findUniqueOrThrow({
        where: { id: current.editionId },
        select: { startsAt: true, endsAt: true },
      });
      problems.push(...outsideEdition(dates, startsAt, endsAt));
    }
    const capacity = input.capacity === undefined ? current.capacity : input.capacity;
    if (capacity !== null && capacity < 1) {
      problems.push(noSeat());
    } else if (capacity !== null && input.capacity !== undefined) {
      const taken = await tx.registrationSeat.count({
        where: { sessionId: current.id, status: 'CONFIRMED' },
      });
      if (capacity < taken) {
        problems.push({
          path: ['input', 'capacity'],
          message: `${taken} seats are taken: at least ${taken} (cancel registrations to free seats)`,
          reason: 'TOO_SMALL',
          limit: taken,
        });
      }
    }
    if (problems.length > 0) throw invalid(problems);
    const data: Prisma.EventSessionUncheckedUpdateInput = {
      version: { increment: 1 },
      startsAt,
      endsAt,
      capacity,
    };
    if (input.kind) data.kind = input.kind;
    if (title) data.title = title;
    if (input.description !== undefined) data.description = json(texts(input.description));
    if (input.room !== undefined) data.room = input.room?.trim() || null;
    if (input.speakers != null) data.speakers = speakerRows(input.speakers);
    const updated = await tx.eventSession.update({ where: { id: current.id }, data });
    const more = current.capacity !== null && (capacity === null || capacity > current.capacity);
    if (more && registrationOpen(edition, new Date())) await promote(tx, current.id, news);
    // A new time or room before the edition ends: everyone with a seat or waiting is told (those
    // just given a seat are told by that mail, which lists the new time and room too).
    const moved =
      updated.startsAt.getTime() !== current.startsAt.getTime() ||
      updated.endsAt.getTime() !== current.endsAt.getTime() ||
      updated.room !== current.room;
    if (moved && edition.endsAt > new Date()) {
      const seats = await tx.registrationSeat.findMany({
        where: { sessionId: current.id, registration: { status: 'REGISTERED', anonymisedAt: null } },
        select: { registrationId: true },
      });
      for (const s of seats) if (!news.promoted.has(s.registrationId)) told.push(s.registrationId);
    }
    return updated;
  });
  await tellPromoted(prisma, services, news);
  await tellMoved(prisma, services, session, told);
  return { session, promotedCount: news.promoted.size, toldCount: told.length };
}

/**
 * Takes a session off the programme of an edition the viewer organises, before it starts (a
 * speaker falls ill, a workshop is dropped): its seats and waitlist go with it, and everyone who
 * had one is told by mail after commit, with the sessions they keep; their registration for the
 * edition stands. A session that has started stays: it took place, or is taking place. One
 * transaction that locks the session (registrations lock it too, so one waiting for it then finds
 * the session gone and is refused); a stale `expectedVersion` changes nothing.
 */
export async function cancelSession(
  prisma: PrismaClient,
  services: Pick<AccountServices, 'mailer' | 'publicUrl'>,
  viewer: Viewer | null,
  input: { id: string; expectedVersion: number },
  now: Date = new Date(),
): Promise<{ edition: EventEdition; toldCount: number }> {
  // Who asks first: the session's edition must be one the viewer sees and organises.
  const { found, edition } = await organisedSession(prisma, viewer, input.id);
  const { session, told } = await prisma.$transaction(async (tx) => {
    // The edition first, as a change of its dates locks it before its sessions (the edition's
    // row is written below: taking it after the session could deadlock with such a change).
    await tx.$queryRaw`SELECT 1 FROM "EventEdition" WHERE id = ${edition.id}::uuid FOR NO KEY UPDATE`;
    await lockSessions(tx, [found.id]);
    const current = await tx.eventSession.findUnique({ where: { id: found.id } });
    // Taken off by someone else while this request waited for the lock.
    if (!current) throw new NotFoundError('session');
    if (current.version !== input.expectedVersion) {
      throw new VersionConflictError(input.expectedVersion, current.version);
    }
    if (current.startsAt <= now) {
      throw invalid([
        {
          path: ['input', 'id'],
          message: 'has started: a session that took place stays in the programme',
          reason: 'PAST',
        },
      ]);
    }
    const seats = await tx.registrationSeat.findMany({
      where: { sessionId: current.id, registration: { status: 'REGISTERED', anonymisedAt: null } },
      select: { registrationId: true },
      orderBy: { queuedAt: 'asc' },
    });
    // The seats go with the session (ON DELETE CASCADE). The edition's programme changed: its
    // public page and iCalendar feed say when (their Last-Modified) from the edition's row.
    await tx.eventSession.delete({ where: { id: current.id } });
    // The hub's clock, as every `updatedAt` of the programme (`now()` would be the transaction's start).
    await tx.$executeRaw`UPDATE "EventEdition" SET "updatedAt" = ${new Date()} WHERE id = ${current.editionId}::uuid`;
    return { session: current, told: seats.map((s) => s.registrationId) };
  });
  await tellSessionCancelled(prisma, services, session, told);
  return { edition, toldCount: told.length };
}
