/**
 * Webhook deliveries over real HTTP against PostgreSQL: endpoints registered through the API,
 * referral and offer events caused through the services, a worker started here (the hub may run
 * its own too: several workers on one database is the normal case), receivers on node:http.
 * Tests wait for what receivers get and for the attempts workers record (NOTIFY), never sleep.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay';
import {
  CreateWebhookDocument,
  DeleteWebhookDocument,
  RedeliverWebhookDeliveryDocument,
  ReferralHistoryDocument,
  UpdateWebhookDocument,
  WebhookDeliveriesDocument,
  type WebhookEventType,
} from '../../clients/generated/graphql.ts';
import { signUserToken } from '../../src/modules/accounts/signing-keys.service.ts';
import { updateOfferCapacity } from '../../src/modules/catalogue/offer.service.ts';
import {
  assignReferral,
  createReferral,
  postReferralMessage,
  stepReferral,
} from '../../src/modules/referrals/referral.service.ts';
import { startWebhookWorker, type WebhookWorker } from '../../src/modules/webhooks/webhook-worker.ts';
import { openDatabase } from '../../src/shared/db/client.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { seedAlphaCatalogue, seedThemes } from '../helpers/catalogue-fixtures.ts';
import { seedScenario, type Scenario } from '../helpers/fixtures.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';
import {
  asGraphQL,
  listenAttempts,
  Receiver,
  verifyMaillageWebhook,
  viewers,
  type AttemptNotice,
  type Feed,
  type ReceiverMode,
} from './helpers.ts';

/** Fast retries; an hour's retry window (the smallest the configuration allows). */
const ENV = {
  WEBHOOK_RETRY_BASE_MS: '50',
  WEBHOOK_TIMEOUT_MS: '3000',
  WEBHOOK_CONCURRENCY: '8',
  WEBHOOK_MAX_AGE_HOURS: '1',
  OUTBOX_POLL_MS: '100',
};
const ALL: WebhookEventType[] = [
  'REFERRAL_CREATED',
  'REFERRAL_UPDATED',
  'REFERRAL_STATUS_CHANGED',
  'REFERRAL_ASSIGNED',
  'REFERRAL_UNASSIGNED',
  'REFERRAL_MESSAGE_POSTED',
  'REFERRAL_CONSENT_WITHDRAWN',
  'OFFER_CHANGED',
];
const PERSON = 'Amina K.';
const NEEDS = 'Hébergement d’urgence pour une mère et son enfant';
const MESSAGE = 'Appeler le matin svp';

let t: TestHub;
let s: Scenario;
let v: ReturnType<typeof viewers>;
let worker: WebhookWorker;
let attempts: { feed: Feed<AttemptNotice>; close(): Promise<void> };
let offers: Awaited<ReturnType<typeof seedAlphaCatalogue>>['offers'];
let tokens: Record<'alice' | 'bob' | 'gina', string>;
let gammaGlobalId: string;
const receivers: Receiver[] = [];
let free = 5;

beforeAll(async () => {
  t = await startTestHub(ENV);
  s = await seedScenario(t.db.prisma, t.config);
  v = viewers(s);
  await seedThemes(t.db.prisma);
  offers = (await seedAlphaCatalogue(t.db.prisma, s)).offers;
  const gamma = await t.db.prisma.organisation.create({
    data: { slug: 'gamma', name: 'Organisation gamma', kind: 'ASSOCIATION' },
  });
  gammaGlobalId = encodeGlobalID('Organisation', gamma.id);
  const gina = await t.db.prisma.user.create({
    data: {
      email: 'gina@gamma.example',
      name: 'Gina',
      memberships: { create: { organisationId: gamma.id, roles: ['ORG_ADMIN'] } },
    },
  });
  const sign = { issuer: t.config.AUTH_ISSUER, audience: t.config.AUTH_AUDIENCE, ttlSeconds: 600 };
  tokens = {
    alice: await s.token('alice'),
    bob: await s.token('bob'),
    gina: await signUserToken(t.db.prisma, gina, sign),
  };
  attempts = await listenAttempts(t.database.url);
  worker = startWebhookWorker({ db: t.db, config: t.config, logger: createLogger('silent') });
});

afterAll(async () => {
  await worker.stop();
  await attempts.close();
  for (const r of receivers) await r.close();
  await t.close();
});

