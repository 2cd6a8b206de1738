/**
 * The SDK against a real hub over HTTP and WebSocket: the public catalogue page by page, a
 * referral through every step of both sides with the named helpers, typed failures as
 * MaillageOperationError, transport failures as MaillageRequestError, an API key, live events.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { encodeGlobalID } from '@pothos/plugin-relay';
import {
  CreateApiClientDocument,
  type ReferralEventSummaryFragment,
} from '../../clients/generated/graphql.ts';
import {
  createMaillageClient,
  MaillageOperationError,
  MaillageRequestError,
  unwrap,
  type MaillageClient,
} from '../../clients/sdk.ts';
import { seedAlphaCatalogue, seedThemes } from '../helpers/catalogue-fixtures.ts';
import { seedScenario, type Scenario } from '../helpers/fixtures.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';
import { collector } from '../helpers/realtime.ts';

let t: TestHub;
let s: Scenario;
let baseUrl: string;
let shelterId: string;
let bob: MaillageClient;
let carol: MaillageClient;

beforeAll(async () => {
  t = await startTestHub();
  s = await seedScenario(t.db.prisma, t.config);
  await seedThemes(t.db.prisma);
  const { offers } = await seedAlphaCatalogue(t.db.prisma, s);
  shelterId = encodeGlobalID('Offer', offers.shelter.id);
  baseUrl = t.graphqlUrl.replace(/\/graphql$/, '');
  bob = createMaillageClient({ url: baseUrl, token: await s.token('bob') });
  carol = createMaillageClient({ url: `${baseUrl}/graphql/`, token: await s.token('carol') });
});
afterAll(() => t.close());

/** A draft from Bob (beta) to alpha's shelter. */
function draft() {
  return bob.referrals.create({
    senderOrganisationId: s.org.beta.globalId,
    offerId: shelterId,
    needs: 'Hébergement pour une famille',
    person: { initials: 'J. D.', contactChannel: 'PHONE', contact: '+352 621 000 000' },
    consentPurpose: 'Orientation vers un hébergement',
  });
}

/** The outbox's current end: subscribing after it misses nothing that follows. */
async function now(): Promise<string> {
  const { rows } = await t.db.pool.query<{ seq: string }>(
    'select coalesce(max(seq), 0)::text as seq from "OutboxEvent"',
  );
  return rows[0]!.seq;
}

async function sent() {
  const d = await draft();
  return bob.referrals.send({ id: d.id, expectedVersion: d.version });
}

describe('catalogue', () => {
  it('searches the public catalogue without a credential, and pages through it', async () => {
    const anonymous = createMaillageClient({ url: baseUrl });
    const found = await anonymous.catalogue.search({ filter: { text: 'français' }, lang: 'FR' });
    expect(found.totalCount).toBe(1);
    expect(found.items[0]?.title.text).toBe('Cours de français pour nouveaux arrivants');
    expect(found.items[0]?.sites.map((site) => site.commune)).toEqual(['Esch-sur-Alzette']);

    const all: string[] = [];
    for await (const offer of anonymous.catalogue.searchAll({ first: 1, orderBy: 'NAME', lang: 'FR' })) {
      all.push(offer.title.text);
    }
    expect(all).toEqual(['Cours de français pour nouveaux arrivants', "Logement d'urgence pour familles"]);
    expect((await anonymous.whoAmI()).viewer).toBeNull();
  });
});

