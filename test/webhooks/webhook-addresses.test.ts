/**
 * Webhooks cannot reach inside (issue 9): internal addresses and other protocols' ports are refused
 * when an endpoint is registered or changed (a typed input error) and again at each connection,
 * whatever the name resolves to by then (DNS rebinding); https only in production; the delivery log
 * and the log lines keep a status code and an error class, never what the receiver answered.
 * The hub here allows no loopback (WEBHOOK_ALLOW_LOOPBACK off) and runs no worker: workers are
 * started by the tests, with the policy each needs.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { decodeGlobalID } from '@pothos/plugin-relay';
import {
  CreateWebhookDocument,
  RedeliverWebhookDeliveryDocument,
  UpdateWebhookDocument,
  WebhookDeliveriesDocument,
} from '../../clients/generated/graphql.ts';
import { updateOfferCapacity } from '../../src/modules/catalogue/offer.service.ts';
import { webhookUrlProblem, webhookAddressPolicy } from '../../src/modules/webhooks/webhook-url.ts';
import { startWebhookWorker, type WebhookWorker } from '../../src/modules/webhooks/webhook-worker.ts';
import { ConfigError, loadConfig } from '../../src/shared/config.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { generateSecretsKey } from '../../src/shared/secrets.ts';
import { seedAlphaCatalogue, seedThemes } from '../helpers/catalogue-fixtures.ts';
import { seedScenario, type Scenario } from '../helpers/fixtures.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';
import { listenAttempts, Receiver, viewers, type AttemptNotice, type Feed } from './helpers.ts';

const ENV = {
  WEBHOOK_WORKER: 'false',
  WEBHOOK_ALLOW_LOOPBACK: 'false',
  WEBHOOK_RETRY_BASE_MS: '60000',
  WEBHOOK_TIMEOUT_MS: '3000',
  OUTBOX_POLL_MS: '100',
};
/** A public address: registration takes it without asking DNS. */
const PUBLIC = 'https://93.184.215.14/hooks/maillage';

let t: TestHub;
let s: Scenario;
let alice: string;
let attempts: { feed: Feed<AttemptNotice>; close(): Promise<void> };
let offers: Awaited<ReturnType<typeof seedAlphaCatalogue>>['offers'];
let free = 1;

beforeAll(async () => {
  t = await startTestHub(ENV);
  s = await seedScenario(t.db.prisma, t.config);
  await seedThemes(t.db.prisma);
  offers = (await seedAlphaCatalogue(t.db.prisma, s)).offers;
  alice = await s.token('alice');
  attempts = await listenAttempts(t.database.url);
});
afterAll(async () => {
  await attempts.close();
  await t.close();
});

async function create(url: string, token = alice) {
  return (
    await t.client(token).request(CreateWebhookDocument, {
      input: { organisationId: s.org.alpha.globalId, url, eventTypes: ['OFFER_CHANGED'] },
    })
  ).createWebhook;
}

async function created(url: string) {
  const res = await create(url);
  if (res.__typename !== 'MutationCreateWebhookSuccess') throw new Error(JSON.stringify(res));
  return { id: res.data.webhook.id, dbId: decodeGlobalID(res.data.webhook.id).id };
}

/** An event every offer.changed endpoint of alpha hears; its id. */
async function offerChange(): Promise<string> {
  free = (free % 9) + 1;
  await updateOfferCapacity(t.db.prisma, viewers(s).alice, offers.shelter.id, { free });
  const head = await t.db.prisma.outboxSequence.findUniqueOrThrow({ where: { id: 1 } });
  return head.value.toString();
}

/** Resolves once an attempt (recorded after the `since`-th notice) passes `test`. */
function recorded(
  endpointId: string,
  eventId: string,
  test: (n: AttemptNotice) => boolean,
  what: string,
  since = 0,
) {
  return attempts.feed.waitFor(
    (items) =>
      items.slice(since).some((n) => n.endpointId === endpointId && n.eventId === eventId && test(n)),
    what,
  );
}