async function receiver(mode: ReceiverMode = 200): Promise<Receiver> {
  const r = await Receiver.start(mode);
  receivers.push(r);
  return r;
}

/** Registers an endpoint through the API; returns its ids and the secret shown once. */
async function createEndpoint(token: string, organisationId: string, url: string, eventTypes = ALL) {
  const res = await t.client(token).request(CreateWebhookDocument, {
    input: { organisationId, url, eventTypes },
  });
  if (res.createWebhook.__typename !== 'MutationCreateWebhookSuccess') {
    throw new Error(`createWebhook: ${JSON.stringify(res.createWebhook)}`);
  }
  const { webhook, secret } = res.createWebhook.data;
  return { id: webhook.id, dbId: decodeGlobalID(webhook.id).id, secret };
}

/** A referral from beta to alpha's shelter: drafted, sent, a message, acknowledged, assigned. */
async function referralFlow() {
  const draft = await createReferral(t.db.prisma, v.bob, {
    senderOrganisationId: s.org.beta.id,
    offerId: offers.shelter.id,
    needs: NEEDS,
    person: { name: PERSON, birthYear: 1994, languages: ['ar'], contactChannel: 'THROUGH_SENDER' },
    consent: { purpose: 'Orientation vers un hébergement' },
  });
  const sent = await stepReferral(t.db, v.bob, draft.id, 'send', { expectedVersion: draft.version });
  await postReferralMessage(t.db.prisma, v.carol, draft.id, MESSAGE);
  const ack = await stepReferral(t.db, v.carol, draft.id, 'acknowledge', {
    expectedVersion: sent.version,
  });
  await assignReferral(t.db.prisma, v.carol, draft.id, s.user.carol.id, ack.version);
  return draft;
}

/** A public event (the shelter's free places change): every endpoint asking for offer.changed hears it. */
async function shelterPlacesChange(): Promise<string> {
  free = (free % 9) + 1; // 1 to 9: the shelter always has a place for the referrals
  await updateOfferCapacity(t.db.prisma, v.alice, offers.shelter.id, { free });
  worker.wake();
  return lastSeq();
}

async function lastSeq(): Promise<string> {
  const row = await t.db.prisma.outboxSequence.findUniqueOrThrow({ where: { id: 1 } });
  return row.value.toString();
}

async function outboxSince(seq: string) {
  return t.db.prisma.outboxEvent.findMany({ where: { seq: { gt: BigInt(seq) } }, orderBy: { seq: 'asc' } });
}

/** Resolves once a worker recorded each of these events as delivered to the endpoint. */
function recorded(endpointId: string, eventIds: string[], status: AttemptNotice['status'] = 'DELIVERED') {
  return attempts.feed.waitFor(
    (items) =>
      eventIds.every((id) =>
        items.some((n) => n.endpointId === endpointId && n.eventId === id && n.status === status),
      ),
    `${status} recorded for events ${eventIds.join(', ')}`,
  );
}

async function deliveriesOf(endpointId: string) {
  return t.db.prisma.webhookDelivery.findMany({ where: { endpointId }, orderBy: { seq: 'asc' } });
}

