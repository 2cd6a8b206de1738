/**
 * The network's picture: flows between organisations, response times per pair and per theme,
 * and unmet needs per theme and commune. Read from the materialisation (`network-facts.ts`) and
 * the anonymous demand counts (`demand.ts`); published through the disclosure rules of
 * `referral-stats.disclosure.ts` (1–4 as "< 5", others rounded to 5, totals that give no small
 * part away), so GraphQL, CSV, charts and the report never see a raw count.
 *
 * Who sees what (`networkScope`): hub admins and network coordinators the whole network; an
 * organisation's members (and its API clients with REFERRALS_READ) the pairs that involve their
 * organisation; the gaps (themes × communes, no organisation named) every member of an
 * organisation. Every query, answered or refused, is logged (`asStatisticsQuery`).
 */
import { DateTime } from 'luxon';
import { Prisma } from '../../generated/prisma/client.ts';
import { DeclineReason, type ReferralStatus } from '../../generated/prisma/enums.ts';
import type { Database } from '../../shared/db/client.ts';
import { DomainError, ForbiddenError, InvalidInputError } from '../../shared/errors.ts';
import type { Logger } from '../../shared/logger.ts';
import { viewerOrganisationIds, type Viewer } from '../accounts/viewer.ts';
import { localize } from '../catalogue/translations.ts';
import {
  MIN_PUBLISHED_COUNT,
  publishCount,
  publishFlow,
  publishSum,
  type PublishedCount,
} from '../referrals/referral-stats.disclosure.ts';
import { checkPeriod } from '../referrals/referral-stats.service.ts';
import { WORKING_DAYS_TIME_ZONE } from '../referrals/working-days.ts';
import { factsRefreshedAt } from './network-facts.ts';
import { supplyKey, supplyNow, supplyOfMonth, type Supply } from './supply.ts';
import {
  FLOW_OUTCOMES,
  type DurationStats,
  type FlowEdge,
  type FlowMatrix,
  type FlowOutcome,
  type GapCell,
  type GapDemand,
  type NetworkFlows,
  type NetworkGaps,
  type NetworkOrganisation,
  type NetworkResponseTimes,
  type ResponseTimes,
  type ThemeRef,
} from './network.types.ts';

/** Durations publish a 90th percentile over this many referrals or more (a median over 5). */
export const MIN_P90_COUNT = 10;
/** Decline reasons that say the network lacks something (counted as demand in the gaps). */
export const UNMET_DECLINE_REASONS = [
  'NO_CAPACITY',
  'NOT_ELIGIBLE',
  'OUT_OF_AREA',
] as const satisfies DeclineReason[];

/** What the viewer may see: the whole network, or the pairs involving these organisations. */
export type NetworkScope = { whole: true } | { whole: false; organisationIds: string[] };

export function networkScope(viewer: Viewer | null): NetworkScope | null {
  if (!viewer) return null;
  if (viewer.kind === 'user') {
    if (viewer.hubAdmin) return { whole: true };
    for (const roles of viewer.roles.values()) if (roles.has('NETWORK_COORDINATOR')) return { whole: true };
  }
  // A partner system reads its organisation's pairs when it may read its referrals.
  if (viewer.kind === 'apiClient' && !viewer.scopes.has('REFERRALS_READ')) return null;
  const organisationIds = viewerOrganisationIds(viewer);
  return organisationIds.length > 0 ? { whole: false, organisationIds } : null;
}

export type StatisticsQuery = 'FLOWS' | 'RESPONSE_TIMES' | 'GAPS' | 'REPORT';
export type StatisticsFormat = 'GRAPHQL' | 'CSV' | 'HTML' | 'SVG';

interface QueryRecord {
  query: StatisticsQuery | 'REFERRAL_STATS';
  format: StatisticsFormat;
  from: Date | null;
  to: Date | null;
}

/**
 * Runs `answer` for the viewer's scope and records who asked what, answered or refused: a row of
 * `StatisticsQueryLog` and a log line. Nobody outside an organisation gets an answer.
 */
