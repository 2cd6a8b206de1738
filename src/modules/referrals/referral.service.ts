/**
 * Referral steps. Each is one transaction that checks who asks (a case worker or admin of the
 * side that acts), the transition, the expected version and the consent, writes the referral and
 * appends an event, or writes nothing.
 */
import { createHash } from 'node:crypto';
import { Prisma, type PrismaClient, type Referral } from '../../generated/prisma/client.ts';
import type { ContactChannel, DeclineReason, ReferralUrgency } from '../../generated/prisma/enums.ts';
import {
  AmbiguousOrganisationError,
  ForbiddenError,
  IdempotencyConflictError,
  InvalidInputError,
  NotFoundError,
  UnknownThemeError,
  VersionConflictError,
} from '../../shared/errors.ts';
import { prismaRunner, type SqlRunner, type SqlTransaction } from '../../shared/db/client.ts';
import { asUuid } from '../../shared/ids.ts';
import type { Viewer } from '../accounts/viewer.ts';
import { actingSide, actorFor, referralOrganisationIds, type Actor } from './referral.access.ts';
import { personProblems } from './referral-person.ts';
import {
  isFinal,
  REFERRAL_STATUSES,
  STEP_TARGETS,
  transition,
  type ReferralAction,
} from './referral-status.ts';
import {
  ConsentMissingError,
  OfferFullError,
  OfferNotAcceptingReferralsError,
  ReferralTransitionError,
} from './referrals.errors.ts';
import {
  eventInsertSql,
  idempotencyReceipt,
  lockReferral,
  recordReceipt,
  referralById,
  writeStep,
  type EventRecord,
  type LockNeeds,
  type StepChanges,
  type StepWrite,
} from './referral.sql.ts';
import { addWorkingDays } from './working-days.ts';

export interface PersonInput {
  name?: string | null;
  initials?: string | null;
  birthYear?: number | null;
  languages?: string[];
  contactChannel?: ContactChannel | null;
  contact?: string | null;
  interpreterNeeded?: boolean;
}

export interface CreateReferralInput {
  /** Who sends; left out, the one organisation the viewer sends referrals for. */
  senderOrganisationId?: string | null;
  offerId: string;
  needs: string;
  needThemes?: string[];
  urgency?: ReferralUrgency;
  person: PersonInput;
  consent: { purpose: string; expiresAt?: Date | null };
  idempotencyKey?: string | null;
}

/**
 * Appends one event to a referral's history, inside the caller's transaction. Every change is
 * recorded the same way: this statement, or the same one inside a step's write (`writeStep`).
 */
export async function appendEvent(
  tx: Prisma.TransactionClient,
  referralId: string,
  actor: Actor,
  event: EventRecord,
): Promise<void> {
  await tx.$executeRaw(eventInsertSql(referralId, actor, event));
}

/** A stable hash of an input, to tell a retry from a different request under the same key. */
function inputHash(input: unknown): string {
  const canonical = JSON.stringify(input, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );
  return createHash('sha256').update(canonical).digest('hex');
}

async function nextReference(tx: Prisma.TransactionClient, at: Date): Promise<string> {
  const [row] = await tx.$queryRaw<{ n: number }[]>`select nextval('"Referral_reference_seq"')::int as n`;
  return `REF-${at.getUTCFullYear()}-${String(row!.n).padStart(6, '0')}`;
}

/** Published, open to referrals: the offer a referral may be written for. */
async function referrableOffer(db: Prisma.TransactionClient | PrismaClient, offerId: string) {
  const offer = await db.offer.findFirst({
    where: { id: asUuid(offerId), status: 'PUBLISHED' },
    select: { id: true, organisationId: true, acceptsReferrals: true },
  });
  if (!offer) throw new NotFoundError('offer');
  if (!offer.acceptsReferrals) throw new OfferNotAcceptingReferralsError();
  return offer;
}

async function themeIds(db: Prisma.TransactionClient | PrismaClient, codes: string[]) {
  const themes = await db.theme.findMany({
    where: { code: { in: codes } },
    select: { id: true, code: true },
  });
  const unknown = codes.filter((c) => !themes.some((t) => t.code === c));
  if (unknown.length > 0) throw new UnknownThemeError(unknown, ['input', 'needThemes']);
  return themes.map(({ id }) => ({ id }));
}

