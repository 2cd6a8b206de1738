/**
 * Referral statistics for a network coordinator: for the referrals SENT in a period (by
 * `sentAt`; drafts never sent do not count), sent and received by status, median times to the
 * first answer and to completion, declines by coded reason, and counts per need theme. One
 * organisation's view (as sender and as receiver) or the whole network's.
 *
 * Counts and durations only: no person, no user, no reference, no free text ever leaves here.
 * Referrals are counted in their current status (a cohort: those sent in the period, wherever
 * they are now).
 *
 * One set-based statement on the pool (`SqlRunner`), one snapshot for every number.
 */
import { Prisma, type Theme } from '../../generated/prisma/client.ts';
import { DeclineReason, ReferralStatus } from '../../generated/prisma/enums.ts';
import type { SqlRunner } from '../../shared/db/client.ts';
import { ForbiddenError, InvalidInputError, NotFoundError } from '../../shared/errors.ts';
import { asUuid } from '../../shared/ids.ts';
import { hasRole, type Viewer } from '../accounts/viewer.ts';

/** Roles of an organisation that may read its statistics (hub admins read any). */
export const STATS_ROLES = ['ORG_ADMIN', 'CASE_WORKER'] as const;

/** Longest period one request may cover: five years, leap days included. */
export const MAX_PERIOD_DAYS = 5 * 365 + 2;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface StatusCount {
  status: ReferralStatus;
  count: number;
}

export interface DeclineCount {
  /** Null: declined without a coded reason (rows from before the codes). */
  reason: DeclineReason | null;
  count: number;
}

/** One direction of the flow: what the organisation sent, or what it received. */
export interface FlowStats {
  total: number;
  /** Every status, 0 included, in the status machine's order. */
  byStatus: StatusCount[];
  /** Median of firstAnswerAt − sentAt over the referrals answered; null when none was. */
  medianFirstAnswerHours: number | null;
  /** Median of closedAt − sentAt over the COMPLETED referrals; null when none is. */
  medianCompletionHours: number | null;
  /** Every coded reason, 0 included, then the uncoded declines (reason null) if any. */
  declines: DeclineCount[];
}

export interface ThemeStats {
  theme: Theme;
  sent: number;
  received: number;
  declined: number;
  completed: number;
}

export interface ReferralStats {
  /** Null for the whole network. */
  organisationId: string | null;
  from: Date;
  to: Date;
  sent: FlowStats;
  received: FlowStats;
  /** Need themes of the referrals (as tagged, not rolled up to parents), by code. */
  themes: ThemeStats[];
}

export interface ReferralStatsArgs {
  /** Database id of the organisation; null for the whole network. */
  organisationId: string | null;
  from: Date;
  to: Date;
}

/** Checks the period and who asks, then computes the statistics. */
export async function referralStats(
  sql: SqlRunner,
  viewer: Viewer | null,
  args: ReferralStatsArgs,
): Promise<ReferralStats> {
  checkPeriod(args.from, args.to);
  const organisationId = args.organisationId === null ? null : asUuid(args.organisationId);
  const hubAdmin = viewer?.kind === 'user' && viewer.hubAdmin;
  if (!hubAdmin) {
    if (organisationId === null) throw new ForbiddenError('see the whole network’s referral statistics');
    if (!hasRole(viewer, organisationId, STATS_ROLES))
      throw new ForbiddenError('see this organisation’s referral statistics');
  }
  const [row] = await sql<StatsRow>(statement(organisationId, args.from, args.to));
  if (!row) throw new Error('referral statistics: no row');
  if (!row.organisationFound) throw new NotFoundError('organisation');
  return {
    organisationId,
    from: args.from,
    to: args.to,
    sent: flow(row.counts, row.medians, 'SENT'),
    received: flow(row.counts, row.medians, 'RECEIVED'),
    themes: row.themes.map((t) => ({
      theme: {
        id: t.id,
        code: t.code,
        parentId: t.parentId,
        label: t.label,
        position: t.position,
        updatedAt: new Date(t.updatedAt),
      },
      sent: t.sent,
      received: t.received,
      declined: t.declined,
      completed: t.completed,
    })),
  };
}

function checkPeriod(from: Date, to: Date): void {
  if (!(from.getTime() < to.getTime()))
    throw new InvalidInputError('The period is empty.', [{ path: ['to'], message: 'Must be after `from`.' }]);
  if (to.getTime() - from.getTime() > MAX_PERIOD_DAYS * DAY_MS)
    throw new InvalidInputError('The period is too long.', [
      { path: ['to'], message: `The period may cover at most ${MAX_PERIOD_DAYS} days (five years).` },
    ]);
}

type Side = 'SENT' | 'RECEIVED';