describe('registering', () => {
  const internal: [string, string][] = [
    ['https://10.0.0.1/hook', 'a private address (10.0.0.1)'],
    ['https://172.16.5.4/hook', 'a private address (172.16.5.4)'],
    ['https://192.168.1.10/hook', 'a private address (192.168.1.10)'],
    ['https://169.254.169.254/latest/meta-data/', 'a link-local address (169.254.169.254)'],
    ['https://127.0.0.1:8443/hook', 'a loopback address (127.0.0.1)'],
    ['https://2130706433/hook', 'a loopback address (127.0.0.1)'],
    ['https://localhost/hook', 'a loopback address (127.0.0.1)'],
    ['https://api.localhost/hook', 'a loopback address (127.0.0.1)'],
    ['https://[::1]/hook', 'a loopback address (::1)'],
    ['https://[fd00::1]/hook', 'a unique-local address (fd00::1)'],
    ['https://[::ffff:10.0.0.1]/hook', 'an IPv4-mapped address (::ffff:a00:1)'],
    ['https://[fe80::1]/hook', 'a link-local address (fe80::1)'],
    ['https://224.0.0.1/hook', 'a multicast address (224.0.0.1)'],
    ['https://0.0.0.0/hook', 'an unspecified address (0.0.0.0)'],
    ['https://100.64.0.1/hook', 'a shared (carrier-grade NAT) address (100.64.0.1)'],
  ];
  it.each(internal)('refuses %s, created or changed to', async (url, what) => {
    const before = await t.db.prisma.webhookEndpoint.count();
    const message = `must not point to ${what}: webhooks reach public hosts only`;
    expect(await create(url)).toMatchObject({
      __typename: 'InvalidInputError',
      code: 'common/invalid_input',
      fields: [{ path: ['input', 'url'], message, reason: 'INTERNAL_ADDRESS', limit: null }],
    });
    expect(await t.db.prisma.webhookEndpoint.count()).toBe(before);
    const endpoint = await created(PUBLIC);
    const changed = await t.client(alice).request(UpdateWebhookDocument, { input: { id: endpoint.id, url } });
    expect(changed.updateWebhook).toMatchObject({
      __typename: 'InvalidInputError',
      fields: [{ path: ['input', 'url'], message }],
    });
    const row = await t.db.prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.dbId } });
    expect(row.url).toBe(PUBLIC);
  });

  it('refuses ports of other protocols, which the connection would refuse forever', async () => {
    for (const port of [1, 22, 25, 6000]) {
      expect(await create(`https://crm.example.org:${port}/hook`)).toMatchObject({
        __typename: 'InvalidInputError',
        fields: [
          {
            path: ['input', 'url'],
            message: `must not use port ${port} (reserved for another protocol)`,
            reason: 'BLOCKED_PORT',
          },
        ],
      });
    }
    expect((await create('https://crm.example.org:8443/hook')).__typename).toBe(
      'MutationCreateWebhookSuccess',
    );
  });

  it('refuses plain http, and loopback unless allowed', async () => {
    expect(await create('http://93.184.215.14/hook')).toMatchObject({
      fields: [{ message: 'must use https (http only for localhost)', reason: 'INSECURE_URL' }],
    });
    expect(await create('http://127.0.0.1:8080/hook')).toMatchObject({
      fields: [
        { message: 'must not point to a loopback address (127.0.0.1): webhooks reach public hosts only' },
      ],
    });
    expect((await create(PUBLIC)).__typename).toBe('MutationCreateWebhookSuccess');
  });

  it('resolves a host name: refused when any of its addresses is internal, taken when it does not resolve', async () => {
    const policy = webhookAddressPolicy({ NODE_ENV: 'test', WEBHOOK_ALLOW_LOOPBACK: false });
    const dns = (answers: Record<string, string[]>) => (host: string) =>
      answers[host]
        ? Promise.resolve(answers[host].map((address) => ({ address })))
        : Promise.reject(Object.assign(new Error('not found'), { code: 'ENOTFOUND' }));
    const lookup = dns({
      'crm.partner.lu': ['93.184.215.14'],
      'metadata.internal': ['169.254.169.254'],
      'mixed.partner.lu': ['93.184.215.14', '10.1.2.3'],
    });
    expect(await webhookUrlProblem('https://crm.partner.lu/hook', policy, lookup)).toBeNull();
    expect(await webhookUrlProblem('https://metadata.internal/', policy, lookup)).toEqual({
      message:
        'must not point to a link-local address (metadata.internal resolves to 169.254.169.254): webhooks reach public hosts only',
      reason: 'INTERNAL_ADDRESS',
    });
    expect((await webhookUrlProblem('https://mixed.partner.lu/', policy, lookup))?.message).toMatch(
      /resolves to 10\.1\.2\.3/,
    );
    expect(await webhookUrlProblem('https://not-yet.partner.lu/', policy, lookup)).toBeNull();
  });
});