export async function asStatisticsQuery<T>(
  db: Pick<Database, 'sql'>,
  logger: Logger,
  viewer: Viewer | null,
  record: QueryRecord,
  answer: (scope: NetworkScope) => Promise<T>,
): Promise<T> {
  const scope = networkScope(viewer);
  let outcome = 'answered';
  try {
    if (!scope) throw new ForbiddenError('see the network’s statistics');
    return await answer(scope);
  } catch (err) {
    outcome = err instanceof DomainError ? err.code : 'failed';
    throw err;
  } finally {
    const organisationIds = scope && !scope.whole ? scope.organisationIds : [];
    const asker =
      viewer?.kind === 'apiClient'
        ? { apiClientId: viewer.apiClientId }
        : viewer
          ? { userId: viewer.userId }
          : null;
    logger.info(
      { statistics: { ...record, asker, whole: !!scope?.whole, organisationIds, outcome } },
      'network statistics asked',
    );
    await db
      .sql(
        Prisma.sql`INSERT INTO "StatisticsQueryLog" (id, "userId", "apiClientId", query, format,
                     "organisationIds", "periodFrom", "periodTo", outcome)
                   VALUES (gen_random_uuid(), ${asker && 'userId' in asker ? asker.userId : null}::uuid,
                     ${asker && 'apiClientId' in asker ? asker.apiClientId : null}::uuid, ${record.query},
                     ${record.format}, ${organisationIds}::uuid[], ${record.from}, ${record.to}, ${outcome})`,
      )
      .catch((err: unknown) => logger.error({ err }, 'could not record a statistics query'));
  }
}

/** The facts of the period the scope may see. */
function scoped(scope: NetworkScope, from: Date, to: Date): Prisma.Sql {
  const period = Prisma.sql`f."sentAt" >= ${from} AND f."sentAt" < ${to}`;
  if (scope.whole) return period;
  const mine = scope.organisationIds;
  return Prisma.sql`${period} AND (f."senderOrganisationId" = ANY(${mine}::uuid[])
                                   OR f."receiverOrganisationId" = ANY(${mine}::uuid[]))`;
}

const OUTCOME_OF: Record<ReferralStatus, FlowOutcome | null> = {
  DRAFT: null,
  SENT: 'PENDING',
  RECEIVED: 'PENDING',
  ACCEPTED: 'ACCEPTED',
  IN_PROGRESS: 'ACCEPTED',
  ON_HOLD: 'ACCEPTED',
  COMPLETED: 'COMPLETED',
  DECLINED: 'DECLINED',
  CANCELLED: 'CANCELLED',
};
const DECLINED_AT = FLOW_OUTCOMES.indexOf('DECLINED');
const REASONS = Object.values(DeclineReason);
const statusesOf = (outcome: FlowOutcome) =>
  (Object.keys(OUTCOME_OF) as ReferralStatus[]).filter((s) => OUTCOME_OF[s] === outcome);
/** Per outcome bucket, in FLOW_OUTCOMES' order: how many of a group's facts are in it. */
const OUTCOME_COUNTS = FLOW_OUTCOMES.map(
  (o) => Prisma.sql`(count(*) FILTER (WHERE f.status::text = ANY(${statusesOf(o)}::text[])))::int`,
);
/** Per decline reason, in REASONS' order, then the uncoded declines. */
const REASON_COUNTS = [
  ...REASONS.map(
    (r) =>
      Prisma.sql`(count(*) FILTER (WHERE f.status = 'DECLINED' AND f."declineReason"::text = ${r}))::int`,
  ),
  Prisma.sql`(count(*) FILTER (WHERE f.status = 'DECLINED' AND f."declineReason" IS NULL))::int`,
];

async function organisations(db: Pick<Database, 'sql'>, ids: Iterable<string>) {
  const list = [...new Set(ids)];
  const rows =
    list.length === 0
      ? []
      : await db.sql<NetworkOrganisation>(
          Prisma.sql`SELECT id, slug, name FROM "Organisation" WHERE id = ANY(${list}::uuid[])`,
        );
  return new Map(rows.map((o) => [o.id, o]));
}

/** Names in French order, with one collator for every comparison (not one per `localeCompare` call). */
const byName = new Intl.Collator('fr').compare;

const limitedTo = (scope: NetworkScope, orgs: Map<string, NetworkOrganisation>) =>
  scope.whole ? null : scope.organisationIds.map((id) => orgs.get(id)).filter((o) => !!o);

