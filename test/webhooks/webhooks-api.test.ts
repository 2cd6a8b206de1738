/**
 * The webhook API over HTTP: who may create, change, delete, rotate and redeliver (an
 * organisation's admins and its API client with WEBHOOKS_MANAGE; everybody else gets a typed
 * ForbiddenError or NotFoundError and changes nothing), validation, the secret shown once, and
 * the delivery log as the organisation reads it.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay';
import { isObjectType } from 'graphql';
import {
  CreateWebhookDocument,
  DeleteWebhookDocument,
  NodeDocument,
  OrganisationWebhooksDocument,
  RedeliverWebhookDeliveryDocument,
  RotateWebhookSecretDocument,
  UpdateWebhookDocument,
  WebhookDeliveriesDocument,
  type CreateWebhookInput,
} from '../../clients/generated/graphql.ts';
import { createApiClient } from '../../src/modules/accounts/api-client.service.ts';
import type { ApiScope } from '../../src/generated/prisma/enums.ts';
import { schema } from '../../src/schema.ts';
import { secretPlace, secrets } from '../../src/shared/secrets.ts';
import { aliceViewer } from '../helpers/catalogue-fixtures.ts';
import { seedScenario, type Scenario } from '../helpers/fixtures.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';

/** Nothing listens there: any attempt by the hub's worker fails fast, without DNS (loopback is allowed here). */
const URL = 'https://127.0.0.1:2/hooks/maillage';

let t: TestHub;
let s: Scenario;
/** Tokens and API keys by who they are. */
const who: Record<string, string | undefined> = {};
let alphaEndpoint: { id: string; dbId: string };
let failedDelivery: string;

async function apiKey(organisationId: string, scopes: ApiScope[], admin = aliceViewer(s)) {
  return (await createApiClient(t.db.prisma, admin, { organisationId, name: scopes.join('+'), scopes })).key;
}

beforeAll(async () => {
  t = await startTestHub();
  s = await seedScenario(t.db.prisma, t.config);
  for (const person of ['alice', 'bob', 'carol', 'hugo'] as const) who[person] = await s.token(person);
  who.anonymous = undefined;
  who['alpha API client (WEBHOOKS_MANAGE, REFERRALS_READ, CATALOGUE_READ)'] = await apiKey(s.org.alpha.id, [
    'WEBHOOKS_MANAGE',
    'REFERRALS_READ',
    'CATALOGUE_READ',
  ]);
  who['alpha API client (WEBHOOKS_MANAGE, CATALOGUE_READ)'] = await apiKey(s.org.alpha.id, [
    'WEBHOOKS_MANAGE',
    'CATALOGUE_READ',
  ]);
  who['alpha API client (WEBHOOKS_MANAGE)'] = await apiKey(s.org.alpha.id, ['WEBHOOKS_MANAGE']);
  who['alpha API client (REFERRALS_READ)'] = await apiKey(s.org.alpha.id, ['REFERRALS_READ']);
  who['beta API client (WEBHOOKS_MANAGE)'] = await apiKey(
    s.org.beta.id,
    ['WEBHOOKS_MANAGE'],
    s.viewer('bob'),
  );
});
afterAll(() => t.close());

const input = (over: Partial<CreateWebhookInput> = {}): CreateWebhookInput => ({
  organisationId: s.org.alpha.globalId,
  url: URL,
  eventTypes: ['REFERRAL_STATUS_CHANGED', 'OFFER_CHANGED'],
  ...over,
});

async function footprint() {
  const endpoints = await t.db.prisma.webhookEndpoint.findMany({ orderBy: { id: 'asc' } });
  const deliveries = await t.db.prisma.webhookDelivery.findMany({
    where: { status: { not: 'PENDING' } },
    orderBy: { id: 'asc' },
    select: { id: true, status: true },
  });
  return { endpoints, deliveries };
}

