/**
 * The materialisation the network's statistics read: built from the referrals and their event
 * log, kept up to date from the outbox, rebuilt when the outbox no longer holds what it missed,
 * refreshed by one instance at a time. No hub here: the test calls the refresh itself, so that
 * nothing else refreshes meanwhile.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { Prisma } from '../../src/generated/prisma/client.ts';
import type { ReferralStatus } from '../../src/generated/prisma/enums.ts';
import { NETWORK_FACTS_LOCK_KEY, refreshNetworkFacts } from '../../src/modules/network/network-facts.ts';
import { monthOf, networkResponseTimes } from '../../src/modules/network/network-stats.service.ts';
import { SUPPLY_READING_MAX_AGE_MS } from '../../src/modules/network/supply.ts';
import type { DurationStats } from '../../src/modules/network/network.types.ts';
import { publishCount } from '../../src/modules/referrals/referral-stats.disclosure.ts';
import { addWorkingDays } from '../../src/modules/referrals/working-days.ts';
import { openDatabase, type Database } from '../../src/shared/db/client.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/pg.ts';

let database: TestDatabase;
let db: Database;
let ids: { alpha: string; beta: string; offer: string };

beforeAll(async () => {
  database = await createTestDatabase();
  db = openDatabase({ url: database.url, poolMax: 3, logger: createLogger('silent') });
  const alpha = await db.prisma.organisation.create({
    data: { slug: 'alpha', name: 'Alpha', kind: 'ASSOCIATION' },
  });
  const beta = await db.prisma.organisation.create({
    data: { slug: 'beta', name: 'Beta', kind: 'ASSOCIATION' },
  });
  const offer = await db.prisma.offer.create({
    data: {
      organisationId: alpha.id,
      title: { fr: 'Logement' },
      status: 'PUBLISHED',
      serviceArea: ['Wiltz'],
    },
  });
  ids = { alpha: alpha.id, beta: beta.id, offer: offer.id };
});
afterAll(async () => {
  await db.close();
  await database.drop();
});

const SENT_AT = new Date('2026-03-06T15:00:00Z'); // a Friday, 16:00 in Luxembourg

async function referral(reference: string, sentAt: Date | null) {
  return db.prisma.referral.create({
    data: {
      reference,
      senderOrganisationId: ids.beta,
      receiverOrganisationId: ids.alpha,
      offerId: ids.offer,
      status: sentAt ? 'SENT' : 'DRAFT',
      needs: 'Logement',
      sentAt,
      events: sentAt
        ? { create: [{ type: 'STATUS_CHANGED', fromStatus: 'DRAFT', toStatus: 'SENT', at: sentAt }] }
        : { create: [{ type: 'CREATED', toStatus: 'DRAFT' }] },
    },
  });
}

/** A status change as the services write it: the row and its event (whose trigger writes the outbox row). */
async function step(id: string, from: ReferralStatus, to: ReferralStatus, at: Date) {
  await db.prisma.$transaction([
    db.prisma.referral.update({ where: { id }, data: { status: to } }),
    db.prisma.referralEvent.create({
      data: { referralId: id, type: 'STATUS_CHANGED', fromStatus: from, toStatus: to, at },
    }),
  ]);
}

const fact = (id: string) => db.prisma.networkReferralFact.findUnique({ where: { referralId: id } });

