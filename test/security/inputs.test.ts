/**
 * Hostile input over real HTTP and WebSocket (issue 9): over-long texts and search texts, NUL
 * bytes, malformed cursors, global IDs of unknown or internal types, schema suggestions, and
 * statements that would hold the database. Each gets a typed answer, changes nothing, and is
 * logged at most at info.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { createClient, type Client } from 'graphql-ws';
import pg from 'pg';
import WebSocket from 'ws';
import { SEARCH_MAX_LENGTH, SEARCH_MAX_WORDS } from '../../src/shared/input-limits.ts';
import { seedScenario, type Scenario } from '../helpers/fixtures.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';

const STATEMENT_TIMEOUT_MS = 400;

let t: TestHub;
let s: Scenario;
const clients: Client[] = [];

beforeAll(async () => {
  t = await startTestHub(
    { DATABASE_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS) },
    { captureLogs: true },
  );
  s = await seedScenario(t.db.prisma, t.config);
});
afterAll(async () => {
  await Promise.all(clients.map(async (c) => c.dispose()));
  await t.close();
});

type Json = {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
};

async function post(query: string, variables?: Record<string, unknown>, token?: string) {
  const res = await fetch(t.graphqlUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const text = await res.text();
  return { status: res.status, json: JSON.parse(text) as Json, text, headers: res.headers };
}

/** Runs `fn` and returns what the hub logged meanwhile above info (warn, error, fatal). */
async function loudLogs<T>(fn: () => Promise<T>): Promise<{ result: T; loud: unknown[] }> {
  const from = t.logs.length;
  const result = await fn();
  // The request's own "request" line is written when the response closes: wait for it.
  await new Promise((resolve) => setImmediate(resolve));
  return { result, loud: t.logs.slice(from).filter((l) => l.level > 30) };
}

function ws(token?: string): Client {
  const client = createClient({
    url: t.graphqlUrl.replace('http', 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
    lazy: false,
    onNonLazyError: () => {},
  });
  clients.push(client);
  return client;
}

/** The first thing the hub answers to one operation over WebSocket: a result or errors. */
function once(client: Client, query: string, variables?: Record<string, unknown>): Promise<Json> {
  return new Promise((resolve) => {
    const stop = client.subscribe(
      { query, variables },
      {
        next: (value) => {
          stop();
          resolve(value as Json);
        },
        error: (errors) => resolve({ errors: errors as Json['errors'] }),
        complete: () => {},
      },
    );
  });
}

const words = (n: number) => Array.from({ length: n }, (_, i) => `mot${i}`).join(' ');
const SEARCH = 'query ($text: String) { offers(filter: { text: $text }) { totalCount } }';

describe('text inputs are bounded: 400, a typed code, nothing done', () => {
  it('a search text of 10,000 words (the finding) is refused before the database sees it', async () => {
    const { result, loud } = await loudLogs(() => post(SEARCH, { text: words(10_000) }));
    expect(result.status).toBe(400);
    expect(result.json.errors?.[0]?.extensions?.code).toBe('INPUT_TOO_LONG');
    expect(result.json.errors?.[0]?.message).toMatch(/OfferFilter\.text|filter\.text/);
    expect(result.json.data).toBeUndefined();
    expect(loud).toEqual([]);
  });

  it('a search text of many short words (under the length bound) is refused by its word count', async () => {
    const text = Array.from({ length: SEARCH_MAX_WORDS + 1 }, () => 'a').join(' ');
    expect(text.length).toBeLessThanOrEqual(SEARCH_MAX_LENGTH);
    const res = await post(SEARCH, { text });
    expect(res.status).toBe(400);
    expect(res.json.errors?.[0]?.extensions?.code).toBe('INPUT_TOO_LONG');
    expect(res.json.errors?.[0]?.message).toMatch(new RegExp(`${SEARCH_MAX_WORDS} words`));
  });

  it('the bound holds for a literal in the document and for a whole input object variable', async () => {
    const literal = await post(
      `{ offers(filter: { text: "${'x'.repeat(SEARCH_MAX_LENGTH + 1)}" }) { totalCount } }`,
    );
    expect(literal.status).toBe(400);
    expect(literal.json.errors?.[0]?.extensions?.code).toBe('INPUT_TOO_LONG');
    const object = await post('query ($f: OfferFilter) { offers(filter: $f) { totalCount } }', {
      f: { text: 'x'.repeat(SEARCH_MAX_LENGTH + 1) },
    });
    expect(object.status).toBe(400);
    expect(object.json.errors?.[0]?.extensions?.code).toBe('INPUT_TOO_LONG');
  });

  it('a search text within the bounds is answered', async () => {
    const res = await post(SEARCH, { text: words(SEARCH_MAX_WORDS) });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ data: { offers: { totalCount: 0 } } });
  });

  it('every other text argument has a length bound too (query argument, list item)', async () => {
    const slug = await post('query ($slug: String!) { organisation(slug: $slug) { id } }', {
      slug: 'x'.repeat(20_000),
    });
    expect(slug.status).toBe(400);
    expect(slug.json.errors?.[0]?.extensions?.code).toBe('INPUT_TOO_LONG');
    const item = await post('query ($c: [String!]) { offers(filter: { communes: $c }) { totalCount } }', {
      c: ['Luxembourg', 'x'.repeat(20_000)],
    });
    expect(item.status).toBe(400);
    expect(item.json.errors?.[0]?.extensions?.code).toBe('INPUT_TOO_LONG');
  });

  it('a mutation with an over-long text writes nothing', async () => {
    const before = await t.db.prisma.site.count();
    const res = await post(
      `mutation ($input: CreateSiteInput!) { createSite(input: $input) { __typename } }`,
      { input: { organisationId: s.org.alpha.globalId, name: 'x'.repeat(20_000), commune: 'Luxembourg' } },
      await s.token('alice'),
    );
    expect(res.status).toBe(400);
    expect(res.json.errors?.[0]?.extensions?.code).toBe('INPUT_TOO_LONG');
    expect(await t.db.prisma.site.count()).toBe(before);
  });

  it('the same bounds apply over WebSocket', async () => {
    const answer = await once(ws(), SEARCH, { text: words(10_000) });
    expect(answer.errors?.[0]?.extensions?.code).toBe('INPUT_TOO_LONG');
  });

  it('the HSDS search parameter has the same bounds', async () => {
    const base = t.graphqlUrl.replace('/graphql', '/hsds/services');
    const long = await fetch(`${base}?search=${encodeURIComponent('x'.repeat(SEARCH_MAX_LENGTH + 1))}`);
    expect(long.status).toBe(400);
    const many = await fetch(
      `${base}?search=${encodeURIComponent(Array.from({ length: SEARCH_MAX_WORDS + 1 }, () => 'a').join(' '))}`,
    );
    expect(many.status).toBe(400);
    expect(((await many.json()) as { error: string }).error).toMatch(/words/);
  });
});