describe('creating', () => {
  it('an admin registers an endpoint for their organisation; the secret is shown once and never again', async () => {
    const res = await t.client(who.alice).request(CreateWebhookDocument, {
      input: input({ description: '  CRM d’Alpha ' }),
    });
    expect(res.createWebhook).toMatchObject({
      __typename: 'MutationCreateWebhookSuccess',
      data: {
        secret: expect.stringMatching(/^whsec_[\w-]{43}$/) as unknown as string,
        webhook: {
          url: URL,
          description: 'CRM d’Alpha',
          eventTypes: ['REFERRAL_STATUS_CHANGED', 'OFFER_CHANGED'],
          active: true,
          organisation: { slug: 'alpha' },
        },
      },
    });
    if (res.createWebhook.__typename !== 'MutationCreateWebhookSuccess') throw new Error('create');
    const { webhook, secret } = res.createWebhook.data;
    alphaEndpoint = { id: webhook.id, dbId: decodeGlobalID(webhook.id).id };
    const row = await t.db.prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: alphaEndpoint.dbId } });
    expect(row).toMatchObject({
      createdById: s.user.alice.id,
      eventTypes: ['referral.status_changed', 'offer.changed'],
    });
    // Sealed at rest (test/secrets/secrets-at-rest.test.ts): only the key opens it.
    expect(row.secret).not.toContain(secret.slice(6));
    expect(secrets().open(row.secret, secretPlace.webhookSecret(row.id))).toBe(secret);
    // No field of the schema gives it back.
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || !type.name.startsWith('Webhook') || type.name === 'WebhookSecretPayload')
        continue;
      expect([type.name, Object.keys(type.getFields())]).toEqual([
        type.name,
        expect.not.arrayContaining(['secret']),
      ]);
    }
  });

  it('its API client with WEBHOOKS_MANAGE may too, but asks for referral events only with a referral scope', async () => {
    const full = await t.send(
      CreateWebhookDocument,
      { input: input() },
      { token: who['alpha API client (WEBHOOKS_MANAGE, REFERRALS_READ, CATALOGUE_READ)'] },
    );
    expect(full.body.data?.createWebhook.__typename).toBe('MutationCreateWebhookSuccess');
    const manageOnly = who['alpha API client (WEBHOOKS_MANAGE, CATALOGUE_READ)'];
    const offers = await t.send(
      CreateWebhookDocument,
      { input: input({ eventTypes: ['OFFER_CHANGED'] }) },
      {
        token: manageOnly,
      },
    );
    expect(offers.body.data?.createWebhook.__typename).toBe('MutationCreateWebhookSuccess');
    const referrals = await t.send(CreateWebhookDocument, { input: input() }, { token: manageOnly });
    expect(referrals.body.data?.createWebhook).toMatchObject({
      __typename: 'ForbiddenError',
      code: 'common/forbidden',
      message:
        'You are not allowed to receive these events without the scopes they need (REFERRALS_READ, CATALOGUE_READ).',
    });
    // Offer changes carry its organisation's unpublished offers: they need CATALOGUE_READ.
    const noScope = await t.send(
      CreateWebhookDocument,
      { input: input({ eventTypes: ['OFFER_CHANGED'] }) },
      { token: who['alpha API client (WEBHOOKS_MANAGE)'] },
    );
    expect(noScope.body.data?.createWebhook.__typename).toBe('ForbiddenError');
    const created = await t.db.prisma.webhookEndpoint.findMany({
      where: { createdByApiClientId: { not: null } },
    });
    expect(created).toHaveLength(2);
  });

  it('anyone else is refused and nothing is written', async () => {
    const before = await footprint();
    const refused: Record<string, [string, string]> = {
      carol: ['carol', s.org.alpha.globalId],
      'bob (for alpha)': ['bob', s.org.alpha.globalId],
      hugo: ['hugo', s.org.alpha.globalId],
      'alpha API client without WEBHOOKS_MANAGE': ['alpha API client (REFERRALS_READ)', s.org.alpha.globalId],
      'alpha API client (for beta)': [
        'alpha API client (WEBHOOKS_MANAGE, REFERRALS_READ, CATALOGUE_READ)',
        s.org.beta.globalId,
      ],
      'beta API client (for alpha)': ['beta API client (WEBHOOKS_MANAGE)', s.org.alpha.globalId],
    };
    for (const [label, [caller, organisationId]] of Object.entries(refused)) {
      const res = await t.send(
        CreateWebhookDocument,
        { input: input({ organisationId, eventTypes: ['OFFER_CHANGED'] }) },
        { token: who[caller] },
      );
      expect([label, res.body.data?.createWebhook.__typename]).toEqual([label, 'ForbiddenError']);
    }
    const unknown = await t.send(
      CreateWebhookDocument,
      {
        input: input({
          organisationId: encodeGlobalID('Organisation', '00000000-0000-7000-8000-000000000000'),
        }),
      },
      { token: who.alice },
    );
    expect(unknown.body.data?.createWebhook.__typename).toBe('NotFoundError');
    const anonymous = await t.send(CreateWebhookDocument, { input: input() });
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await footprint()).toEqual(before);
  });

  // The reason (and limit) is what the console words in its user's language.
  const invalid: [string, Partial<CreateWebhookInput>, string, string, string, number | null][] = [
    [
      'plain http elsewhere than localhost',
      { url: 'http://crm.example.org/hook' },
      'url',
      'must use https (http only for localhost)',
      'INSECURE_URL',
      null,
    ],
    [
      'credentials in the URL',
      { url: 'https://user:pw@crm.example.org/' },
      'url',
      'must not contain credentials (deliveries are signed)',
      'URL_CREDENTIALS',
      null,
    ],
    [
      'a fragment in the URL',
      { url: 'https://crm.example.org/#x' },
      'url',
      'must not contain a fragment',
      'URL_FRAGMENT',
      null,
    ],
    ['not a URL', { url: 'not a URL' }, 'url', 'must be an absolute URL', 'FORMAT', null],
    [
      'no event type',
      { eventTypes: [] },
      'eventTypes',
      'must name at least one event type',
      'REQUIRED',
      null,
    ],
    [
      'a long description',
      { description: 'x'.repeat(501) },
      'description',
      'must be at most 500 characters',
      'TOO_LONG',
      500,
    ],
  ];
  it.each(invalid)('refuses %s', async (_label, over, field, message, reason, limit) => {
    const before = await footprint();
    const res = await t.client(who.alice).request(CreateWebhookDocument, { input: input(over) });
    expect(res.createWebhook).toEqual({
      __typename: 'InvalidInputError',
      code: 'common/invalid_input',
      message: expect.any(String),
      fields: [{ path: ['input', field], message, reason, limit }],
    });
    expect(await footprint()).toEqual(before);
  });
});

