/**
 * The inbox's own statement (`referral.sql.ts`, compiled by `prisma-json.ts`) against the same
 * read through Prisma, on the demo data: every demo user who sees referrals, both boxes, each
 * filter, several shapes (what the inbox, the console and a partner ask for) and pages (first,
 * after a cursor, past the end). Rows must be equal, field by field, Dates included.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { seedDemo } from '../../prisma/seed/seed.ts';
import { Prisma, type PrismaClient } from '../../src/generated/prisma/client.ts';
import type { UserViewer } from '../../src/modules/accounts/viewer.ts';
import { inbox, inboxSql } from '../../src/modules/referrals/referral.schema.ts';
import { actingSide, actingSideSql } from '../../src/modules/referrals/referral.access.ts';
import type { ReferralAction } from '../../src/modules/referrals/referral-status.ts';
import {
  lockForActor,
  stepReferral,
  type StepOptions,
} from '../../src/modules/referrals/referral.service.ts';
import {
  LAST_EVENT,
  lastEvents,
  referralCount,
  referralPage,
  type LockNeeds,
  type PageQuery,
} from '../../src/modules/referrals/referral.sql.ts';
import { openDatabase, prismaRunner, type Database } from '../../src/shared/db/client.ts';
import { jsonRowSql } from '../../src/shared/db/prisma-json.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/pg.ts';
import { BENCH_INBOX, BENCH_INBOX_NARROWED } from '../fixtures/inbox-shapes.ts';

let database: TestDatabase;
let db: Database;
const viewers: UserViewer[] = [];

async function viewerOf(prisma: PrismaClient, email: string): Promise<UserViewer> {
  const user = await prisma.user.findUniqueOrThrow({ where: { email }, include: { memberships: true } });
  return {
    kind: 'user',
    userId: user.id,
    email,
    roles: new Map(user.memberships.map((m) => [m.organisationId, new Set(m.roles)])),
    hubAdmin: false,
  };
}

beforeAll(async () => {
  database = await createTestDatabase();
  db = openDatabase({ url: database.url, poolMax: 4, logger: createLogger('silent') });
  await seedDemo(db.prisma);
  const users = await db.prisma.user.findMany({
    where: { memberships: { some: { roles: { hasSome: ['CASE_WORKER', 'ORG_ADMIN'] } } } },
    orderBy: { email: 'asc' },
  });
  for (const u of users) viewers.push(await viewerOf(db.prisma, u.email));
}, 180_000);

afterAll(async () => {
  await db?.close();
  await database?.drop();
});

/** Shapes Pothos computes for real selections. */
const SHAPES: Record<string, PageQuery> = {
  'the inbox of bench/referrals': BENCH_INBOX,
  'the console’s list': {
    include: {
      person: true,
      consents: { select: { withdrawnAt: true } },
      offer: true,
      senderOrganisation: true,
      receiverOrganisation: true,
      needThemes: true,
      assignee: { select: { name: true } },
    },
  },
  'a history with ordered events and messages': {
    include: {
      events: { orderBy: [{ at: 'asc' }, { id: 'asc' }] },
      messages: { orderBy: [{ at: 'asc' }, { id: 'asc' }] },
      accesses: { orderBy: [{ at: 'desc' }, { id: 'desc' }], take: 2 },
    },
  },
  'the inbox of bench/referrals, narrowed to what it shows (narrowShape)': BENCH_INBOX_NARROWED,
  'a select': {
    select: { id: true, reference: true, sentAt: true, person: { select: { anonymisedAt: true } } },
  },
  'no relation': {},
};

const FILTERS = [
  undefined,
  { status: ['SENT', 'IN_PROGRESS'] as const },
  { unassigned: true },
  { overdue: true },
  { reference: ' ref-2026-000001 ' },
];

/** Implicit many-to-many rows come in no particular order from Prisma: compare them sorted. */
function normalise(rows: unknown[]): unknown[] {
  return rows.map((r) => {
    const row = { ...(r as Record<string, unknown>) };
    if (Array.isArray(row.needThemes)) {
      row.needThemes = [...(row.needThemes as { id: string }[])].sort((a, b) => a.id.localeCompare(b.id));
    }
    return row;
  });
}