describe('deliveries', () => {
  it('every event an organisation may see reaches its endpoints once, signed, with its id; nothing else does', async () => {
    const [rA, rB, rB2, rG] = await Promise.all([receiver(), receiver(), receiver(), receiver()]);
    const a = await createEndpoint(tokens.alice, s.org.alpha.globalId, rA.url);
    const b = await createEndpoint(tokens.bob, s.org.beta.globalId, rB.url);
    const b2 = await createEndpoint(tokens.bob, s.org.beta.globalId, rB2.url, ['REFERRAL_STATUS_CHANGED']);
    const g = await createEndpoint(tokens.gina, gammaGlobalId, rG.url);
    const start = await lastSeq();

    await referralFlow();
    await updateOfferCapacity(t.db.prisma, v.alice, offers.shelter.id, { free: 3 });
    // A draft offer's change is its organisation's business only.
    await updateOfferCapacity(t.db.prisma, v.alice, offers.draft.id, { free: 1 });
    // Someone's access changed: internal, never delivered.
    await t.db.prisma.membership.updateMany({
      where: { userId: s.user.carol.id },
      data: { roles: ['CASE_WORKER'] },
    });
    const sentinel = await shelterPlacesChange();

    const outbox = await outboxSince(start);
    const kinds = outbox.map((e) =>
      e.type === 'REFERRAL_EVENT' ? (e.payload as { event: { type: string } }).event.type : e.type,
    );
    expect(kinds).toEqual([
      'CREATED',
      'STATUS_CHANGED',
      'MESSAGE',
      'STATUS_CHANGED',
      'ASSIGNED',
      'OFFER_CHANGED',
      'OFFER_CHANGED',
      'ACCESS_CHANGED',
      'OFFER_CHANGED',
    ]);
    const seq = outbox.map((e) => e.seq.toString());
    // Who made each referral event: Bob drafted and sent, Carol wrote, acknowledged and assigned.
    const bob = {
      name: 'Bob',
      kind: 'PERSON',
      organisation: { id: s.org.beta.globalId, name: 'Organisation beta' },
    } as const;
    const carol = {
      name: 'Carol',
      kind: 'PERSON',
      organisation: { id: s.org.alpha.globalId, name: 'Organisation alpha' },
    } as const;
    const actors = [bob, bob, carol, carol, carol];
    const pick = (...i: number[]) => i.map((n) => seq[n]!);
    const expected = {
      alpha: [...pick(1, 2, 3, 4, 5, 6), sentinel],
      beta: [...pick(0, 1, 2, 3, 4, 5), sentinel],
      betaStatusOnly: pick(1, 3),
      gamma: [...pick(5), sentinel],
    };

    await Promise.all([
      rA.waitForDelivered(expected.alpha, 'alpha'),
      rB.waitForDelivered(expected.beta, 'beta'),
      rB2.waitForDelivered(expected.betaStatusOnly, 'beta (status changes only)'),
      rG.waitForDelivered(expected.gamma, 'gamma'),
      recorded(a.dbId, expected.alpha),
      recorded(b.dbId, expected.beta),
      recorded(b2.dbId, expected.betaStatusOnly),
      recorded(g.dbId, expected.gamma),
    ]);
    // The sentinel was fanned out, so was everything before it: the log holds all there will be.
    for (const [endpoint, r, ids] of [
      [a, rA, expected.alpha],
      [b, rB, expected.beta],
      [b2, rB2, expected.betaStatusOnly],
      [g, rG, expected.gamma],
    ] as const) {
      const log = await deliveriesOf(endpoint.dbId);
      expect(log.map((d) => d.seq.toString())).toEqual(ids);
      expect(log.every((d) => d.status === 'DELIVERED' && d.attempts === 1 && d.deliveredAt)).toBe(true);
      expect(r.requests.items.map((q) => q.eventId)).toEqual(expect.arrayContaining(ids));
      expect(r.requests.items).toHaveLength(ids.length);

      for (const request of r.requests.items) {
        expect(verifyMaillageWebhook(endpoint.secret, request.headers, request.body)).toBe(true);
        expect(verifyMaillageWebhook('whsec_wrong', request.headers, request.body)).toBe(false);
        expect(request.headers['content-type']).toBe('application/json');
        const body = JSON.parse(request.body) as {
          id: string;
          type: string;
          createdAt: string;
          data: unknown;
        };
        const event = outbox.find((e) => e.seq.toString() === body.id);
        expect(body).toEqual({
          id: request.eventId,
          type: request.eventType,
          createdAt: event!.at.toISOString(),
          data: asGraphQL(event!.payload, actors[outbox.indexOf(event!)] ?? null),
        });
        expect(request.attempt).toBe(1);
        // No person data, no free text.
        for (const secretText of [PERSON, NEEDS, MESSAGE]) expect(request.body).not.toContain(secretText);
      }
    }
    expect(rA.requests.items.find((q) => q.eventId === seq[1])?.eventType).toBe('referral.status_changed');
    expect(rA.requests.items.find((q) => q.eventId === seq[2])?.eventType).toBe('referral.message_posted');
    expect(rA.requests.items.find((q) => q.eventId === seq[4])?.eventType).toBe('referral.assigned');
    expect(rB.requests.items.find((q) => q.eventId === seq[0])?.eventType).toBe('referral.created');
    expect(rG.requests.items.find((q) => q.eventId === seq[5])?.eventType).toBe('offer.changed');

    // GraphQL names the objects as the webhook did: its ids are the ones `referral(id:)` takes.
    const sent = JSON.parse(rA.requests.items.find((q) => q.eventId === seq[1])!.body) as {
      data: { event: { id: string }; referral: { id: string; rawId: string; reference: string } };
    };
    const { referral } = await t.client(tokens.alice).request(ReferralHistoryDocument, {
      id: sent.data.referral.id,
    });
    expect(referral?.reference).toBe(sent.data.referral.reference);
    expect(decodeGlobalID(sent.data.referral.id)).toEqual({
      typename: 'Referral',
      id: sent.data.referral.rawId,
    });
    expect(referral?.events.map((e) => e.id)).toContain(sent.data.event.id);
  });

  it('an endpoint receives only events committed after its creation', async () => {
    await shelterPlacesChange();
    const r = await receiver();
    const late = await createEndpoint(tokens.gina, gammaGlobalId, r.url, ['OFFER_CHANGED']);
    const row = await t.db.prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: late.dbId } });
    expect(row.startSeq.toString()).toBe(await lastSeq());
    const next = await shelterPlacesChange();
    await r.waitForDelivered([next]);
    expect((await deliveriesOf(late.dbId)).map((d) => d.seq.toString())).toEqual([next]);
  });
});

