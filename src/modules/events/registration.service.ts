/**
 * Registrations, three ways in: a person alone with their organisation's registration code
 * (`registerWithCode`, public), an organisation's admin for its staff (`registerStaff`), the
 * organisers for anyone (`registerByOrganiser`). Then, through the private manage token or by
 * those who see the registration: read, change, cancel, export, delete.
 *
 * Seats: the sessions asked for are locked (`FOR UPDATE`, in id order: no deadlock between two
 * registrations) before their confirmed seats are counted, so concurrent registrations never
 * over-book. A full session is a SessionFullError (nothing written) unless the registration asks
 * for the waitlist; a seat freed (a cancellation, a session dropped) goes to the first in line,
 * who is told by mail. Mail is sent after commit (mailer.ts): it never announces what did not
 * happen.
 */
import { randomBytes } from 'node:crypto';
import type {
  EventEdition,
  EventSession,
  ParticipantCategory,
  Prisma,
  PrismaClient,
  Registration,
  RegistrationSource,
} from '../../generated/prisma/client.ts';
import {
  ForbiddenError,
  InvalidInputError,
  InvalidTransitionError,
  NotFoundError,
  VersionConflictError,
  type FieldProblem,
} from '../../shared/errors.ts';
import { asUuid } from '../../shared/ids.ts';
import type { AccountServices } from '../accounts/account-services.ts';
import { generateSecret, hashSecret, isSecret } from '../accounts/secret-codes.ts';
import type { Viewer } from '../accounts/viewer.ts';
import {
  organises,
  PUBLIC_EDITION_STATUSES,
  staffAdminOrganisationIds,
  visibleEditionsWhere,
  visibleRegistrationsWhere,
} from './events.access.ts';
import {
  AlreadyRegisteredError,
  InvitationCodeError,
  RegistrationClosedError,
  SessionFullError,
  TooManyTriesError,
} from './events.errors.ts';
import { registrationMail, type RegistrationMailKind } from './registration-mail.ts';

type Tx = Prisma.TransactionClient;

/** What a registration holds, as a person or an admin fills it in. */
export interface RegistrationFields {
  name: string;
  email: string;
  /** Raw uuid of a hub organisation, or null (then `organisationName`). */
  organisationId?: string | null;
  organisationName?: string | null;
  function?: string | null;
  category: ParticipantCategory;
  sessionIds?: readonly string[] | null;
  /** Join the waitlist of sessions that are full (else SessionFullError). */
  waitlist?: boolean | null;
  accessibilityNeeds?: string | null;
  showName?: boolean | null;
  showOrganisation?: boolean | null;
  showFunction?: boolean | null;
  contactable?: boolean | null;
  locale?: string | null;
}

export interface Registered {
  registration: Registration;
  /** The private manage token (`evm_…`): shown once, mailed to the person. */
  manageToken: string;
}

/** What happened to seats in one change, for the mails sent after commit. */
export interface SeatNews {
  /** Registrations promoted from a waitlist to a seat. */
  promoted: Set<string>;
}

const LOCALES = ['fr', 'de', 'en'] as const;

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A badge's code: 10 characters of Crockford base32, easy to read aloud and to type. */
export function newBadgeCode(): string {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  const bytes = randomBytes(10);
  return [...bytes].map((b) => alphabet[b % 32]).join('');
}

function fieldProblems(f: RegistrationFields, path: string[]): FieldProblem[] {
  const out: FieldProblem[] = [];
  if (!f.name.trim()) out.push({ path: [...path, 'name'], message: 'must not be empty' });
  if (f.name.length > 200) out.push({ path: [...path, 'name'], message: 'at most 200 characters' });
  if (!EMAIL.test(f.email.trim()) || f.email.length > 320) {
    out.push({ path: [...path, 'email'], message: 'is not an e-mail address' });
  }
  if (f.organisationName && f.organisationName.length > 200) {
    out.push({ path: [...path, 'organisationName'], message: 'at most 200 characters' });
  }
  if (f.function && f.function.length > 200) {
    out.push({ path: [...path, 'function'], message: 'at most 200 characters' });
  }
  if (f.accessibilityNeeds && f.accessibilityNeeds.length > 2000) {
    out.push({ path: [...path, 'accessibilityNeeds'], message: 'at most 2000 characters' });
  }
  if (f.locale && !(LOCALES as readonly string[]).includes(f.locale)) {
    out.push({ path: [...path, 'locale'], message: 'fr, de or en' });
  }
  return out;
}