/** Referrals sent in [from, to) between each pair of organisations, where they are now. */
export async function networkFlows(
  db: Pick<Database, 'sql'>,
  scope: NetworkScope,
  from: Date,
  to: Date,
): Promise<NetworkFlows> {
  checkPeriod(from, to);
  // One row per pair, its outcome buckets and decline reasons counted by PostgreSQL (the buckets
  // from OUTCOME_OF, the one place they are defined).
  const [rows, refreshedAt] = await Promise.all([
    db.sql<{ sender: string; receiver: string; outcomes: number[]; reasons: number[] }>(
      Prisma.sql`SELECT f."senderOrganisationId" AS sender, f."receiverOrganisationId" AS receiver,
                        ARRAY[${Prisma.join(OUTCOME_COUNTS)}] AS outcomes,
                        ARRAY[${Prisma.join(REASON_COUNTS)}] AS reasons
                 FROM "NetworkReferralFact" f WHERE ${scoped(scope, from, to)}
                 GROUP BY 1, 2`,
    ),
    factsRefreshedAt(db),
  ]);
  const uncoded = rows.some((r) => r.reasons[REASONS.length]! > 0);
  const reasonList = uncoded ? [...REASONS, null] : [...REASONS];
  const orgs = await organisations(db, [
    ...rows.flatMap((p) => [p.sender, p.receiver]),
    ...(scope.whole ? [] : scope.organisationIds),
  ]);
  const totals: PairTotal[] = [];
  const edges: FlowEdge[] = [];
  for (const p of rows) {
    const reasons = p.reasons.slice(0, reasonList.length);
    const published = publishFlow(p.outcomes, DECLINED_AT, reasons);
    const [pending, accepted, completed, declined, cancelled] = published.statuses as [
      PublishedCount,
      PublishedCount,
      PublishedCount,
      PublishedCount,
      PublishedCount,
    ];
    totals.push({
      sender: p.sender,
      receiver: p.receiver,
      n: p.outcomes.reduce((sum, n) => sum + n, 0),
    });
    edges.push({
      sender: orgs.get(p.sender)!,
      receiver: orgs.get(p.receiver)!,
      sent: published.total,
      pending,
      accepted,
      completed,
      declined,
      cancelled,
      declines: reasonList.map((reason, i) => ({ reason, count: published.reasons[i]! })),
    });
  }
  edges.sort((a, b) => (b.sent.value ?? 2.5) - (a.sent.value ?? 2.5) || byName(a.sender.name, b.sender.name));
  return {
    from,
    to,
    refreshedAt,
    limitedTo: limitedTo(scope, orgs),
    edges,
    matrix: matrix(scope, orgs, totals),
  };
}

interface PairTotal {
  sender: string;
  receiver: string;
  /** Exact: never published as such (the cells and sums are). */
  n: number;
}

/** The pairs as a square table, organisations by published volume; cells and sums published. */
function matrix(
  scope: NetworkScope,
  orgs: Map<string, NetworkOrganisation>,
  totals: PairTotal[],
): FlowMatrix {
  const volume = new Map<string, number>();
  for (const t of totals) {
    volume.set(t.sender, (volume.get(t.sender) ?? 0) + t.n);
    volume.set(t.receiver, (volume.get(t.receiver) ?? 0) + t.n);
  }
  // Ordered by published volume, then name: the order says no more than the published counts.
  const shownVolume = (id: string) => publishCount(volume.get(id) ?? 0).value ?? 2.5;
  const list = [...orgs.values()].sort(
    (a, b) => shownVolume(b.id) - shownVolume(a.id) || byName(a.name, b.name),
  );
  // Indexed, not keyed by strings: a network of 200 organisations has 40,000 cells.
  const size = list.length;
  const index = new Map(list.map((o, i) => [o.id, i]));
  const exact = new Float64Array(size * size);
  for (const t of totals) exact[index.get(t.sender)! * size + index.get(t.receiver)!] = t.n;
  const mine = new Set(scope.whole ? [] : scope.organisationIds);
  const involved = list.map((o) => scope.whole || mine.has(o.id));
  const visible = (s: number, r: number) => involved[s]! || involved[r]!;
  const range = [...list.keys()];
  return {
    organisations: list,
    cells: range.map((s) => range.map((r) => (visible(s, r) ? publishCount(exact[s * size + r]!) : null))),
    sentTotals: range.map((s) =>
      publishSum(range.filter((r) => visible(s, r)).map((r) => exact[s * size + r]!)),
    ),
    receivedTotals: range.map((r) =>
      publishSum(range.filter((s) => visible(s, r)).map((s) => exact[s * size + r]!)),
    ),
  };
}

