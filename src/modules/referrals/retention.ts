/**
 * Retention (issue 4): the person data of referrals closed more than N calendar months ago is
 * removed, in batches of set-based statements (one transaction per batch, keyset by id), while
 * everything the statistics count stays: status, urgency, dates, decline reason code, need
 * themes, organisations, offer, event rows (without their notes), consents (without their
 * purpose) and the access log.
 *
 * Every free text goes: the person (name, initials, contact, languages), the needs, the status
 * reason and the outcome, event notes, messages, consent purposes, idempotency keys and records.
 * What stays as text is written by the hub itself (reference, event type, the outbox payload of
 * ids, statuses and dates). `test/referrals/retention.test.ts` reads the database's catalogue for
 * every text column of the tables that point at a referral: a new one fails it until handled here.
 * A referral counts as done once its ReferralPerson row has `anonymisedAt`; a referral without a
 * person row gets an empty one carrying that mark, so that a second run changes nothing.
 */
import { Prisma, type PrismaClient } from '../../generated/prisma/client.ts';

export interface RetentionOptions {
  /** Referrals closed more than this many calendar months before `now` are anonymised. */
  months: number;
  now?: Date;
  /** Count what would be anonymised, write nothing. */
  dryRun?: boolean;
  /** Referrals per transaction (default 500). */
  batchSize?: number;
}

export interface RetentionResult {
  /** Referrals anonymised (or, in a dry run, that would be). */
  referrals: number;
  /** Referrals closed before this instant were concerned. */
  cutoff: Date;
}

/** `now` minus `months` calendar months, the day clamped to the end of a shorter month (UTC). */
export function retentionCutoff(now: Date, months: number): Date {
  const cutoff = new Date(now);
  const day = now.getUTCDate();
  cutoff.setUTCDate(1);
  cutoff.setUTCMonth(cutoff.getUTCMonth() - months);
  const lastDay = new Date(Date.UTC(cutoff.getUTCFullYear(), cutoff.getUTCMonth() + 1, 0)).getUTCDate();
  cutoff.setUTCDate(Math.min(day, lastDay));
  return cutoff;
}

/** Closed before the cutoff and not yet anonymised (open referrals have no closedAt). */
const due = (cutoff: Date) => Prisma.sql`
  r."closedAt" < ${cutoff}::timestamptz
  and not exists (
    select 1 from "ReferralPerson" p where p."referralId" = r.id and p."anonymisedAt" is not null
  )`;

export async function anonymiseClosedReferrals(
  prisma: PrismaClient,
  opts: RetentionOptions,
): Promise<RetentionResult> {
  const { months, now = new Date(), dryRun = false, batchSize = 500 } = opts;
  if (!Number.isInteger(months) || months < 1) throw new RangeError('months must be a positive integer');
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new RangeError('batchSize must be a positive integer');
  const cutoff = retentionCutoff(now, months);

  if (dryRun) {
    const [row] = await prisma.$queryRaw<{ n: number }[]>`
      select count(*)::int as n from "Referral" r where ${due(cutoff)}`;
    return { referrals: row?.n ?? 0, cutoff };
  }

  let referrals = 0;
  let after: string | null = null;
  for (;;) {
    const ids: string[] = await prisma.$transaction(
      async (tx) => {
        // Locked so that no step or message lands on a referral half-way through its batch.
        const rows = await tx.$queryRaw<{ id: string }[]>`
          select r.id::text as id from "Referral" r
          where ${due(cutoff)} ${after ? Prisma.sql`and r.id > ${after}::uuid` : Prisma.empty}
          order by r.id
          limit ${batchSize}::int
          for update of r`;
        const ids = rows.map((r) => r.id);
        if (ids.length === 0) return ids;
        const inBatch = { referralId: { in: ids } };
        await tx.referralPerson.createMany({
          data: ids.map((referralId) => ({ referralId, languages: [] })),
          skipDuplicates: true,
        });
        await tx.referralPerson.updateMany({
          where: inBatch,
          data: {
            name: null,
            initials: null,
            birthYear: null,
            contactChannel: null,
            contact: null,
            languages: [],
            interpreterNeeded: false,
            anonymisedAt: now,
          },
        });
        await tx.referral.updateMany({
          where: { id: { in: ids } },
          data: { needs: '', statusReason: null, outcome: null, idempotencyKey: null, idempotencyHash: null },
        });
        await tx.referralEvent.updateMany({
          where: { ...inBatch, note: { not: null } },
          data: { note: null },
        });
        await tx.consent.updateMany({ where: { ...inBatch, purpose: { not: '' } }, data: { purpose: '' } });
        await tx.referralMessage.deleteMany({ where: inBatch });
        await tx.idempotencyRecord.deleteMany({ where: inBatch });
        return ids;
      },
      { timeout: 120_000 },
    );
    referrals += ids.length;
    if (ids.length < batchSize) break;
    after = ids[ids.length - 1]!;
  }
  return { referrals, cutoff };
}
