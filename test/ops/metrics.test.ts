/**
 * /metrics against a real hub on PostgreSQL: each figure moves with what the hub does — GraphQL
 * requests by operation and outcome, errors by code, other routes, the database pool (connections
 * held by the test), the outbox lag (a change committed while the hub cannot read), live
 * subscriptions over graphql-ws, webhook attempts, failures and backlog (receivers on node:http)
 * — and who may read it (METRICS_TOKEN, METRICS_PORT). The text is parsed here, not by the
 * library under test. Waits are for conditions, never for a fixed time.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { decodeGlobalID } from '@pothos/plugin-relay';
import pg from 'pg';
import {
  CreateWebhookDocument,
  OfferCapacityChangedDocument,
  type WebhookEventType,
} from '../../clients/generated/graphql.ts';
import { updateOfferCapacity } from '../../src/modules/catalogue/offer.service.ts';
import { metricsOnPublicPort } from '../../src/http/metrics.ts';
import { startHub, type Hub } from '../../src/server.ts';
import type { Config } from '../../src/shared/config.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { seedAlphaCatalogue, seedThemes } from '../helpers/catalogue-fixtures.ts';
import { seedScenario, type Scenario } from '../helpers/fixtures.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';
import { raw } from '../helpers/realtime.ts';
import { listenAttempts, Receiver, type AttemptNotice, type Feed } from '../webhooks/helpers.ts';

const VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
const TOKEN = 'metrics-token-0123456789abcdef';
const WAIT_LIMIT_MS = 30_000;

let t: TestHub;
let s: Scenario;
let shelterId: string;
let aliceToken: string;
let attempts: { feed: Feed<AttemptNotice>; close(): Promise<void> };
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  // Fast webhook retries; no outbox poll (NOTIFY wakes the hub), so that the pool stays quiet.
  t = await startTestHub({
    WEBHOOK_RETRY_BASE_MS: '50',
    WEBHOOK_TIMEOUT_MS: '3000',
    OUTBOX_POLL_MS: '60000',
  });
  s = await seedScenario(t.db.prisma, t.config);
  await seedThemes(t.db.prisma);
  shelterId = (await seedAlphaCatalogue(t.db.prisma, s)).offers.shelter.id;
  aliceToken = await s.token('alice');
  attempts = await listenAttempts(t.database.url);
});

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await attempts.close();
  await t.close();
});

// --- the text format, parsed here --------------------------------------------------------------

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

class Scrape {
  constructor(
    readonly text: string,
    readonly samples: Sample[],
  ) {}

  /** The sum of the samples of `name` whose labels include `labels` (0 when there is none). */
  value(name: string, labels: Record<string, string> = {}): number {
    return this.matching(name, labels).reduce((sum, s) => sum + s.value, 0);
  }

  matching(name: string, labels: Record<string, string> = {}): Sample[] {
    return this.samples.filter(
      (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
    );
  }
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)",?/g;

