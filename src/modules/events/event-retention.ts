/**
 * What an event keeps of people, and for how long (`npm run retention`):
 * - accessibility needs are read by the organisers to prepare the day: erased once it is over;
 * - everything personal of an edition (names, addresses, functions, consents, tokens, badge codes,
 *   contact exchanges, stand team links) goes EVENT_RETENTION_MONTHS after it ended (default 6).
 *   What stays: each registration's organisation, category, sessions and check-in, as counts for
 *   comparing editions.
 */
import type { PrismaClient } from '../../generated/prisma/client.ts';
import { anonymised } from './registration.service.ts';

export interface EventRetentionResult {
  /** Registrations whose accessibility needs were erased (their edition is over). */
  needsErased: number;
  /** Editions anonymised, and their registrations. */
  editions: number;
  registrations: number;
  cutoff: Date;
}

export async function anonymiseEndedEditions(
  prisma: PrismaClient,
  opts: { months: number; now?: Date; dryRun?: boolean },
): Promise<EventRetentionResult> {
  const now = opts.now ?? new Date();
  const cutoff = new Date(now);
  cutoff.setUTCMonth(cutoff.getUTCMonth() - opts.months);
  const over = { endsAt: { lt: now } };
  const withNeeds = { edition: over, accessibilityNeeds: { not: null } };
  const due = await prisma.eventEdition.findMany({
    where: { endsAt: { lt: cutoff }, anonymisedAt: null },
    select: { id: true },
  });
  const editionIds = due.map((e) => e.id);
  const people = await prisma.registration.findMany({
    where: { editionId: { in: editionIds }, anonymisedAt: null },
    select: { id: true },
  });
  if (opts.dryRun) {
    return {
      needsErased: await prisma.registration.count({ where: withNeeds }),
      editions: editionIds.length,
      registrations: people.length,
      cutoff,
    };
  }
  const needs = await prisma.registration.updateMany({
    where: withNeeds,
    data: { accessibilityNeeds: null },
  });
  for (const edition of editionIds) {
    await prisma.$transaction(async (tx) => {
      const ids = (
        await tx.registration.findMany({
          where: { editionId: edition, anonymisedAt: null },
          select: { id: true },
        })
      ).map((r) => r.id);
      await tx.contactExchange.deleteMany({ where: { editionId: edition } });
      await tx.standMember.deleteMany({ where: { registrationId: { in: ids } } });
      for (const id of ids) {
        // Anonymised, not cancelled: a past participant still counts as one.
        const { status: _status, cancelledAt: _cancelledAt, ...erase } = anonymised(id);
        await tx.registration.update({ where: { id }, data: erase });
      }
      await tx.eventEdition.update({ where: { id: edition }, data: { anonymisedAt: new Date() } });
    });
  }
  return { needsErased: needs.count, editions: editionIds.length, registrations: people.length, cutoff };
}