describe('bad text, cursors and IDs are typed errors, logged at most at info', () => {
  it('a NUL byte in a text argument: BAD_USER_INPUT, no error log', async () => {
    const { result, loud } = await loudLogs(() =>
      post('query ($slug: String!) { organisation(slug: $slug) { id } }', { slug: 'alpha\u0000' }),
    );
    expect(result.status).toBe(400);
    expect(result.json.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.json.errors?.[0]?.message).toMatch(/NUL/);
    expect(loud).toEqual([]);
  });

  it('a NUL byte in a literal or an input field too', async () => {
    const res = await post('{ offers(filter: { text: "caf\\u0000e" }) { totalCount } }');
    expect(res.status).toBe(400);
    expect(res.json.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it.each([
    ['garbage', 'not-a-cursor'],
    ['base64 of nonsense', Buffer.from('OffsetConnection:abc').toString('base64')],
    ['base64 of a wrong prefix', Buffer.from('GPC:S:zzz').toString('base64')],
    ['a NUL byte', Buffer.from('\u0000').toString('base64')],
  ])('a malformed cursor (%s): BAD_USER_INPUT, no error log', async (_name, after) => {
    for (const query of [
      'query ($after: String) { organisations(first: 2, after: $after) { edges { cursor } } }',
      'query ($after: String) { offers(first: 2, after: $after) { edges { cursor } } }',
    ]) {
      const { result, loud } = await loudLogs(() => post(query, { after }));
      // An execution error (the field is null): 200, as GraphQL over HTTP asks.
      expect(result.json.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(result.json.errors?.[0]?.message).toMatch(/cursor|base64|not valid/i);
      expect(result.status).toBe(200);
      expect(loud).toEqual([]);
    }
  });

  it.each([
    ['an internal type (Consent)', () => encodeGlobalID('Consent', randomUUID())],
    ['an unknown type', () => encodeGlobalID('Nothing', randomUUID())],
    ['a known type and a malformed id', () => encodeGlobalID('Organisation', 'not-a-uuid')],
    ['no type at all', () => Buffer.from(randomUUID()).toString('base64')],
    ['not base64', () => '%%%'],
  ])('a global ID of %s answers exactly like an unknown id', async (_name, id) => {
    const unknown = encodeGlobalID('Organisation', randomUUID());
    const token = await s.token('bob');
    const { result, loud } = await loudLogs(async () => [
      await post('query ($id: ID!) { node(id: $id) { id } }', { id: id() }, token),
      await post('query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: [id()] }, token),
    ]);
    const [node, nodes] = result;
    expect(node!.status).toBe(200);
    expect(node!.json).toEqual(
      (await post('query ($id: ID!) { node(id: $id) { id } }', { id: unknown })).json,
    );
    expect(node!.json).toEqual({ data: { node: null } });
    expect(nodes!.json).toEqual({ data: { nodes: [null] } });
    expect(loud).toEqual([]);
  });

  it('an ID argument of a given type refuses another type as invalid input, whether it exists or not', async () => {
    const token = await s.token('bob');
    const query = 'query ($id: ID) { referral(id: $id) { id } }';
    const answer = async (id: string) => {
      const res = await post(query, { id }, token);
      return {
        status: res.status,
        data: res.json.data,
        codes: res.json.errors?.map((e) => e.extensions?.code),
      };
    };
    const { result, loud } = await loudLogs(async () => [
      await answer(encodeGlobalID('Consent', randomUUID())),
      await answer(s.org.alpha.globalId),
      await answer('%%%'),
    ]);
    for (const a of result)
      expect(a).toEqual({ status: 200, data: { referral: null }, codes: ['BAD_USER_INPUT'] });
    expect(loud).toEqual([]);
  });
});

describe('no schema suggestions on any transport', () => {
  it('WebSocket hides "Did you mean" like HTTP does', async () => {
    const answer = await once(ws(), '{ organisatons { totalCount } }');
    expect(answer.errors?.length).toBeGreaterThan(0);
    expect(JSON.stringify(answer)).not.toMatch(/Did you mean/);
  });

  it('variable values with a near-miss enum get no suggestion, over HTTP or WebSocket', async () => {
    const query = 'query ($lang: Language) { offers(lang: $lang) { totalCount } }';
    const http = await post(query, { lang: 'FRR' });
    expect(http.json.errors?.length).toBeGreaterThan(0);
    expect(http.text).not.toMatch(/Did you mean/);
    const answer = await once(ws(), query, { lang: 'FRR' });
    expect(answer.errors?.length).toBeGreaterThan(0);
    expect(JSON.stringify(answer)).not.toMatch(/Did you mean/);
  });
});

describe('a statement timeout: nothing holds the database for long', () => {
  it('a statement past DATABASE_STATEMENT_TIMEOUT_MS is cancelled and answered "try again later"', async () => {
    // Another session holds the table: the hub's statement waits, then its timeout cancels it.
    const blocker = new pg.Client({ connectionString: t.database.url });
    await blocker.connect();
    try {
      await blocker.query('begin');
      await blocker.query('lock table "Organisation" in access exclusive mode');
      const started = performance.now();
      const { result, loud } = await loudLogs(() => post('{ organisations(first: 1) { totalCount } }'));
      const ms = performance.now() - started;
      expect(ms).toBeGreaterThanOrEqual(STATEMENT_TIMEOUT_MS - 50);
      expect(ms).toBeLessThan(STATEMENT_TIMEOUT_MS + 5_000);
      expect(result.status).toBe(503);
      expect(result.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(result.json.errors?.[0]?.extensions?.code).toBe('DATABASE_TIMEOUT');
      expect(result.json.errors?.[0]?.message).toMatch(/took too long/);
      expect(loud.filter((l) => (l as { level: number }).level >= 50)).toEqual([]);
      // The client gets the request's id, and the warning is logged with it.
      const requestId = result.headers.get('x-request-id');
      expect(requestId).toMatch(/\S/);
      expect(result.json.errors?.[0]?.extensions?.requestId).toBe(requestId);
      expect(loud).toContainEqual(
        expect.objectContaining({ level: 40, requestId, msg: 'statement timeout' }),
      );
    } finally {
      await blocker.query('rollback');
      await blocker.end();
    }
    // The hub is fine afterwards.
    expect((await post('{ organisations(first: 1) { totalCount } }')).status).toBe(200);
  });
});