interface DurationRow {
  n: number;
  /** Per duration: how many referrals have it, and its [median, 90th percentile] (null when none). */
  first_n: number;
  first: [number, number] | null;
  accept_n: number;
  accept: [number, number] | null;
  complete_n: number;
  complete: [number, number] | null;
}

/**
 * Each duration's median and 90th percentile per group, `percentile_cont` over the group's own
 * values: the facts are grouped by hashing into one array per group, and each array is sorted on
 * its own. An ordered-set aggregate over the facts themselves (`percentile_cont … WITHIN GROUP`
 * grouped by pair) sorts every fact by pair first, 170 ms against 90 ms for 100k facts; returning
 * the arrays to sort here lost that gain to their transfer and parsing (docs/NOTES.md).
 * Groups too small to publish a median get none (most pairs of a large, sparse network).
 * `grouped` is a statement whose rows have `n` and the arrays `first`, `accept`, `complete`.
 */
const withPercentiles = (grouped: Prisma.Sql, keys: Prisma.Sql) => {
  const stats = (column: string) => {
    const values = Prisma.raw(`g.${column}`);
    return Prisma.sql`cardinality(${values}) AS ${Prisma.raw(`${column}_n`)},
      CASE WHEN cardinality(${values}) >= ${MIN_PUBLISHED_COUNT}
        THEN (SELECT percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY v) FROM unnest(${values}) AS v)
      END AS ${Prisma.raw(column)}`;
  };
  return Prisma.sql`SELECT ${keys}, g.n, ${stats('first')}, ${stats('accept')}, ${stats('complete')}
                    FROM (${grouped}) g`;
};

const durationArrays = Prisma.sql`count(*)::int AS n,
  coalesce(array_agg(f."firstAnswerDays") FILTER (WHERE f."firstAnswerDays" IS NOT NULL), '{}') AS first,
  coalesce(array_agg(f."acceptanceDays") FILTER (WHERE f."acceptanceDays" IS NOT NULL), '{}') AS accept,
  coalesce(array_agg(f."completionDays") FILTER (WHERE f."completionDays" IS NOT NULL), '{}') AS complete`;

const tenth = (x: number | null) => (x === null ? null : Math.round(x * 10) / 10);

function duration(n: number, percentiles: [number, number] | null): DurationStats {
  return {
    count: publishCount(n),
    median: percentiles && n >= MIN_PUBLISHED_COUNT ? tenth(percentiles[0]) : null,
    p90: percentiles && n >= MIN_P90_COUNT ? tenth(percentiles[1]) : null,
  };
}

function times(r: DurationRow): ResponseTimes {
  return {
    firstAnswer: duration(r.first_n, r.first),
    acceptance: duration(r.accept_n, r.accept),
    completion: duration(r.complete_n, r.complete),
  };
}