it('builds every fact at first, then follows the outbox, and rebuilds when the outbox was pruned', async () => {
  const sent = await referral('REF-2026-700001', SENT_AT);
  const draft = await referral('REF-2026-700002', null);
  expect(await refreshNetworkFacts(db)).toMatchObject({ ran: true, rebuilt: true, referrals: 1 });
  expect(await fact(sent.id)).toMatchObject({ status: 'SENT', firstAnswerDays: null, communes: ['Wiltz'] });
  expect(await fact(draft.id)).toBeNull();

  // Accepted the next Monday at 10:00: three quarters of a working day after Friday 16:00.
  await step(sent.id, 'SENT', 'ACCEPTED', new Date('2026-03-09T09:00:00Z'));
  expect(await refreshNetworkFacts(db)).toMatchObject({ ran: true, rebuilt: false, referrals: 1 });
  const accepted = await fact(sent.id);
  expect(accepted).toMatchObject({ status: 'ACCEPTED' });
  expect(accepted!.firstAnswerDays).toBeCloseTo(0.75, 9);
  expect(accepted!.acceptanceDays).toBeCloseTo(0.75, 9);
  expect(await refreshNetworkFacts(db)).toMatchObject({ rebuilt: false, referrals: 0 });

  // Completed ten working days after sending, and the outbox pruned before anyone read it.
  await step(sent.id, 'ACCEPTED', 'COMPLETED', addWorkingDays(SENT_AT, 10));
  await db.prisma.outboxEvent.deleteMany({});
  expect(await refreshNetworkFacts(db)).toMatchObject({ ran: true, rebuilt: true, referrals: 1 });
  expect((await fact(sent.id))!.completionDays).toBeCloseTo(10, 9);
});

it('leaves the refresh to the instance that holds the lock', async () => {
  const other = await db.pool.connect();
  try {
    await other.query('BEGIN');
    await other.query('SELECT pg_advisory_xact_lock($1)', [NETWORK_FACTS_LOCK_KEY.toString()]);
    expect(await refreshNetworkFacts(db)).toMatchObject({ ran: false });
  } finally {
    await other.query('ROLLBACK');
    other.release();
  }
  expect(await refreshNetworkFacts(db)).toMatchObject({ ran: true });
});

it('never loses a rebuild asked for by a loader that commits while a refresh runs', async () => {
  // A loader writing history without triggers (no outbox row), as db:seed's demo history does:
  // it asks for a rebuild first, then writes, and commits after a refresh has started.
  const loader = await db.pool.connect();
  const id = crypto.randomUUID();
  try {
    await loader.query('BEGIN');
    await loader.query('SET LOCAL session_replication_role = replica');
    await loader.query('UPDATE "NetworkFactsState" SET "refreshedAt" = NULL WHERE id = 1');
    await loader.query(
      `INSERT INTO "Referral" (id, reference, "senderOrganisationId", "receiverOrganisationId", "offerId",
                               status, needs, "sentAt", "updatedAt")
       VALUES ($1, 'REF-2025-700009', $2, $3, $4, 'SENT', 'Logement', $5, now())`,
      [id, ids.beta, ids.alpha, ids.offer, SENT_AT],
    );
    const refresh = refreshNetworkFacts(db);
    // The refresh waits on the loader's lock (at its start, or at its end without the fix).
    const waiting = async () =>
      (
        await db.pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity
           WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        )
      ).rows[0]!.n;
    while ((await waiting()) === 0) await new Promise((r) => setImmediate(r));
    await loader.query('COMMIT');
    await refresh;
  } finally {
    loader.release();
  }
  // Seen by this refresh or the next, never lost.
  await refreshNetworkFacts(db);
  expect(await fact(id)).toMatchObject({ status: 'SENT', senderOrganisationId: ids.beta });
});

it('reads the month’s supply with the facts, at most once an hour', async () => {
  await db.prisma.offer.update({
    where: { id: ids.offer },
    data: { themePath: ['housing'], communes: ['Wiltz'] },
  });
  await db.prisma.supplyReading.deleteMany({});
  expect(await refreshNetworkFacts(db)).toMatchObject({ ran: true, supplyRead: true });
  expect(await refreshNetworkFacts(db)).toMatchObject({ ran: true, supplyRead: false });
  const month = monthOf(new Date());
  const reading = await db.prisma.supplyReading.findUniqueOrThrow({ where: { month } });
  expect(reading.cells).toEqual([
    { code: 'housing', commune: '', offers: 1, free: 0, room: 1 },
    { code: 'housing', commune: 'Wiltz', offers: 1, free: 0, room: 1 },
  ]);
  // An hour later, read again.
  await db.prisma.supplyReading.update({
    where: { month },
    data: { readAt: new Date(Date.now() - SUPPLY_READING_MAX_AGE_MS - 1_000) },
  });
  expect(await refreshNetworkFacts(db)).toMatchObject({ ran: true, supplyRead: true });
});