/** The person's details must name them and say how to reach them (referral-person.ts). */
function checkPerson(person: PersonInput): void {
  const problems = personProblems(person);
  if (problems.length > 0) {
    throw new InvalidInputError(
      null,
      problems.map((p) => ({ ...p, path: ['input', 'person', ...p.path] })),
    );
  }
}

/**
 * The organisation that sends, and who acts for it: the one given, or else the only one the
 * viewer sends referrals for (an API client's own; a person's one organisation with the role).
 */
async function sendingSide(
  prisma: PrismaClient,
  viewer: Viewer | null,
  given: string | null | undefined,
): Promise<Actor> {
  const organisationIds = given ? [asUuid(given)] : referralOrganisationIds(viewer, 'write');
  if (organisationIds.length > 1) {
    const choices = await prisma.organisation.findMany({
      where: { id: { in: organisationIds } },
      orderBy: [{ name: 'asc' }, { id: 'asc' }],
    });
    throw new AmbiguousOrganisationError(['input', 'senderOrganisationId'], choices, 'sends the referral');
  }
  const actor = organisationIds[0] ? actorFor(viewer, organisationIds[0], 'write') : null;
  if (!actor) {
    throw new ForbiddenError(
      given
        ? 'send referrals for this organisation'
        : 'send referrals: you are not a case worker of any organisation',
    );
  }
  return actor;
}

function personData(person: PersonInput) {
  return {
    name: person.name?.trim() || null,
    initials: person.initials?.trim() || null,
    birthYear: person.birthYear ?? null,
    languages: person.languages ?? [],
    contactChannel: person.contactChannel ?? null,
    contact: person.contact?.trim() || null,
    interpreterNeeded: person.interpreterNeeded ?? false,
  };
}

/**
 * Creates a draft referral with the person and their consent. With an idempotency key, a retry
 * with the same input returns the first referral; a different input is a typed conflict.
 */
export async function createReferral(
  prisma: PrismaClient,
  viewer: Viewer | null,
  input: CreateReferralInput,
): Promise<Referral> {
  const actor = await sendingSide(prisma, viewer, input.senderOrganisationId);
  const senderId = actor.organisationId;
  checkPerson(input.person);
  // A retry that names the sender and one that lets it be inferred are the same request.
  const hash = inputHash({ ...input, senderOrganisationId: senderId });
  const key = input.idempotencyKey ?? null;
  /** The referral created earlier under this key: the same one for the same input. */
  const earlier = async () => {
    if (!key) return null;
    const found = await prisma.referral.findUnique({
      where: { senderOrganisationId_idempotencyKey: { senderOrganisationId: senderId, idempotencyKey: key } },
    });
    if (found && found.idempotencyHash !== hash) throw new IdempotencyConflictError();
    return found;
  };
  const retried = await earlier();
  if (retried) return retried;
  const offer = await referrableOffer(prisma, input.offerId);
  const themes = await themeIds(prisma, input.needThemes ?? []);
  try {
    return await insertReferral(prisma, actor, input, { senderId, offer, themes, key, hash });
  } catch (error) {
    // A concurrent retry with the same key committed first: the unique key (sender, key) refused
    // this one, after waiting for that commit. Answer with its referral, as a later retry would.
    const duplicate = error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
    const first = duplicate ? await earlier() : null;
    if (first) return first;
    throw error;
  }
}

/** The draft, its person, consent and first event: one transaction. */
function insertReferral(
  prisma: PrismaClient,
  actor: Actor,
  input: CreateReferralInput,
  r: {
    senderId: string;
    offer: { id: string; organisationId: string };
    themes: { id: string }[];
    key: string | null;
    hash: string;
  },
): Promise<Referral> {
  const { senderId, offer, themes, key, hash } = r;
  return prisma.$transaction(async (tx) => {
    const now = new Date();
    const referral = await tx.referral.create({
      data: {
        reference: await nextReference(tx, now),
        senderOrganisationId: senderId,
        senderUserId: actor.userId,
        receiverOrganisationId: offer.organisationId,
        offerId: offer.id,
        needs: input.needs,
        urgency: input.urgency ?? 'ROUTINE',
        needThemes: { connect: themes },
        idempotencyKey: key,
        idempotencyHash: key ? hash : null,
        person: { create: personData(input.person) },
        consents: {
          create: {
            recordedByUserId: actor.userId,
            recordedByApiClientId: actor.apiClientId,
            recordedAt: now,
            purpose: input.consent.purpose,
            recipientOrganisationIds: [offer.organisationId],
            expiresAt: input.consent.expiresAt ?? null,
          },
        },
      },
    });
    await appendEvent(tx, referral.id, actor, { type: 'CREATED', toStatus: 'DRAFT', at: now });
    return referral;
  });
}