describe('the inbox statement reads what Prisma reads', () => {
  it('for every demo case worker and admin, box, filter and shape', async () => {
    let compared = 0;
    let nonEmpty = 0;
    const now = new Date();
    for (const viewer of viewers) {
      for (const box of ['INCOMING', 'OUTGOING'] as const) {
        for (const filter of FILTERS) {
          const args = {
            box,
            filter: filter ? { ...filter, status: filter.status && [...filter.status] } : null,
          };
          for (const [name, shape] of Object.entries(SHAPES)) {
            const query = { ...shape, take: 4, skip: 0 };
            const ours = await referralPage(db.sql, query, inboxSql(args, viewer, now));
            const theirs = await db.prisma.referral.findMany({
              ...query,
              where: inbox(args, viewer),
              orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
            } as never);
            expect([viewer.email, box, filter, name, normalise(ours ?? [])]).toStrictEqual([
              viewer.email,
              box,
              filter,
              name,
              normalise(theirs),
            ]);
            expect(await referralCount(db.sql, inboxSql(args, viewer, now))).toBe(
              await db.prisma.referral.count({ where: inbox(args, viewer) }),
            );
            compared++;
            if (theirs.length > 0) nonEmpty++;
          }
        }
      }
    }
    expect(viewers.length).toBeGreaterThanOrEqual(4);
    expect(nonEmpty).toBeGreaterThan(compared / 4);
  });

  it('pages after a cursor, past the end and from an unknown cursor as Prisma does', async () => {
    // The busiest box of the demo.
    let best: { viewer: UserViewer; box: 'INCOMING' | 'OUTGOING'; n: number } | null = null;
    for (const viewer of viewers) {
      for (const box of ['INCOMING', 'OUTGOING'] as const) {
        const n = await db.prisma.referral.count({ where: inbox({ box, filter: null }, viewer) });
        if (!best || n > best.n) best = { viewer, box, n };
      }
    }
    const { viewer, box } = best!;
    const args = { box, filter: null };
    const where = inbox(args, viewer);
    const all = await db.prisma.referral.findMany({
      where,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    });
    expect(all.length).toBeGreaterThanOrEqual(3);
    const pages: PageQuery[] = [
      { take: 1, skip: 1, cursor: { id: all[0]!.id } },
      { take: 2, skip: 1, cursor: { id: all[all.length - 1]!.id } },
      { take: 2, skip: 0, cursor: { id: all[1]!.id } },
      { take: 2, skip: 1, cursor: { id: '019a0000-0000-7000-8000-000000000000' } },
      { take: 50, skip: 1 },
    ];
    for (const page of pages) {
      const ours = await referralPage(
        db.sql,
        { ...SHAPES['the inbox of bench/referrals']!, ...page },
        inboxSql(args, viewer),
      );
      const theirs = await db.prisma.referral.findMany({
        ...SHAPES['the inbox of bench/referrals']!,
        ...page,
        where,
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      } as never);
      expect([page, ours]).toStrictEqual([page, theirs]);
    }
  });

  it('reads each referral’s newest event with the page, and for any referrals, as Prisma does', async () => {
    let withEvent = 0;
    for (const viewer of viewers) {
      for (const box of ['INCOMING', 'OUTGOING'] as const) {
        const page = await referralPage(db.sql, { take: 10 }, inboxSql({ box, filter: null }, viewer), {
          lastEvent: true,
        });
        const ids = page!.map((r) => r.id);
        const loaded = new Map((await lastEvents(db.sql, ids)).map((e) => [e.referralId, e]));
        for (const row of page!) {
          const theirs = await db.prisma.referralEvent.findFirst({
            where: { referralId: row.id },
            orderBy: [{ at: 'desc' }, { id: 'desc' }],
          });
          expect(row[LAST_EVENT]).toStrictEqual(theirs);
          expect(loaded.get(row.id) ?? null).toStrictEqual(theirs);
          if (theirs) withEvent++;
        }
      }
    }
    expect(withEvent).toBeGreaterThan(5);
  });

  it('keeps PostgreSQL’s generic plan of a first page and of a page after a cursor', async () => {
    // An OFFSET given as a parameter made PostgreSQL plan the page again on every execution.
    let where = inboxSql({ box: 'INCOMING', filter: null }, viewers[0]!);
    for (const viewer of viewers) {
      const box = inboxSql({ box: 'INCOMING', filter: null }, viewer);
      if ((await referralCount(db.sql, box)) > (await referralCount(db.sql, where))) where = box;
    }
    const first = await referralPage(db.sql, { take: 2 }, where);
    const plans = await db.transaction(async (run) => {
      for (let i = 0; i < 8; i++) {
        await referralPage(run, { ...BENCH_INBOX, take: 51, skip: 0 }, where, {
          lastEvent: true,
          count: true,
        });
        await referralPage(run, { ...BENCH_INBOX, take: 51, skip: 1, cursor: { id: first![1]!.id } }, where, {
          lastEvent: true,
          count: true,
        });
      }
      return run<{ generic: number; custom: number }>(
        Prisma.sql`select generic_plans::int as generic, custom_plans::int as custom from pg_prepared_statements
          where statement like ${'%as last_event%order by r."createdAt" desc, r.id desc%'}`,
      );
    });
    // PostgreSQL plans a prepared statement five times before it weighs the generic plan; the
    // connection may hold page statements of other tests, run as often.
    expect(plans.filter((p) => p.generic >= 3).length).toBeGreaterThanOrEqual(2);
    expect(plans.filter((p) => p.custom > 5)).toEqual([]);
  });

  it('leaves to Prisma what it does not compile', async () => {
    const viewer = viewers[0]!;
    const where = inboxSql({ box: 'OUTGOING', filter: null }, viewer);
    expect(await referralPage(db.sql, { take: -3 }, where)).toBeNull();
    expect(await referralPage(db.sql, { take: 3, cursor: { id: 'not-a-uuid' } }, where)).toBeNull();
    expect(
      await referralPage(db.sql, { take: 3, include: { events: { where: { type: 'SENT' } } } }, where),
    ).toBeNull();
    expect(jsonRowSql('Referral', 'r', { select: { _count: true } })).toBeNull();
  });
});

