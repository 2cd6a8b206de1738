/**
 * Offer changes reach a webhook exactly as the catalogue's one rule lets its organisation see them
 * (catalogue.access.ts): a webhook of organisation X hears of a change when an API client of X
 * holding the scope of `offer.changed` (CATALOGUE_READ) could see the offer before or after it.
 * When it could see the offer before but not in the state the change left it in (paused,
 * withdrawn), it hears only that the offer is no longer available — its id, nothing else — as an
 * `offerCapacityChanged` subscriber does (offer-notices.schema.ts). Over the real hub: endpoints
 * registered through the API, changes made through the services, the hub's own worker delivering
 * to receivers on node:http.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay';
import { CreateWebhookDocument } from '../../clients/generated/graphql.ts';
import type { ApiScope } from '../../src/generated/prisma/enums.ts';
import { createApiClient } from '../../src/modules/accounts/api-client.service.ts';
import { setOfferStatus, updateOfferCapacity } from '../../src/modules/catalogue/offer.service.ts';
import { aliceViewer, seedAlphaCatalogue, seedThemes } from '../helpers/catalogue-fixtures.ts';
import { seedScenario, type Scenario } from '../helpers/fixtures.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';
import { asGraphQL, Receiver, verifyMaillageWebhook } from './helpers.ts';

let t: TestHub;
let s: Scenario;
let offers: Awaited<ReturnType<typeof seedAlphaCatalogue>>['offers'];
const receivers: Receiver[] = [];

beforeAll(async () => {
  t = await startTestHub({ OUTBOX_POLL_MS: '100', WEBHOOK_RETRY_BASE_MS: '50' });
  s = await seedScenario(t.db.prisma, t.config);
  await seedThemes(t.db.prisma);
  offers = (await seedAlphaCatalogue(t.db.prisma, s)).offers;
});
afterAll(async () => {
  for (const r of receivers) await r.close();
  await t.close();
});

/** An API key of the organisation, made by its admin. */
async function apiKey(organisationId: string, scopes: ApiScope[], admin = aliceViewer(s)) {
  return (await createApiClient(t.db.prisma, admin, { organisationId, name: scopes.join('+'), scopes })).key;
}

/** Registers an `offer.changed` endpoint through the API, as the caller holding `token`. */
async function endpoint(token: string, organisationId: string) {
  const receiver = await Receiver.start(200);
  receivers.push(receiver);
  const res = await t.client(token).request(CreateWebhookDocument, {
    input: { organisationId, url: receiver.url, eventTypes: ['OFFER_CHANGED'] },
  });
  if (res.createWebhook.__typename !== 'MutationCreateWebhookSuccess') {
    throw new Error(`createWebhook: ${JSON.stringify(res.createWebhook)}`);
  }
  const { webhook, secret } = res.createWebhook.data;
  return { receiver, dbId: decodeGlobalID(webhook.id).id, secret };
}

async function lastSeq(): Promise<string> {
  const row = await t.db.prisma.outboxSequence.findUniqueOrThrow({ where: { id: 1 } });
  return row.value.toString();
}

it('a webhook hears of an offer change exactly when the catalogue rule lets its organisation see the offer', async () => {
  // Alpha's partner system, through its API client with CATALOGUE_READ; beta's, whose
  // CATALOGUE_READ opens beta's catalogue only.
  const alpha = await endpoint(
    await apiKey(s.org.alpha.id, ['WEBHOOKS_MANAGE', 'CATALOGUE_READ']),
    s.org.alpha.globalId,
  );
  const beta = await endpoint(
    await apiKey(s.org.beta.id, ['WEBHOOKS_MANAGE', 'CATALOGUE_READ'], s.viewer('bob')),
    s.org.beta.globalId,
  );
  const alice = s.viewer('alice');
  const db = t.db.prisma;

  /** What each endpoint must receive of each change: the change, "no longer available", or nothing. */
  const cases: [string, () => Promise<unknown>, { alpha: Heard; beta: Heard }][] = [
    [
      "a draft's places",
      () => updateOfferCapacity(db, alice, offers.draft.id, { free: 1 }),
      { alpha: 'change', beta: null },
    ],
    [
      "a published offer's places",
      () => updateOfferCapacity(db, alice, offers.shelter.id, { free: 7 }),
      { alpha: 'change', beta: 'change' },
    ],
    [
      'a published offer paused',
      () => setOfferStatus(db, alice, offers.shelter.id, 'pause'),
      { alpha: 'change', beta: 'unavailable' },
    ],
    [
      "a paused offer's places",
      () => updateOfferCapacity(db, alice, offers.shelter.id, { free: 2 }),
      { alpha: 'change', beta: null },
    ],
    [
      'a paused offer published again',
      () => setOfferStatus(db, alice, offers.shelter.id, 'publish'),
      { alpha: 'change', beta: 'change' },
    ],
    [
      'a published offer withdrawn',
      () => setOfferStatus(db, alice, offers.french.id, 'withdraw'),
      { alpha: 'change', beta: 'unavailable' },
    ],
    [
      "a withdrawn offer's places",
      () => updateOfferCapacity(db, alice, offers.french.id, { free: 3 }),
      { alpha: 'change', beta: null },
    ],
    [
      "a published offer's places, last",
      () => updateOfferCapacity(db, alice, offers.shelter.id, { free: 9 }),
      { alpha: 'change', beta: 'change' },
    ],
  ];
  const expected = { alpha: new Map<string, Expected>(), beta: new Map<string, Expected>() };
  for (const [what, act, heard] of cases) {
    await act();
    const seq = await lastSeq();
    for (const org of ['alpha', 'beta'] as const) {
      if (heard[org]) expected[org].set(seq, { what, heard: heard[org] });
    }
  }

  const outbox = new Map(
    (await t.db.prisma.outboxEvent.findMany({ where: { type: 'OFFER_CHANGED' } })).map((e) => [
      e.seq.toString(),
      e,
    ]),
  );
  for (const [org, e] of [
    ['alpha', alpha],
    ['beta', beta],
  ] as const) {
    const ids = [...expected[org].keys()];
    // The last change reaches both: once it is delivered, the fan-out has passed every other one.
    await e.receiver.waitForDelivered(ids, org);
    const log = await t.db.prisma.webhookDelivery.findMany({
      where: { endpointId: e.dbId },
      orderBy: { seq: 'asc' },
    });
    expect([org, log.map((d) => d.seq.toString())]).toEqual([org, ids]);
    expect(e.receiver.requests.items).toHaveLength(ids.length);

    for (const request of e.receiver.requests.items) {
      expect(verifyMaillageWebhook(e.secret, request.headers, request.body)).toBe(true);
      const body = JSON.parse(request.body) as { id: string; type: string; data: unknown };
      const want = expected[org].get(body.id)!;
      const row = outbox.get(body.id)!;
      const offerId = (row.payload as { offer: { id: string } }).offer.id;
      expect([org, want.what, body.type, body.data]).toEqual([
        org,
        want.what,
        'offer.changed',
        // "No longer available": the offer's id (global, and raw), not its status, places or anything since.
        want.heard === 'change'
          ? asGraphQL(row.payload)
          : { offer: { id: encodeGlobalID('Offer', offerId), rawId: offerId, available: false } },
      ]);
    }
  }
});

type Heard = 'change' | 'unavailable' | null;
interface Expected {
  what: string;
  heard: Exclude<Heard, null>;
}
