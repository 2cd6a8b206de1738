/**
 * Referral steps. Each is one transaction that checks who asks (a case worker or admin of the
 * side that acts), the transition, the expected version and the consent, writes the referral and
 * appends an event, or writes nothing.
 */
import { createHash } from 'node:crypto';
import type { Prisma, PrismaClient, Referral } from '../../generated/prisma/client.ts';
import type { ContactChannel, ReferralUrgency } from '../../generated/prisma/enums.ts';
import { ForbiddenError, NotFoundError } from '../../shared/errors.ts';
import { asUuid } from '../../shared/ids.ts';
import { hasRole, type Viewer } from '../accounts/viewer.ts';
import { UnknownThemeError, VersionConflictError } from '../catalogue/catalogue.errors.ts';
import { transition, type ReferralAction, type Side } from './referral-status.ts';
import {
  ConsentMissingError,
  IdempotencyConflictError,
  InvalidTransitionError,
  OfferFullError,
  OfferNotAcceptingReferralsError,
  ReasonRequiredError,
} from './referrals.errors.ts';
import { addWorkingDays } from './working-days.ts';

const ACTING_ROLES = ['CASE_WORKER', 'ORG_ADMIN'] as const;

export interface CreateReferralInput {
  senderOrganisationId: string;
  offerId: string;
  needs: string;
  needThemes?: string[];
  urgency?: ReferralUrgency;
  person: {
    name?: string | null;
    initials?: string | null;
    birthYear?: number | null;
    languages?: string[];
    contactChannel?: ContactChannel | null;
    contact?: string | null;
    interpreterNeeded?: boolean;
  };
  consent: { purpose: string; expiresAt?: Date | null };
  idempotencyKey?: string | null;
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

/**
 * Creates a draft referral with the person and their consent. With an idempotency key, a retry
 * with the same input returns the first referral; a different input is a typed conflict.
 */
export async function createReferral(
  prisma: PrismaClient,
  viewer: Viewer | null,
  input: CreateReferralInput,
): Promise<Referral> {
  const senderId = asUuid(input.senderOrganisationId);
  if (!hasRole(viewer, senderId, ACTING_ROLES) || viewer?.kind !== 'user') {
    throw new ForbiddenError('send referrals for this organisation');
  }
  const hash = inputHash(input);
  if (input.idempotencyKey) {
    const earlier = await prisma.referral.findUnique({
      where: {
        senderOrganisationId_idempotencyKey: {
          senderOrganisationId: senderId,
          idempotencyKey: input.idempotencyKey,
        },
      },
    });
    if (earlier) {
      if (earlier.idempotencyHash !== hash) throw new IdempotencyConflictError();
      return earlier;
    }
  }
  const offer = await prisma.offer.findFirst({
    where: { id: asUuid(input.offerId), status: 'PUBLISHED' },
    select: { id: true, organisationId: true, acceptsReferrals: true },
  });
  if (!offer) throw new NotFoundError('offer');
  if (!offer.acceptsReferrals) throw new OfferNotAcceptingReferralsError();
  const themes = await prisma.theme.findMany({
    where: { code: { in: input.needThemes ?? [] } },
    select: { id: true, code: true },
  });
  const unknown = (input.needThemes ?? []).filter((c) => !themes.some((t) => t.code === c));
  if (unknown.length > 0) throw new UnknownThemeError(unknown);

  return prisma.$transaction(async (tx) => {
    const now = new Date();
    const referral = await tx.referral.create({
      data: {
        reference: await nextReference(tx, now),
        senderOrganisationId: senderId,
        senderUserId: viewer.userId,
        receiverOrganisationId: offer.organisationId,
        offerId: offer.id,
        needs: input.needs,
        urgency: input.urgency ?? 'ROUTINE',
        needThemes: { connect: themes.map(({ id }) => ({ id })) },
        idempotencyKey: input.idempotencyKey ?? null,
        idempotencyHash: input.idempotencyKey ? hash : null,
        person: {
          create: {
            name: input.person.name ?? null,
            initials: input.person.initials ?? null,
            birthYear: input.person.birthYear ?? null,
            languages: input.person.languages ?? [],
            contactChannel: input.person.contactChannel ?? null,
            contact: input.person.contact ?? null,
            interpreterNeeded: input.person.interpreterNeeded ?? false,
          },
        },
        consents: {
          create: {
            recordedByUserId: viewer.userId,
            purpose: input.consent.purpose,
            recipientOrganisationIds: [offer.organisationId],
            expiresAt: input.consent.expiresAt ?? null,
          },
        },
        events: {
          create: {
            type: 'CREATED',
            toStatus: 'DRAFT',
            actorUserId: viewer.userId,
            actorOrganisationId: senderId,
          },
        },
      },
    });
    return referral;
  });
}

/** The side the viewer acts for on this referral, or null when they may not act on it. */
function sideOf(
  viewer: Viewer | null,
  r: { senderOrganisationId: string; receiverOrganisationId: string },
): Side | null {
  if (hasRole(viewer, r.senderOrganisationId, ACTING_ROLES)) return 'SENDER';
  if (hasRole(viewer, r.receiverOrganisationId, ACTING_ROLES)) return 'RECEIVER';
  return null;
}

/**
 * Locks a referral row for the rest of the transaction and says which side the viewer acts for.
 * A referral the viewer may not act on reads as not found, exactly like an unknown one.
 */
async function lockForActor(tx: Prisma.TransactionClient, viewer: Viewer | null, id: string) {
  const [locked] = await tx.$queryRaw<
    { id: string }[]
  >`select id from "Referral" where id = ${asUuid(id)}::uuid for update`;
  const referral = locked
    ? await tx.referral.findUnique({ where: { id: locked.id }, include: { consents: true, offer: true } })
    : null;
  const side = referral ? sideOf(viewer, referral) : null;
  if (!referral || !side || viewer?.kind !== 'user') throw new NotFoundError('referral');
  return { referral, side, userId: viewer.userId };
}

/**
 * Takes one step of the status machine. A referral the viewer may not see reads as not found.
 */
export function stepReferral(
  prisma: PrismaClient,
  viewer: Viewer | null,
  id: string,
  action: ReferralAction,
  opts: {
    expectedVersion: number;
    reason?: string | null;
    outcome?: string | null;
    acceptWaitlist?: boolean;
  },
): Promise<Referral> {
  return prisma.$transaction(async (tx) => {
    const { referral, side, userId } = await lockForActor(tx, viewer, id);
    if (referral.version !== opts.expectedVersion) {
      throw new VersionConflictError(opts.expectedVersion, referral.version);
    }
    const result = transition(referral.status, action, side, opts);
    if (!result.ok) {
      if (result.problem === 'missing_reason') throw new ReasonRequiredError('reason');
      if (result.problem === 'missing_outcome') throw new ReasonRequiredError('outcome');
      throw new InvalidTransitionError(referral.status, action);
    }
    const now = new Date();
    const data: Prisma.ReferralUpdateInput = { status: result.to, version: { increment: 1 } };
    if (action === 'send') {
      checkConsent(referral.consents, referral.receiverOrganisationId, now);
      const offer = referral.offer;
      if (offer.status !== 'PUBLISHED' || !offer.acceptsReferrals)
        throw new OfferNotAcceptingReferralsError();
      const full = offer.capacityFree !== null && offer.capacityFree <= 0;
      if (full && !opts.acceptWaitlist) throw new OfferFullError();
      Object.assign(data, { sentAt: now, dueAt: addWorkingDays(now, offer.responseDays), waitlisted: full });
    }
    if (['acknowledge', 'accept', 'decline'].includes(action) && !referral.firstAnswerAt)
      data.firstAnswerAt = now;
    if (['decline', 'hold', 'cancel'].includes(action)) data.statusReason = opts.reason ?? null;
    if (action === 'complete') data.outcome = opts.outcome ?? null;
    if (['decline', 'complete', 'cancel'].includes(action)) data.closedAt = now;
    const updated = await tx.referral.update({ where: { id: referral.id }, data });
    await tx.referralEvent.create({
      data: {
        referralId: referral.id,
        type: 'STATUS_CHANGED',
        fromStatus: referral.status,
        toStatus: result.to,
        actorUserId: userId,
        actorOrganisationId:
          side === 'SENDER' ? referral.senderOrganisationId : referral.receiverOrganisationId,
        note: opts.reason ?? opts.outcome ?? null,
      },
    });
    return updated;
  });
}

function checkConsent(
  consents: { withdrawnAt: Date | null; expiresAt: Date | null; recipientOrganisationIds: string[] }[],
  receiverId: string,
  now: Date,
): void {
  if (consents.length === 0) throw new ConsentMissingError('none');
  const active = consents.filter((c) => !c.withdrawnAt);
  if (active.length === 0) throw new ConsentMissingError('withdrawn');
  const current = active.filter((c) => !c.expiresAt || c.expiresAt > now);
  if (current.length === 0) throw new ConsentMissingError('expired');
  if (!current.some((c) => c.recipientOrganisationIds.includes(receiverId)))
    throw new ConsentMissingError('recipient');
}

/**
 * The person withdraws their consent (recorded by the sending side): every consent of the
 * referral ends now, an open referral is cancelled with that reason, and the receiving side no
 * longer sees the person.
 */
export function withdrawConsent(prisma: PrismaClient, viewer: Viewer | null, id: string): Promise<Referral> {
  return prisma.$transaction(async (tx) => {
    const { referral, side, userId } = await lockForActor(tx, viewer, id);
    if (side !== 'SENDER') throw new ForbiddenError("record the withdrawal of the person's consent");
    const now = new Date();
    await tx.consent.updateMany({
      where: { referralId: referral.id, withdrawnAt: null },
      data: { withdrawnAt: now, withdrawnByUserId: userId },
    });
    const open = !['COMPLETED', 'DECLINED', 'CANCELLED'].includes(referral.status);
    const updated = await tx.referral.update({
      where: { id: referral.id },
      data: {
        version: { increment: 1 },
        ...(open ? { status: 'CANCELLED', statusReason: 'Consent withdrawn', closedAt: now } : {}),
      },
    });
    await tx.referralEvent.create({
      data: {
        referralId: referral.id,
        type: 'CONSENT_WITHDRAWN',
        fromStatus: referral.status,
        toStatus: updated.status,
        actorUserId: userId,
        actorOrganisationId: referral.senderOrganisationId,
      },
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
    const { referral, side, userId } = await lockForActor(tx, viewer, id);
    if (side !== 'RECEIVER') throw new ForbiddenError('assign a referral your organisation did not receive');
    if (referral.version !== expectedVersion)
      throw new VersionConflictError(expectedVersion, referral.version);
    if (assigneeUserId) {
      const member = await tx.membership.findFirst({
        where: {
          userId: asUuid(assigneeUserId),
          organisationId: referral.receiverOrganisationId,
          roles: { hasSome: [...ACTING_ROLES] },
          user: { disabledAt: null },
        },
      });
      if (!member) throw new NotFoundError('case worker');
    }
    const updated = await tx.referral.update({
      where: { id: referral.id },
      data: { assigneeUserId: assigneeUserId ? asUuid(assigneeUserId) : null, version: { increment: 1 } },
    });
    await tx.referralEvent.create({
      data: {
        referralId: referral.id,
        type: 'ASSIGNED',
        actorUserId: userId,
        actorOrganisationId: referral.receiverOrganisationId,
      },
    });
    return updated;
  });
}

/** A message from either side to the other; recorded in the history too. */
export async function postReferralMessage(
  prisma: PrismaClient,
  viewer: Viewer | null,
  id: string,
  body: string,
): Promise<Referral> {
  const referral = await prisma.referral.findUnique({ where: { id: asUuid(id) } });
  const side = referral ? sideOf(viewer, referral) : null;
  if (!referral || !side || viewer?.kind !== 'user') throw new NotFoundError('referral');
  const organisationId = side === 'SENDER' ? referral.senderOrganisationId : referral.receiverOrganisationId;
  await prisma.$transaction([
    prisma.referralMessage.create({
      data: {
        referralId: referral.id,
        authorUserId: viewer.userId,
        authorOrganisationId: organisationId,
        body,
      },
    }),
    prisma.referralEvent.create({
      data: {
        referralId: referral.id,
        type: 'MESSAGE',
        actorUserId: viewer.userId,
        actorOrganisationId: organisationId,
      },
    }),
  ]);
  return referral;
}