/**
 * Locks a referral the viewer may change and finds who acts on it, for which side; with its
 * consents and offer for sending, its person's anonymisation for messages (`lockReferral`). Who
 * may act is in the locking statement's WHERE: a referral the viewer may not act on is never
 * locked (nor waited for) and reads as not found, exactly like an unknown one.
 */
export async function lockForActor(sql: SqlRunner, viewer: Viewer | null, id: string, needs: LockNeeds = {}) {
  const referral = await lockReferral(sql, viewer, id, needs);
  const actor = referral ? actingSide(viewer, referral) : null;
  if (!referral || !actor) throw new NotFoundError('referral');
  return { referral, actor };
}

function checkVersion(expected: number, actual: number): void {
  if (expected !== actual) throw new VersionConflictError(expected, actual);
}

export interface DraftChanges {
  offerId?: string | null;
  needs?: string | null;
  needThemes?: string[] | null;
  urgency?: ReferralUrgency | null;
  /** Replaces the person's details (fields left out are cleared). */
  person?: PersonInput | null;
  /** Records a further consent (e.g. after choosing an offer of another organisation). */
  consent?: { purpose: string; expiresAt?: Date | null } | null;
}

/**
 * The sending side edits a draft: needs, themes, urgency, person, the offer, a new consent.
 * Choosing an offer of another organisation needs a consent that covers it before sending.
 */
export function updateReferralDraft(
  prisma: PrismaClient,
  viewer: Viewer | null,
  id: string,
  expectedVersion: number,
  changes: DraftChanges,
): Promise<Referral> {
  return prisma.$transaction(async (tx) => {
    const { referral, actor } = await lockForActor(prismaRunner(tx), viewer, id);
    if (actor.side !== 'SENDER') throw new ForbiddenError('edit a referral your organisation did not write');
    checkVersion(expectedVersion, referral.version);
    if (referral.status !== 'DRAFT') throw new ReferralTransitionError(referral.status, 'update');
    if (changes.person) checkPerson(changes.person);
    const now = new Date();
    const offer = changes.offerId ? await referrableOffer(tx, changes.offerId) : null;
    const receiverId = offer?.organisationId ?? referral.receiverOrganisationId;
    const data: Prisma.ReferralUpdateInput = { version: { increment: 1 } };
    if (offer) Object.assign(data, { offer: { connect: { id: offer.id } } });
    if (offer) Object.assign(data, { receiverOrganisation: { connect: { id: receiverId } } });
    if (changes.needs) data.needs = changes.needs;
    if (changes.urgency) data.urgency = changes.urgency;
    if (changes.needThemes) data.needThemes = { set: await themeIds(tx, changes.needThemes) };
    if (changes.person) {
      const person = personData(changes.person);
      data.person = { upsert: { create: person, update: person } };
    }
    if (changes.consent) {
      data.consents = {
        create: {
          recordedByUserId: actor.userId,
          recordedByApiClientId: actor.apiClientId,
          recordedAt: now,
          purpose: changes.consent.purpose,
          recipientOrganisationIds: [receiverId],
          expiresAt: changes.consent.expiresAt ?? null,
        },
      };
    }
    const updated = await tx.referral.update({ where: { id: referral.id }, data });
    await appendEvent(tx, referral.id, actor, { type: 'UPDATED', at: now });
    return updated;
  });
}

export interface StepOptions {
  expectedVersion: number;
  reason?: string | null;
  /** For decline: the coded reason statistics count (default OTHER). */
  declineReason?: DeclineReason | null;
  outcome?: string | null;
  acceptWaitlist?: boolean;
  /** For send: a retry with the same key and input returns the first result. */
  idempotencyKey?: string | null;
}

/** Where `action` may start for each side, and the text it carries: from the status machine. */
function allowedStarts(action: ReferralAction, opts: StepOptions): StepWrite['allowed'] {
  return (['SENDER', 'RECEIVER'] as const).flatMap((side) =>
    REFERRAL_STATUSES.filter((from) => transition(from, action, side, opts).ok).map((from) => ({
      side,
      from,
    })),
  );
}