interface StatsRow {
  organisationFound: boolean;
  counts: { side: Side; status: ReferralStatus; reason: DeclineReason | null; count: number }[];
  medians: {
    side: Side;
    medianFirstAnswerHours: number | null;
    medianCompletionHours: number | null;
  }[];
  themes: {
    id: string;
    code: string;
    parentId: string | null;
    label: Prisma.JsonValue;
    position: number;
    updatedAt: string;
    sent: number;
    received: number;
    declined: number;
    completed: number;
  }[];
}

/**
 * The statement. `scoped` holds the period's referrals of the organisation (either side) or of
 * the network, flagged by side; `sides` lists each once per side it counts for (for the network,
 * every referral is both sent and received). Percentiles skip NULLs: unanswered referrals do not
 * pull the first-answer median.
 */
function statement(organisationId: string | null, from: Date, to: Date): Prisma.Sql {
  const isSent = organisationId
    ? Prisma.sql`r."senderOrganisationId" = ${organisationId}::uuid`
    : Prisma.sql`TRUE`;
  const isReceived = organisationId
    ? Prisma.sql`r."receiverOrganisationId" = ${organisationId}::uuid`
    : Prisma.sql`TRUE`;
  const found = organisationId
    ? Prisma.sql`EXISTS (SELECT 1 FROM "Organisation" o WHERE o.id = ${organisationId}::uuid)`
    : Prisma.sql`TRUE`;
  return Prisma.sql`
    WITH scoped AS (
      SELECT r.id, r.status, r."declineReason", r."sentAt", r."firstAnswerAt", r."closedAt",
             ${isSent} AS is_sent, ${isReceived} AS is_received
      FROM "Referral" r
      WHERE r."sentAt" >= ${from} AND r."sentAt" < ${to} AND ((${isSent}) OR (${isReceived}))
    ),
    sides AS (
      SELECT 'SENT' AS side, s.* FROM scoped s WHERE s.is_sent
      UNION ALL
      SELECT 'RECEIVED' AS side, s.* FROM scoped s WHERE s.is_received
    ),
    counts AS (
      SELECT side, status::text AS status, "declineReason"::text AS reason, count(*)::int AS count
      FROM sides
      GROUP BY side, status, "declineReason"
    ),
    medians AS (
      SELECT side,
             percentile_cont(0.5) WITHIN GROUP (
               ORDER BY extract(epoch FROM "firstAnswerAt" - "sentAt")::float8
             ) / 3600 AS "medianFirstAnswerHours",
             percentile_cont(0.5) WITHIN GROUP (
               ORDER BY extract(epoch FROM "closedAt" - "sentAt")::float8
             ) FILTER (WHERE status = 'COMPLETED') / 3600 AS "medianCompletionHours"
      FROM sides
      GROUP BY side
    ),
    themes AS (
      SELECT t.id, t.code, t."parentId", t.label, t.position, t."updatedAt",
             count(*) FILTER (WHERE s.is_sent)::int AS sent,
             count(*) FILTER (WHERE s.is_received)::int AS received,
             count(*) FILTER (WHERE s.status = 'DECLINED')::int AS declined,
             count(*) FILTER (WHERE s.status = 'COMPLETED')::int AS completed
      FROM scoped s
      JOIN "_ReferralThemes" rt ON rt."A" = s.id
      JOIN "Theme" t ON t.id = rt."B"
      GROUP BY t.id
    )
    SELECT ${found} AS "organisationFound",
           coalesce((SELECT jsonb_agg(to_jsonb(c)) FROM counts c), '[]'::jsonb) AS counts,
           coalesce((SELECT jsonb_agg(to_jsonb(m)) FROM medians m), '[]'::jsonb) AS medians,
           coalesce((SELECT jsonb_agg(to_jsonb(t) ORDER BY t.code) FROM themes t), '[]'::jsonb) AS themes`;
}

function flow(counts: StatsRow['counts'], medians: StatsRow['medians'], side: Side): FlowStats {
  const mine = counts.filter((c) => c.side === side);
  const sum = (rows: typeof mine) => rows.reduce((n, c) => n + c.count, 0);
  const declined = mine.filter((c) => c.status === 'DECLINED');
  const uncoded = sum(declined.filter((c) => c.reason === null));
  const median = medians.find((m) => m.side === side);
  return {
    total: sum(mine),
    byStatus: Object.values(ReferralStatus).map((status) => ({
      status,
      count: sum(mine.filter((c) => c.status === status)),
    })),
    medianFirstAnswerHours: median?.medianFirstAnswerHours ?? null,
    medianCompletionHours: median?.medianCompletionHours ?? null,
    declines: [
      ...Object.values(DeclineReason).map((reason) => ({
        reason,
        count: sum(declined.filter((c) => c.reason === reason)),
      })),
      ...(uncoded > 0 ? [{ reason: null, count: uncoded }] : []),
    ],
  };
}
