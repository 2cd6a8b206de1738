/**
 * The hub's metrics (Prometheus, prom-client): one registry per hub instance, so that several
 * hubs in one process (tests) keep their own figures. Counters are counted as things happen;
 * gauges (database pool, outbox lag, WebSockets, webhook backlog) are read at scrape time.
 * Every name starts with `maillage_`, except Node's standard process metrics (`process_*`,
 * `nodejs_*`), kept under their usual names for ready-made dashboards.
 *
 * Labels stay bounded: operation names are the client's choice, so only the first
 * MAX_OPERATION_NAMES distinct ones get their own series; error codes are the hub's own; webhook
 * endpoints are counted by id (one per registered webhook), never by URL; never ids of objects
 * or raw paths. Served by src/http/metrics.ts.
 */
import { readFileSync } from 'node:fs';
import type pg from 'pg';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry, type Aggregator } from 'prom-client';
import type { Logger } from './logger.ts';

/** Distinct operation names with series of their own; later ones count as OTHER_OPERATION. */
export const MAX_OPERATION_NAMES = 200;
/** Longer operation names count as OTHER_OPERATION (GraphQL names cannot hold parentheses). */
const MAX_OPERATION_NAME_LENGTH = 100;
export const OTHER_OPERATION = '(other)';
/** An operation without a name. */
export const ANONYMOUS_OPERATION = '(anonymous)';
/** A request refused before an operation was known (parse, validation, authentication…). */
export const UNKNOWN_OPERATION = '(unknown)';
/** What a code label may be (the hub's codes: `UNAUTHENTICATED`, `common/not_found`…). */
const CODE = /^[A-Za-z][\w/.-]{0,63}$/;
const WS_CLOSED = 3;

const VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/** Where this process's outbox tail stands (outbox-tail.ts#lag). */
interface OutboxLag {
  written: bigint;
  delivered: bigint;
  seconds: number;
}

/** What a scrape reads from the database, through the modules that own the tables. */
export interface MetricsSources {
  pool: pg.Pool;
  /** This process's outbox tail against the outbox (outbox-tail.ts#lag). */
  outboxLag: () => Promise<OutboxLag>;
  /** PENDING webhook deliveries per endpoint id (webhook-worker.ts#pendingDeliveries). */
  webhookBacklog: () => Promise<ReadonlyMap<string, number>>;
  logger: Logger;
}

/** What the gauges read of a graphql-ws connection (its context). */
export interface LiveConnection {
  readonly subscriptions: object;
  readonly extra: { readonly socket: { readonly readyState: number } };
}

export class HubMetrics {
  readonly registry = new Registry();
  private readonly operations = new Set<string>();
  private readonly connections = new Set<LiveConnection>();
  private readonly graphqlRequests: Counter<'operation' | 'outcome'>;
  private readonly graphqlDuration: Histogram<'operation' | 'outcome'>;
  private readonly graphqlErrors: Counter<'code'>;
  private readonly httpRequests: Counter<'route' | 'status'>;
  private readonly httpDuration: Histogram<'route'>;
  private readonly webhookAttempts: Counter<'endpoint'>;
  private readonly webhookFailures: Counter<'endpoint' | 'error'>;
  /** Issue 15's cache counts here: `cacheLookup('viewer', hit)`. */
  private readonly cacheHits: Counter<'cache'>;
  private readonly cacheMisses: Counter<'cache'>;

