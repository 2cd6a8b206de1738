/**
 * One rule decides who sees a referral (`referral.access.ts`). It has a form for each place that
 * asks: TypeScript (fields, mutations), a Prisma filter (lists, node), SQL (the locking statement)
 * and the outbox routing (subscriptions, webhooks). They must agree, for every kind of viewer and
 * every state that matters: a draft, a sent referral, a draft cancelled before sending, and the
 * same for a referral to an offer of the sender's own organisation.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Prisma, type Referral } from '../../src/generated/prisma/client.ts';
import type { Viewer } from '../../src/modules/accounts/viewer.ts';
import {
  referralAudience,
  referralEventAudience,
  viewerSeesReferral,
  visibleReferralsSql,
  visibleReferralsWhere,
} from '../../src/modules/referrals/referral.access.ts';
import { createReferral, stepReferral } from '../../src/modules/referrals/referral.service.ts';
import { loadConfig } from '../../src/shared/config.ts';
import { openDatabase, type Database } from '../../src/shared/db/client.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { seedAlphaCatalogue, seedThemes } from '../helpers/catalogue-fixtures.ts';
import { seedScenario, seedThirdOrganisation, type Scenario } from '../helpers/fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/pg.ts';

let database: TestDatabase;
let db: Database;
let s: Scenario;
const viewers: Record<string, Viewer | null> = {};
const referrals: Record<string, Referral> = {};

beforeAll(async () => {
  database = await createTestDatabase();
  const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: database.url });
  db = openDatabase({ url: database.url, poolMax: 5, logger: createLogger('silent') });
  s = await seedScenario(db.prisma, config);
  await seedThemes(db.prisma);
  const shelter = (await seedAlphaCatalogue(db.prisma, s)).offers.shelter.id;
  const own = await db.prisma.offer.create({
    data: {
      organisationId: s.org.beta.id,
      title: { fr: 'Permanence' },
      status: 'PUBLISHED',
      acceptsReferrals: true,
    },
  });
  const gina = await seedThirdOrganisation(db.prisma, config, ['ORG_ADMIN', 'CASE_WORKER']);
  const apiClient = (scopes: ('REFERRALS_READ' | 'REFERRALS_WRITE')[]): Viewer => ({
    kind: 'apiClient',
    apiClientId: randomUUID(),
    organisationId: s.org.alpha.id,
    scopes: new Set(scopes),
  });
  Object.assign(viewers, {
    'bob (sender)': s.viewer('bob'),
    'carol (receiver)': s.viewer('carol'),
    'alice (receiver admin)': s.viewer('alice'),
    'gina (third organisation)': gina.viewer,
    'hugo (hub admin)': s.viewer('hugo'),
    'receiver API client, read': apiClient(['REFERRALS_READ']),
    'receiver API client, write': apiClient(['REFERRALS_WRITE']),
    anonymous: null,
  });

  const bob = s.viewer('bob');
  const create = (offerId: string) =>
    createReferral(db.prisma, bob, {
      senderOrganisationId: s.org.beta.id,
      offerId,
      needs: 'Besoin',
      person: { initials: 'A. B.', contactChannel: 'THROUGH_SENDER' },
      consent: { purpose: 'Orientation' },
    });
  const send = (r: Referral) => stepReferral(db, bob, r.id, 'send', { expectedVersion: r.version });
  const cancel = (r: Referral) =>
    stepReferral(db, bob, r.id, 'cancel', { expectedVersion: r.version, reason: 'Erreur' });
  referrals.draft = await create(shelter);
  referrals.sent = await send(await create(shelter));
  referrals['cancelled draft'] = await cancel(await create(shelter));
  referrals['own draft'] = await create(own.id);
  referrals['own, sent'] = await send(await create(own.id));
});
afterAll(async () => {
  await db.close();
  await database.drop();
});

/** Who sees what, written out: the rule as DESIGN.md states it. */
const EXPECTED: Record<string, string[]> = {
  'bob (sender)': ['draft', 'sent', 'cancelled draft', 'own draft', 'own, sent'],
  'carol (receiver)': ['sent'],
  'alice (receiver admin)': ['sent'],
  'gina (third organisation)': [],
  'hugo (hub admin)': [],
  'receiver API client, read': ['sent'],
  'receiver API client, write': ['sent'],
  anonymous: [],
};

async function sqlSees(viewer: Viewer | null, id: string, access: 'read' | 'write'): Promise<boolean> {
  const rows = await db.prisma.$queryRaw<unknown[]>(
    Prisma.sql`select 1 from "Referral" where id = ${id}::uuid and ${visibleReferralsSql(viewer, access)}`,
  );
  return rows.length > 0;
}

describe('the referral rule', () => {
  it('TypeScript, Prisma and SQL agree with the written rule, for every viewer and state', async () => {
    for (const [who, viewer] of Object.entries(viewers)) {
      const seen: Record<string, string[]> = { ts: [], prisma: [], sql: [] };
      for (const [name, r] of Object.entries(referrals)) {
        if (viewerSeesReferral(viewer, r)) seen.ts!.push(name);
        if (await db.prisma.referral.count({ where: { id: r.id, AND: [visibleReferralsWhere(viewer)] } }))
          seen.prisma!.push(name);
        if (await sqlSees(viewer, r.id, 'read')) seen.sql!.push(name);
      }
      expect([who, seen]).toEqual([who, { ts: EXPECTED[who], prisma: EXPECTED[who], sql: EXPECTED[who] }]);
    }
  });

  it('acting needs the write scope: SQL (the lock) and TypeScript agree', async () => {
    for (const [who, viewer] of Object.entries(viewers)) {
      for (const [name, r] of Object.entries(referrals)) {
        const ts = viewerSeesReferral(viewer, r, 'write');
        expect([who, name, await sqlSees(viewer, r.id, 'write')]).toEqual([who, name, ts]);
      }
    }
    const readOnly = viewers['receiver API client, read']!;
    expect(viewerSeesReferral(readOnly, referrals.sent!, 'write')).toBe(false);
  });

  it('the outbox records routing only; the rule applied to it gives each event to whom the referral showed then', async () => {
    for (const [name, r] of Object.entries(referrals)) {
      const rows = await db.prisma.outboxEvent.findMany({
        where: { referralId: r.id, type: 'REFERRAL_EVENT' },
        orderBy: { seq: 'asc' },
      });
      // Routing: both sides, whatever the state.
      for (const row of rows) {
        expect([name, new Set(row.organisationIds)]).toEqual([
          name,
          new Set([r.senderOrganisationId, r.receiverOrganisationId]),
        ]);
      }
      // The first event (CREATED) is the draft's: its sender's only. The last is the referral now.
      expect([name, referralEventAudience(rows[0]!.payload)]).toEqual([name, [r.senderOrganisationId]]);
      expect([name, referralEventAudience(rows.at(-1)!.payload)]).toEqual([name, referralAudience(r)]);
    }
  });
});