/** Median and 90th percentile of the working days to first answer, acceptance and completion. */
export async function networkResponseTimes(
  db: Pick<Database, 'sql'>,
  scope: NetworkScope,
  from: Date,
  to: Date,
  lang: readonly string[],
): Promise<NetworkResponseTimes> {
  checkPeriod(from, to);
  const where = scoped(scope, from, to);
  const [pairRows, themeRows, refreshedAt] = await Promise.all([
    db.sql<DurationRow & { sender: string; receiver: string }>(
      withPercentiles(
        Prisma.sql`SELECT f."senderOrganisationId" AS sender, f."receiverOrganisationId" AS receiver, ${durationArrays}
                   FROM "NetworkReferralFact" f WHERE ${where} GROUP BY 1, 2`,
        Prisma.sql`g.sender, g.receiver`,
      ),
    ),
    db.sql<DurationRow & { code: string; label: unknown }>(
      // Grouped by code alone, labelled after (grouping by the JSON label doubled the time).
      Prisma.sql`SELECT x.*, t.label FROM (${withPercentiles(
        Prisma.sql`SELECT c.code, ${durationArrays}
                   FROM "NetworkReferralFact" f CROSS JOIN LATERAL unnest(f."themeCodes") AS c(code)
                   WHERE ${where} GROUP BY c.code`,
        Prisma.sql`g.code`,
      )}) x
                 JOIN "Theme" t ON t.code = x.code`,
    ),
    factsRefreshedAt(db),
  ]);
  const orgs = await organisations(db, [
    ...pairRows.flatMap((r) => [r.sender, r.receiver]),
    ...(scope.whole ? [] : scope.organisationIds),
  ]);
  const slowest = (a: ResponseTimes, b: ResponseTimes) =>
    (b.firstAnswer.median ?? -1) - (a.firstAnswer.median ?? -1);
  return {
    from,
    to,
    refreshedAt,
    limitedTo: limitedTo(scope, orgs),
    pairs: pairRows
      .map((r) => ({
        sender: orgs.get(r.sender)!,
        receiver: orgs.get(r.receiver)!,
        referrals: publishCount(r.n),
        ...times(r),
      }))
      .sort((a, b) => slowest(a, b) || byName(a.sender.name, b.sender.name)),
    themes: themeRows
      .map((r) => ({ theme: themeRef(r.code, r.label, lang), referrals: publishCount(r.n), ...times(r) }))
      .sort((a, b) => slowest(a, b) || a.theme.code.localeCompare(b.theme.code)),
  };
}

const themeRef = (code: string, label: unknown, lang: readonly string[]): ThemeRef => ({
  code,
  label: localize(label, lang)?.text ?? code,
});

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** "YYYY-MM" of the month `at` falls in, on Luxembourg's calendar. */
export function monthOf(at: Date): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: WORKING_DAYS_TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
  })
    .format(at)
    .slice(0, 7);
}

/** The month before "YYYY-MM". */
export function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

const nextMonth = (month: string) => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
};

export function checkMonth(month: string, path: string[] = ['month']): void {
  if (!MONTH.test(month))
    throw new InvalidInputError('The month is not a month.', [
      { path, message: 'Must be YYYY-MM, e.g. 2026-11.' },
    ]);
}

interface DemandRow {
  code: string;
  commune: string;
  label: unknown;
  current: boolean;
  searches: number;
  matches: number;
  declines: number;
}

/**
 * Demand per theme and commune in a month and the month before (searches and matches that found
 * nothing or no free place; referrals declined for no capacity, not eligible or out of area),
 * over the supply there now (published offers of the theme or a sub-theme, their free places).
 */
