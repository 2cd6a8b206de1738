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
 * Nothing published may point at a person: counts of 1–4 are "< 5", others rounded to 5, and no
 * total gives a small count away (`referral-stats.disclosure.ts`); a median needs 5 referrals;
 * a period covers at least a week (a one-millisecond period isolated one referral); and every
 * request is logged with who asked and for what (never a person).
 *
 * One set-based statement on the pool (`SqlRunner`), one snapshot for every number.
 */
import { Prisma, type Theme } from '../../generated/prisma/client.ts';
import { DeclineReason, ReferralStatus } from '../../generated/prisma/enums.ts';
import type { SqlRunner } from '../../shared/db/client.ts';
import { DomainError, ForbiddenError, InvalidInputError, NotFoundError } from '../../shared/errors.ts';
import { asUuid } from '../../shared/ids.ts';
import type { Logger } from '../../shared/logger.ts';
import { hasRole, viewerOrganisationIds, type Viewer } from '../accounts/viewer.ts';
import {
  MIN_PUBLISHED_COUNT,
  publishFlow,
  publishThemeRow,
  type PublishedCount,
} from './referral-stats.disclosure.ts';

export type { PublishedCount };

/** Roles of an organisation that may read its statistics (hub admins read any). */
export const STATS_ROLES = ['ORG_ADMIN', 'CASE_WORKER'] as const;

/** Longest period one request may cover: five years, leap days included. */
export const MAX_PERIOD_DAYS = 5 * 365 + 2;
/** Shortest period one request may cover: a week. */
export const MIN_PERIOD_DAYS = 7;
const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;
/** A week from Monday 00:00 to Monday 00:00 in Luxembourg is an hour short when summer time begins. */
const MIN_PERIOD_MS = MIN_PERIOD_DAYS * DAY_MS - HOUR_MS;

export interface StatusCount {
  status: ReferralStatus;
  count: PublishedCount;
}

export interface DeclineCount {
  /** Null: declined without a coded reason (rows from before the codes). */
  reason: DeclineReason | null;
  count: PublishedCount;
}

/** One direction of the flow: what the organisation sent, or what it received. */
export interface FlowStats {
  total: PublishedCount;
  /** Every status, 0 included, in the status machine's order. */
  byStatus: StatusCount[];
  /**
   * Median of firstAnswerAt − sentAt over the referrals answered, to 0.1 h; null when fewer than
   * MIN_PUBLISHED_COUNT were.
   */
  medianFirstAnswerHours: number | null;
  /** Median of closedAt − sentAt over the COMPLETED referrals, likewise. */
  medianCompletionHours: number | null;
  /** Every coded reason, 0 included, then the uncoded declines (reason null) if any. */
  declines: DeclineCount[];
}

export interface ThemeStats {
  theme: Theme;
  sent: PublishedCount;
  received: PublishedCount;
  declined: PublishedCount;
  completed: PublishedCount;
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

/**
 * Checks the period and who asks, then computes the statistics. Every request, answered or
 * refused, is logged at info with who asked (user or API client id, their organisations) and for
 * what (organisation or network, period) — the audit trail for statistics.
 */
export async function referralStats(
  sql: SqlRunner,
  viewer: Viewer | null,
  args: ReferralStatsArgs,
  logger: Logger,
): Promise<ReferralStats> {
  let outcome = 'answered';
  try {
    return await computeReferralStats(sql, viewer, args);
  } catch (err) {
    outcome = err instanceof DomainError ? err.code : 'failed';
    throw err;
  } finally {
    logger.info(
      {
        referralStats: {
          asker:
            viewer?.kind === 'apiClient'
              ? { apiClientId: viewer.apiClientId }
              : viewer
                ? { userId: viewer.userId, hubAdmin: viewer.hubAdmin }
                : null,
          askerOrganisationIds: viewerOrganisationIds(viewer),
          organisationId: args.organisationId,
          from: args.from.toISOString(),
          to: args.to.toISOString(),
          outcome,
        },
      },
      'referral statistics asked',
    );
  }
}

async function computeReferralStats(
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
      ...publishThemeRow(t),
    })),
  };
}

export function checkPeriod(from: Date, to: Date): void {
  if (!(from.getTime() < to.getTime()))
    throw new InvalidInputError('The period is empty.', [{ path: ['to'], message: 'Must be after `from`.' }]);
  if (to.getTime() - from.getTime() < MIN_PERIOD_MS)
    throw new InvalidInputError('The period is too short.', [
      {
        path: ['to'],
        message: `The period must cover at least ${MIN_PERIOD_DAYS} days: statistics over a shorter one could point at a person.`,
      },
    ]);
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
    /** How many referrals each median is over. */
    answered: number;
    completed: number;
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
             ) FILTER (WHERE status = 'COMPLETED') / 3600 AS "medianCompletionHours",
             count("firstAnswerAt")::int AS answered,
             count("closedAt") FILTER (WHERE status = 'COMPLETED')::int AS completed
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

/** A median over `over` referrals, to 0.1 h; null over fewer than MIN_PUBLISHED_COUNT. */
function median(hours: number | null | undefined, over: number | undefined): number | null {
  if (hours === null || hours === undefined || !over || over < MIN_PUBLISHED_COUNT) return null;
  return Math.round(hours * 10) / 10;
}

function flow(counts: StatsRow['counts'], medians: StatsRow['medians'], side: Side): FlowStats {
  const mine = counts.filter((c) => c.side === side);
  const sum = (rows: typeof mine) => rows.reduce((n, c) => n + c.count, 0);
  const declined = mine.filter((c) => c.status === 'DECLINED');
  const statuses = Object.values(ReferralStatus);
  const reasons: (DeclineReason | null)[] = [...Object.values(DeclineReason), null];
  const published = publishFlow(
    statuses.map((status) => sum(mine.filter((c) => c.status === status))),
    statuses.indexOf('DECLINED'),
    reasons.map((reason) => sum(declined.filter((c) => c.reason === reason))),
  );
  const uncoded = sum(declined.filter((c) => c.reason === null));
  const m = medians.find((x) => x.side === side);
  return {
    total: published.total,
    byStatus: statuses.map((status, i) => ({ status, count: published.statuses[i]! })),
    medianFirstAnswerHours: median(m?.medianFirstAnswerHours, m?.answered),
    medianCompletionHours: median(m?.medianCompletionHours, m?.completed),
    declines: reasons
      .map((reason, i) => ({ reason, count: published.reasons[i]! }))
      // The uncoded declines (rows from before the codes) only when there are some.
      .filter((d) => d.reason !== null || uncoded > 0),
  };
}
