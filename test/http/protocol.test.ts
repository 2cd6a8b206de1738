/**
 * GraphQL over HTTP and WebSocket as a client meets it: the spec audit, bad input, limits,
 * hardening defaults, GraphiQL, health checks.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { auditServer } from 'graphql-http';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { seedScenario, type Scenario } from '../helpers/fixtures.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';

let t: TestHub;
let s: Scenario;

beforeAll(async () => {
  t = await startTestHub();
  s = await seedScenario(t.db.prisma, t.config);
});
afterAll(() => t.close());

const MODERN = 'application/graphql-response+json';

async function post(body: string, headers: Record<string, string> = {}) {
  const res = await fetch(t.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: MODERN, ...headers },
    body,
  });
  const text = await res.text();
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    json: JSON.parse(text) as Json,
    text,
  };
}
type Json = {
  data?: unknown;
  errors?: { message: string; extensions?: { code?: string; requestId?: string } }[];
};

async function organisationCount() {
  return t.db.prisma.organisation.count();
}

describe('GraphQL-over-HTTP conformance', () => {
  it('passes every MUST and SHOULD of the graphql-http audit', async () => {
    const results = await auditServer({ url: t.graphqlUrl });
    const failures = results.filter((r) => r.status === 'error' || r.status === 'warn');
    expect(failures.map((f) => `${f.id} ${f.name}: ${'reason' in f ? f.reason : ''}`)).toEqual([]);
  });
});

describe('bad input: a clear 4xx JSON answer, nothing written', () => {
  it.each([
    ['malformed JSON', () => post('{"query": "{ viewer { id } "'), 400, /not valid JSON/],
    [
      'wrong content type',
      () => post('query=x', { 'content-type': 'application/x-www-form-urlencoded' }),
      415,
      /Content-Type must be application\/json/,
    ],
    ['missing query', () => post('{"variables": {}}'), 400, /query/],
    [
      'a JSON array (batching is off)',
      () => post('[{"query":"{ viewer { id } }"}]'),
      400,
      /Batched requests are not supported/,
    ],
    ['a non-object body', () => post('"{ viewer { id } }"'), 400, /JSON object/],
    [
      'unknown operation name',
      () => post(JSON.stringify({ query: 'query A { viewer { id } }', operationName: 'B' })),
      400,
      /Unknown operation named "B"/,
    ],
    [
      'wrong variable type',
      () =>
        post(
          JSON.stringify({
            query: 'query ($slug: String!) { organisation(slug: $slug) { id } }',
            variables: { slug: 42 },
          }),
        ),
      400,
      /String cannot represent a non string value/,
    ],
    ['syntax error', () => post(JSON.stringify({ query: '{ viewer { ' })), 400, /Syntax Error/],
  ])('%s', async (_name, call, status, message) => {
    const before = await organisationCount();
    const res = await call();
    expect(res.status).toBe(status);
    expect(res.type).toMatch(/json/);
    expect(res.json.errors?.[0]?.message).toMatch(message);
    expect(await organisationCount()).toBe(before);
  });

  it('field suggestions are hidden (no schema probing through "Did you mean")', async () => {
    const res = await post(JSON.stringify({ query: '{ organisatons { totalCount } }' }));
    expect(res.status).toBe(400);
    expect(res.text).not.toMatch(/Did you mean/);
  });

  it('a legacy application/json client gets GraphQL errors with 200, as the spec asks', async () => {
    const res = await post(JSON.stringify({ query: '{ nope }' }), { accept: 'application/json' });
    expect(res.status).toBe(200);
    expect(res.json.errors?.length).toBe(1);
  });

  it('a GET without CSRF preflight headers is refused', async () => {
    const res = await fetch(`${t.graphqlUrl}?query=${encodeURIComponent('{ viewer { id } }')}`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as Json).errors?.[0]?.message).toMatch(/CSRF/);
  });
});

describe('limits answer 400 with a clear message', () => {
  const nested = (depth: number) => {
    let q = 'slug';
    for (let i = 0; i < depth; i++) q = `parent { ${q} }`;
    return `{ organisation(slug: "alpha") { ${q} } }`;
  };
  it.each([
    ['depth', () => nested(20), /depth limit of 12 exceeded/],
    [
      'aliases',
      () => `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: viewer { id }`).join(' ')} }`,
      /Aliases limit of 30 exceeded/,
    ],
    [
      'cost',
      () =>
        `{ ${Array.from({ length: 25 }, (_, i) => `o${i}: organisations(first: 100) { edges { node { parent { parent { parent { children { slug name kind } } } } } } }`).join(' ')} }`,
      /Query Cost limit of 20000 exceeded/,
    ],
    ['tokens', () => `{ viewer { ${'id '.repeat(4000)} } }`, /The query has more than 3000 tokens/],
  ])('%s', async (_name, query, message) => {
    for (const accept of [MODERN, 'application/json']) {
      const res = await post(JSON.stringify({ query: query() }), { accept });
      expect(res.status).toBe(400);
      expect(res.json.errors?.[0]?.message).toMatch(message);
      expect(res.json.errors?.[0]?.extensions?.code).toBe('QUERY_LIMIT_EXCEEDED');
    }
  });

  it('request body over the limit: 413', async () => {
    const res = await post(JSON.stringify({ query: `{ viewer { id } } #${'x'.repeat(200 * 1024)}` }));
    expect(res.status).toBe(413);
    expect(res.json.errors?.[0]?.message).toMatch(/larger than 102400 bytes/);
  });
});

describe('GraphiQL, health and discovery', () => {
  it('GraphiQL is served from this server only, with no external URL', async () => {
    const res = await fetch(t.graphqlUrl, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('GraphiQL');
    // `data:` URLs (the empty favicon) need no network.
    const urls = [...html.matchAll(/(?:src|href)="([^"]+)"/g)]
      .map((m) => m[1]!)
      .filter((url) => !url.startsWith('data:'));
    expect(urls.length).toBeGreaterThan(3);
    for (const url of urls) {
      expect(url.startsWith('/')).toBe(true);
      expect((await fetch(new URL(url, t.graphqlUrl))).status).toBe(200);
    }
    expect(html).not.toMatch(/https?:\/\//);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
  });

  it('/healthz and /readyz answer', async () => {
    const base = t.graphqlUrl.replace('/graphql', '');
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
  });

  it('/favicon.ico answers 204 (no icon, and no 404 in the browser of a guide or event page)', async () => {
    const icon = await fetch(`${t.graphqlUrl.replace('/graphql', '')}/favicon.ico`);
    expect(icon.status).toBe(204);
    expect(icon.headers.get('cache-control')).toBe('public, max-age=86400');
  });

  it('every response carries a request id; a sane client id is kept', async () => {
    const res = await fetch(t.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'partner-42' },
      body: JSON.stringify({ query: '{ viewer { id } }' }),
    });
    expect(res.headers.get('x-request-id')).toBe('partner-42');
  });
});

describe('production defaults', () => {
  let prod: TestHub;
  beforeAll(async () => {
    prod = await startTestHub({
      NODE_ENV: 'production',
      // Production refuses to start without a secrets key, or with loopback webhooks allowed.
      SECRETS_KEY: randomBytes(32).toString('base64'),
      WEBHOOK_ALLOW_LOOPBACK: 'false',
    });
  });
  afterAll(() => prod.close());

  it('introspection and GraphiQL are off', async () => {
    const res = await fetch(prod.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: MODERN },
      body: JSON.stringify({ query: '{ __schema { types { name } } }' }),
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toMatch(/introspection/i);
    const page = await fetch(prod.graphqlUrl, { headers: { accept: 'text/html' } });
    expect(page.headers.get('content-type')).not.toMatch(/html/);
  });
});

describe('graphql-ws on the same path', () => {
  const clients: Client[] = [];
  afterAll(async () => {
    await Promise.all(clients.map(async (c) => c.dispose()));
  });
  const connect = (connectionParams: Record<string, unknown>) => {
    const client = createClient({
      url: t.graphqlUrl.replace('http', 'ws'),
      webSocketImpl: WebSocket,
      connectionParams,
      retryAttempts: 0,
      lazy: false,
    });
    clients.push(client);
    return client;
  };

  it('runs operations as the viewer named in connection_init', async () => {
    const client = connect({ authorization: `Bearer ${await s.token('bob')}` });
    const result = await new Promise((resolve, reject) => {
      client.subscribe(
        { query: '{ viewer { email } }' },
        { next: resolve, error: reject, complete: () => {} },
      );
    });
    expect(result).toEqual({ data: { viewer: { email: 'bob@beta.example' } } });
  });

  it('a bad token closes the connection with 4403 Forbidden', async () => {
    const closed = await new Promise<{ code: number }>((resolve) => {
      const client = createClient({
        url: t.graphqlUrl.replace('http', 'ws'),
        webSocketImpl: WebSocket,
        connectionParams: { authorization: 'Bearer nonsense' },
        retryAttempts: 0,
        lazy: false,
        on: { closed: (event) => resolve(event as { code: number }) },
        onNonLazyError: () => {},
      });
      clients.push(client);
    });
    expect(closed.code).toBe(4403);
  });

  it('applies the same limits over WebSocket', async () => {
    const client = connect({});
    const errors = await new Promise<unknown>((resolve) => {
      client.subscribe(
        { query: `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: viewer { id }`).join(' ')} }` },
        { next: () => {}, error: resolve, complete: () => {} },
      );
    });
    expect(JSON.stringify(errors)).toMatch(/Aliases limit of 30 exceeded/);
  });
});