function parse(text: string): Scrape {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
    const m = LINE.exec(line);
    if (!m) throw new Error(`Not Prometheus text: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, raw] of (m[2] ?? '').matchAll(LABEL)) {
      labels[key!] = raw!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    }
    const value = m[3] === '+Inf' ? Infinity : m[3] === '-Inf' ? -Infinity : Number(m[3]);
    samples.push({ name: m[1]!, labels, value });
  }
  return new Scrape(text, samples);
}

async function scrape(base = t.hub.url, headers: Record<string, string> = {}): Promise<Scrape> {
  const res = await fetch(`${base}/metrics`, { headers });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  return parse(await res.text());
}

/** A GraphQL request over HTTP, as any client sends it. */
async function graphql(query: string, variables: unknown = {}, headers: Record<string, string> = {}) {
  const res = await fetch(t.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return {
    status: res.status,
    body: (await res.json()) as { errors?: { extensions?: { code?: string } }[] },
  };
}

/** Resolves once `test` holds; fails after WAIT_LIMIT_MS with `what`. */
async function until(test: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const end = Date.now() + WAIT_LIMIT_MS;
  while (!(await test())) {
    if (Date.now() > end) throw new Error(`Waited ${WAIT_LIMIT_MS} ms for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Another hub on the same database, with other settings (no webhook worker of its own). */
async function otherHub(settings: Partial<Config>): Promise<Hub> {
  const config: Config = { ...t.config, WEBHOOK_WORKER: false, ...settings };
  const hub = await startHub({ config, db: t.db, logger: createLogger('silent') });
  // Stopped by the test or at the end, once.
  const stop = hub.stop.bind(hub);
  let stopped: Promise<void> | undefined;
  hub.stop = () => (stopped ??= stop());
  cleanups.push(() => hub.stop());
  return hub;
}

// --- the figures -------------------------------------------------------------------------------

describe('metrics', () => {
  it('are Prometheus text with the hub version and the process metrics', async () => {
    const m = await scrape();
    expect(m.matching('maillage_info')).toEqual([
      { name: 'maillage_info', labels: { version: VERSION, node_version: process.version }, value: 1 },
    ]);
    for (const name of [
      'process_cpu_user_seconds_total',
      'nodejs_heap_size_used_bytes',
      'nodejs_eventloop_lag_seconds',
    ]) {
      expect(m.matching(name).length).toBeGreaterThan(0);
    }
    // Every family is documented, and named maillage_ unless it is Node's standard one.
    const families = [...m.text.matchAll(/^# TYPE (\S+) /gm)].map(([, name]) => name!);
    expect(families.filter((n) => !/^(maillage|process|nodejs)_/.test(n))).toEqual([]);
    for (const name of [
      'maillage_graphql_requests_total',
      'maillage_graphql_request_duration_seconds',
      'maillage_graphql_errors_total',
      'maillage_http_requests_total',
      'maillage_db_pool_connections_in_use',
      'maillage_db_pool_waiting',
      'maillage_outbox_lag_seconds',
      'maillage_websocket_operations',
      'maillage_webhook_deliveries_pending',
      'maillage_webhook_attempts_total',
      'maillage_webhook_failures_total',
      'maillage_cache_hits_total',
      'maillage_cache_misses_total',
    ]) {
      expect(families).toContain(name);
    }
    expect(m.value('maillage_db_pool_max')).toBe(5);
  });

  it('count GraphQL requests by operation and outcome, errors by code, and other routes by class', async () => {
    const before = await scrape();
    expect((await graphql('query MetricsOk { __typename }')).status).toBe(200);
    const badInput = await graphql('query MetricsBadInput($id: ID!) { node(id: $id) { id } }');
    expect(badInput.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const invalid = await graphql('query MetricsInvalid { noSuchField }');
    expect(invalid.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const unauthenticated = await graphql(
      'query MetricsAuth { __typename }',
      {},
      { authorization: 'Bearer nonsense' },
    );
    expect(unauthenticated.status).toBe(401);
    expect((await fetch(`${t.hub.url}/healthz`)).status).toBe(200);
    // (A POST: a GET would wait for the web console's build, which serves any page a browser asks for.)
    expect((await fetch(`${t.hub.url}/no/such/42`, { method: 'POST' })).status).toBe(404);
    const after = await scrape();

    const moved = (name: string, labels: Record<string, string>) =>
      after.value(name, labels) - before.value(name, labels);
    const requests = 'maillage_graphql_requests_total';
    expect(moved(requests, { operation: 'MetricsOk', outcome: 'ok' })).toBe(1);
    expect(
      moved('maillage_graphql_request_duration_seconds_count', { operation: 'MetricsOk', outcome: 'ok' }),
    ).toBe(1);
    expect(
      after.value('maillage_graphql_request_duration_seconds_sum', { operation: 'MetricsOk' }),
    ).toBeGreaterThan(0);
    expect(moved(requests, { operation: 'MetricsBadInput', outcome: 'BAD_USER_INPUT' })).toBe(1);
    // A document that does not validate, or a request refused before it runs: no name is trusted.
    expect(moved(requests, { operation: '(unknown)', outcome: 'GRAPHQL_VALIDATION_FAILED' })).toBe(1);
    expect(moved(requests, { operation: '(unknown)', outcome: 'UNAUTHENTICATED' })).toBe(1);
    expect(after.matching(requests, { operation: 'MetricsInvalid' })).toEqual([]);
    expect(after.matching(requests, { operation: 'MetricsAuth' })).toEqual([]);
    for (const code of ['BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED', 'UNAUTHENTICATED']) {
      expect(moved('maillage_graphql_errors_total', { code })).toBe(1);
    }
    expect(moved('maillage_http_requests_total', { route: 'graphql', status: '401' })).toBe(1);
    expect(moved('maillage_http_requests_total', { route: 'healthz', status: '200' })).toBe(1);
    expect(moved('maillage_http_requests_total', { route: 'other', status: '404' })).toBe(1);
    // The first scrape itself, counted once answered.
    expect(moved('maillage_http_requests_total', { route: 'metrics', status: '200' })).toBe(1);
    // Never a raw path as a label.
    expect(after.text).not.toContain('/no/such/42');
  });

  it('read the pool and the outbox lag at scrape time', async () => {
    await t.hub.outbox.flush();
    // The test holds every connection of the hub's pool (5): nothing of the hub reaches the database.
    const held = await Promise.all(Array.from({ length: 5 }, () => t.db.pool.connect()));
    let m: Scrape;
    try {
      // A change committed from outside: the hub hears of it (NOTIFY) but cannot read it yet.
      const outside = new pg.Client({ connectionString: t.database.url });
      await outside.connect();
      await outside.query(
        `update "Offer" set "capacityFree" = coalesce("capacityFree", 0) + 1 where id = $1`,
        [shelterId],
      );
      await outside.end();
      await until(() => t.db.pool.waitingCount >= 1, 'the hub waiting for a connection');
      const waiting = t.db.pool.waitingCount;
      const scraping = scrape();
      // The scrape's two reads (outbox, webhooks) queue behind the held connections.
      await until(() => t.db.pool.waitingCount >= waiting + 2, "the scrape's reads waiting for a connection");
      held.forEach((client) => client.release());
      held.length = 0;
      m = await scraping;
    } finally {
      held.forEach((client) => client.release());
    }
    expect(m.value('maillage_db_pool_connections')).toBe(5);
    expect(m.value('maillage_db_pool_connections_in_use')).toBe(5);
    expect(m.value('maillage_db_pool_connections_idle')).toBe(0);
    expect(m.value('maillage_db_pool_waiting')).toBeGreaterThanOrEqual(1);
    const written = m.value('maillage_outbox_written_sequence');
    expect(written - m.value('maillage_outbox_delivered_sequence')).toBe(1);
    expect(m.value('maillage_outbox_lag_seconds')).toBeGreaterThan(0);

    await t.hub.outbox.flush();
    const caughtUp = await scrape();
    expect(caughtUp.value('maillage_outbox_written_sequence')).toBe(written);
    expect(caughtUp.value('maillage_outbox_delivered_sequence')).toBe(written);
    expect(caughtUp.value('maillage_outbox_lag_seconds')).toBe(0);
    expect(caughtUp.value('maillage_db_pool_waiting')).toBe(0);
    expect(caughtUp.value('maillage_db_pool_connections_in_use')).toBeLessThan(5);
  });

  it('count live subscriptions and WebSocket connections', async () => {
    const before = await scrape();
    // From the outbox's current end: the change below reaches it whenever it subscribes.
    const { rows } = await t.db.pool.query<{ seq: string }>(
      'select coalesce(max(seq), 0)::text as seq from "OutboxEvent"',
    );
    const live = raw(t.graphqlUrl, aliceToken, OfferCapacityChangedDocument, { after: rows[0]!.seq });
    await updateOfferCapacity(t.db.prisma, s.viewer('alice'), shelterId, { free: 2 });
    await live.waitFor(1, WAIT_LIMIT_MS);
    const open = await scrape();
    expect(
      open.value('maillage_websocket_connections') - before.value('maillage_websocket_connections'),
    ).toBe(1);
    expect(open.value('maillage_websocket_operations') - before.value('maillage_websocket_operations')).toBe(
      1,
    );

    await live.client.dispose();
    await until(
      async () =>
        (await scrape()).value('maillage_websocket_connections') ===
        before.value('maillage_websocket_connections'),
      'the connection to be gone',
    );
    expect((await scrape()).value('maillage_websocket_operations')).toBe(
      before.value('maillage_websocket_operations'),
    );
  });

  it('count webhook attempts and failures by endpoint id, and the backlog', async () => {
    const ok = await Receiver.start(200);
    const failing = await Receiver.start(503);
    cleanups.push(
      () => ok.close(),
      () => failing.close(),
    );
    const a = await createWebhook(ok.url);
    const b = await createWebhook(failing.url);
    const before = await scrape();
    const recorded = (endpoint: string, status: AttemptNotice['status']) =>
      attempts.feed.waitFor(
        (items) => items.some((n) => n.endpointId === endpoint && n.status === status),
        `an attempt ${status} for ${endpoint}`,
      );

    await updateOfferCapacity(t.db.prisma, s.viewer('alice'), shelterId, { free: 7 });
    await Promise.all([recorded(a, 'DELIVERED'), recorded(b, 'PENDING')]);
    const m = await scrape();
    const moved = (name: string, labels: Record<string, string>) =>
      m.value(name, labels) - before.value(name, labels);
    expect(moved('maillage_webhook_attempts_total', { endpoint: a })).toBe(1);
    expect(m.value('maillage_webhook_failures_total', { endpoint: a })).toBe(0);
    expect(moved('maillage_webhook_attempts_total', { endpoint: b })).toBeGreaterThanOrEqual(1);
    expect(
      moved('maillage_webhook_failures_total', { endpoint: b, error: 'HTTP_5XX' }),
    ).toBeGreaterThanOrEqual(1);
    expect(m.value('maillage_webhook_deliveries_pending', { endpoint: a })).toBe(0);
    expect(m.value('maillage_webhook_deliveries_pending', { endpoint: b })).toBe(1);
    // Ids as labels, never the URL.
    expect(m.text).not.toContain(failing.url);

    failing.mode = 200;
    await recorded(b, 'DELIVERED');
    const delivered = await scrape();
    expect(delivered.matching('maillage_webhook_deliveries_pending', { endpoint: b })).toEqual([]);
    expect(delivered.value('maillage_webhook_failures_total', { endpoint: b })).toBe(
      delivered.value('maillage_webhook_attempts_total', { endpoint: b }) - 1,
    );
  });

  it('keep at most 200 operation names; later ones count as (other)', async () => {
    for (let i = 0; i < 210; i++) {
      expect((await graphql(`query Capped${i} { __typename }`)).status).toBe(200);
    }
    const m = await scrape();
    const names = new Set(
      m
        .matching('maillage_graphql_requests_total')
        .map((s) => s.labels.operation!)
        .filter((n) => !n.startsWith('(')),
    );
    expect(names.size).toBe(200);
    expect(names.has('Capped209')).toBe(false);
    expect(m.value('maillage_graphql_requests_total', { operation: '(other)' })).toBeGreaterThanOrEqual(10);
  });
});

describe('access to /metrics', () => {
  it('with METRICS_TOKEN: 401 without the bearer token or with another, 200 with it', async () => {
    const hub = await otherHub({ METRICS_TOKEN: TOKEN });
    const get = (authorization?: string) =>
      fetch(`${hub.url}/metrics`, { headers: authorization ? { authorization } : {} });
    const missing = await get();
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
    expect((await get(`Bearer ${TOKEN}x`)).status).toBe(401);
    expect((await get(`Bearer ${TOKEN.slice(1)}`)).status).toBe(401);
    expect((await get(TOKEN)).status).toBe(401);
    const m = await scrape(hub.url, { authorization: `Bearer ${TOKEN}` });
    expect(m.value('maillage_info')).toBe(1);
  });

  it('with METRICS_PORT: only on its own listener, which stops with the hub', async () => {
    const hub = await otherHub({ METRICS_PORT: 0, METRICS_HOST: '127.0.0.1' });
    expect(hub.metricsPort).toEqual(expect.any(Number));
    const own = `http://127.0.0.1:${hub.metricsPort}`;
    const publicAnswer = await fetch(`${hub.url}/metrics`, { headers: { accept: 'application/json' } });
    expect(publicAnswer.status).toBe(404);
    expect(await publicAnswer.text()).not.toContain('maillage_');
    expect((await scrape(own)).value('maillage_info')).toBe(1);
    expect((await fetch(`${own}/graphql`)).status).toBe(404);
    await hub.stop();
    await expect(fetch(`${own}/metrics`)).rejects.toThrow();
  });

  it('with neither: open in development and test, absent in production', () => {
    const rule = (settings: Partial<Config>) =>
      metricsOnPublicPort({
        NODE_ENV: 'production',
        METRICS_TOKEN: undefined,
        METRICS_PORT: undefined,
        ...settings,
      });
    expect(rule({})).toBe(false);
    expect(rule({ NODE_ENV: 'development' })).toBe(true);
    expect(rule({ NODE_ENV: 'test' })).toBe(true);
    expect(rule({ METRICS_TOKEN: TOKEN })).toBe(true);
    expect(rule({ METRICS_PORT: 9464 })).toBe(false);
    expect(rule({ NODE_ENV: 'development', METRICS_PORT: 9464 })).toBe(false);
  });
});

/** An endpoint of alpha (Alice is its admin) for offer changes, through the API; its raw id. */
async function createWebhook(url: string): Promise<string> {
  const eventTypes: WebhookEventType[] = ['OFFER_CHANGED'];
  const res = await t.client(aliceToken).request(CreateWebhookDocument, {
    input: { organisationId: s.org.alpha.globalId, url, eventTypes },
  });
  if (res.createWebhook.__typename !== 'MutationCreateWebhookSuccess') {
    throw new Error(`createWebhook: ${JSON.stringify(res.createWebhook)}`);
  }
  return decodeGlobalID(res.createWebhook.data.webhook.id).id;
}