describe('a receiver that is down for a while, then back', () => {
  it('gets every event in the end, each with the same id and body at every attempt', async () => {
    const r = await receiver(503);
    const endpoint = await createEndpoint(tokens.bob, s.org.beta.globalId, r.url);
    const start = await lastSeq();
    const first = await referralFlow();
    worker.wake();
    const whileFailing = (await outboxSince(start)).map((e) => e.seq.toString());
    expect(whileFailing).toHaveLength(5);
    // Answering 503: every event is tried, and tried again.
    await r.requests.waitFor(
      (items) => whileFailing.every((id) => items.filter((q) => q.eventId === id).length >= 2),
      'two 503 answers for each event',
    );

    // Then not there at all: connections refused.
    await r.down();
    const mark = await lastSeq();
    await postReferralMessage(t.db.prisma, v.carol, first.id, 'Encore un message');
    await postReferralMessage(t.db.prisma, v.bob, first.id, 'Et une réponse');
    worker.wake();
    const whileDown = (await outboxSince(mark)).map((e) => e.seq.toString());
    expect(whileDown).toHaveLength(2);
    await attempts.feed.waitFor(
      (items) =>
        whileDown.every((id) =>
          items.some(
            (n) =>
              n.endpointId === endpoint.dbId &&
              n.eventId === id &&
              n.status === 'PENDING' &&
              n.lastError === 'CONNECTION_REFUSED',
          ),
        ),
      'connection-refused attempts of the events caused while down',
    );
    const pending = await deliveriesOf(endpoint.dbId);
    expect(pending.map((d) => d.status)).toEqual(Array(7).fill('PENDING'));
    expect(
      // A retry in flight when the receiver went down ends as a reset connection.
      pending.every(
        (d) =>
          d.attempts >= 1 &&
          ['HTTP_5XX', 'CONNECTION_REFUSED', 'CONNECTION_RESET'].includes(d.lastError ?? ''),
      ),
    ).toBe(true);

    // Back after a long outage: the next retries are an hour away, but for one event. Once that
    // retry goes through, the others are due at once.
    const all = [...whileFailing, ...whileDown];
    await t.db.prisma.$executeRaw`
      update "WebhookDelivery"
      set "nextAttemptAt" = case when seq = ${BigInt(all[0]!)} then now() else now() + interval '1 hour' end
      where "endpointId" = ${endpoint.dbId}::uuid`;
    await r.up(200);
    worker.wake();
    await r.waitForDelivered(all, 'every event once the receiver is back');
    await recorded(endpoint.dbId, all);
    const log = await deliveriesOf(endpoint.dbId);
    expect(log.map((d) => [d.seq.toString(), d.status])).toEqual(all.map((id) => [id, 'DELIVERED']));
    expect(log.every((d) => d.attempts >= 2 && d.lastError === null && d.lastStatusCode === 200)).toBe(true);

    // De-duplicating by event id leaves each event once; every attempt carried the same bytes.
    const byId = new Map<string, Set<string>>();
    for (const q of r.requests.items) byId.set(q.eventId, (byId.get(q.eventId) ?? new Set()).add(q.body));
    expect([...byId.keys()].sort()).toEqual([...all].sort());
    expect([...byId.values()].every((bodies) => bodies.size === 1)).toBe(true);
    expect(r.requests.items.length).toBeGreaterThan(all.length);
  });
});