export async function networkGaps(
  db: Pick<Database, 'sql'>,
  month: string,
  lang: readonly string[],
): Promise<NetworkGaps> {
  checkMonth(month);
  const before = previousMonth(month);
  const start = `${before}-01`;
  const middle = `${month}-01`;
  const end = `${nextMonth(month)}-01`;
  const tz = WORKING_DAYS_TIME_ZONE;
  const rows = await db.sql<DemandRow>(Prisma.sql`
    WITH misses AS (
      SELECT d."themeCode" AS code, d.commune, d.day >= ${middle}::date AS current,
             coalesce(sum(d.count) FILTER (WHERE d.source = 'SEARCH'), 0)::int AS searches,
             coalesce(sum(d.count) FILTER (WHERE d.source = 'MATCH'), 0)::int AS matches, 0 AS declines
      FROM "DemandMiss" d
      WHERE d.day >= ${start}::date AND d.day < ${end}::date AND d."themeCode" <> ''
      GROUP BY 1, 2, 3
    ),
    declines AS (
      SELECT c.code, m.commune, f."sentAt" >= (${middle}::date::timestamp AT TIME ZONE ${tz}) AS current,
             0 AS searches, 0 AS matches, count(*)::int AS declines
      FROM "NetworkReferralFact" f
      CROSS JOIN LATERAL unnest(f."themeCodes") AS c(code)
      CROSS JOIN LATERAL unnest(CASE WHEN cardinality(f.communes) = 0 THEN ARRAY[''] ELSE f.communes END) AS m(commune)
      WHERE f.status = 'DECLINED' AND f."declineReason"::text = ANY(${[...UNMET_DECLINE_REASONS]}::text[])
        AND f."sentAt" >= (${start}::date::timestamp AT TIME ZONE ${tz})
        AND f."sentAt" < (${end}::date::timestamp AT TIME ZONE ${tz})
      GROUP BY 1, 2, 3
    )
    SELECT x.code, x.commune, t.label, x.current, sum(x.searches)::int AS searches,
           sum(x.matches)::int AS matches, sum(x.declines)::int AS declines
    FROM (SELECT * FROM misses UNION ALL SELECT * FROM declines) x
    JOIN "Theme" t ON t.code = x.code
    GROUP BY x.code, x.commune, t.label, x.current`);
  const cells = new Map<
    string,
    { code: string; commune: string; label: unknown; now: number[]; then: number[] }
  >();
  for (const r of rows) {
    const key = `${r.code} ${r.commune}`;
    let cell = cells.get(key);
    if (!cell) {
      cell = { code: r.code, commune: r.commune, label: r.label, now: [0, 0, 0], then: [0, 0, 0] };
      cells.set(key, cell);
    }
    const into = r.current ? cell.now : cell.then;
    into[0]! += r.searches;
    into[1]! += r.matches;
    into[2]! += r.declines;
  }
  const list = [...cells.values()];
  const [supply, previousSupply] = await Promise.all([supplyIn(db, month), supplyIn(db, before)]);
  const index = (d: GapDemand, room: number | null) =>
    d.total.value === null || room === null ? null : tenth(d.total.value / Math.max(1, room));
  const result: GapCell[] = list.map((c) => {
    const key = supplyKey(c.code, c.commune);
    // No offer there: none of either (a cell read or asked is complete, not missing).
    const s = supply && (supply.cells.get(key) ?? NO_SUPPLY);
    const p = previousSupply && (previousSupply.cells.get(key) ?? NO_SUPPLY);
    const demand = publishDemand(c.now);
    const previousDemand = publishDemand(c.then);
    return {
      theme: themeRef(c.code, c.label, lang),
      commune: c.commune === '' ? null : c.commune,
      demand,
      previousDemand,
      offers: s?.offers ?? null,
      freePlaces: s?.free ?? null,
      offersWithRoom: s?.room ?? null,
      previousOffersWithRoom: p?.room ?? null,
      gapIndex: index(demand, s?.room ?? null),
      previousGapIndex: index(previousDemand, p?.room ?? null),
    };
  });
  result.sort(
    (a, b) =>
      (b.gapIndex ?? -1) - (a.gapIndex ?? -1) ||
      a.theme.code.localeCompare(b.theme.code) ||
      (a.commune ?? '').localeCompare(b.commune ?? ''),
  );
  return {
    month,
    previousMonth: before,
    supplyReadAt: supply?.readAt ?? null,
    previousSupplyReadAt: previousSupply?.readAt ?? null,
    cells: result,
  };
}

const NO_SUPPLY = { offers: 0, free: 0, room: 0 };

/** The supply of a month: the catalogue now for this month (or later), else the month's reading. */
function supplyIn(db: Pick<Database, 'sql'>, month: string): Promise<Supply | null> {
  return month >= monthOf(new Date()) ? supplyNow(db) : supplyOfMonth(db, month);
}

/** The three sources and their total, published as a flow with its parts (rule 3). */
function publishDemand([searches, matches, declines]: number[]): GapDemand {
  const parts = [searches!, matches!, declines!];
  return {
    searches: publishCount(parts[0]!),
    matches: publishCount(parts[1]!),
    declines: publishCount(parts[2]!),
    total: publishSum(parts),
  };
}

/** The instants a month (YYYY-MM, Luxembourg's calendar) begins and ends. */
export function monthPeriod(month: string): { from: Date; to: Date } {
  checkMonth(month);
  const start = (m: string) =>
    DateTime.fromISO(`${m}-01T00:00:00`, { zone: WORKING_DAYS_TIME_ZONE }).toJSDate();
  return { from: start(month), to: start(nextMonth(month)) };
}

/** The period asked for: by default the 365 days up to now. */
export function periodOf(args: { from?: Date | null; to?: Date | null }): { from: Date; to: Date } {
  const to = args.to ?? new Date();
  return { from: args.from ?? new Date(to.getTime() - 365 * 86_400_000), to };
}