it('gives each pair’s and theme’s percentiles as percentile_cont over its facts does', async () => {
  let seed = 7;
  const next = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const duration = () => (next() < 0.2 ? null : Math.round(next() * 3000) / 100);
  // Facts of their own (a fresh period), of every group size around the disclosure thresholds.
  const sentAt = new Date('2025-02-03T09:00:00Z');
  const pairs = [
    [ids.alpha, ids.beta, 37],
    [ids.beta, ids.alpha, 11],
  ] as const;
  for (const [sender, receiver, size] of pairs)
    for (let i = 0; i < size; i++)
      await db.prisma.networkReferralFact.create({
        data: {
          referralId: crypto.randomUUID(),
          senderOrganisationId: sender,
          receiverOrganisationId: receiver,
          sentAt,
          status: 'ACCEPTED',
          themeCodes: i % 3 === 0 ? ['housing', 'food'] : ['housing'],
          communes: [],
          firstAnswerDays: duration(),
          acceptanceDays: duration(),
          completionDays: duration(),
        },
      });
  const period = [new Date('2025-02-01T00:00:00Z'), new Date('2025-03-01T00:00:00Z')] as const;
  await db.prisma.theme.createMany({
    data: [
      { code: 'housing', label: { fr: 'Logement' } },
      { code: 'food', label: { fr: 'Alimentation' } },
    ],
    skipDuplicates: true,
  });
  const answer = await networkResponseTimes(db, { whole: true }, ...period, ['fr']);

  // The reference: ordered-set aggregates over the facts, grouped the plain way.
  const expected = (
    column: string,
  ) => Prisma.sql`count(${Prisma.raw(`"${column}"`)})::int AS ${Prisma.raw(`"${column}N"`)},
    percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY ${Prisma.raw(`"${column}"`)}) AS ${Prisma.raw(`"${column}"`)}`;
  const columns = Prisma.sql`${expected('firstAnswerDays')}, ${expected('acceptanceDays')}, ${expected('completionDays')}`;
  const inPeriod = Prisma.sql`"sentAt" >= ${period[0]} AND "sentAt" < ${period[1]}`;
  type Reference = Record<string, number & number[]>;
  const byPair = await db.sql<Reference & { sender: string }>(
    Prisma.sql`SELECT "senderOrganisationId" AS sender, ${columns} FROM "NetworkReferralFact"
               WHERE ${inPeriod} GROUP BY 1`,
  );
  const byTheme = await db.sql<Reference & { code: string }>(
    Prisma.sql`SELECT code, ${columns} FROM "NetworkReferralFact", unnest("themeCodes") AS code
               WHERE ${inPeriod} GROUP BY 1`,
  );
  const tenth = (x: number | undefined) => (x === undefined ? null : Math.round(x * 10) / 10);
  const published = (r: Reference, column: string) => ({
    count: publishCount(r[`${column}N`]!).display,
    median: r[`${column}N`]! >= 5 ? tenth(r[column]![0]) : null,
    p90: r[`${column}N`]! >= 10 ? tenth(r[column]![1]) : null,
  });
  const shown = (t: { firstAnswer: DurationStats; acceptance: DurationStats; completion: DurationStats }) =>
    [t.firstAnswer, t.acceptance, t.completion].map((d) => ({
      count: d.count.display,
      median: d.median,
      p90: d.p90,
    }));
  const reference = (r: Reference) =>
    ['firstAnswerDays', 'acceptanceDays', 'completionDays'].map((c) => published(r, c));
  expect(answer.pairs).toHaveLength(2);
  for (const pair of answer.pairs)
    expect(shown(pair)).toEqual(reference(byPair.find((r) => r.sender === pair.sender.id)!));
  expect(answer.themes.map((t) => t.theme.code).sort()).toEqual(['food', 'housing']);
  for (const theme of answer.themes)
    expect(shown(theme)).toEqual(reference(byTheme.find((r) => r.code === theme.theme.code)!));
  expect(answer.pairs.some((p) => p.firstAnswer.p90 !== null)).toBe(true);
});
