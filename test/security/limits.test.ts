/**
 * Limits (issue 9), over real HTTP and WebSocket: request rates per address (anonymous), per user
 * and per API key; failed authentications per address; WebSocket connections per user and
 * subscriptions per connection. Each refusal is typed: HTTP 429 with Retry-After and the code
 * RATE_LIMITED, close code 4429, or a RATE_LIMITED error on the subscription.
 *
 * The hubs trust one proxy hop, so that each test speaks from its own address (X-Forwarded-For)
 * and counts its own requests.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { CreateApiClientDocument } from '../../clients/generated/graphql.ts';
import { seedScenario, type Scenario } from '../helpers/fixtures.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';

type Json = {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
};

const clients: Client[] = [];
afterAll(async () => {
  await Promise.all(clients.map(async (c) => c.dispose()));
});

async function post(t: TestHub, from: string, token?: string, query = '{ viewer { id } }') {
  const res = await fetch(t.graphqlUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json',
      'x-forwarded-for': from,
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query }),
  });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), json: (await res.json()) as Json };
}

/** A WebSocket client speaking from `from`; resolves once acknowledged, or with the close code. */
function connect(
  t: TestHub,
  from: string,
  token?: string,
): Promise<{ client: Client; outcome: 'connected' | number }> {
  class FromAddress extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers: { 'x-forwarded-for': from } });
    }
  }
  return new Promise((resolve) => {
    const client: Client = createClient({
      url: t.graphqlUrl.replace('http', 'ws'),
      webSocketImpl: FromAddress,
      connectionParams: token ? { authorization: `Bearer ${token}` } : {},
      retryAttempts: 0,
      lazy: false,
      onNonLazyError: () => {},
      on: {
        connected: () => resolve({ client, outcome: 'connected' }),
        closed: (event) => resolve({ client, outcome: (event as { code: number }).code }),
      },
    });
    clients.push(client);
  });
}

/** The first answer to one operation over WebSocket (a result or the errors). */
function first(client: Client, query: string): Promise<Json> {
  return new Promise((resolve) => {
    client.subscribe(
      { query },
      {
        next: (value) => resolve(value as Json),
        error: (errors) => resolve({ errors: errors as Json['errors'] }),
        complete: () => {},
      },
    );
  });
}

