/**
 * /metrics in the Prometheus text format (the figures: src/shared/metrics.ts), and who may read it:
 *
 * - METRICS_PORT set: served only on a listener of its own (METRICS_HOST, default 127.0.0.1),
 *   never on the public port, where /metrics is an unknown path (404);
 * - METRICS_TOKEN set: every answer needs `Authorization: Bearer <token>` (401 otherwise),
 *   on whichever port serves it;
 * - neither: open on the public port in development and test, absent (404) in production.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OutboxTail } from '../modules/realtime/outbox-tail.ts';
import { pendingDeliveries } from '../modules/webhooks/webhook-worker.ts';
import type { Config } from '../shared/config.ts';
import type { Database } from '../shared/db/client.ts';
import type { Logger } from '../shared/logger.ts';
import { HubMetrics } from '../shared/metrics.ts';
import { sendJson } from './body.ts';

export const METRICS_PATH = '/metrics';

type MetricsAccess = Pick<Config, 'METRICS_TOKEN' | 'METRICS_PORT' | 'NODE_ENV'>;

/** A hub's metrics, reading its pool, its outbox tail and the webhook backlog at scrape time. */
export function hubMetrics(db: Database, outbox: OutboxTail, logger: Logger): HubMetrics {
  return new HubMetrics({
    pool: db.pool,
    outboxLag: () => outbox.lag(),
    webhookBacklog: () => pendingDeliveries(db.pool),
    logger,
  });
}

/** Whether the public port answers /metrics (see the top of this file). */
export function metricsOnPublicPort(config: MetricsAccess): boolean {
  if (config.METRICS_PORT !== undefined) return false;
  return config.METRICS_TOKEN !== undefined || config.NODE_ENV !== 'production';
}

/** /metrics on the public port: 404 where it is not served there (see the top of this file). */
export function servePublicMetrics(
  req: IncomingMessage,
  res: ServerResponse,
  metrics: HubMetrics,
  config: MetricsAccess,
): Promise<void> {
  if (metricsOnPublicPort(config)) return serveMetrics(req, res, metrics, config);
  sendJson(res, 404, { errors: [{ message: `Nothing at ${METRICS_PATH}.` }] });
  return Promise.resolve();
}

/** Answers a scrape: 405 but for GET and HEAD, 401 without the token when one is set. */
async function serveMetrics(
  req: IncomingMessage,
  res: ServerResponse,
  metrics: HubMetrics,
  config: MetricsAccess,
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return sendJson(res, 405, { errors: [{ message: 'Use GET.' }] }, { allow: 'GET, HEAD' });
  }
  if (config.METRICS_TOKEN !== undefined && !bearerMatches(req.headers.authorization, config.METRICS_TOKEN)) {
    return sendJson(
      res,
      401,
      { errors: [{ message: 'Send Authorization: Bearer <METRICS_TOKEN>.' }] },
      { 'www-authenticate': 'Bearer realm="metrics"' },
    );
  }
  const text = await metrics.scrape();
  res.writeHead(200, {
    'content-type': metrics.contentType,
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}

/** Compares in constant time (digests of equal length, whatever was sent). */
function bearerMatches(header: string | undefined, token: string): boolean {
  const given = /^Bearer +(\S+)\s*$/i.exec(header ?? '')?.[1] ?? '';
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(token));
}

export interface MetricsListener {
  port: number;
  close(): Promise<void>;
}

/** The separate listener of METRICS_PORT on METRICS_HOST (only /metrics); null without METRICS_PORT. */
export async function startMetricsListener(
  config: MetricsAccess & Pick<Config, 'METRICS_HOST'>,
  metrics: HubMetrics,
  logger: Logger,
): Promise<MetricsListener | null> {
  if (config.METRICS_PORT === undefined) return null;
  const server = http.createServer({ requestTimeout: 30_000, headersTimeout: 15_000 }, (req, res) => {
    if (new URL(req.url ?? '/', 'http://hub').pathname !== METRICS_PATH) {
      return sendJson(res, 404, { errors: [{ message: `Only ${METRICS_PATH} here.` }] });
    }
    serveMetrics(req, res, metrics, config).catch((err: unknown) => {
      logger.error({ err }, 'metrics scrape failed');
      if (!res.headersSent) sendJson(res, 500, { errors: [{ message: 'Unexpected error.' }] });
      else res.destroy();
    });
  });
  const { METRICS_PORT: port, METRICS_HOST: host } = config;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) =>
      reject(
        new Error(`Cannot serve metrics on ${host}:${port} (METRICS_PORT, METRICS_HOST): ${err.message}.`),
      ),
    );
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** First path segments counted under their own name; anything else is `other`. */
const ROUTES = new Set([
  'graphql',
  'graphiql',
  'hsds',
  'guides',
  'events',
  'console',
  'assets',
  'developers',
  'readme',
  'healthz',
  'readyz',
  'metrics',
  '.well-known',
]);

/** The route class of a request path, for `maillage_http_requests_total`: bounded, never the path. */
export function routeClass(url: string | undefined): string {
  const segment = (url ?? '/').split(/[/?#]/)[1] ?? '';
  if (segment === '') return 'home';
  if (!ROUTES.has(segment)) return 'other';
  return segment === '.well-known' ? 'well_known' : segment;
}
