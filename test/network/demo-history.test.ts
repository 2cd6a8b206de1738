/**
 * The demo's year of generated history (prisma/seed/demo-history.ts), as `npm start` loads it
 * (`seedDemo` with `history`), read through the network's statistics over the last 12 months
 * once the facts are refreshed: a few organisations receive most referrals, one pair answers
 * slowly, supported housing has no free place in the Minett. Every history referral agrees with
 * its events, carries nothing about a person (as retention leaves it), and a second seeding adds
 * nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  HISTORY_REFERENCE,
  pastMonths,
  SLOW_PAIR,
  SOUTH,
  SOUTH_FULL_MONTHS,
} from '../../prisma/seed/demo-history.ts';
import { seedDemo } from '../../prisma/seed/seed.ts';
import { refreshNetworkFacts, type RefreshResult } from '../../src/modules/network/network-facts.ts';
import {
  monthOf,
  networkFlows,
  networkGaps,
  networkResponseTimes,
  previousMonth,
} from '../../src/modules/network/network-stats.service.ts';
import type { NetworkGaps } from '../../src/modules/network/network.types.ts';
import { openDatabase, type Database } from '../../src/shared/db/client.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/pg.ts';

let database: TestDatabase;
let db: Database;
let first: Awaited<ReturnType<typeof seedDemo>>;
let second: Awaited<ReturnType<typeof seedDemo>>;
let missesAfterFirst: number;
let refreshed: RefreshResult;
const now = new Date();
const yearAgo = new Date(now.getTime() - 365 * 24 * 3600 * 1000);
const whole = { whole: true } as const;
const HISTORY = `reference LIKE 'REF-____-H%'`;

const rows = async <T>(sql: string, params: unknown[] = []) => (await db.pool.query(sql, params)).rows as T[];
const one = async <T>(sql: string, params: unknown[] = []) => (await rows<T>(sql, params))[0]!;
const missCount = async () =>
  (await one<{ n: number }>(`SELECT coalesce(sum(count), 0)::int AS n FROM "DemandMiss"`)).n;

beforeAll(async () => {
  database = await createTestDatabase();
  db = openDatabase({ url: database.url, poolMax: 4, logger: createLogger('silent') });
  first = await seedDemo(db.prisma, { history: true, now });
  missesAfterFirst = await missCount();
  second = await seedDemo(db.prisma, { history: true, now });
  refreshed = await refreshNetworkFacts(db);
}, 180_000);

afterAll(async () => {
  await db?.close();
  await database?.drop();
});

describe('the demo history', () => {
  it('is about a year of referrals, loaded once, numbered apart from the real ones', async () => {
    expect(first.historyReferrals).toBeGreaterThanOrEqual(2_500);
    expect(first.historyReferrals).toBeLessThanOrEqual(3_500);
    expect(second.historyReferrals).toBe(first.historyReferrals);
    expect(second.referrals).toBe(8);
    const { n } = await one<{ n: number }>(`SELECT count(*)::int AS n FROM "Referral" WHERE ${HISTORY}`);
    expect(n).toBe(first.historyReferrals);
    expect(await missCount()).toBe(missesAfterFirst);
    expect(missesAfterFirst).toBeGreaterThan(1_000);

    const references = await rows<{ reference: string }>(`SELECT reference FROM "Referral"`);
    const history = references.filter((r) => HISTORY_REFERENCE.test(r.reference));
    expect(history).toHaveLength(first.historyReferrals);
    // The demo referrals keep the generator's numbers, which never take the history's form.
    expect(references.filter((r) => /^REF-\d{4}-\d{6}$/.test(r.reference))).toHaveLength(8);

    // Sent over the 12 months before now, nothing after it.
    const span = await one<{ first: Date; last: Date; latest: Date }>(
      `SELECT min("sentAt") AS first, max("sentAt") AS last,
              (SELECT max(e.at) FROM "ReferralEvent" e JOIN "Referral" r ON r.id = e."referralId"
               WHERE r.${HISTORY}) AS latest
       FROM "Referral" WHERE ${HISTORY}`,
    );
    expect(span.first.getTime()).toBeGreaterThanOrEqual(yearAgo.getTime() - 24 * 3600 * 1000);
    expect(span.last.getTime()).toBeLessThan(now.getTime());
    expect(span.latest.getTime()).toBeLessThan(now.getTime());
  });

  it('says in its columns what its events say, in the status machine’s order', async () => {
    const problems = await one<Record<string, number>>(`
      WITH h AS (SELECT * FROM "Referral" WHERE ${HISTORY}),
      c AS (
        SELECT "referralId",
          array_agg("toStatus"::text ORDER BY at) FILTER (WHERE "toStatus" IS NOT NULL) AS st,
          array_agg("fromStatus"::text ORDER BY at) FILTER (WHERE "toStatus" IS NOT NULL) AS fr,
          min(at) FILTER (WHERE "toStatus" = 'SENT') AS sent,
          min(at) FILTER (WHERE "toStatus" IN ('RECEIVED', 'ACCEPTED', 'DECLINED')) AS answered,
          max(at) AS last,
          count(*) FILTER (WHERE type IN ('STATUS_CHANGED', 'ASSIGNED'))::int AS steps,
          bool_or(type = 'ASSIGNED') AS assigned
        FROM "ReferralEvent" GROUP BY 1)
      SELECT
        count(*) FILTER (WHERE c."referralId" IS NULL)::int AS "no events",
        count(*) FILTER (WHERE c.st[1] <> 'DRAFT' OR c.st[2] <> 'SENT')::int AS "not created then sent",
        count(*) FILTER (WHERE h.status::text <> c.st[cardinality(c.st)])::int AS "status",
        count(*) FILTER (WHERE c.fr[1] IS NOT NULL OR c.fr[2:] <> c.st[:cardinality(c.st) - 1])::int AS "chain",
        count(*) FILTER (WHERE h."sentAt" <> c.sent)::int AS "sentAt",
        count(*) FILTER (WHERE h."firstAnswerAt" IS DISTINCT FROM c.answered)::int AS "firstAnswerAt",
        count(*) FILTER (WHERE h."closedAt" IS DISTINCT FROM
          CASE WHEN h.status IN ('COMPLETED', 'DECLINED', 'CANCELLED') THEN c.last END)::int AS "closedAt",
        count(*) FILTER (WHERE h.version <> 1 + c.steps)::int AS "version",
        count(*) FILTER (WHERE h."updatedAt" <> c.last OR h."createdAt" >= h."sentAt")::int AS "dates",
        count(*) FILTER (WHERE (h.status = 'DECLINED') <> (h."declineReason" IS NOT NULL))::int AS "reason",
        count(*) FILTER (WHERE c.assigned <> (h."assigneeUserId" IS NOT NULL))::int AS "assignee",
        count(*) FILTER (WHERE h."dueAt" <= h."sentAt")::int AS "dueAt"
      FROM h LEFT JOIN c ON c."referralId" = h.id`);
    expect(problems).toEqual(Object.fromEntries(Object.keys(problems).map((k) => [k, 0])));

    // Steps the status machine does not have, e.g. DECLINED after ACCEPTED.
    const steps = await rows<{ step: string }>(`
      SELECT DISTINCT e."fromStatus" || '>' || e."toStatus" AS step
      FROM "ReferralEvent" e JOIN "Referral" r ON r.id = e."referralId"
      WHERE r.${HISTORY} AND e."toStatus" IS NOT NULL AND e."fromStatus" IS NOT NULL ORDER BY 1`);
    const allowed = [
      'DRAFT>SENT',
      'SENT>RECEIVED',
      'SENT>ACCEPTED',
      'SENT>DECLINED',
      'SENT>CANCELLED',
      'RECEIVED>ACCEPTED',
      'RECEIVED>DECLINED',
      'ACCEPTED>IN_PROGRESS',
      'ACCEPTED>COMPLETED',
      'ACCEPTED>CANCELLED',
      'IN_PROGRESS>ON_HOLD',
      'ON_HOLD>IN_PROGRESS',
      'IN_PROGRESS>COMPLETED',
      'IN_PROGRESS>CANCELLED',
    ];
    expect(steps.map((s) => s.step).filter((s) => !allowed.includes(s))).toEqual([]);

    // Mostly completed or under way, some declined with a coded reason, some cancelled, a few open.
    const statuses = await rows<{ status: string; n: number }>(
      `SELECT status, count(*)::int AS n FROM "Referral" WHERE ${HISTORY} GROUP BY 1`,
    );
    const share = (...of: string[]) =>
      statuses.filter((s) => of.includes(s.status)).reduce((sum, s) => sum + s.n, 0) / first.historyReferrals;
    expect(share('COMPLETED', 'ACCEPTED', 'IN_PROGRESS', 'ON_HOLD')).toBeGreaterThan(0.6);
    expect(share('DECLINED')).toBeGreaterThan(0.05);
    expect(share('DECLINED')).toBeLessThan(0.25);
    expect(share('CANCELLED')).toBeGreaterThan(0.02);
    expect(share('CANCELLED')).toBeLessThan(0.15);
    expect(share('SENT', 'RECEIVED')).toBeGreaterThan(0);
    expect(share('SENT', 'RECEIVED')).toBeLessThan(0.05);
    expect(share('DRAFT')).toBe(0);
    const reasons = await rows<{ reason: string }>(
      `SELECT DISTINCT "declineReason"::text AS reason FROM "Referral" WHERE ${HISTORY} AND status = 'DECLINED'`,
    );
    expect(reasons.map((r) => r.reason)).toEqual(
      expect.arrayContaining(['NO_CAPACITY', 'NOT_ELIGIBLE', 'OUT_OF_AREA', 'PERSON_UNREACHABLE']),
    );
  });

  it('has no person behind it, and the facts have no room for one', async () => {
    const left = await one<Record<string, number>>(`
      SELECT
        count(*) FILTER (WHERE p."referralId" IS NULL OR p."anonymisedAt" IS NULL)::int AS "not anonymised",
        count(*) FILTER (WHERE p.name IS NOT NULL OR p.initials IS NOT NULL OR p.contact IS NOT NULL
          OR p."birthYear" IS NOT NULL OR p."contactChannel" IS NOT NULL OR cardinality(p.languages) > 0)::int AS "person",
        count(*) FILTER (WHERE r.needs <> '' OR r."statusReason" IS NOT NULL OR r.outcome IS NOT NULL
          OR r."idempotencyKey" IS NOT NULL)::int AS "texts",
        (SELECT count(*) FROM "ReferralEvent" e JOIN "Referral" x ON x.id = e."referralId"
         WHERE x.${HISTORY} AND e.note IS NOT NULL)::int AS "event notes",
        (SELECT count(*) FROM "Consent" c JOIN "Referral" x ON x.id = c."referralId"
         WHERE x.${HISTORY} AND c.purpose <> '')::int AS "consent purposes",
        (SELECT count(*) FROM "ReferralMessage" m JOIN "Referral" x ON x.id = m."referralId"
         WHERE x.${HISTORY})::int AS "messages"
      FROM "Referral" r LEFT JOIN "ReferralPerson" p ON p."referralId" = r.id WHERE r.${HISTORY}`);
    expect(left).toEqual(Object.fromEntries(Object.keys(left).map((k) => [k, 0])));

    const columns = await rows<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'NetworkReferralFact' ORDER BY 1`,
    );
    expect(columns.map((c) => c.column_name).sort()).toEqual(
      [
        'referralId',
        'senderOrganisationId',
        'receiverOrganisationId',
        'sentAt',
        'status',
        'declineReason',
        'themeCodes',
        'communes',
        'firstAnswerDays',
        'acceptanceDays',
        'completionDays',
        'refreshedAt',
      ].sort(),
    );
  });

  it('reaches the facts: every sent referral, history included, not as live events', async () => {
    expect(refreshed).toMatchObject({ ran: true, rebuilt: true });
    const facts = await one<{ facts: number; sent: number }>(
      `SELECT (SELECT count(*) FROM "NetworkReferralFact")::int AS facts,
              (SELECT count(*) FROM "Referral" WHERE "sentAt" IS NOT NULL)::int AS sent`,
    );
    expect(facts.facts).toBe(facts.sent);
    expect(refreshed.referrals).toBe(facts.sent);
    // Loaded as a superuser (as the embedded database is): no outbox row for the history.
    const outbox = await one<{ n: number }>(
      `SELECT count(*)::int AS n FROM "OutboxEvent" o JOIN "Referral" r ON r.id = o."referralId" WHERE r.${HISTORY}`,
    );
    expect(outbox.n).toBe(0);
  });
});

describe('its picture over the last 12 months', () => {
  it('has a few organisations receive most referrals (as published)', async () => {
    const flows = await networkFlows(db, whole, yearAgo, now);
    const received = flows.matrix.receivedTotals.map((c) => c.value ?? 0).sort((a, b) => b - a);
    const total = received.reduce((s, n) => s + n, 0);
    expect(total).toBeGreaterThan(2_000);
    expect(received[0]! + received[1]! + received[2]!).toBeGreaterThan(total / 2);
    const top = flows.matrix.organisations
      .map((o, i) => ({ slug: o.slug, received: flows.matrix.receivedTotals[i]!.value ?? 0 }))
      .sort((a, b) => b.received - a.received)
      .slice(0, 4)
      .map((o) => o.slug);
    expect(top.sort()).toEqual(
      ['caritas-luxembourg', 'croix-rouge', 'inter-actions', 'office-social-luxembourg'].sort(),
    );
  });

  it('has one slow pair, where the network answers within a few working days', async () => {
    const times = await networkResponseTimes(db, whole, yearAgo, now, ['fr']);
    const slow = times.pairs.find(
      (p) => p.sender.slug === SLOW_PAIR.sender && p.receiver.slug === SLOW_PAIR.receiver,
    );
    expect(slow?.firstAnswer.median).toBeGreaterThan(5);
    const others = times.pairs
      .filter((p) => p !== slow)
      .map((p) => p.firstAnswer.median)
      .filter((m): m is number => m !== null)
      .sort((a, b) => a - b);
    expect(others.length).toBeGreaterThan(30);
    expect(others[Math.floor(others.length / 2)]).toBeLessThan(3);
    // The slowest of all.
    expect(times.pairs[0]).toBe(slow);
  });

  it('has supported housing short of places in the Minett, the widest gap there last month', async () => {
    const month = previousMonth(monthOf(now));
    const { cells } = await networkGaps(db, month, ['fr']);
    for (const commune of SOUTH.communes) {
      const here = cells.filter((c) => c.commune === commune);
      const south = here.find((c) => c.theme.code === SOUTH.theme);
      expect({ commune, room: south?.offersWithRoom, index: (south?.gapIndex ?? 0) > 5 }).toEqual({
        commune,
        room: 0,
        index: true,
      });
      const others = here.filter((c) => c !== south).map((c) => c.gapIndex ?? 0);
      expect({ commune, wider: others.filter((i) => i >= south!.gapIndex!) }).toEqual({ commune, wider: [] });
    }
    const offer = await db.prisma.offer.findFirstOrThrow({ where: { hsdsId: SOUTH.offer } });
    expect(offer.capacityFree).toBe(0);
    // Full in the supply read at the close of the last months; with room before.
    const early = await networkGaps(db, pastMonths(now)[SOUTH_FULL_MONTHS]!.month, ['fr']);
    const esch = (g: NetworkGaps) =>
      g.cells.find((c) => c.commune === 'Esch-sur-Alzette' && c.theme.code === SOUTH.theme);
    expect([esch(early)?.offersWithRoom, early.supplyReadAt]).toEqual([
      1,
      pastMonths(now)[SOUTH_FULL_MONTHS]!.readAt,
    ]);

    // Ever more of its referrals declined for want of places: the last quarter against the first.
    const quarters = await one<{ early: number; late: number }>(
      `SELECT count(*) FILTER (WHERE f."sentAt" < $2::timestamptz + interval '3 months')::int AS early,
              count(*) FILTER (WHERE f."sentAt" >= $3::timestamptz - interval '3 months')::int AS late
       FROM "NetworkReferralFact" f
       WHERE f."receiverOrganisationId" = $1 AND f."declineReason" = 'NO_CAPACITY'
         AND $4 = ANY(f."themeCodes")`,
      [offer.organisationId, yearAgo, now, SOUTH.theme],
    );
    expect(quarters.late).toBeGreaterThan(quarters.early);
  });
});