describe('reading', () => {
  it("the organisation's admins and its managing API client list its endpoints; nobody else", async () => {
    for (const caller of ['alice', 'alpha API client (WEBHOOKS_MANAGE, CATALOGUE_READ)']) {
      const res = await t.send(OrganisationWebhooksDocument, { slug: 'alpha' }, { token: who[caller] });
      expect([caller, res.body.data?.organisation?.webhooks.edges.length]).toEqual([caller, 3]);
      const node = await t.send(NodeDocument, { id: alphaEndpoint.id }, { token: who[caller] });
      expect(node.body.data?.node?.__typename).toBe('WebhookEndpoint');
    }
    for (const caller of ['carol', 'bob', 'hugo', 'anonymous', 'alpha API client (REFERRALS_READ)']) {
      const res = await t.send(OrganisationWebhooksDocument, { slug: 'alpha' }, { token: who[caller] });
      expect([caller, res.body.errors?.[0]?.extensions?.code]).toEqual([caller, 'FORBIDDEN']);
      const node = await t.send(NodeDocument, { id: alphaEndpoint.id }, { token: who[caller] });
      expect([caller, node.body.data?.node ?? null]).toEqual([caller, null]);
    }
  });

  it('the delivery log pages newest event first and filters by status', async () => {
    await t.db.prisma.webhookDelivery.createMany({
      data: [1, 2, 3, 4, 5].map((n) => ({
        endpointId: alphaEndpoint.dbId,
        seq: BigInt(1000 + n),
        eventType: 'offer.changed',
        status: n % 2 === 0 ? ('FAILED' as const) : ('DELIVERED' as const),
        attempts: n,
        nextAttemptAt: null,
        // Written as before error classes: the start of the receiver's answer, never shown.
        lastError: n % 2 === 0 ? 'HTTP 500: <h1>Internal Server Error</h1> at 10.0.0.7' : null,
      })),
    });
    const alice = t.client(who.alice);
    const page1 = await alice.request(WebhookDeliveriesDocument, { id: alphaEndpoint.id, first: 2 });
    if (page1.node?.__typename !== 'WebhookEndpoint') throw new Error('endpoint');
    expect(page1.node.deliveries.totalCount).toBe(5);
    expect(page1.node.deliveries.edges.map((e) => e.node.eventId)).toEqual(['1005', '1004']);
    expect(page1.node.deliveries.pageInfo.hasNextPage).toBe(true);
    const page2 = await alice.request(WebhookDeliveriesDocument, {
      id: alphaEndpoint.id,
      first: 2,
      after: page1.node.deliveries.pageInfo.endCursor,
    });
    if (page2.node?.__typename !== 'WebhookEndpoint') throw new Error('endpoint');
    expect(page2.node.deliveries.edges.map((e) => e.node.eventId)).toEqual(['1003', '1002']);
    const failed = await alice.request(WebhookDeliveriesDocument, { id: alphaEndpoint.id, status: 'FAILED' });
    if (failed.node?.__typename !== 'WebhookEndpoint') throw new Error('endpoint');
    expect(failed.node.deliveries.totalCount).toBe(2);
    expect(failed.node.deliveries.edges.map((e) => e.node)).toEqual([
      expect.objectContaining({ eventId: '1004', status: 'FAILED', attempts: 4, lastError: 'HTTP_5XX' }),
      expect.objectContaining({ eventId: '1002', status: 'FAILED', attempts: 2, lastError: 'HTTP_5XX' }),
    ]);
    failedDelivery = failed.node.deliveries.edges[0]!.node.id;
    // Nobody else reaches a delivery either.
    for (const caller of ['carol', 'bob', 'hugo']) {
      const node = await t.send(NodeDocument, { id: failedDelivery }, { token: who[caller] });
      expect([caller, node.body.data?.node ?? null]).toEqual([caller, null]);
    }
  });
});