/** Registration is open: the edition is OPEN and its closing time (else its start) is ahead. */
export function registrationOpen(
  edition: Pick<EventEdition, 'status' | 'registrationClosesAt' | 'startsAt'>,
  now: Date,
): boolean {
  return edition.status === 'OPEN' && now < (edition.registrationClosesAt ?? edition.startsAt);
}

/**
 * Until when an invited organisation's code registers people: the edition's end, or its closing
 * time when that is later (the OPEN demo edition, whose day has passed). Codes follow the edition
 * when either moves.
 */
export function codesValidUntil(edition: Pick<EventEdition, 'endsAt' | 'registrationClosesAt'>): Date {
  const closes = edition.registrationClosesAt?.getTime() ?? 0;
  return new Date(Math.max(edition.endsAt.getTime(), closes));
}

function assertOpen(edition: EventEdition, now: Date): void {
  if (!registrationOpen(edition, now)) throw new RegistrationClosedError(edition.status);
}

/**
 * Seats for `sessionIds` (raw uuids of the edition's sessions) for one registration: the sessions
 * are locked in id order, their confirmed seats counted, and each gets a seat or, when full and
 * `waitlist` allows, a place in line. SessionFullError otherwise (the caller's transaction rolls
 * back: nothing written).
 */
async function takeSeats(
  tx: Tx,
  editionId: string,
  registrationId: string,
  sessionIds: readonly string[],
  waitlist: boolean,
  path: string[],
): Promise<void> {
  const ids = [...new Set(sessionIds)].sort();
  if (ids.length === 0) return;
  // Lock first, count after, in two statements: under READ COMMITTED a statement sees the rows
  // committed before it started, so counting inside the locking statement would miss the seats
  // of the registration it waited for, and over-book (test/integrity/event-registrations.test.ts).
  await lockSessions(tx, ids);
  const sessions = await tx.$queryRaw<
    { id: string; capacity: number | null; confirmed: number; waiting: number }[]
  >`
    SELECT s.id::text, s.capacity,
      (SELECT count(*)::int FROM "RegistrationSeat" r WHERE r."sessionId" = s.id AND r.status = 'CONFIRMED') AS confirmed,
      (SELECT count(*)::int FROM "RegistrationSeat" r WHERE r."sessionId" = s.id AND r.status = 'WAITLISTED') AS waiting
    FROM "EventSession" s
    WHERE s.id = ANY(${ids}::uuid[]) AND s."editionId" = ${editionId}::uuid
    ORDER BY s.id`;
  if (sessions.length !== ids.length) {
    throw new InvalidInputError(null, [
      { path: [...path, 'sessionIds'], message: 'names a session that is not in this edition’s programme' },
    ]);
  }
  const full = sessions.filter((s) => s.capacity !== null && s.confirmed >= s.capacity);
  if (full.length > 0 && !waitlist) {
    throw new SessionFullError(
      full.map((s) => s.id),
      full.map((s) => s.waiting),
    );
  }
  await tx.registrationSeat.createMany({
    data: sessions.map((s) => ({
      registrationId,
      sessionId: s.id,
      status:
        s.capacity !== null && s.confirmed >= s.capacity ? ('WAITLISTED' as const) : ('CONFIRMED' as const),
    })),
  });
}

/** Locks sessions in id order: every path that takes or frees seats locks this way. */
export async function lockSessions(tx: Tx, ids: readonly string[]): Promise<void> {
  const sorted = [...new Set(ids)].sort();
  if (sorted.length === 0) return;
  await tx.$queryRaw`SELECT id FROM "EventSession" WHERE id = ANY(${sorted}::uuid[]) ORDER BY id FOR UPDATE`;
}

/**
 * Frees the seats of `registrationId` in `sessionIds` (all its sessions when null) and gives each
 * freed seat to the first in line. Sessions are locked in id order first.
 */