describe('referrals', () => {
  it('go through every step of both sides, each answering the referral as it is after it', async () => {
    const d = await draft();
    expect(d.status).toBe('DRAFT');
    const edited = await bob.referrals.updateDraft({
      id: d.id,
      expectedVersion: d.version,
      urgency: 'URGENT',
    });
    expect(edited).toMatchObject({ urgency: 'URGENT', version: d.version + 1 });
    const r = await bob.referrals.send({ id: d.id, expectedVersion: edited.version });
    expect(r.status).toBe('SENT');

    expect(await carol.referrals.find(r.reference)).toMatchObject({ id: r.id, status: 'SENT' });
    expect(await carol.referrals.find(r.id)).toMatchObject({ reference: r.reference });
    const inbox = await carol.referrals.list({ box: 'INCOMING', filter: { status: ['SENT'] } });
    expect(inbox.items.map((i) => i.reference)).toContain(r.reference);

    const { viewer } = await carol.whoAmI();
    let at = r;
    const take = async (step: Promise<typeof r>) => (at = await step);
    await take(carol.referrals.acknowledge({ id: r.id, expectedVersion: at.version }));
    expect(at.status).toBe('RECEIVED');
    await take(carol.referrals.accept({ id: r.id, expectedVersion: at.version }));
    expect(at.status).toBe('ACCEPTED');
    await take(carol.referrals.assign({ id: r.id, expectedVersion: at.version, assigneeId: viewer!.id }));
    expect(at.assigneeName).toBe('Carol');
    await take(carol.referrals.message({ id: r.id, body: 'Nous avons une place.' }));
    await take(carol.referrals.start({ id: r.id, expectedVersion: at.version }));
    expect(at.status).toBe('IN_PROGRESS');
    await take(carol.referrals.hold({ id: r.id, expectedVersion: at.version, reason: 'Hospitalisation' }));
    expect(at.status).toBe('ON_HOLD');
    await take(carol.referrals.resume({ id: r.id, expectedVersion: at.version }));
    await take(
      carol.referrals.step('complete', { id: r.id, expectedVersion: at.version, outcome: 'Relogée' }),
    );
    expect(at.status).toBe('COMPLETED');

    const shown = await bob.referrals.show(r.reference);
    expect(shown?.events.map((e) => e.toStatus).filter(Boolean)).toEqual([
      'DRAFT',
      'SENT',
      'RECEIVED',
      'ACCEPTED',
      'IN_PROGRESS',
      'ON_HOLD',
      'IN_PROGRESS',
      'COMPLETED',
    ]);
    expect(shown?.messages.map((m) => m.body)).toEqual(['Nous avons une place.']);

    const declined = await sent();
    const refused = await carol.referrals.decline({
      id: declined.id,
      expectedVersion: declined.version,
      reason: 'Complet',
      reasonCode: 'NO_CAPACITY',
    });
    expect(refused).toMatchObject({ status: 'DECLINED', declineReason: 'NO_CAPACITY' });

    const cancelled = await sent();
    const c = await bob.referrals.cancel({
      id: cancelled.id,
      expectedVersion: cancelled.version,
      reason: 'Doublon',
    });
    expect(c.status).toBe('CANCELLED');

    const withdrawn = await sent();
    expect((await bob.referrals.withdrawConsent({ id: withdrawn.id })).status).toBe('CANCELLED');

    const counts = await carol.referrals.counts('INCOMING');
    expect(counts.byStatus.filter((x) => x.count > 0)).toEqual([
      { status: 'DECLINED', count: 1 },
      { status: 'COMPLETED', count: 1 },
      { status: 'CANCELLED', count: 2 },
    ]);
    expect(counts.total).toBe(4);
  });

  it('throw typed failures as MaillageOperationError; a version conflict says the current version', async () => {
    const r = await sent();
    const stale = carol.referrals.accept({ id: r.id, expectedVersion: r.version - 1 });
    await expect(stale).rejects.toBeInstanceOf(MaillageOperationError);
    await expect(stale).rejects.toMatchObject({
      typename: 'VersionConflictError',
      currentVersion: r.version,
    });

    const wrongSide = bob.referrals.accept({ id: r.id, expectedVersion: r.version });
    await expect(wrongSide).rejects.toMatchObject({ typename: 'ForbiddenError' });
    const noReason = carol.referrals.decline({ id: r.id, expectedVersion: r.version, reason: '' });
    await expect(noReason).rejects.toBeInstanceOf(MaillageOperationError);
    expect(await bob.referrals.find('REF-1999-000001')).toBeNull();
  });
});

describe('transport', () => {
  it('refused credentials and unreachable hubs are MaillageRequestError in plain words', async () => {
    const forged = createMaillageClient({ url: baseUrl, token: 'not-a-token' });
    const refused = forged.whoAmI();
    await expect(refused).rejects.toBeInstanceOf(MaillageRequestError);
    await expect(refused).rejects.toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });

    const port = await closedPort();
    const nowhere = createMaillageClient({ url: `http://127.0.0.1:${port}` });
    await expect(nowhere.catalogue.search()).rejects.toMatchObject({
      code: 'NETWORK_ERROR',
      status: 0,
      message: `Cannot reach the hub at http://127.0.0.1:${port}/graphql: connection refused.`,
    });
    expect(() => createMaillageClient({ url: 'hub.example' })).toThrow('Not a URL');
    expect(() => createMaillageClient({ url: baseUrl, token: 'a', apiKey: 'b' })).toThrow('not both');
  });

  it('an API key works as a credential, and request() sends any operation', async () => {
    const alice = createMaillageClient({ url: baseUrl, token: await s.token('alice') });
    const created = unwrap(
      (
        await alice.request(CreateApiClientDocument, {
          input: { organisationId: s.org.alpha.globalId, name: 'Dossiers', scopes: ['REFERRALS_READ'] },
        })
      ).createApiClient,
    );
    const system = createMaillageClient({ url: baseUrl, apiKey: created.key });
    expect((await system.whoAmI()).viewerApiClient).toMatchObject({
      name: 'Dossiers',
      scopes: ['REFERRALS_READ'],
    });
    expect((await system.referrals.counts('INCOMING')).total).toBeGreaterThan(0);
  });
});

describe('live events', () => {
  it('watch delivers each step, and resumes after a cursor', async () => {
    const seen = collector<ReferralEventSummaryFragment>();
    const sub = carol.referrals.watch({ after: await now(), onEvent: (e) => seen.push(e) });
    const first = await sent();
    await seen.waitFor(1);
    const accepted = await carol.referrals.accept({ id: first.id, expectedVersion: first.version });
    const events = await seen.waitFor(2);
    expect(events.map((e) => [e.reference, e.toStatus])).toEqual([
      [first.reference, 'SENT'],
      [first.reference, 'ACCEPTED'],
    ]);
    expect(events[0]?.referral?.senderOrganisation.slug).toBe('beta');
    expect(events.map((e) => e.actor?.name)).toEqual(['Bob', 'Carol']);
    await sub.stop();
    expect(sub.cursor).toBe(events[1]?.cursor);

    // Missed while away: replayed from the cursor.
    await carol.referrals.start({ id: first.id, expectedVersion: accepted.version });
    const replay = collector<ReferralEventSummaryFragment>();
    const again = carol.referrals.watch({
      referralId: first.id,
      after: events[1]!.cursor,
      onEvent: (e) => replay.push(e),
    });
    expect((await replay.waitFor(1)).map((e) => e.toStatus)).toEqual(['IN_PROGRESS']);
    await again.stop();
  });
});

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
