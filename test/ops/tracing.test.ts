/**
 * Traces (src/shared/tracing.ts, src/http/tracing-plugin.ts). Without OTEL_* variables tracing is
 * off: no provider, no Prisma helper, no span recorded. With the SDK registered on an in-memory
 * exporter, a hub on PostgreSQL answers a case worker's read of a referral (the person's name and
 * contact) called with a W3C `traceparent`: the HTTP span continues the caller's trace, the GraphQL
 * operation span is its child, and every SQL span (Prisma's and the hand-written ones) nests under
 * the operation. A catalogue search with a text and a graphql-ws subscription get their spans too.
 * Then no span's name, attributes, events, links or status carries anything sent or answered: the
 * person's data, the search text, the token, e-mails, variables. Last, `npm start` with an OTLP
 * endpoint exports protobuf to a collector (node:http here) and flushes it on SIGTERM.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SpanKind, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { encodeGlobalID } from '@pothos/plugin-relay';
import {
  CreateReferralDocument,
  OffersDocument,
  ReferralDetailDocument,
  ReferralEventsDocument,
} from '../../clients/generated/graphql.ts';
import { loadConfig } from '../../src/shared/config.ts';
import { createLogger } from '../../src/shared/logger.ts';
import {
  activeTracer,
  registerTracing,
  startTracing,
  tracingEnabled,
  type Tracing,
} from '../../src/shared/tracing.ts';
import { seedAlphaCatalogue, seedThemes } from '../helpers/catalogue-fixtures.ts';
import { seedScenario, type Scenario } from '../helpers/fixtures.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';
import { spawnHub, type HubProcess } from '../helpers/process.ts';
import { raw } from '../helpers/realtime.ts';

const WAIT_LIMIT_MS = 30_000;
/** Every text the test sends; each carries a token found nowhere else. */
const TEXT = {
  name: 'Ilse Vandermeulen-Traçk',
  initials: 'I. V. T.',
  contact: '+352 621 777 313',
  needs: 'Cherche un logement pour deux enfants (besoins-t9qe)',
  purpose: 'Orientation vers un hébergement (finalite-x3vu)',
  search: 'logement Vandermeulen-recherche',
};
const OTLP_ENDPOINT = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' };

const logger = createLogger('silent');