function expect429(res: Awaited<ReturnType<typeof post>>, message: RegExp) {
  expect(res.status).toBe(429);
  expect(Number(res.retryAfter)).toBeGreaterThanOrEqual(1);
  expect(res.json.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
  expect(res.json.errors?.[0]?.message).toMatch(message);
}

describe('request rates and failed authentications over HTTP', () => {
  let t: TestHub;
  let s: Scenario;
  let apiKey: string;

  beforeAll(async () => {
    t = await startTestHub({
      TRUSTED_PROXY_HOPS: '1',
      RATE_LIMIT_ADDRESS_PER_MINUTE: '3',
      RATE_LIMIT_USER_PER_MINUTE: '3',
      RATE_LIMIT_API_KEY_PER_MINUTE: '4',
      AUTH_FAILURES_PER_ADDRESS: '3',
    });
    s = await seedScenario(t.db.prisma, t.config);
    const created = await t.client(await s.token('alice')).request(CreateApiClientDocument, {
      input: { organisationId: s.org.alpha.globalId, name: 'Alpha CRM', scopes: ['REFERRALS_READ'] },
    });
    if (created.createApiClient.__typename !== 'MutationCreateApiClientSuccess') throw new Error('setup');
    apiKey = created.createApiClient.data.key;
  });
  afterAll(() => t.close());

  it('anonymous requests are counted per address, GraphQL and the rest alike', async () => {
    const from = '198.51.100.1';
    expect((await post(t, from)).status).toBe(200);
    expect((await post(t, from)).status).toBe(200);
    const hsds = await fetch(t.graphqlUrl.replace('/graphql', '/hsds/services'), {
      headers: { 'x-forwarded-for': from },
    });
    expect(hsds.status).toBe(200);
    expect429(await post(t, from), /Too many requests from this address/);
    const refusedPage = await fetch(t.graphqlUrl.replace('/graphql', '/hsds/services'), {
      headers: { 'x-forwarded-for': from },
    });
    expect(refusedPage.status).toBe(429);
    expect(refusedPage.headers.get('retry-after')).toMatch(/^\d+$/);
    // Another address, and health checks, are not affected.
    expect((await post(t, '198.51.100.2')).status).toBe(200);
    expect(
      (await fetch(t.graphqlUrl.replace('/graphql', '/healthz'), { headers: { 'x-forwarded-for': from } }))
        .status,
    ).toBe(200);
  });

  it('a signed-in user is counted per user, from whatever address', async () => {
    const bob = await s.token('bob');
    expect((await post(t, '198.51.100.10', bob)).status).toBe(200);
    expect((await post(t, '198.51.100.11', bob)).status).toBe(200);
    expect((await post(t, '198.51.100.12', bob)).status).toBe(200);
    expect429(await post(t, '198.51.100.13', bob), /Too many requests from this user/);
    // The address that was refused for bob still serves another user.
    expect((await post(t, '198.51.100.13', await s.token('hugo'))).status).toBe(200);
  });

  it('an API key is counted per key', async () => {
    for (let i = 0; i < 4; i++) expect((await post(t, `198.51.100.2${i}`, apiKey)).status).toBe(200);
    expect429(await post(t, '198.51.100.29', apiKey), /Too many requests from this API key/);
  });

  it('failed authentications are throttled per address: then even a valid token waits', async () => {
    const from = '198.51.100.30';
    for (let i = 0; i < 3; i++) expect((await post(t, from, 'not-a-token')).status).toBe(401);
    const carol = await s.token('carol');
    expect429(await post(t, from, carol), /Too many failed authentications/);
    // Anonymous requests from there, and the same token from elsewhere, still work.
    expect((await post(t, from)).status).toBe(200);
    expect((await post(t, '198.51.100.31', carol)).status).toBe(200);
  });

  it('over WebSocket: failed authentications count, a blocked address is closed with 4429', async () => {
    const from = '198.51.100.40';
    for (let i = 0; i < 3; i++) expect((await connect(t, from, 'not-a-token')).outcome).toBe(4403);
    expect((await connect(t, from, await s.token('hugo'))).outcome).toBe(4429);
  });

  it('over WebSocket: operations count against the user, refused with RATE_LIMITED', async () => {
    const carol = await s.token('carol');
    const from = '198.51.100.50';
    // carol made one request above (from .31): the connection is her second, one operation her third.
    const { client, outcome } = await connect(t, from, carol);
    expect(outcome).toBe('connected');
    expect(await first(client, '{ viewer { id } }')).toEqual({
      data: { viewer: { id: s.user.carol.globalId } },
    });
    const refused = await first(client, '{ viewer { id } }');
    expect(refused.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect(refused.errors?.[0]?.extensions?.retryAfter).toEqual(expect.any(Number));
  });
});

describe('WebSocket connections per user and subscriptions per connection', () => {
  let t: TestHub;
  let s: Scenario;

  beforeAll(async () => {
    t = await startTestHub({
      TRUSTED_PROXY_HOPS: '1',
      WS_CONNECTIONS_PER_USER: '2',
      WS_SUBSCRIPTIONS_PER_CONNECTION: '2',
    });
    s = await seedScenario(t.db.prisma, t.config);
  });
  afterAll(() => t.close());

  it('a user opens at most WS_CONNECTIONS_PER_USER connections (4429 beyond), from any address', async () => {
    const bob = await s.token('bob');
    const a = await connect(t, '203.0.113.1', bob);
    const b = await connect(t, '203.0.113.2', bob);
    expect([a.outcome, b.outcome]).toEqual(['connected', 'connected']);
    expect((await connect(t, '203.0.113.3', bob)).outcome).toBe(4429);
    // Others are not affected.
    expect((await connect(t, '203.0.113.3', await s.token('carol'))).outcome).toBe('connected');
    // Once one closes, bob may open another.
    await a.client.dispose();
    let again: 'connected' | number = 4429;
    for (let attempt = 0; attempt < 50 && again === 4429; attempt++) {
      again = (await connect(t, '203.0.113.4', bob)).outcome;
    }
    expect(again).toBe('connected');
  });

  it('a closed connection gives its place back at once, even with an idle subscription', async () => {
    const alice = await s.token('alice');
    const a = await connect(t, '203.0.113.40', alice);
    const b = await connect(t, '203.0.113.41', alice);
    expect([a.outcome, b.outcome]).toEqual(['connected', 'connected']);
    // A subscription that hears nothing; the query after it is answered once it runs.
    a.client.subscribe(
      { query: 'subscription { offerCapacityChanged { cursor } }' },
      { next: () => {}, error: () => {}, complete: () => {} },
    );
    expect(await first(a.client, '{ viewer { id } }')).toMatchObject({ data: { viewer: {} } });
    await a.client.dispose();
    let again: 'connected' | number = 4429;
    for (let attempt = 0; attempt < 50 && again === 4429; attempt++) {
      again = (await connect(t, '203.0.113.42', alice)).outcome;
    }
    expect(again).toBe('connected');
  });

  it('anonymous connections are counted per address', async () => {
    expect((await connect(t, '203.0.113.20')).outcome).toBe('connected');
    expect((await connect(t, '203.0.113.20')).outcome).toBe('connected');
    expect((await connect(t, '203.0.113.20')).outcome).toBe(4429);
    expect((await connect(t, '203.0.113.21')).outcome).toBe('connected');
  });

  it('a connection runs at most WS_SUBSCRIPTIONS_PER_CONNECTION subscriptions; completing one frees a place', async () => {
    const { client, outcome } = await connect(t, '203.0.113.30');
    expect(outcome).toBe('connected');
    const live = 'subscription { offerCapacityChanged { cursor } }';
    const stops = [0, 1].map(() =>
      client.subscribe({ query: live }, { next: () => {}, error: () => {}, complete: () => {} }),
    );
    const refused = await first(client, live);
    expect(refused.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect(refused.errors?.[0]?.message).toMatch(/Too many subscriptions on this connection: at most 2/);
    // The client's `complete` reaches the hub before its next `subscribe` (one socket, in order).
    stops[0]!();
    expect(await first(client, '{ viewer { id } }')).toEqual({ data: { viewer: null } });
  });
});