async function releaseSeats(
  tx: Tx,
  registrationId: string,
  sessionIds: readonly string[] | null,
  news: SeatNews,
): Promise<void> {
  const seats = await tx.registrationSeat.findMany({
    where: { registrationId, ...(sessionIds ? { sessionId: { in: [...sessionIds] } } : {}) },
    select: { sessionId: true, status: true },
  });
  if (seats.length === 0) return;
  const ids = [...new Set(seats.map((s) => s.sessionId))].sort();
  await lockSessions(tx, ids);
  await tx.registrationSeat.deleteMany({ where: { registrationId, sessionId: { in: ids } } });
  for (const sessionId of ids) await promote(tx, sessionId, news);
}

/** Fills the free seats of a locked session from its waitlist, in order. */
export async function promote(tx: Tx, sessionId: string, news: SeatNews): Promise<void> {
  const promoted = await tx.$queryRaw<{ registrationId: string }[]>`
    WITH s AS (SELECT capacity FROM "EventSession" WHERE id = ${sessionId}::uuid),
    free AS (
      SELECT CASE WHEN s.capacity IS NULL THEN 2147483647
                  ELSE s.capacity - (SELECT count(*) FROM "RegistrationSeat"
                                     WHERE "sessionId" = ${sessionId}::uuid AND status = 'CONFIRMED') END AS n
      FROM s
    ),
    next AS (
      SELECT "registrationId" FROM "RegistrationSeat"
      WHERE "sessionId" = ${sessionId}::uuid AND status = 'WAITLISTED'
      ORDER BY "queuedAt", "registrationId"
      LIMIT GREATEST((SELECT n FROM free), 0)
    )
    UPDATE "RegistrationSeat" rs SET status = 'CONFIRMED'
    FROM next WHERE rs."sessionId" = ${sessionId}::uuid AND rs."registrationId" = next."registrationId"
    RETURNING rs."registrationId"::text AS "registrationId"`;
  for (const p of promoted) news.promoted.add(p.registrationId);
}

/** The consent and profile columns of a registration from its fields. */
function columns(f: RegistrationFields) {
  return {
    name: f.name.trim(),
    organisationName: f.organisationName?.trim() || null,
    function: f.function?.trim() || null,
    category: f.category,
    accessibilityNeeds: f.accessibilityNeeds?.trim() || null,
    showName: f.showName ?? false,
    showOrganisation: f.showOrganisation ?? false,
    showFunction: f.showFunction ?? false,
    contactable: f.contactable ?? false,
    locale: f.locale ?? 'fr',
  };
}

interface RegisterContext {
  edition: EventEdition;
  source: RegistrationSource;
  byUserId: string | null;
  /** The hub organisation the person registers for (null: free text or none). */
  organisationId: string | null;
}

async function register(
  prisma: PrismaClient,
  services: Pick<AccountServices, 'mailer' | 'publicUrl'>,
  c: RegisterContext,
  fields: RegistrationFields,
): Promise<Registered> {
  const path = ['input'];
  const problems = fieldProblems(fields, path);
  if (problems.length > 0) throw new InvalidInputError(null, problems);
  assertOpen(c.edition, new Date());
  const email = normaliseEmail(fields.email);
  const organisationName =
    c.organisationId !== null
      ? ((await prisma.organisation.findUnique({ where: { id: c.organisationId }, select: { name: true } }))
          ?.name ?? null)
      : fields.organisationName?.trim() || null;
  const token = generateSecret('evm');
  const news: SeatNews = { promoted: new Set() };
  const registration = await prisma.$transaction(async (tx) => {
    const existing = await tx.registration.findUnique({
      where: { editionId_email: { editionId: c.edition.id, email } },
      select: { id: true, status: true },
    });
    if (existing?.status === 'REGISTERED') throw new AlreadyRegisteredError();
    const data = {
      ...columns(fields),
      organisationId: c.organisationId,
      organisationName,
      source: c.source,
      registeredByUserId: c.byUserId,
      status: 'REGISTERED' as const,
      cancelledAt: null,
      manageTokenHash: token.hash,
    };
    // A cancelled registration of the same address comes back to life, with a new token.
    const row = existing
      ? await tx.registration.update({
          where: { id: existing.id },
          data: { ...data, checkedInAt: null, version: { increment: 1 } },
        })
      : await tx.registration.create({
          data: { ...data, editionId: c.edition.id, email, badgeCode: newBadgeCode() },
        });
    await takeSeats(tx, c.edition.id, row.id, (fields.sessionIds ?? []).map(asUuid), !!fields.waitlist, path);
    return row;
  });
  await tell(prisma, services, registration.id, 'CONFIRMED', token.code);
  await tellPromoted(prisma, services, news);
  return { registration, manageToken: token.code };
}

