/**
 * THE RULE for "overdue": a referral sent and still waiting for its first answer (status SENT, no
 * `firstAnswerAt`) after its due date. A referral received, accepted or in progress is answered,
 * whatever its due date. Written once here: as a predicate (`Referral.overdue`), a Prisma filter
 * and SQL (the inbox's `overdue: true` filter and its count).
 */
import { Prisma } from '../../generated/prisma/client.ts';
import type { ReferralStatus } from '../../generated/prisma/enums.ts';

/** The columns the rule reads. */
export const OVERDUE_SELECT = { status: true, firstAnswerAt: true, dueAt: true } as const;

export function isOverdue(
  r: { status: ReferralStatus; firstAnswerAt: Date | null; dueAt: Date | null },
  now: Date,
): boolean {
  return r.status === 'SENT' && r.firstAnswerAt === null && r.dueAt !== null && r.dueAt < now;
}

/** The rule as a Prisma filter. */
export function overdueWhere(now: Date): Prisma.ReferralWhereInput {
  return { status: 'SENT', firstAnswerAt: null, dueAt: { lt: now } };
}

/** The rule as SQL on "Referral" aliased `alias`. */
export function overdueSql(now: Date, alias = 'r'): Prisma.Sql {
  const r = Prisma.raw(alias);
  return Prisma.sql`(${r}.status = 'SENT' and ${r}."firstAnswerAt" is null and ${r}."dueAt" < ${now})`;
}