  constructor(sources: MetricsSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    new Gauge({
      name: 'maillage_info',
      help: 'Always 1; the hub version and Node.js version as labels.',
      labelNames: ['version', 'node_version'],
      registers,
      aggregator: 'first',
    }).set({ version: VERSION, node_version: process.version }, 1);

    this.graphqlRequests = new Counter({
      name: 'maillage_graphql_requests_total',
      help: 'GraphQL requests over HTTP, by operation name and outcome (ok, or the first error code).',
      labelNames: ['operation', 'outcome'],
      registers,
    });
    this.graphqlDuration = new Histogram({
      name: 'maillage_graphql_request_duration_seconds',
      help: 'Time from the start of a GraphQL request in Apollo (after authentication) to its answer.',
      labelNames: ['operation', 'outcome'],
      registers,
    });
    this.graphqlErrors = new Counter({
      name: 'maillage_graphql_errors_total',
      help: 'Errors in GraphQL answers over HTTP, by extensions.code.',
      labelNames: ['code'],
      registers,
    });
    this.httpRequests = new Counter({
      name: 'maillage_http_requests_total',
      help: 'HTTP requests on the public port, by route class and status.',
      labelNames: ['route', 'status'],
      registers,
    });
    this.httpDuration = new Histogram({
      name: 'maillage_http_request_duration_seconds',
      help: 'Time from the arrival of an HTTP request on the public port to the end of its answer.',
      labelNames: ['route'],
      registers,
    });
    this.webhookAttempts = new Counter({
      name: 'maillage_webhook_attempts_total',
      help: 'Webhook delivery attempts made by this process, by endpoint id.',
      labelNames: ['endpoint'],
      registers,
    });
    this.webhookFailures = new Counter({
      name: 'maillage_webhook_failures_total',
      help: 'Failed webhook delivery attempts of this process, by endpoint id and error class.',
      labelNames: ['endpoint', 'error'],
      registers,
    });
    this.cacheHits = new Counter({
      name: 'maillage_cache_hits_total',
      help: 'Lookups answered from a cache, by cache.',
      labelNames: ['cache'],
      registers,
    });
    this.cacheMisses = new Counter({
      name: 'maillage_cache_misses_total',
      help: 'Lookups a cache could not answer, by cache.',
      labelNames: ['cache'],
      registers,
    });
    poolGauges(this.registry, sources.pool);
    this.webSocketGauges();
    databaseGauges(this.registry, sources);
  }

  private scrapeAll: (() => Promise<string>) | null = null;

  /** Prometheus text exposition of every metric (of every worker, after `scrapeWith`). */
  scrape(): Promise<string> {
    return this.scrapeAll ? this.scrapeAll() : this.registry.metrics();
  }

  /** Scrapes with `scrape` instead: a cluster worker's hub answers for the whole group. */
  scrapeWith(scrape: () => Promise<string>): void {
    this.scrapeAll = scrape;
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /**
   * One GraphQL request over HTTP: its operation (`undefined`: none was resolved; `null`: an
   * anonymous one), the codes of the errors it answered, and its duration when it was measured.
   */
  graphqlRequest(operation: string | null | undefined, codes: unknown[], seconds?: number): void {
    const outcome = codes.length === 0 ? 'ok' : codeLabel(codes[0]);
    const labels = { operation: this.operationLabel(operation), outcome };
    this.graphqlRequests.inc(labels);
    if (seconds !== undefined) this.graphqlDuration.observe(labels, seconds);
    for (const code of codes) this.graphqlErrors.inc({ code: codeLabel(code) });
  }

  /** One answered HTTP request of the public port, by route class (src/http/metrics.ts#routeClass). */
  httpRequest(route: string, status: number, seconds: number): void {
    this.httpRequests.inc({ route, status: String(status) });
    this.httpDuration.observe({ route }, seconds);
  }

  /** One webhook attempt of this process: `error` null when the receiver answered 2xx. */
  webhookAttempt(endpointId: string, error: string | null): void {
    this.webhookAttempts.inc({ endpoint: endpointId });
    if (error !== null) this.webhookFailures.inc({ endpoint: endpointId, error });
  }

  /** One cache lookup (issue 15): `cache` names the cache, from a fixed set. */
  cacheLookup(cache: string, hit: boolean): void {
    (hit ? this.cacheHits : this.cacheMisses).inc({ cache });
  }

  /** A graphql-ws connection accepted (onConnect). Counted until its socket is closed. */
  webSocketOpened(ctx: LiveConnection): void {
    this.connections.add(ctx);
  }

  /** A graphql-ws connection closed (onClose). */
  webSocketClosed(ctx: LiveConnection): void {
    this.connections.delete(ctx);
  }

  private operationLabel(name: string | null | undefined): string {
    if (name === undefined) return UNKNOWN_OPERATION;
    if (name === null) return ANONYMOUS_OPERATION;
    if (this.operations.has(name)) return name;
    if (this.operations.size >= MAX_OPERATION_NAMES || name.length > MAX_OPERATION_NAME_LENGTH) {
      return OTHER_OPERATION;
    }
    this.operations.add(name);
    return name;
  }

  /**
   * Read at scrape time from the sockets themselves: graphql-ws calls onClose only once every
   * subscription of the connection has returned, which a stream waiting for its next event
   * does only when that event comes (outbox-stream.ts).
   */
  private webSocketGauges(): void {
    const connections = this.connections;
    new Gauge({
      name: 'maillage_websocket_connections',
      help: 'Open graphql-ws connections (accepted by connection_init).',
      registers: [this.registry],
      collect() {
        for (const ctx of connections) if (ctx.extra.socket.readyState === WS_CLOSED) connections.delete(ctx);
        this.set(connections.size);
      },
    });
    new Gauge({
      name: 'maillage_websocket_operations',
      help: 'graphql-ws operations in flight (live subscriptions, mostly).',
      registers: [this.registry],
      collect() {
        let n = 0;
        for (const ctx of connections) n += Object.keys(ctx.subscriptions).length;
        this.set(n);
      },
    });
  }
}

/** `pg.Pool`'s own counts, read at scrape time. */
function poolGauges(registry: Registry, pool: pg.Pool): void {
  const gauge = (name: string, help: string, read: () => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read());
      },
    });
  gauge('maillage_db_pool_connections', 'Open connections of the database pool.', () => pool.totalCount);
  gauge('maillage_db_pool_connections_idle', 'Idle connections of the pool.', () => pool.idleCount);
  gauge(
    'maillage_db_pool_connections_in_use',
    'Connections checked out of the pool (a statement or a transaction).',
    () => pool.totalCount - pool.idleCount,
  );
  gauge(
    'maillage_db_pool_waiting',
    'Requests waiting for a connection of the pool.',
    () => pool.waitingCount,
  );
  gauge(
    'maillage_db_pool_max',
    'Most connections the pool opens (DATABASE_POOL_MAX).',
    () => pool.options.max ?? 10,
  );
}