describe('without OTEL_* variables', () => {
  it('is off: no SDK started, no provider registered, nothing recorded', async () => {
    const config = loadConfig({});
    expect(tracingEnabled(config)).toBe(false);
    expect(await startTracing(config, logger)).toBeNull();
    expect(activeTracer()).toBeUndefined();
    const probe = trace.getTracer('probe').startSpan('probe');
    expect(probe.isRecording()).toBe(false);
    probe.end();
    expect((globalThis as Record<string, unknown>).V7_PRISMA_INSTRUMENTATION).toBeUndefined();
  });

  it('is on with an OTLP endpoint, unless turned off; other transports are refused', () => {
    expect(tracingEnabled(loadConfig(OTLP_ENDPOINT))).toBe(true);
    const traces = { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:4318/v1/traces' };
    expect(tracingEnabled(loadConfig(traces))).toBe(true);
    expect(tracingEnabled(loadConfig({ ...traces, OTEL_SDK_DISABLED: 'TRUE' }))).toBe(false);
    expect(tracingEnabled(loadConfig({ ...OTLP_ENDPOINT, OTEL_TRACES_EXPORTER: 'none' }))).toBe(false);
    expect(() => loadConfig({ ...OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' })).toThrow(
      /OTEL_EXPORTER_OTLP_PROTOCOL: must be http\/protobuf/,
    );
  });
});

describe('with the SDK on an in-memory exporter', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  let t: TestHub;
  let s: Scenario;
  let bobToken: string;
  let referralId: string;
  /** Every value sent or answered that must not reach a span. */
  const secrets = new Set<string>();

  beforeAll(async () => {
    tracing = await registerTracing([new SimpleSpanProcessor(exporter)]);
    t = await startTestHub();
    s = await seedScenario(t.db.prisma, t.config);
    await seedThemes(t.db.prisma);
    const catalogue = await seedAlphaCatalogue(t.db.prisma, s);
    bobToken = await s.token('bob');
    const created = await t.send(
      CreateReferralDocument,
      {
        input: {
          senderOrganisationId: s.org.beta.globalId,
          offerId: encodeGlobalID('Offer', catalogue.offers.shelter.id),
          needs: TEXT.needs,
          needThemes: ['housing'],
          person: {
            name: TEXT.name,
            initials: TEXT.initials,
            birthYear: 1991,
            languages: ['nl', 'fr'],
            contactChannel: 'PHONE',
            contact: TEXT.contact,
            interpreterNeeded: false,
          },
          consentPurpose: TEXT.purpose,
        },
      },
      { token: bobToken },
    );
    const result = created.body.data?.createReferral;
    if (result?.__typename !== 'MutationCreateReferralSuccess') throw new Error(JSON.stringify(created.body));
    referralId = result.data.referral.id;
    for (const value of [...Object.values(TEXT), 'Vandermeulen', '621 777 313', bobToken, referralId])
      secrets.add(value);
    secrets.add(s.user.bob.email);
  });
  afterAll(async () => {
    await t.close();
    await tracing.shutdown();
  });

  it('nests the operation and its SQL under the HTTP span of the caller’s trace', async () => {
    const traceId = randomBytes(16).toString('hex');
    const callerSpanId = randomBytes(8).toString('hex');
    const answer = await t.send(
      ReferralDetailDocument,
      { id: referralId },
      { token: bobToken, headers: { traceparent: `00-${traceId}-${callerSpanId}-01` } },
    );
    expect(answer.body.data?.referral?.person?.name).toBe(TEXT.name);
    addAnswer(secrets, answer.body.data);

    // The SERVER span ends when the response is closed, a moment after the client has read it.
    const server = await finished(exporter, (span) => isIn(span, traceId) && span.kind === SpanKind.SERVER);
    expect(server.parentSpanContext?.spanId).toBe(callerSpanId);
    expect(server.name).toBe('POST /graphql');
    expect(server.attributes).toMatchObject({
      'http.request.method': 'POST',
      'url.path': '/graphql',
      'http.route': '/graphql',
      'http.response.status_code': 200,
    });

    const spans = exporter.getFinishedSpans().filter((span) => isIn(span, traceId));
    const operation = spans.find((span) => span.attributes['graphql.operation.type'] !== undefined);
    expect(operation?.name).toBe('query');
    expect(operation?.attributes['graphql.operation.name']).toBe('ReferralDetail');
    expect(operation?.parentSpanContext?.spanId).toBe(server.spanContext().spanId);

    const statements = spans.filter((span) => span.attributes['db.query.text'] !== undefined);
    // Prisma's statements, and the hand-written log of the person read (`Database.sql`).
    expect(statements.some((span) => span.name === 'prisma:client:db_query')).toBe(true);
    expect(statements.some((span) => span.name === 'INSERT')).toBe(true);
    for (const statement of statements) {
      expect(ancestors(statement, spans)).toContain(operation?.spanContext().spanId);
      expect(statement.attributes['db.system.name']).toBe('postgresql');
    }
  });

  it('traces a catalogue search with its statement, not its text', async () => {
    const traceId = randomBytes(16).toString('hex');
    const answer = await t.send(
      OffersDocument,
      { filter: { text: TEXT.search }, first: 5 },
      { token: bobToken, headers: { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` } },
    );
    expect(answer.body.errors).toBeUndefined();
    addAnswer(secrets, answer.body.data);
    await finished(exporter, (span) => isIn(span, traceId) && span.kind === SpanKind.SERVER);
    const search = exporter
      .getFinishedSpans()
      .find(
        (span) =>
          isIn(span, traceId) && span.name === 'SELECT' && /websearch_to_tsquery/.test(queryText(span)),
      );
    expect(queryText(search)).toMatch(/websearch_to_tsquery\('maillage_fr', \$\d+\)/);
  });

  it('gives each graphql-ws subscribe a SERVER span', async () => {
    const live = raw(t.graphqlUrl, bobToken, ReferralEventsDocument, {});
    try {
      const span = await finished(
        exporter,
        (span) => span.attributes['graphql.operation.name'] === 'ReferralEvents',
      );
      expect(span.kind).toBe(SpanKind.SERVER);
      expect(span.name).toBe('subscription');
      expect(span.attributes['graphql.operation.type']).toBe('subscription');
    } finally {
      await live.client.dispose();
    }
  });

  it('puts no person data, search text, token or variable in any span', () => {
    const spans = exporter.getFinishedSpans();
    expect(spans.length).toBeGreaterThan(20);
    expect(secrets.size).toBeGreaterThan(10);
    const leaks = spans.flatMap((span) => {
      const text = visibleText(span);
      return [...secrets]
        .filter((secret) => text.includes(secret))
        .map((secret) => `${span.name}: ${secret}`);
    });
    expect(leaks).toEqual([]);
  });

  it('`npm start` with an OTLP endpoint exports protobuf to the collector and flushes it on SIGTERM', async () => {
    const received: { path: string; type: string; body: Buffer }[] = [];
    const collector = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push({
          path: req.url ?? '',
          type: req.headers['content-type'] ?? '',
          body: Buffer.concat(chunks),
        });
        res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    const { port } = collector.address() as AddressInfo;
    let hub: HubProcess | undefined;
    try {
      hub = await spawnHub({
        DATABASE_URL: t.database.url,
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
        OTEL_SERVICE_NAME: 'maillage-otlp-test',
      });
      await hub.waitForLine(/exporting traces over OTLP/);
      expect((await fetch(`${hub.url}/healthz`)).status).toBe(200);
      // The batch is not due yet (5 s): SIGTERM must flush it.
      hub.child.kill('SIGTERM');
      expect(await hub.exit).toBe(0);
      const traces = received.filter((r) => r.path === '/v1/traces');
      expect(traces.length).toBeGreaterThan(0);
      expect(traces[0]!.type).toBe('application/x-protobuf');
      const all = Buffer.concat(traces.map((r) => r.body));
      expect(all.includes('maillage-otlp-test')).toBe(true);
      expect(all.includes('GET /healthz')).toBe(true);
    } finally {
      if (hub?.child.exitCode === null) hub.child.kill('SIGKILL');
      await new Promise((resolve) => collector.close(resolve));
    }
  }, 120_000);
});

/** Waits (yielding to the hub, up to WAIT_LIMIT_MS) for a finished span that matches. */
async function finished(
  exporter: InMemorySpanExporter,
  test: (span: ReadableSpan) => boolean,
): Promise<ReadableSpan> {
  const deadline = Date.now() + WAIT_LIMIT_MS;
  for (;;) {
    const span = exporter.getFinishedSpans().find(test);
    if (span) return span;
    if (Date.now() > deadline) throw new Error('the expected span never finished');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function isIn(span: ReadableSpan, traceId: string): boolean {
  return span.spanContext().traceId === traceId;
}

function queryText(span: ReadableSpan | undefined): string {
  return String(span?.attributes['db.query.text'] ?? '');
}

/** The span ids above `span`, nearest first. */
function ancestors(span: ReadableSpan, spans: ReadableSpan[]): string[] {
  const byId = new Map(spans.map((s) => [s.spanContext().spanId, s]));
  const ids: string[] = [];
  for (let id = span.parentSpanContext?.spanId; id; id = byId.get(id)?.parentSpanContext?.spanId)
    ids.push(id);
  return ids;
}

/** Everything a trace backend would show of a span, besides its ids and timings. */
function visibleText(span: ReadableSpan): string {
  return JSON.stringify({
    name: span.name,
    attributes: span.attributes,
    events: span.events.map((e) => ({ name: e.name, attributes: e.attributes })),
    links: span.links.map((l) => l.attributes),
    status: span.status,
  });
}

/**
 * Adds the answer's free values to `secrets`: strings of 6 characters or more, except enum values
 * and type names (schema words, which statements may well contain).
 */
function addAnswer(secrets: Set<string>, data: unknown): void {
  const walk = (value: unknown, key?: string): void => {
    if (typeof value === 'string') {
      if (key !== '__typename' && value.length >= 6 && !/^[A-Z][A-Z_]*$/.test(value)) secrets.add(value);
    } else if (Array.isArray(value)) value.forEach((v) => walk(v));
    else if (value && typeof value === 'object') Object.entries(value).forEach(([k, v]) => walk(v, k));
  };
  walk(data);
}