describe('giving up and redelivering', () => {
  it('fails a delivery once the retry window since its first attempt is over; redelivery sends it again', async () => {
    const r = await receiver(503);
    const endpoint = await createEndpoint(tokens.gina, gammaGlobalId, r.url, ['OFFER_CHANGED']);
    const eventId = await shelterPlacesChange();
    await recorded(endpoint.dbId, [eventId], 'PENDING');
    const [delivery] = await deliveriesOf(endpoint.dbId);
    // Within the window, the next attempt is never later than the window's end.
    const windowEnd = (d: { firstAttemptAt: Date | null }) => d.firstAttemptAt!.getTime() + 3_600_000;

    // Pretend the first attempt was two hours ago (WEBHOOK_MAX_AGE_HOURS is 1 here).
    await t.db.prisma.$executeRaw`
      update "WebhookDelivery" set "firstAttemptAt" = now() - interval '2 hours', "nextAttemptAt" = now()
      where id = ${delivery!.id}::uuid`;
    worker.wake();
    await attempts.feed.waitFor(
      (items) => items.some((n) => n.id === delivery!.id && n.status === 'FAILED'),
      'the delivery to fail for good',
    );
    const failed = await t.db.prisma.webhookDelivery.findUniqueOrThrow({ where: { id: delivery!.id } });
    expect(failed).toMatchObject({
      status: 'FAILED',
      nextAttemptAt: null,
      lastStatusCode: 503,
      lastError: 'HTTP_5XX',
      deliveredAt: null,
    });
    expect(failed.attempts).toBeGreaterThanOrEqual(2);

    // The organisation reads its log, filtered by status.
    const gina = t.client(tokens.gina);
    const log = await gina.request(WebhookDeliveriesDocument, {
      id: endpoint.id,
      status: 'FAILED',
      first: 10,
    });
    expect(log.node).toMatchObject({
      __typename: 'WebhookEndpoint',
      deliveries: {
        totalCount: 1,
        edges: [
          {
            node: {
              eventId,
              eventType: 'OFFER_CHANGED',
              status: 'FAILED',
              attempts: failed.attempts,
              lastStatusCode: 503,
              lastError: 'HTTP_5XX',
              nextAttemptAt: null,
            },
          },
        ],
      },
    });
    const deliveryGlobalId =
      log.node?.__typename === 'WebhookEndpoint' ? log.node.deliveries.edges[0]!.node.id : '';

    // The receiver is fixed; its admin asks for the event again.
    r.mode = 200;
    const redelivered = await gina.request(RedeliverWebhookDeliveryDocument, {
      input: { id: deliveryGlobalId },
    });
    expect(redelivered.redeliverWebhookDelivery).toMatchObject({
      __typename: 'MutationRedeliverWebhookDeliverySuccess',
      data: { delivery: { status: 'PENDING', attempts: 0, eventId } },
    });
    worker.wake();
    await r.waitForDelivered([eventId], 'the redelivered event');
    await attempts.feed.waitFor(
      (items) => items.some((n) => n.id === delivery!.id && n.status === 'DELIVERED'),
      'the redelivery recorded',
    );
    const done = await t.db.prisma.webhookDelivery.findUniqueOrThrow({ where: { id: delivery!.id } });
    expect(done).toMatchObject({ status: 'DELIVERED', attempts: 1, lastStatusCode: 200, lastError: null });
    expect(done.deliveredAt).not.toBeNull();

    // A delivered event can be asked for again too: same id, the receiver de-duplicates.
    const before = r.requests.items.filter((q) => q.eventId === eventId && q.answered === 200).length;
    await gina.request(RedeliverWebhookDeliveryDocument, { input: { id: deliveryGlobalId } });
    worker.wake();
    await r.requests.waitFor(
      (items) => items.filter((q) => q.eventId === eventId && q.answered === 200).length === before + 1,
      'a second delivery of the same event',
    );

    // And a retry still in its window is never scheduled past the window's end.
    r.mode = 503;
    const other = await shelterPlacesChange();
    await attempts.feed.waitFor(
      (items) =>
        items.some((n) => n.endpointId === endpoint.dbId && n.eventId === other && n.status === 'PENDING'),
      'a failed attempt of another event',
    );
    const waiting = (await deliveriesOf(endpoint.dbId)).find((d) => d.seq.toString() === other)!;
    if (waiting.nextAttemptAt)
      expect(waiting.nextAttemptAt.getTime()).toBeLessThanOrEqual(windowEnd(waiting));
  });
});

