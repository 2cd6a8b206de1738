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
import { percentile } from '../../src/modules/network/network-stats.service.ts';
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

it('takes percentiles as PostgreSQL’s percentile_cont does', async () => {
  let seed = 7;
  const next = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  for (const size of [1, 2, 5, 10, 11, 37, 200]) {
    const values = Array.from({ length: size }, () => Math.round(next() * 3000) / 100);
    const [row] = await db.sql<{ p: number[] }>(
      Prisma.sql`SELECT percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY x) AS p
                 FROM unnest(${values}::float8[]) AS x`,
    );
    const sorted = [...values].sort((a, b) => a - b);
    expect([percentile(sorted, 0.5), percentile(sorted, 0.9)].map((x) => x.toFixed(9))).toEqual(
      row!.p.map((x) => x.toFixed(9)),
    );
  }
});