describe('changing, rotating, redelivering, deleting', () => {
  const outsiders = [
    'carol',
    'bob',
    'hugo',
    'alpha API client (REFERRALS_READ)',
    'beta API client (WEBHOOKS_MANAGE)',
  ];
  const unknownEndpoint = () => encodeGlobalID('WebhookEndpoint', '00000000-0000-7000-8000-000000000000');

  it('is not found for anyone but the managers, exactly like an unknown endpoint, and writes nothing', async () => {
    const before = await footprint();
    for (const caller of outsiders) {
      for (const id of [alphaEndpoint.id, unknownEndpoint()]) {
        const token = who[caller];
        const update = await t.send(UpdateWebhookDocument, { input: { id, active: false } }, { token });
        expect([caller, update.body.data?.updateWebhook.__typename]).toEqual([caller, 'NotFoundError']);
        const rotate = await t.send(RotateWebhookSecretDocument, { input: { id } }, { token });
        expect([caller, rotate.body.data?.rotateWebhookSecret.__typename]).toEqual([caller, 'NotFoundError']);
        const remove = await t.send(DeleteWebhookDocument, { input: { id } }, { token });
        expect([caller, remove.body.data?.deleteWebhook.__typename]).toEqual([caller, 'NotFoundError']);
      }
      const redeliver = await t.send(
        RedeliverWebhookDeliveryDocument,
        { input: { id: failedDelivery } },
        { token: who[caller] },
      );
      expect([caller, redeliver.body.data?.redeliverWebhookDelivery.__typename]).toEqual([
        caller,
        'NotFoundError',
      ]);
    }
    const anonymous = await t.send(UpdateWebhookDocument, { input: { id: alphaEndpoint.id, active: false } });
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await footprint()).toEqual(before);
  });

  it('the managers update (validated), rotate the secret and redeliver', async () => {
    const api = t.client(who['alpha API client (WEBHOOKS_MANAGE, REFERRALS_READ, CATALOGUE_READ)']);
    const bad = await api.request(UpdateWebhookDocument, {
      input: { id: alphaEndpoint.id, url: 'http://crm.example.org/' },
    });
    expect(bad.updateWebhook).toMatchObject({
      __typename: 'InvalidInputError',
      fields: [{ path: ['input', 'url'], message: 'must use https (http only for localhost)' }],
    });
    const updated = await api.request(UpdateWebhookDocument, {
      input: {
        id: alphaEndpoint.id,
        eventTypes: ['REFERRAL_CREATED', 'REFERRAL_CREATED'],
        description: null,
      },
    });
    expect(updated.updateWebhook).toMatchObject({
      data: { webhook: { url: URL, eventTypes: ['REFERRAL_CREATED'], description: null, active: true } },
    });

    const old = await t.db.prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: alphaEndpoint.dbId } });
    const rotated = await t.client(who.alice).request(RotateWebhookSecretDocument, {
      input: { id: alphaEndpoint.id },
    });
    if (rotated.rotateWebhookSecret.__typename !== 'MutationRotateWebhookSecretSuccess')
      throw new Error('rotate');
    const { secret } = rotated.rotateWebhookSecret.data;
    expect(secret).toMatch(/^whsec_/);
    const place = secretPlace.webhookSecret(alphaEndpoint.dbId);
    expect(secret).not.toBe(secrets().open(old.secret, place));
    const now = await t.db.prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: alphaEndpoint.dbId } });
    expect(secrets().open(now.secret, place)).toBe(secret);

    const redelivered = await t.client(who.alice).request(RedeliverWebhookDeliveryDocument, {
      input: { id: failedDelivery },
    });
    expect(redelivered.redeliverWebhookDelivery).toMatchObject({
      __typename: 'MutationRedeliverWebhookDeliverySuccess',
      data: { delivery: { id: failedDelivery, eventId: '1004', status: 'PENDING', attempts: 0 } },
    });
  });

  it('the managers delete', async () => {
    // A webhook of referral events (REFERRAL_CREATED since the update above): its API client needs REFERRALS_READ.
    const res = await t
      .client(who['alpha API client (WEBHOOKS_MANAGE, REFERRALS_READ, CATALOGUE_READ)'])
      .request(DeleteWebhookDocument, {
        input: { id: alphaEndpoint.id },
      });
    expect(res.deleteWebhook).toEqual({
      __typename: 'MutationDeleteWebhookSuccess',
      data: { deletedWebhookId: alphaEndpoint.id },
    });
    expect(await t.db.prisma.webhookDelivery.count({ where: { endpointId: alphaEndpoint.dbId } })).toBe(0);
  });
});