/** The edition by id when the viewer may see it. */
async function visibleEdition(prisma: PrismaClient, viewer: Viewer | null, editionId: string) {
  const edition = await prisma.eventEdition.findFirst({
    where: { id: asUuid(editionId), AND: [visibleEditionsWhere(viewer)] },
  });
  if (!edition) throw new NotFoundError('event edition');
  return edition;
}

/** The public way in: a person alone, with the registration code of their organisation. */
export async function registerWithCode(
  prisma: PrismaClient,
  services: Pick<AccountServices, 'mailer' | 'publicUrl'>,
  editionSlug: string,
  code: string,
  fields: RegistrationFields,
  guesses: { blocked(): Promise<number | null>; failed(): Promise<void> } | null,
): Promise<Registered> {
  const wait = await guesses?.blocked();
  if (wait) throw new TooManyTriesError(wait);
  const edition = await prisma.eventEdition.findFirst({
    where: { slug: editionSlug, status: { in: [...PUBLIC_EDITION_STATUSES] } },
  });
  if (!edition) throw new NotFoundError('event edition');
  const invitation = isSecret('evc', code)
    ? await prisma.editionInvitation.findUnique({ where: { codeHash: hashSecret(code) } })
    : null;
  if (!invitation || invitation.editionId !== edition.id) {
    // A code the organisers withdrew is no guess: links with it may still circulate.
    const withdrawn = isSecret('evc', code)
      ? await prisma.withdrawnEditionCode.findUnique({ where: { codeHash: hashSecret(code) } })
      : null;
    if (withdrawn?.editionId === edition.id) throw new InvitationCodeError('WITHDRAWN');
    await guesses?.failed();
    throw new InvitationCodeError('WRONG');
  }
  if (invitation.expiresAt <= new Date()) throw new InvitationCodeError('EXPIRED');
  return register(
    prisma,
    services,
    { edition, source: 'SELF', byUserId: null, organisationId: invitation.organisationId },
    { ...fields, organisationId: invitation.organisationId },
  );
}

/** An organisation's admin registers one of its staff (the organisation must be invited). */
export async function registerStaff(
  prisma: PrismaClient,
  services: Pick<AccountServices, 'mailer' | 'publicUrl'>,
  viewer: Viewer | null,
  editionId: string,
  fields: RegistrationFields & { organisationId: string },
): Promise<Registered> {
  const edition = await visibleEdition(prisma, viewer, editionId);
  const organisationId = asUuid(fields.organisationId);
  if (!staffAdminOrganisationIds(viewer).includes(organisationId)) {
    throw new ForbiddenError('register staff of this organisation (its admins do)');
  }
  const invited = await prisma.editionInvitation.findUnique({
    where: { editionId_organisationId: { editionId: edition.id, organisationId } },
    select: { organisationId: true },
  });
  if (!invited && !organises(viewer, edition.organisationId)) {
    throw new ForbiddenError('register staff for an edition your organisation is not invited to');
  }
  return register(
    prisma,
    services,
    {
      edition,
      source: 'ORGANISATION',
      byUserId: viewer?.kind === 'user' ? viewer.userId : null,
      organisationId,
    },
    fields,
  );
}