describe('changing and deleting an endpoint', () => {
  it('event types and URL apply to later events; an inactive endpoint gets none; a deleted one is gone', async () => {
    const [r1, r2, watcher] = await Promise.all([receiver(), receiver(), receiver()]);
    const bob = t.client(tokens.bob);
    const endpoint = await createEndpoint(tokens.bob, s.org.beta.globalId, r1.url, [
      'REFERRAL_MESSAGE_POSTED',
    ]);
    // A watcher of offer changes tells when the fan-out has passed a point.
    await createEndpoint(tokens.gina, gammaGlobalId, watcher.url, ['OFFER_CHANGED']);
    const referral = await referralFlow();
    const sentinel1 = await shelterPlacesChange();
    await watcher.waitForDelivered([sentinel1]);
    expect((await deliveriesOf(endpoint.dbId)).map((d) => d.eventType)).toEqual(['referral.message_posted']);

    // Only offer changes from now on, to another URL.
    const updated = await bob.request(UpdateWebhookDocument, {
      input: { id: endpoint.id, url: r2.url, eventTypes: ['OFFER_CHANGED'], description: 'CRM de Beta' },
    });
    expect(updated.updateWebhook).toMatchObject({
      data: {
        webhook: { url: r2.url, eventTypes: ['OFFER_CHANGED'], description: 'CRM de Beta', active: true },
      },
    });
    await postReferralMessage(t.db.prisma, v.bob, referral.id, 'Une autre question');
    const sentinel2 = await shelterPlacesChange();
    await r2.waitForDelivered([sentinel2]);
    expect(r2.requests.items.map((q) => q.eventType)).toEqual(['offer.changed']);
    expect(r1.requests.items).toHaveLength(1);

    // Inactive: nothing is queued for it.
    await bob.request(UpdateWebhookDocument, { input: { id: endpoint.id, active: false } });
    const sentinel3 = await shelterPlacesChange();
    await watcher.waitForDelivered([sentinel3]);
    expect((await deliveriesOf(endpoint.dbId)).map((d) => d.seq.toString())).not.toContain(sentinel3);

    // Deleted: the endpoint and its log are gone, and it is not found any more.
    const deleted = await bob.request(DeleteWebhookDocument, { input: { id: endpoint.id } });
    expect(deleted.deleteWebhook).toEqual({
      __typename: 'MutationDeleteWebhookSuccess',
      data: { deletedWebhookId: endpoint.id },
    });
    expect(await t.db.prisma.webhookEndpoint.count({ where: { id: endpoint.dbId } })).toBe(0);
    expect(await t.db.prisma.webhookDelivery.count({ where: { endpointId: endpoint.dbId } })).toBe(0);
    expect((await bob.request(WebhookDeliveriesDocument, { id: endpoint.id })).node).toBeNull();
    const again = await bob.request(DeleteWebhookDocument, { input: { id: endpoint.id } });
    expect(again.deleteWebhook.__typename).toBe('NotFoundError');
    const sentinel4 = await shelterPlacesChange();
    await watcher.waitForDelivered([sentinel4]);
    expect(r2.requests.items.map((q) => q.eventId)).not.toContain(sentinel4);
  });
});

describe('several hub processes', () => {
  it('share the work: each event reaches each endpoint once', async () => {
    const logger = createLogger('silent');
    const others = [0, 1].map(() => openDatabase({ url: t.database.url, poolMax: 3, logger }));
    const extra = others.map((db) => startWebhookWorker({ db, config: t.config, logger }));
    try {
      const r = await receiver();
      const endpoint = await createEndpoint(tokens.gina, gammaGlobalId, r.url, ['OFFER_CHANGED']);
      const ids: string[] = [];
      for (let i = 0; i < 12; i++) {
        ids.push(await shelterPlacesChange());
        for (const w of extra) w.wake();
      }
      await r.waitForDelivered(ids);
      await recorded(endpoint.dbId, ids);
      expect(r.requests.items.map((q) => q.eventId).sort()).toEqual([...ids].sort());
      const log = await deliveriesOf(endpoint.dbId);
      expect(log.map((d) => [d.seq.toString(), d.status, d.attempts])).toEqual(
        ids.map((id) => [id, 'DELIVERED', 1]),
      );
    } finally {
      await Promise.all(extra.map((w) => w.stop()));
      await Promise.all(others.map((db) => db.close()));
    }
  });
});