describe('an API client without a referral scope (issue 9)', () => {
  it('changes, rotates, redelivers, deletes and reads the log of offer webhooks only, like creating', async () => {
    const manageOnly = who['alpha API client (WEBHOOKS_MANAGE, CATALOGUE_READ)'];
    const created = async (eventTypes: CreateWebhookInput['eventTypes']) => {
      const res = await t.client(who.alice).request(CreateWebhookDocument, { input: input({ eventTypes }) });
      if (res.createWebhook.__typename !== 'MutationCreateWebhookSuccess') throw new Error('create');
      const id = res.createWebhook.data.webhook.id;
      const dbId = decodeGlobalID(id).id;
      const delivery = await t.db.prisma.webhookDelivery.create({
        data: {
          endpointId: dbId,
          seq: 2000n,
          eventType: eventTypes[0]!.toLowerCase().replace('_', '.'),
          status: 'FAILED',
          attempts: 3,
          nextAttemptAt: null,
          lastStatusCode: 500,
          lastError: 'HTTP_5XX',
        },
      });
      return { id, dbId, deliveryId: encodeGlobalID('WebhookDelivery', delivery.id) };
    };
    const referrals = await created(['REFERRAL_STATUS_CHANGED']);
    const mixed = await created(['OFFER_CHANGED', 'REFERRAL_MESSAGE_POSTED']);
    const offers = await created(['OFFER_CHANGED']);
    const before = await footprint();
    const forbidden = {
      __typename: 'ForbiddenError',
      code: 'common/forbidden',
      message:
        'You are not allowed to manage a webhook of these events without the scopes they need (REFERRALS_READ, CATALOGUE_READ).',
    };

    for (const endpoint of [referrals, mixed]) {
      const id = endpoint.id;
      const token = manageOnly;
      // Re-pointing it to the client's own URL, or just switching it off or on.
      for (const change of [
        { url: 'https://crm.example.org/mine' },
        { active: false },
        { description: 'x' },
      ]) {
        const res = await t.send(UpdateWebhookDocument, { input: { id, ...change } }, { token });
        expect([change, res.body.data?.updateWebhook]).toEqual([change, expect.objectContaining(forbidden)]);
      }
      const rotate = await t.send(RotateWebhookSecretDocument, { input: { id } }, { token });
      expect(rotate.body.data?.rotateWebhookSecret).toMatchObject(forbidden);
      const remove = await t.send(DeleteWebhookDocument, { input: { id } }, { token });
      expect(remove.body.data?.deleteWebhook).toMatchObject(forbidden);
      const redeliver = await t.send(
        RedeliverWebhookDeliveryDocument,
        { input: { id: endpoint.deliveryId } },
        { token },
      );
      expect(redeliver.body.data?.redeliverWebhookDelivery).toMatchObject(forbidden);
      // Its delivery log is not readable: the field is refused, a delivery is not found.
      const log = await t.send(WebhookDeliveriesDocument, { id }, { token: manageOnly });
      expect(log.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(JSON.stringify(log.body.data)).not.toContain('HTTP_5XX');
      const node = await t.send(NodeDocument, { id: endpoint.deliveryId }, { token: manageOnly });
      expect(node.body.data?.node ?? null).toBeNull();
    }
    expect(await footprint()).toEqual(before);

    // Offer webhooks stay its business; with REFERRALS_READ, referral webhooks are too.
    const mine = t.client(manageOnly);
    const log = await mine.request(WebhookDeliveriesDocument, { id: offers.id });
    expect(log.node).toMatchObject({ deliveries: { totalCount: 1 } });
    expect(
      (await mine.request(RotateWebhookSecretDocument, { input: { id: offers.id } })).rotateWebhookSecret
        .__typename,
    ).toBe('MutationRotateWebhookSecretSuccess');
    const full = t.client(who['alpha API client (WEBHOOKS_MANAGE, REFERRALS_READ, CATALOGUE_READ)']);
    const moved = await full.request(UpdateWebhookDocument, {
      input: { id: referrals.id, url: 'https://crm.example.org/hook' },
    });
    expect(moved.updateWebhook.__typename).toBe('MutationUpdateWebhookSuccess');
    const redelivered = await full.request(RedeliverWebhookDeliveryDocument, {
      input: { id: referrals.deliveryId },
    });
    expect(redelivered.redeliverWebhookDelivery.__typename).toBe('MutationRedeliverWebhookDeliverySuccess');
    const removed = await mine.request(DeleteWebhookDocument, { input: { id: offers.id } });
    expect(removed.deleteWebhook.__typename).toBe('MutationDeleteWebhookSuccess');
  });
});