/** The organisers add anyone (a hub organisation's person, or another with a free-text organisation). */
export async function registerByOrganiser(
  prisma: PrismaClient,
  services: Pick<AccountServices, 'mailer' | 'publicUrl'>,
  viewer: Viewer | null,
  editionId: string,
  fields: RegistrationFields,
): Promise<Registered> {
  const edition = await visibleEdition(prisma, viewer, editionId);
  if (!organises(viewer, edition.organisationId))
    throw new ForbiddenError('add participants to this edition');
  let organisationId: string | null = null;
  if (fields.organisationId) {
    organisationId = asUuid(fields.organisationId);
    if (!(await prisma.organisation.findUnique({ where: { id: organisationId }, select: { id: true } }))) {
      throw new NotFoundError('organisation');
    }
  }
  return register(
    prisma,
    services,
    {
      edition,
      source: 'ORGANISER',
      byUserId: viewer?.kind === 'user' ? viewer.userId : null,
      organisationId,
    },
    fields,
  );
}

// --- Who holds the registration: the manage token, or a viewer who sees it ---------------------

/** Who changes a registration: the person with its token, or someone who sees it. */
export type Holder = { token: string } | { viewer: Viewer | null; id: string };

/**
 * The registration held: by token (a wrong or unknown token is NotFoundError, counted as a wrong
 * guess of the address), or by global ID through the visibility rule.
 */
export async function heldRegistration(
  db: PrismaClient | Tx,
  holder: Holder,
  guesses: { blocked(): Promise<number | null>; failed(): Promise<void> } | null,
): Promise<Registration> {
  if ('token' in holder) {
    const wait = await guesses?.blocked();
    if (wait) throw new TooManyTriesError(wait);
    const found = isSecret('evm', holder.token)
      ? await db.registration.findUnique({ where: { manageTokenHash: hashSecret(holder.token) } })
      : null;
    if (!found || found.anonymisedAt) {
      await guesses?.failed();
      throw new NotFoundError('registration');
    }
    return found;
  }
  const found = await db.registration.findFirst({
    where: { id: asUuid(holder.id), AND: [visibleRegistrationsWhere(holder.viewer)] },
  });
  if (!found) throw new NotFoundError('registration');
  return found;
}

export interface RegistrationChanges {
  expectedVersion: number;
  name?: string | null;
  function?: string | null;
  organisationName?: string | null;
  category?: ParticipantCategory | null;
  accessibilityNeeds?: string | null;
  showName?: boolean | null;
  showOrganisation?: boolean | null;
  showFunction?: boolean | null;
  contactable?: boolean | null;
  locale?: string | null;
  /** The sessions wanted now: those dropped free their seat, those added take one. */
  sessionIds?: readonly string[] | null;
  waitlist?: boolean | null;
}

/**
 * Changes a registration (consent withdrawn takes effect at once on every public page). Only the
 * organisers change the category of someone else's registration.
 */
export async function updateRegistration(
  prisma: PrismaClient,
  services: Pick<AccountServices, 'mailer' | 'publicUrl'>,
  holder: Holder,
  changes: RegistrationChanges,
  guesses: { blocked(): Promise<number | null>; failed(): Promise<void> } | null,
): Promise<Registration> {
  const news: SeatNews = { promoted: new Set() };
  const updated = await prisma.$transaction(async (tx) => {
    const current = await heldRegistration(tx, holder, guesses);
    const [locked] = await tx.$queryRaw<{ version: number; status: string }[]>`
      SELECT version, status::text FROM "Registration" WHERE id = ${current.id}::uuid FOR UPDATE`;
    if (locked!.version !== changes.expectedVersion) {
      throw new VersionConflictError(changes.expectedVersion, locked!.version);
    }
    if (locked!.status !== 'REGISTERED') {
      throw new InvalidTransitionError(
        'A cancelled registration cannot be changed: register again.',
        locked!.status,
      );
    }
    const merged: RegistrationFields = {
      name: changes.name ?? current.name,
      email: current.email,
      organisationName: changes.organisationName ?? current.organisationName,
      function: changes.function === undefined ? current.function : changes.function,
      category: changes.category ?? current.category,
      accessibilityNeeds:
        changes.accessibilityNeeds === undefined ? current.accessibilityNeeds : changes.accessibilityNeeds,
      showName: changes.showName ?? current.showName,
      showOrganisation: changes.showOrganisation ?? current.showOrganisation,
      showFunction: changes.showFunction ?? current.showFunction,
      contactable: changes.contactable ?? current.contactable,
      locale: changes.locale ?? current.locale,
    };
    const problems = fieldProblems(merged, ['input']);
    if (problems.length > 0) throw new InvalidInputError(null, problems);
    if (changes.sessionIds) {
      const edition = await tx.eventEdition.findUniqueOrThrow({ where: { id: current.editionId } });
      assertOpen(edition, new Date());
      const wanted = new Set(changes.sessionIds.map(asUuid));
      const held = await tx.registrationSeat.findMany({
        where: { registrationId: current.id },
        select: { sessionId: true },
      });
      const dropped = held.map((s) => s.sessionId).filter((id) => !wanted.has(id));
      const added = [...wanted].filter((id) => !held.some((s) => s.sessionId === id));
      // Every session involved, locked at once in id order (two changes never wait on each other).
      await lockSessions(tx, [...added, ...dropped]);
      await takeSeats(tx, current.editionId, current.id, added, !!changes.waitlist, ['input']);
      await releaseSeats(tx, current.id, dropped, news);
    }
    const cols = columns(merged);
    return tx.registration.update({
      where: { id: current.id },
      data: {
        ...cols,
        // A hub organisation's name is the hub's.
        organisationName: current.organisationId ? current.organisationName : cols.organisationName,
        version: { increment: 1 },
      },
    });
  });
  await tell(prisma, services, updated.id, 'CHANGED', null);
  await tellPromoted(prisma, services, news);
  return updated;
}