describe('a step’s statements do what Prisma does', () => {
  const NEEDS: { needs: LockNeeds; include: Prisma.ReferralInclude }[] = [
    { needs: {}, include: {} },
    { needs: { consentsAndOffer: true }, include: { consents: true, offer: true } },
    { needs: { anonymised: true }, include: { person: { select: { anonymisedAt: true } } } },
  ];

  it('the locked referral is Prisma’s read, field by field, for every demo referral, case worker and relation, in both kinds of transaction', async () => {
    let compared = 0;
    for (const viewer of viewers) {
      for (const { needs, include } of NEEDS) {
        const referrals = await db.prisma.referral.findMany({
          where: {
            OR: [...viewer.roles.keys()].flatMap((o) => [
              { senderOrganisationId: o },
              { receiverOrganisationId: o },
            ]),
          },
          include,
        });
        for (const expected of referrals) {
          const viaPool = await db
            .transaction((sql) => lockForActor(sql, viewer, expected.id, needs))
            .then((r) => r.referral)
            .catch((err: unknown) => err as Error);
          const viaPrisma = await db.prisma
            .$transaction((tx) => lockForActor(prismaRunner(tx), viewer, expected.id, needs))
            .then((r) => r.referral)
            .catch((err: unknown) => err as Error);
          if (viaPool instanceof Error) {
            // Not the viewer's to change (a draft of the other side): Prisma's read says why.
            expect([viaPool.message, expected.sentAt]).toEqual([expect.stringContaining('referral'), null]);
            expect(viaPrisma).toEqual(viaPool);
            continue;
          }
          expect(viaPool).toStrictEqual(expected);
          expect(viaPrisma).toStrictEqual(expected);
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(30);
  });

  it('the acting side in SQL is actingSide’s, for every demo referral and case worker', async () => {
    const referrals = await db.prisma.referral.findMany();
    let sides = 0;
    for (const viewer of viewers) {
      const rows = await db.sql<{ id: string; side: string | null }>(
        Prisma.sql`select id, ${actingSideSql(viewer)} as side from "Referral"`,
      );
      const inSql = new Map(rows.map((r) => [r.id, r.side]));
      for (const r of referrals) {
        expect([r.reference, inSql.get(r.id)]).toEqual([r.reference, actingSide(viewer, r)?.side ?? null]);
        if (inSql.get(r.id)) sides++;
      }
    }
    expect(sides).toBeGreaterThan(10);
  });

  it('a step is one statement when it may be taken, and a refused one writes nothing before saying why', async () => {
    const statements: string[] = [];
    const counted = openDatabase({
      url: database.url,
      poolMax: 2,
      logger: createLogger('silent'),
      onQuery: (q) => statements.push(q),
    });
    try {
      const marc = viewers.find((v) => v.email === 'marc.schmit@inter-actions.example')!;
      const lea = viewers.find((v) => v.email === 'lea.hoffmann@office-social.example')!;
      const open = await db.prisma.referral.findFirstOrThrow({
        where: { receiverOrganisationId: { in: [...marc.roles.keys()] }, status: 'IN_PROGRESS' },
      });
      const outsider = viewers.find(
        (v) => !v.roles.has(open.senderOrganisationId) && !v.roles.has(open.receiverOrganisationId),
      )!;
      const snapshot = async () => ({
        referral: await db.prisma.referral.findUniqueOrThrow({ where: { id: open.id } }),
        events: await db.prisma.referralEvent.count({ where: { referralId: open.id } }),
        outbox: await db.prisma.outboxEvent.count({ where: { referralId: open.id } }),
      });
      const before = await snapshot();
      const refusals: [UserViewer, ReferralAction, StepOptions, RegExp][] = [
        [marc, 'hold', { expectedVersion: open.version + 1, reason: 'x' }, /version/],
        [marc, 'resume', { expectedVersion: open.version }, /ON_HOLD|IN_PROGRESS|resume/],
        [marc, 'hold', { expectedVersion: open.version, reason: '  ' }, /reason/],
        [lea, 'hold', { expectedVersion: open.version, reason: 'x' }, /only the receiving organisation/],
        [outsider, 'hold', { expectedVersion: open.version, reason: 'x' }, /No referral/],
      ];
      for (const [viewer, action, opts, why] of refusals) {
        await expect(stepReferral(counted, viewer, open.id, action, opts)).rejects.toThrow(why);
        expect(await snapshot()).toStrictEqual(before);
      }
      statements.length = 0;
      const held = await stepReferral(counted, marc, open.id, 'hold', {
        expectedVersion: open.version,
        reason: 'Attente',
      });
      expect(statements).toHaveLength(1);
      expect(held).toStrictEqual(await db.prisma.referral.findUniqueOrThrow({ where: { id: open.id } }));
      // Two clients with the same version at once: one step is taken, the other is told why.
      const both = await Promise.allSettled([
        stepReferral(counted, marc, open.id, 'resume', { expectedVersion: held.version }),
        stepReferral(counted, marc, open.id, 'resume', { expectedVersion: held.version }),
      ]);
      expect(both.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      expect(String((both.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason)).toMatch(
        /version/,
      );
      expect(await snapshot()).toMatchObject({
        referral: { status: 'IN_PROGRESS', version: open.version + 2 },
        events: before.events + 2,
        outbox: before.outbox + 2,
      });
    } finally {
      await counted.close();
    }
  });

  it('a step’s write is what Prisma’s update and create would write: the referral, its event and its outbox row', async () => {
    const viewer = viewers.find((v) => v.email === 'marc.schmit@inter-actions.example')!;
    const open = await db.prisma.referral.findFirstOrThrow({
      where: { receiverOrganisationId: { in: [...viewer.roles.keys()] }, status: 'IN_PROGRESS' },
    });
    const outboxBefore = await db.prisma.outboxEvent.count({ where: { referralId: open.id } });
    const before = Date.now();
    const held = await stepReferral(db, viewer, open.id, 'hold', {
      expectedVersion: open.version,
      reason: 'Attente d’un document',
    });
    // What Prisma reads afterwards is what the statement returned.
    expect(held).toStrictEqual(await db.prisma.referral.findUniqueOrThrow({ where: { id: open.id } }));
    expect(held).toMatchObject({
      status: 'ON_HOLD',
      statusReason: 'Attente d’un document',
      version: open.version + 1,
      closedAt: null,
    });
    expect(held.updatedAt.getTime()).toBeGreaterThanOrEqual(before);
    const event = await db.prisma.referralEvent.findFirstOrThrow({
      where: { referralId: open.id },
      orderBy: [{ at: 'desc' }, { id: 'desc' }],
    });
    expect(event).toMatchObject({
      type: 'STATUS_CHANGED',
      fromStatus: 'IN_PROGRESS',
      toStatus: 'ON_HOLD',
      note: 'Attente d’un document',
      actorUserId: viewer.userId,
      actorApiClientId: null,
      actorOrganisationId: open.receiverOrganisationId,
    });
    expect(event.at.getTime()).toBeGreaterThanOrEqual(before - 5);
    expect(await db.prisma.outboxEvent.count({ where: { referralId: open.id } })).toBe(outboxBefore + 1);
    // A step that fails writes nothing: the transaction rolls back.
    await expect(
      stepReferral(db, viewer, open.id, 'resume', { expectedVersion: open.version }),
    ).rejects.toThrow(/version/);
    expect(await db.prisma.referral.findUniqueOrThrow({ where: { id: open.id } })).toStrictEqual(held);
    expect(await db.prisma.outboxEvent.count({ where: { referralId: open.id } })).toBe(outboxBefore + 1);
  });
});