/**
 * Takes one step of the status machine. A step that needs no more than the referral's row (every
 * one but sending, without an idempotency key) is ONE statement that checks and writes
 * (`writeStep`); when it writes nothing, or for sending, the step runs as a transaction that locks
 * the referral, says exactly what stands in the way (not found, version, side, transition, text,
 * consent, offer) and writes with the same statement. A referral the viewer may not see reads as
 * not found.
 */
export async function stepReferral(
  db: { sql: SqlRunner; transaction: SqlTransaction },
  viewer: Viewer | null,
  id: string,
  action: ReferralAction,
  opts: StepOptions,
): Promise<Referral> {
  const orgs = referralOrganisationIds(viewer, 'write');
  const who = orgs.length > 0 ? actorFor(viewer, orgs[0]!, 'write') : null;
  const step = (at: Date, changes: StepChanges = {}): StepWrite => {
    const to = STEP_TARGETS[action];
    return {
      referralId: id,
      viewer,
      actor: { userId: who?.userId ?? null, apiClientId: who?.apiClientId ?? null },
      expectedVersion: opts.expectedVersion,
      allowed: allowedStarts(action, opts),
      to,
      changes: {
        ...changes,
        ...(['decline', 'hold', 'cancel'].includes(action) && { statusReason: opts.reason ?? null }),
        ...(action === 'decline' && { declineReason: opts.declineReason ?? 'OTHER' }),
        ...(action === 'complete' && { outcome: opts.outcome ?? null }),
        ...(isFinal(to) && { closedAt: at }),
      },
      firstAnswer: ['acknowledge', 'accept', 'decline'].includes(action),
      note: opts.reason ?? opts.outcome ?? null,
      at,
    };
  };
  if (who && action !== 'send' && !opts.idempotencyKey) {
    const written = await writeStep(db.sql, step(new Date()));
    if (written) return written;
  }
  return db.transaction(async (sql) => {
    const { referral, actor } = await lockForActor(sql, viewer, id, { consentsAndOffer: action === 'send' });
    // A retried send returns what the first one did (the referral as it is now).
    const receipt = opts.idempotencyKey
      ? {
          scope: `${action}Referral:${actor.organisationId}`,
          key: opts.idempotencyKey,
          hash: inputHash({ id: referral.id, ...opts }),
          referralId: referral.id,
        }
      : null;
    if (receipt) {
      const earlier = await idempotencyReceipt(sql, receipt.scope, receipt.key);
      if (earlier && earlier.hash !== receipt.hash) throw new IdempotencyConflictError();
      if (earlier)
        return (await referralById(sql, earlier.referralId)) ?? raise(new NotFoundError('referral'));
    }
    checkVersion(opts.expectedVersion, referral.version);
    const result = transition(referral.status, action, actor.side, opts);
    if (!result.ok) {
      if (result.problem === 'missing_reason') throw missingText('reason', 'this step needs a reason');
      if (result.problem === 'missing_outcome')
        throw missingText('outcome', 'completing a referral needs its outcome');
      if (result.problem === 'wrong_side') {
        const other = actor.side === 'SENDER' ? 'receiving' : 'sending';
        throw new ForbiddenError(`take this step: only the ${other} organisation may`);
      }
      throw new ReferralTransitionError(referral.status, action);
    }
    const now = new Date();
    const changes: StepChanges = {};
    if (action === 'send') {
      checkConsent(referral.consents ?? [], referral.receiverOrganisationId, now);
      const offer = referral.offer!;
      if (offer.status !== 'PUBLISHED' || !offer.acceptsReferrals)
        throw new OfferNotAcceptingReferralsError();
      const full = offer.capacityFree !== null && offer.capacityFree <= 0;
      if (full && !opts.acceptWaitlist) throw new OfferFullError();
      Object.assign(changes, {
        sentAt: now,
        dueAt: addWorkingDays(now, offer.responseDays),
        waitlisted: full,
      });
    }
    // The referral is locked and every check passed: the statement writes.
    const updated =
      (await writeStep(sql, step(now, changes))) ?? raise(new Error('step refused after its checks'));
    if (receipt) await recordReceipt(sql, receipt);
    return updated;
  });
}

function raise(err: Error): never {
  throw err;
}