describe('connecting', () => {
  it('refuses an internal address at the connection, whatever the name resolved to when registered', async () => {
    const receiver = await Receiver.start(200);
    const logger = createLogger('silent');
    const byName = await created(PUBLIC);
    const byAddress = await created(PUBLIC);
    // Since registration, the endpoints' names came to resolve to the hub's own machine (DNS
    // rebinding), as `localhost` does; and one is now the address itself.
    const port = new URL(receiver.url).port;
    await t.db.prisma.webhookEndpoint.update({
      where: { id: byName.dbId },
      data: { url: `http://localhost:${port}/hooks/maillage` },
    });
    await t.db.prisma.webhookEndpoint.update({ where: { id: byAddress.dbId }, data: { url: receiver.url } });
    // Other endpoints of alpha point at nothing reachable: silence them.
    await t.db.prisma.webhookEndpoint.updateMany({
      where: { id: { notIn: [byName.dbId, byAddress.dbId] } },
      data: { active: false },
    });
    const strict = startWebhookWorker({ db: t.db, config: t.config, logger });
    let eventId: string;
    try {
      eventId = await offerChange();
      strict.wake();
      await Promise.all(
        [byName, byAddress].map((e) =>
          recorded(e.dbId, eventId, (n) => n.lastError === 'BLOCKED_ADDRESS', 'BLOCKED_ADDRESS'),
        ),
      );
    } finally {
      await strict.stop();
    }
    expect(receiver.requests.items).toEqual([]);
    const log = await t.client(alice).request(WebhookDeliveriesDocument, { id: byName.id });
    expect(log.node).toMatchObject({
      deliveries: {
        edges: [{ node: { status: 'PENDING', lastError: 'BLOCKED_ADDRESS', lastStatusCode: null } }],
      },
    });

    // The same deliveries with loopback allowed (development) go through: it was the rule, not the
    // receiver.
    const lenient = startWebhookWorker({
      db: t.db,
      config: { ...t.config, WEBHOOK_ALLOW_LOOPBACK: true },
      logger,
    });
    try {
      for (const e of [byName, byAddress]) {
        const delivery = (
          await t.db.prisma.webhookDelivery.findFirstOrThrow({ where: { endpointId: e.dbId } })
        ).id;
        await t.db.prisma.webhookDelivery.update({
          where: { id: delivery },
          data: { nextAttemptAt: new Date() },
        });
      }
      lenient.wake();
      await Promise.all(
        [byName, byAddress].map((e) =>
          recorded(e.dbId, eventId, (n) => n.status === 'DELIVERED', 'delivered'),
        ),
      );
      expect(receiver.requests.items).toHaveLength(2);
    } finally {
      await lenient.stop();
      await receiver.close();
      await t.db.prisma.webhookEndpoint.deleteMany({ where: { id: { in: [byName.dbId, byAddress.dbId] } } });
    }
  });
});