/**
 * Gauges read from the database at scrape time: the outbox lag and the webhook backlog. A failed
 * read leaves the previous values and counts in `maillage_metrics_read_errors_total`.
 */
function databaseGauges(registry: Registry, sources: MetricsSources): void {
  const registers = [registry];
  const readErrors = new Counter({
    name: 'maillage_metrics_read_errors_total',
    help: 'Scrapes whose database read failed (the gauges kept their previous values), by source.',
    labelNames: ['source'],
    registers,
  });
  const read = <T>(source: string, fn: () => Promise<T>) =>
    perScrape(() =>
      fn().catch((err: unknown) => {
        readErrors.inc({ source });
        sources.logger.debug({ err: (err as Error).message, source }, 'metrics read failed');
        return null;
      }),
    );
  const outbox = read('outbox', sources.outboxLag);
  // Several workers: the newest sequence written, the oldest delivered, the longest lag.
  const outboxGauge = (
    name: string,
    help: string,
    aggregator: Aggregator,
    value: (lag: OutboxLag) => bigint | number,
  ) =>
    new Gauge({
      name,
      help,
      registers,
      aggregator,
      async collect() {
        const lag = await outbox();
        if (lag) this.set(Number(value(lag)));
      },
    });
  outboxGauge(
    'maillage_outbox_written_sequence',
    'Newest outbox sequence number committed.',
    'max',
    (l) => l.written,
  );
  outboxGauge(
    'maillage_outbox_delivered_sequence',
    "Newest outbox sequence number handed to this process's subscribers and webhook worker.",
    'min',
    (l) => l.delivered,
  );
  outboxGauge(
    'maillage_outbox_lag_seconds',
    'Age of the oldest committed outbox row this process has not handed on yet (0: none).',
    'max',
    (l) => l.seconds,
  );
  const backlog = read('webhooks', sources.webhookBacklog);
  new Gauge({
    name: 'maillage_webhook_deliveries_pending',
    help: 'Webhook deliveries waiting (PENDING) on the database, all processes, by endpoint id.',
    labelNames: ['endpoint'],
    registers,
    // Read from the database: every worker reads the same figures.
    aggregator: 'first',
    async collect() {
      const pending = await backlog();
      if (!pending) return;
      this.reset();
      for (const [endpoint, n] of pending) this.set({ endpoint }, n);
    },
  });
}

/**
 * One read shared by the gauges of a scrape: prom-client collects every metric at once, so the
 * calls of one scrape arrive while the first is still pending.
 */
function perScrape<T>(fn: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | null = null;
  return () =>
    (pending ??= fn().finally(() => {
      pending = null;
    }));
}

function codeLabel(code: unknown): string {
  return typeof code === 'string' && CODE.test(code) ? code : 'OTHER';
}