/** Cancels a registration: its seats go to the first in line of each session. */
export async function cancelRegistration(
  prisma: PrismaClient,
  services: Pick<AccountServices, 'mailer' | 'publicUrl'>,
  holder: Holder,
  guesses: { blocked(): Promise<number | null>; failed(): Promise<void> } | null,
): Promise<Registration> {
  const news: SeatNews = { promoted: new Set() };
  let justCancelled = false;
  const cancelled = await prisma.$transaction(async (tx) => {
    const current = await heldRegistration(tx, holder, guesses);
    // Cancelling twice is the same as once: nothing more happens.
    if (current.status === 'CANCELLED') return current;
    await releaseSeats(tx, current.id, null, news);
    justCancelled = true;
    return tx.registration.update({
      where: { id: current.id },
      data: { status: 'CANCELLED', cancelledAt: new Date(), version: { increment: 1 } },
    });
  });
  if (justCancelled) await tell(prisma, services, cancelled.id, 'CANCELLED', null);
  await tellPromoted(prisma, services, news);
  return cancelled;
}

/**
 * Deletes what the hub holds of the person (the manage link's "delete"): the registration is
 * cancelled, its seats freed, and its name, address, function and needs erased at once; only its
 * organisation and category stay, as counts.
 */
export async function deleteRegistration(
  prisma: PrismaClient,
  services: Pick<AccountServices, 'mailer' | 'publicUrl'>,
  holder: Holder,
  guesses: { blocked(): Promise<number | null>; failed(): Promise<void> } | null,
): Promise<void> {
  const news: SeatNews = { promoted: new Set() };
  await prisma.$transaction(async (tx) => {
    const current = await heldRegistration(tx, holder, guesses);
    await releaseSeats(tx, current.id, null, news);
    await tx.contactExchange.deleteMany({ where: { OR: [{ fromId: current.id }, { toId: current.id }] } });
    await tx.standMember.deleteMany({ where: { registrationId: current.id } });
    await tx.registration.update({ where: { id: current.id }, data: anonymised(current.id) });
  });
  await tellPromoted(prisma, services, news);
}

/** The columns of a registration whose person is erased (retention, or the person's own request). */
export function anonymised(id: string): Prisma.RegistrationUpdateInput {
  return {
    name: '',
    email: `${id}@anonymised.invalid`,
    function: null,
    accessibilityNeeds: null,
    showName: false,
    showOrganisation: false,
    showFunction: false,
    contactable: false,
    status: 'CANCELLED',
    cancelledAt: new Date(),
    anonymisedAt: new Date(),
    // The token and badge stop working: neither is kept in a usable form.
    manageTokenHash: `anonymised:${id}`,
    badgeCode: `X-${id}`,
    version: { increment: 1 },
  };
}