describe('the delivery log and the log lines', () => {
  it('keep the status code and an error class, never what the receiver answered', async () => {
    const receiver = await Receiver.start(503);
    const lines: string[] = [];
    const logger = createLogger('debug', {}, { write: (line: string) => void lines.push(line) });
    const config = { ...t.config, WEBHOOK_ALLOW_LOOPBACK: true, WEBHOOK_RETRY_BASE_MS: 50 };
    const worker: WebhookWorker = startWebhookWorker({ db: t.db, config, logger });
    try {
      await t.db.prisma.webhookEndpoint.updateMany({ data: { active: false } });
      const endpoint = await created(PUBLIC);
      await t.db.prisma.webhookEndpoint.update({ where: { id: endpoint.dbId }, data: { url: receiver.url } });
      const eventId = await offerChange();
      worker.wake();
      await recorded(
        endpoint.dbId,
        eventId,
        (n) => n.attempts >= 2 && n.lastError === 'HTTP_5XX',
        'two 503s',
      );
      // The receiver goes away: connections are refused.
      await receiver.down();
      await recorded(
        endpoint.dbId,
        eventId,
        (n) => n.lastError === 'CONNECTION_REFUSED',
        'a refused connection',
      );
      await t.db.prisma.webhookEndpoint.update({ where: { id: endpoint.dbId }, data: { active: false } });
      await receiver.up(503);
      const [delivery] = await t.db.prisma.webhookDelivery.findMany({ where: { endpointId: endpoint.dbId } });
      expect(delivery).toMatchObject({ lastError: 'CONNECTION_REFUSED', lastStatusCode: null });

      // What the receiver said is nowhere: not in the table, not in the API, not in a log line.
      const answer = 'Service en maintenance';
      expect(receiver.requests.items.length).toBeGreaterThanOrEqual(2);
      const rows = await t.db.pool.query<{ row: string }>(
        `select row_to_json(d)::text as row from "WebhookDelivery" d`,
      );
      for (const { row } of rows.rows) expect(row).not.toContain(answer);
      const failures = lines.filter((l) => l.includes('webhook delivery failed'));
      expect(failures.length).toBeGreaterThanOrEqual(3);
      expect(failures.map((l) => (JSON.parse(l) as { error: string }).error)).toEqual(
        expect.arrayContaining(['HTTP_5XX', 'CONNECTION_REFUSED']),
      );
      expect(failures.some((l) => (JSON.parse(l) as { statusCode: number }).statusCode === 503)).toBe(true);
      for (const line of lines) expect(line).not.toContain(answer);

      // Redelivered, answered 503 again: the API shows the class and the code.
      await t.db.prisma.webhookEndpoint.update({ where: { id: endpoint.dbId }, data: { active: true } });
      const log = await t.client(alice).request(WebhookDeliveriesDocument, { id: endpoint.id });
      const id = log.node?.__typename === 'WebhookEndpoint' ? log.node.deliveries.edges[0]!.node.id : '';
      const mark = attempts.feed.items.length;
      await t.client(alice).request(RedeliverWebhookDeliveryDocument, { input: { id } });
      worker.wake();
      const redelivered = (n: AttemptNotice) => n.attempts === 1 && n.lastError === 'HTTP_5XX';
      await recorded(endpoint.dbId, eventId, redelivered, 'a 503 after the redelivery', mark);
      const after = await t.client(alice).request(WebhookDeliveriesDocument, { id: endpoint.id });
      expect(after.node).toMatchObject({
        deliveries: { edges: [{ node: { lastError: 'HTTP_5XX', lastStatusCode: 503 } }] },
      });
      expect(JSON.stringify(after)).not.toContain(answer);
    } finally {
      await worker.stop();
      await receiver.close();
    }
  });
});

describe('in production', () => {
  let prod: TestHub;
  beforeAll(async () => {
    prod = await startTestHub({ ...ENV, NODE_ENV: 'production', SECRETS_KEY: generateSecretsKey() });
  });
  afterAll(() => prod.close());

  it('takes https only, and cannot be told to allow loopback', async () => {
    const ps = await seedScenario(prod.db.prisma, prod.config);
    const token = await ps.token('alice');
    const input = (url: string) => ({
      organisationId: ps.org.alpha.globalId,
      url,
      eventTypes: ['OFFER_CHANGED' as const],
    });
    for (const url of ['http://93.184.215.14/hook', 'http://localhost:8080/hook']) {
      const res = await prod.client(token).request(CreateWebhookDocument, { input: input(url) });
      expect([url, res.createWebhook]).toEqual([
        url,
        expect.objectContaining({
          fields: [
            { path: ['input', 'url'], message: 'must use https', reason: 'INSECURE_URL', limit: null },
          ],
        }),
      ]);
    }
    const ok = await prod.client(token).request(CreateWebhookDocument, { input: input(PUBLIC) });
    expect(ok.createWebhook.__typename).toBe('MutationCreateWebhookSuccess');
    const env = { NODE_ENV: 'production', SECRETS_KEY: generateSecretsKey() };
    expect(() => loadConfig({ ...env, WEBHOOK_ALLOW_LOOPBACK: 'true' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...env, WEBHOOK_ALLOW_LOOPBACK: 'true' })).toThrow(
      /WEBHOOK_ALLOW_LOOPBACK: not allowed in production/,
    );
  });
});
