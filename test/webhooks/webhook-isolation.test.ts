/**
 * A receiver that answers slowly or never slows nothing else: other endpoints get their events
 * before its attempts even time out, the hub keeps answering, and stopping a worker cuts its
 * attempts short without counting them against the receiver.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { decodeGlobalID } from '@pothos/plugin-relay';
import { CreateWebhookDocument, ViewerDocument } from '../../clients/generated/graphql.ts';
import { updateOfferCapacity } from '../../src/modules/catalogue/offer.service.ts';
import { startWebhookWorker, type WebhookWorker } from '../../src/modules/webhooks/webhook-worker.ts';
import { loadConfig } from '../../src/shared/config.ts';
import { openDatabase } from '../../src/shared/db/client.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { seedAlphaCatalogue, seedThemes } from '../helpers/catalogue-fixtures.ts';
import { seedScenario, type Scenario } from '../helpers/fixtures.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';
import { createTestDatabase } from '../helpers/pg.ts';
import { listenAttempts, Receiver, viewers, type AttemptNotice, type Feed } from './helpers.ts';

/** Four attempts in flight per process, one per endpoint; a 3 s time limit per attempt. */
const ENV = {
  WEBHOOK_RETRY_BASE_MS: '50',
  WEBHOOK_TIMEOUT_MS: '3000',
  WEBHOOK_CONCURRENCY: '4',
  OUTBOX_POLL_MS: '100',
  // Receivers on 127.0.0.1.
  WEBHOOK_ALLOW_LOOPBACK: 'true',
};
const logger = createLogger('silent');

describe('a receiver that never answers', () => {
  let t: TestHub;
  let s: Scenario;
  let worker: WebhookWorker;
  let attempts: { feed: Feed<AttemptNotice>; close(): Promise<void> };
  let hanging: Receiver;
  let healthy: Receiver;
  let offers: Awaited<ReturnType<typeof seedAlphaCatalogue>>['offers'];

  beforeAll(async () => {
    t = await startTestHub(ENV);
    s = await seedScenario(t.db.prisma, t.config);
    await seedThemes(t.db.prisma);
    offers = (await seedAlphaCatalogue(t.db.prisma, s)).offers;
    attempts = await listenAttempts(t.database.url);
    [hanging, healthy] = await Promise.all([Receiver.start('hang'), Receiver.start(200)]);
    worker = startWebhookWorker({ db: t.db, config: t.config, logger });
  });
  afterAll(async () => {
    await worker.stop();
    await attempts.close();
    await hanging.close();
    await healthy.close();
    await t.close();
  });

  it('ties up only its own attempts: the healthy endpoint and the hub are served first', async () => {
    const alice = t.client(await s.token('alice'));
    const ids: Record<string, string> = {};
    for (const [name, r] of [
      ['hanging', hanging],
      ['healthy', healthy],
    ] as const) {
      const res = await alice.request(CreateWebhookDocument, {
        input: { organisationId: s.org.alpha.globalId, url: r.url, eventTypes: ['OFFER_CHANGED'] },
      });
      if (res.createWebhook.__typename !== 'MutationCreateWebhookSuccess') throw new Error('createWebhook');
      ids[name] = decodeGlobalID(res.createWebhook.data.webhook.id).id;
    }
    const events: string[] = [];
    for (let free = 1; free <= 6; free++) {
      await updateOfferCapacity(t.db.prisma, viewers(s).alice, offers.shelter.id, { free });
      worker.wake();
      const head = await t.db.prisma.outboxSequence.findUniqueOrThrow({ where: { id: 1 } });
      events.push(head.value.toString());
    }

    await hanging.requests.waitFor((items) => items.length > 0, 'the hanging receiver to be called');
    await healthy.waitForDelivered(events, 'every event at the healthy receiver');
    // Meanwhile the hub answers as usual.
    const viewer = await t.send(ViewerDocument, {}, { token: await s.token('carol') });
    expect(viewer.status).toBe(200);
    // All that happened before a single attempt on the hanging receiver timed out…
    expect(attempts.feed.items.filter((n) => n.endpointId === ids.hanging)).toEqual([]);
    // …which holds at most one connection per worker (the hub runs one, this test another).
    expect(hanging.requests.items.length).toBeLessThanOrEqual(2);
    expect(hanging.requests.items.every((q) => q.answered === null)).toBe(true);

    // Then the attempt times out, and the next ones are made.
    await attempts.feed.waitFor(
      (items) =>
        items.some(
          (n) => n.endpointId === ids.hanging && n.status === 'PENDING' && n.lastError === 'TIMEOUT',
        ),
      'a timed-out attempt',
    );
    const sofar = hanging.requests.items.length;
    await hanging.requests.waitFor((items) => items.length > sofar, 'further attempts');
    const log = await t.db.prisma.webhookDelivery.findMany({ where: { endpointId: ids.hanging } });
    expect(log).toHaveLength(events.length);
    expect(log.every((d) => d.status === 'PENDING')).toBe(true);
  });
});

describe('stopping a worker', () => {
  it('cuts its attempts short, does not count them, and leaves them to the next worker', async () => {
    const database = await createTestDatabase();
    const config = loadConfig({
      ...ENV,
      NODE_ENV: 'test',
      WEBHOOK_TIMEOUT_MS: '60000',
      DATABASE_URL: database.url,
    });
    const db = openDatabase({ url: database.url, poolMax: 4, logger });
    const receiver = await Receiver.start('hang');
    try {
      const s = await seedScenario(db.prisma, config);
      await seedThemes(db.prisma);
      const { offers } = await seedAlphaCatalogue(db.prisma, s);
      const head = await db.prisma.outboxSequence.findUniqueOrThrow({ where: { id: 1 } });
      const endpoint = await db.prisma.webhookEndpoint.create({
        data: {
          organisationId: s.org.alpha.id,
          url: receiver.url,
          secret: 'whsec_test',
          eventTypes: ['offer.changed'],
          startSeq: head.value,
        },
      });
      await updateOfferCapacity(db.prisma, viewers(s).alice, offers.shelter.id, { free: 4 });

      const first = startWebhookWorker({ db, config, logger });
      await receiver.requests.waitFor((items) => items.length === 1, 'an attempt');
      const [leased] = await db.prisma.webhookDelivery.findMany({ where: { endpointId: endpoint.id } });
      expect(leased?.leasedUntil).not.toBeNull();
      // Does not wait the minute the receiver could take.
      await first.stop();
      const released = await db.prisma.webhookDelivery.findUniqueOrThrow({ where: { id: leased!.id } });
      expect(released).toMatchObject({ status: 'PENDING', attempts: 0, leasedUntil: null, lastError: null });

      receiver.mode = 200;
      const second = startWebhookWorker({ db, config, logger });
      try {
        await receiver.waitForDelivered([leased!.seq.toString()], 'the event, from the next worker');
      } finally {
        await second.stop();
      }
      expect(receiver.requests.items.map((q) => q.attempt)).toEqual([1, 1]);
    } finally {
      await receiver.close();
      await db.close();
      await database.drop();
    }
  });
});