/** Everything the hub holds of a registration, as the person downloads it through the manage link. */
export async function exportRegistration(
  prisma: PrismaClient,
  token: string,
  guesses: { blocked(): Promise<number | null>; failed(): Promise<void> } | null,
): Promise<Record<string, unknown>> {
  const r = await heldRegistration(prisma, { token }, guesses);
  const full = await prisma.registration.findUniqueOrThrow({
    where: { id: r.id },
    include: {
      edition: { select: { slug: true, title: true, startsAt: true, endsAt: true } },
      seats: {
        select: { status: true, queuedAt: true, session: { select: { title: true, startsAt: true } } },
      },
      checkIns: { select: { arrived: true, scannedAt: true }, orderBy: { scannedAt: 'asc' } },
      contactsAsked: { select: { status: true, createdAt: true, toId: true } },
      contactsAnswered: { select: { status: true, createdAt: true, fromId: true } },
      standTeams: { select: { stand: { select: { number: true, title: true } } } },
    },
  });
  const { manageTokenHash: _hash, ...rest } = full;
  return { exportedAt: new Date().toISOString(), registration: rest };
}

// --- Mail ------------------------------------------------------------------------------------

async function tell(
  prisma: PrismaClient,
  services: Pick<AccountServices, 'mailer' | 'publicUrl'>,
  registrationId: string,
  kind: RegistrationMailKind,
  manageToken: string | null,
  about?: Pick<EventSession, 'id' | 'title'>,
): Promise<void> {
  const r = await prisma.registration.findUniqueOrThrow({
    where: { id: registrationId },
    include: {
      edition: true,
      seats: { include: { session: true }, orderBy: { session: { startsAt: 'asc' } } },
    },
  });
  // Erased: nothing to write to. Cancelled meanwhile (a cancellation committed between a change
  // and its mail): only the cancellation's own mail, never "your registration stands"; and a
  // cancellation's mail only while it is cancelled.
  if (r.anonymisedAt || r.status !== (kind === 'CANCELLED' ? 'CANCELLED' : 'REGISTERED')) return;
  // Prisma reads the sessions apart: one taken off the programme in between (`cancelSession`)
  // took its seat with it, and is left out.
  const seats = r.seats.filter((seat) => (seat.session as EventSession | null) !== null);
  // A new time for a session no longer theirs (taken off the programme, or left, meanwhile).
  if (kind === 'MOVED' && !seats.some((seat) => seat.sessionId === about?.id)) return;
  await services.mailer.send(registrationMail(kind, { ...r, seats }, manageToken, services.publicUrl, about));
}

export async function tellPromoted(
  prisma: PrismaClient,
  services: Pick<AccountServices, 'mailer' | 'publicUrl'>,
  news: SeatNews,
): Promise<void> {
  for (const id of news.promoted) await tell(prisma, services, id, 'PROMOTED', null);
}

/** Tells each of `registrationIds` that `session` has a new time or room, with their programme. */
export async function tellMoved(
  prisma: PrismaClient,
  services: Pick<AccountServices, 'mailer' | 'publicUrl'>,
  session: Pick<EventSession, 'id' | 'title'>,
  registrationIds: Iterable<string>,
): Promise<void> {
  for (const id of registrationIds) await tell(prisma, services, id, 'MOVED', null, session);
}

/** Tells each of `registrationIds` that the edition has new dates, with their programme. */
export async function tellEditionMoved(
  prisma: PrismaClient,
  services: Pick<AccountServices, 'mailer' | 'publicUrl'>,
  registrationIds: Iterable<string>,
): Promise<void> {
  for (const id of registrationIds) await tell(prisma, services, id, 'EDITION_MOVED', null);
}

/** Tells each of `registrationIds` that `session` (gone from the programme) is cancelled. */
export async function tellSessionCancelled(
  prisma: PrismaClient,
  services: Pick<AccountServices, 'mailer' | 'publicUrl'>,
  session: Pick<EventSession, 'id' | 'title'>,
  registrationIds: Iterable<string>,
): Promise<void> {
  for (const id of registrationIds) await tell(prisma, services, id, 'SESSION_CANCELLED', null, session);
}