/** A step's required text is missing: an invalid field like any other. */
function missingText(field: 'reason' | 'outcome', message: string): InvalidInputError {
  return new InvalidInputError(null, [{ path: ['input', field], message }]);
}

function checkConsent(
  consents: { withdrawnAt: Date | null; expiresAt: Date | null; recipientOrganisationIds: string[] }[],
  receiverId: string,
  now: Date,
): void {
  if (consents.length === 0) throw new ConsentMissingError('NONE');
  const active = consents.filter((c) => !c.withdrawnAt);
  if (active.length === 0) throw new ConsentMissingError('WITHDRAWN');
  const current = active.filter((c) => !c.expiresAt || c.expiresAt > now);
  if (current.length === 0) throw new ConsentMissingError('EXPIRED');
  if (!current.some((c) => c.recipientOrganisationIds.includes(receiverId)))
    throw new ConsentMissingError('RECIPIENT');
}

/**
 * The person withdraws their consent (recorded by the sending side): every consent of the
 * referral ends now, an open referral is cancelled with that reason, and the receiving side no
 * longer sees the person.
 */
export function withdrawConsent(prisma: PrismaClient, viewer: Viewer | null, id: string): Promise<Referral> {
  return prisma.$transaction(async (tx) => {
    const { referral, actor } = await lockForActor(prismaRunner(tx), viewer, id);
    if (actor.side !== 'SENDER') throw new ForbiddenError("record the withdrawal of the person's consent");
    const now = new Date();
    await tx.consent.updateMany({
      where: { referralId: referral.id, withdrawnAt: null },
      data: { withdrawnAt: now, withdrawnByUserId: actor.userId, withdrawnByApiClientId: actor.apiClientId },
    });
    const open = !isFinal(referral.status);
    const updated = await tx.referral.update({
      where: { id: referral.id },
      data: {
        version: { increment: 1 },
        ...(open ? { status: 'CANCELLED', statusReason: 'Consent withdrawn', closedAt: now } : {}),
      },
    });
    await appendEvent(tx, referral.id, actor, {
      type: 'CONSENT_WITHDRAWN',
      fromStatus: referral.status,
      toStatus: updated.status,
      at: now,
    });
    return updated;
  });
}

/** The receiving side puts one of its case workers (or admins) in charge, or nobody. */
export function assignReferral(
  prisma: PrismaClient,
  viewer: Viewer | null,
  id: string,
  assigneeUserId: string | null,
  expectedVersion: number,
): Promise<Referral> {
  return prisma.$transaction(async (tx) => {
    const { referral, actor } = await lockForActor(prismaRunner(tx), viewer, id);
    if (actor.side !== 'RECEIVER')
      throw new ForbiddenError('assign a referral your organisation did not receive');
    checkVersion(expectedVersion, referral.version);
    if (assigneeUserId) {
      const member = await tx.membership.findFirst({
        where: {
          userId: asUuid(assigneeUserId),
          organisationId: referral.receiverOrganisationId,
          roles: { hasSome: ['CASE_WORKER', 'ORG_ADMIN'] },
          disabledAt: null,
          user: { disabledAt: null },
        },
      });
      if (!member) throw new NotFoundError('case worker');
    }
    const updated = await tx.referral.update({
      where: { id: referral.id },
      data: { assigneeUserId: assigneeUserId ? asUuid(assigneeUserId) : null, version: { increment: 1 } },
    });
    await appendEvent(tx, referral.id, actor, { type: assigneeUserId ? 'ASSIGNED' : 'UNASSIGNED' });
    return updated;
  });
}

/** A message from either side to the other; recorded in the history too. */
export function postReferralMessage(
  prisma: PrismaClient,
  viewer: Viewer | null,
  id: string,
  body: string,
): Promise<Referral> {
  return prisma.$transaction(async (tx) => {
    const { referral, actor } = await lockForActor(prismaRunner(tx), viewer, id, { anonymised: true });
    if (referral.person?.anonymisedAt) throw new ReferralTransitionError(referral.status, 'message');
    const at = new Date();
    await tx.referralMessage.create({
      data: {
        referralId: referral.id,
        authorUserId: actor.userId,
        authorApiClientId: actor.apiClientId,
        authorOrganisationId: actor.organisationId,
        body,
        at,
      },
    });
    await appendEvent(tx, referral.id, actor, { type: 'MESSAGE', at });
    return referral;
  });
}
