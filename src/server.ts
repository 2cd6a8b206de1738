/**
 * The hub's network face: one HTTP server on one port serving GraphQL over HTTP and graphql-ws at
 * /graphql, GraphiQL, `/` (links) and /readme, /healthz, /readyz, /metrics and the JWKS. No schema code here.
 * `stop()` drains: stop accepting, let in-flight requests finish, close WebSockets with 1001, stop
 * Apollo.
 */
import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import {
  GraphQLError,
  OperationTypeNode,
  NoSchemaIntrospectionCustomRule,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionArgs,
} from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { parseAcceptLanguage, type Context } from './context.ts';
import { accountServices } from './modules/accounts/account-services.ts';
import { AuthenticationError, Authenticator, UnboundSubjectError } from './modules/accounts/auth.service.ts';
import { handleHsds } from './modules/catalogue/hsds/hsds.http.ts';
import { GUIDES_PREFIX, handleGuides } from './http/guides-public.ts';
import { EVENTS_PREFIX, handleEvents } from './http/events-public.ts';
import { EVENT_EXPORT_PATH, handleEventExports } from './http/event-exports.ts';
import { EVENT_MANAGE_PATH, handleEventManage } from './http/event-manage.ts';
import { EVENT_REGISTER_PATH, handleEventRegister } from './http/event-register.ts';
import { publicKeySet } from './modules/accounts/signing-keys.service.ts';
import type { Viewer } from './modules/accounts/viewer.ts';
import { OutboxTail } from './modules/realtime/outbox-tail.ts';
import { handleNetworkFiles, NETWORK_FILE_PATH } from './http/network-files.ts';
import { startNetworkFactsRefresher, type NetworkFactsRefresher } from './modules/network/network-facts.ts';
import { sealSecretsAtRest } from './modules/accounts/secrets-at-rest.ts';
import { configureWebhookAddresses } from './modules/webhooks/webhook-url.ts';
import { startWebhookWorker } from './modules/webhooks/webhook-worker.ts';
import { schema } from './schema.ts';
import { compiledExecutorGateway } from './http/compiled-executor.ts';
import { sendJson } from './http/body.ts';
import {
  databaseTrouble,
  DATABASE_TROUBLES,
  formatError,
  errorScopePlugin,
  noteErrorScope,
  RATE_LIMITED,
  type DatabaseTrouble,
  type RequestScope,
} from './http/errors.ts';
import { GRAPHIQL_PREFIX, serveGraphiqlAsset, serveGraphiqlPage } from './http/graphiql.ts';
import { consoleHandler, CONSOLE_API_PREFIX } from './http/console.ts';
import { serveHomePage, serveReadme } from './http/home-page.ts';
import { handleGraphqlHttp } from './http/graphql-http.ts';
import { CATALOGUE_OUTBOX_TYPES, isPublicCatalogueRead, PublicCache } from './http/public-cache.ts';
import {
  hubMetrics,
  METRICS_PATH,
  routeClass,
  servePublicMetrics,
  startMetricsListener,
} from './http/metrics.ts';
import type { HubMetrics } from './shared/metrics.ts';
import { metricsPlugin } from './http/metrics-plugin.ts';
import { limitRules, parseOptions } from './http/limits.ts';
import {
  CLOSE_TOO_MANY_REQUESTS,
  rateLimitedError,
  RateLimits,
  secretGuessesOf,
  type Refusal,
} from './http/rate-limits.ts';
import { checkTextInputs } from './http/text-inputs.ts';
import {
  traceGraphqlOperation,
  tracedExecution,
  traceHttpRequest,
  tracingPlugin,
} from './http/tracing-plugin.ts';
import type { Config } from './shared/config.ts';
import type { Database } from './shared/db/client.ts';
import { pendingMigrations } from './shared/db/migrations-state.ts';
import type { Logger } from './shared/logger.ts';
import { configureSecrets } from './shared/secrets.ts';

export interface HubOptions {
  config: Config;
  db: Database;
  logger: Logger;
}

export interface Hub {
  port: number;
  /** http://host:port */
  url: string;
  httpServer: http.Server;
  /** This process's outbox tail (tests wait on it with `flush()`). */
  outbox: OutboxTail;
  /** This process's refresher of the network statistics (tests refresh with `refreshNow()`). */
  networkFacts: NetworkFactsRefresher;
  /** The port of the separate /metrics listener (METRICS_PORT), or null. */
  metricsPort: number | null;
  /** This process's figures (a cluster worker makes its scrape answer for the group). */
  metrics: HubMetrics;
  /**
   * Drains and closes the server (not the database): in-flight requests get up to `drainMs`
   * (default SHUTDOWN_TIMEOUT_MS), then what is left is closed.
   */
  stop(drainMs?: number): Promise<void>;
}

const REQUEST_ID = /^[\w.:-]{1,64}$/;

export async function startHub({ config, db, logger }: HubOptions): Promise<Hub> {
  // This process's key for secrets at rest (older clear ones are sealed now) and webhook address rules.
  const secretBox = configureSecrets(config, (message) => logger.warn(message));
  configureWebhookAddresses(config);
  await sealSecretsAtRest(db.prisma, secretBox, 'clear').then(
    (sealed) =>
      sealed.webhookSecrets + sealed.signingKeys + sealed.editionCodes > 0 &&
      logger.info(sealed, 'sealed clear secrets'),
    (err: unknown) => logger.warn({ err: (err as Error).message }, 'could not seal clear secrets'),
  );
  const accounts = accountServices(config, db.prisma, logger);
  // Real time: this process tails the outbox for its subscribers and its webhook worker.
  const outbox = new OutboxTail(db.pool, db.directUrl, logger, config.OUTBOX_POLL_MS);
  await outbox.start();
  const metrics = hubMetrics(db, outbox, logger);
  const authenticator = new Authenticator(db.prisma, db.sql, config, logger, (hit) =>
    metrics.cacheLookup('tokens', hit),
  );
  const webhooks = config.WEBHOOK_WORKER
    ? startWebhookWorker({ db, config, logger, onAttempt: (...a) => metrics.webhookAttempt(...a) })
    : { wake: () => undefined, stop: () => Promise.resolve() };
  outbox.subscribe(() => webhooks.wake());
  // The network statistics read a materialisation of the referrals' event log, kept up to date here.
  const networkFacts = startNetworkFactsRefresher(db, outbox, logger, config.NETWORK_FACTS_REFRESH_MS);
  // Serve figures as fresh as the log from the first request (the first start after the
  // migration builds them all: seconds for a year of a city's referrals).
  await networkFacts
    .refreshNow()
    .catch((err: unknown) =>
      logger.warn({ err: (err as Error).message }, 'could not refresh the network facts'),
    );
  // Anonymous catalogue reads, emptied by any catalogue change made through any instance.
  const publicCache = new PublicCache(config.PUBLIC_CACHE_MB * 1024 * 1024, (hit) =>
    metrics.cacheLookup('public', hit),
  );
  outbox.subscribe((row) => {
    if (CATALOGUE_OUTBOX_TYPES.has(row.type)) publicCache.invalidate();
  });
  const realtime = { tail: outbox, pool: db.pool };
  const limits = new RateLimits(config);
  const validationRules = [
    ...limitRules(config),
    ...(config.INTROSPECTION ? [] : [NoSchemaIntrospectionCustomRule]),
  ];

  const apollo = new ApolloServer<Context>({
    ...(config.GRAPHQL_COMPILE ? { gateway: compiledExecutorGateway(schema) } : { schema }),
    introspection: config.INTROSPECTION,
    hideSchemaDetailsFromClientErrors: true,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    // main.ts owns SIGTERM/SIGINT and drains in order; Apollo's own handler would race it.
    stopOnTerminationSignals: false,
    validationRules,
    parseOptions: parseOptions(config),
    formatError,
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      // No HTTP caching of GraphQL answers (they depend on who asks): skip the per-field cache hints.
      ApolloServerPluginCacheControlDisabled(),
      // Names the operation span (traceGraphqlOperation) by type and operation name.
      tracingPlugin(),
      metricsPlugin(metrics),
      errorScopePlugin(),
      {
        requestDidStart() {
          return Promise.resolve({
            // Text inputs within bounds (length, words, no NUL) before anything runs: else 400.
            didResolveOperation({ document, request, operation, contextValue }) {
              contextValue.publicAnswer.cacheable =
                publicCache.enabled &&
                !contextValue.viewer &&
                !!operation &&
                isPublicCatalogueRead(operation, document, request.variables ?? {}, schema);
              const problem = checkTextInputs(
                schema,
                document,
                request.operationName,
                request.variables,
                config.MAX_TEXT_LENGTH,
              );
              return problem ? Promise.reject(problem) : Promise.resolve();
            },
            // A database outage, a busy row or a cancelled statement answers 503 so that clients retry.
            willSendResponse({ response, operation, contextValue }) {
              const result = response.body.kind === 'single' ? response.body.singleResult : null;
              // Only a whole answer is kept: an error may be passing (an outage) or the caller's.
              if (!result || result.errors?.length) contextValue.publicAnswer.cacheable = false;
              // A read missing a part for a passing reason is retried whole; a mutation that
              // answered with data may have committed, so it is never told to retry.
              const committed = operation?.operation === OperationTypeNode.MUTATION && !!result?.data;
              const codes = new Set(committed ? [] : result?.errors?.map((e) => e.extensions?.code));
              const retryAfter = retryAfterOf(codes);
              if (retryAfter > 0) {
                response.http.status = 503;
                response.http.headers.set('retry-after', String(retryAfter));
              }
              return Promise.resolve();
            },
          });
        },
      },
    ],
  });
  await apollo.start();

  const contextFor = (
    viewer: Viewer | null,
    requestId: string,
    acceptLanguage?: string,
    unboundSubject: string | null = null,
    address: string | null = null,
  ): Context => ({
    requestId,
    viewer,
    accounts,
    unboundSubject,
    secretGuesses: address === null ? null : secretGuessesOf(limits, address),
    prisma: db.prisma,
    sql: db.sql,
    transaction: db.transaction,
    logger: logger.child({ requestId }),
    languages: parseAcceptLanguage(acceptLanguage),
    realtime,
    publicAnswer: { cacheable: false, onServe: [] },
    now: () => new Date(),
    cacheLookup: (cache, hit) => metrics.cacheLookup(cache, hit),
  });

  const httpContext = async (req: IncomingMessage, scope: RequestScope): Promise<Context> => {
    try {
      return await contextOf(req, scope.requestId);
    } catch (err) {
      // Apollo formats it as "Context creation failed": logged with this request's id.
      noteErrorScope(err, scope);
      throw err;
    }
  };

  const contextOf = async (req: IncomingMessage, requestId: string): Promise<Context> => {
    const address = limits.clientAddress(req);
    const { authorization } = req.headers;
    // An address that failed too often is not even checked (a token guesser gets no answer).
    const blocked = authorization ? await limits.authenticationBlocked(address) : null;
    if (blocked) throw rateLimitedError(blocked);
    let viewer: Viewer | null = null;
    let unboundSubject: string | null = null;
    try {
      viewer = await authenticator.authenticate(authorization);
    } catch (err) {
      // A partner provider's valid token for someone without an account yet: anonymous, except
      // that acceptInvitation binds it (src/modules/accounts/invitation.service.ts).
      if (err instanceof UnboundSubjectError) unboundSubject = err.subject;
      else {
        if (err instanceof AuthenticationError) await limits.authenticationFailed(address);
        throw asTransportError(err);
      }
    }
    const refused = await limits.request(viewer, address);
    if (refused) throw rateLimitedError(refused);
    return contextFor(viewer, requestId, req.headers['accept-language'], unboundSubject, address);
  };

  let inFlight = 0;
  let draining = false;
  let drained: (() => void) | undefined;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    const headerId = req.headers['x-request-id'];
    const requestId = typeof headerId === 'string' && REQUEST_ID.test(headerId) ? headerId : randomUUID();
    const log = logger.child({ requestId });
    res.setHeader('x-request-id', requestId);
    if (draining) res.setHeader('connection', 'close');
    inFlight++;
    res.once('close', () => {
      inFlight--;
      if (draining && inFlight === 0) drained?.();
      metrics.httpRequest(routeClass(req.url), res.statusCode, (performance.now() - started) / 1000);
      log.info(
        {
          method: req.method,
          path: req.url?.split('?')[0],
          status: res.statusCode,
          ms: Math.round(performance.now() - started),
        },
        'request',
      );
    });
    try {
      await route(req, res, { requestId, logger: log });
    } catch (err) {
      const trouble = databaseTrouble(err);
      if (trouble) log.warn({ err: (err as Error).message }, trouble.log);
      else log.error({ err }, 'request failed');
      if (res.headersSent) res.destroy();
      else if (trouble) sendTrouble(res, trouble, requestId);
      else sendJson(res, 500, { errors: [{ message: 'Unexpected error.', extensions: { requestId } }] });
    }
  };

  const webConsole = consoleHandler({
    config,
    prisma: db.prisma,
    accounts,
    maxBodyBytes: config.MAX_BODY_BYTES,
  });

  const route = async (req: IncomingMessage, res: ServerResponse, scope: RequestScope) => {
    const { requestId } = scope;
    const url = new URL(req.url ?? '/', 'http://hub');
    const { pathname } = url;
    // Everything but GraphQL (limited once the viewer is known) and health checks: per address.
    if (!['/graphql', '/healthz', '/readyz', METRICS_PATH].includes(pathname)) {
      const refused = await limits.request(null, limits.clientAddress(req));
      if (refused) return sendRateLimited(res, refused, requestId);
    }
    if (pathname === '/graphql') {
      if (config.GRAPHIQL && req.method === 'GET' && !url.search && wantsHtml(req)) {
        return serveGraphiqlPage(req, res);
      }
      return traceGraphqlOperation(() =>
        handleGraphqlHttp(req, res, url, {
          apollo,
          maxBodyBytes: config.MAX_BODY_BYTES,
          context: (r) => httpContext(r, scope),
          publicCache,
          admitCached: async (r) => !(await limits.request(null, limits.clientAddress(r))),
        }),
      );
    }
    if (pathname === '/hsds' || pathname.startsWith('/hsds/'))
      return handleHsds(req, res, url, db.prisma, publicCache);
    // Organisers' exports (before any public /events/ page, which would take these paths).
    if (EVENT_EXPORT_PATH.test(pathname)) {
      const authenticate = (h?: string) => authenticator.authenticate(h);
      return handleEventExports(req, res, url, {
        prisma: db.prisma,
        authenticate,
        limits,
        trustProxy: config.TRUSTED_PROXY_HOPS > 0,
      });
    }
    if (NETWORK_FILE_PATH.test(pathname)) {
      const authenticate = (h?: string) => authenticator.authenticate(h);
      return handleNetworkFiles(req, res, url, { db, logger, authenticate, limits });
    }
    if (pathname.startsWith(GUIDES_PREFIX)) {
      return handleGuides(req, res, url, { prisma: db.prisma, trustProxy: config.TRUSTED_PROXY_HOPS > 0 });
    }
    // A participant's manage page (before /events/<slug>, which would take the path as a slug).
    if (pathname === EVENT_MANAGE_PATH) {
      const opts = { prisma: db.prisma, services: accounts, limits, maxBodyBytes: config.MAX_BODY_BYTES };
      return handleEventManage(req, res, url, opts);
    }
    // The public registration form (before /events/<slug>, which refuses a POST).
    if (EVENT_REGISTER_PATH.test(pathname)) {
      const opts = { prisma: db.prisma, services: accounts, limits, maxBodyBytes: config.MAX_BODY_BYTES };
      return handleEventRegister(req, res, url, opts);
    }
    if (pathname.startsWith(EVENTS_PREFIX)) {
      return handleEvents(req, res, url, { prisma: db.prisma, trustProxy: config.TRUSTED_PROXY_HOPS > 0 });
    }
    if (pathname.startsWith(CONSOLE_API_PREFIX) && (await webConsole.handleApi(req, res, pathname))) return;
    // The developers' page; also `/` when the console is not built.
    if (
      (pathname === '/developers' || (pathname === '/' && !(await webConsole.built()))) &&
      (req.method === 'GET' || req.method === 'HEAD')
    ) {
      return serveHomePage(res, { prisma: db.prisma, graphiql: config.GRAPHIQL });
    }
    if (pathname === '/readme' && req.method === 'GET' && (await serveReadme(res))) return;
    if (pathname === '/healthz') return sendJson(res, 200, { status: 'ok' });
    // No icon: browsers ask for one on every page the hub renders (guides, events), and a 404 shows
    // as an error in their console.
    if (pathname === '/favicon.ico') {
      res.writeHead(204, { 'cache-control': 'public, max-age=86400' });
      return void res.end();
    }
    if (pathname === METRICS_PATH) return servePublicMetrics(req, res, metrics, config);
    if (pathname === '/readyz') {
      const problem = await readinessProblem(db);
      return sendJson(
        res,
        problem ? 503 : 200,
        problem ? { status: 'unavailable', reason: problem } : { status: 'ready' },
      );
    }
    if (pathname === '/.well-known/jwks.json' && !config.AUTH_JWKS_URL) {
      return sendJson(res, 200, await publicKeySet(db.prisma, config.AUTH_TOKEN_TTL), {
        'cache-control': 'max-age=300',
      });
    }
    if (config.GRAPHIQL && pathname.startsWith(GRAPHIQL_PREFIX) && req.method === 'GET') {
      if (await serveGraphiqlAsset(pathname.slice(GRAPHIQL_PREFIX.length), res)) return;
    }
    // The console's files, and its pages (any other page a browser asks for).
    if (await webConsole.serve(req, res, pathname)) return;
    sendJson(res, 404, { errors: [{ message: `Nothing at ${pathname}.`, extensions: { requestId } }] });
  };

  const httpServer = http.createServer({ requestTimeout: 30_000, headersTimeout: 15_000 }, (req, res) => {
    void traceHttpRequest(req, res, () => handle(req, res));
  });
  // Idle keep-alive connections stay open longer than clients' and load balancers' own idle
  // timeouts (60 s is common): with Node's 5 s default, a client could reuse a connection at the
  // moment the server closed it and get ECONNRESET (seen in test/catalogue/demo.test.ts).
  httpServer.keepAliveTimeout = 65_000;

  const wss = new WebSocketServer({
    server: httpServer,
    path: '/graphql',
    maxPayload: config.MAX_BODY_BYTES,
  });
  /** Documents that parsed and validated, by query text (oldest dropped past 500). */
  const validDocuments = new Map<string, DocumentNode>();
  /** Each connection's credential, from connection_init: checked again at every subscribe. */
  const credentials = new WeakMap<object, string | null>();
  /** Each connection's client address, and how to stop counting it once closed. */
  const connections = new WeakMap<object, { address: string; close: () => void }>();
  const wsServer = useServer<Record<string, unknown> | undefined, { request: IncomingMessage }>(
    {
      schema,
      // One span per operation when tracing is on (src/http/tracing-plugin.ts).
      ...tracedExecution,
      // The token travels in connection_init: { authorization: "Bearer …" }.
      onConnect: async (ctx) => {
        const auth = ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization;
        const credential = typeof auth === 'string' ? auth : null;
        const address = limits.clientAddress(ctx.extra.request);
        // Closing first makes graphql-ws's own 4403 (for `false`) a no-op: 4429 is what is sent.
        const refuse = (reason: string) => {
          ctx.extra.socket.close(CLOSE_TOO_MANY_REQUESTS, reason);
          return false;
        };
        if (credential && (await limits.authenticationBlocked(address))) {
          return refuse('Too many failed authentications');
        }
        let viewer: Viewer | null;
        try {
          viewer = await authenticator.authenticate(credential);
        } catch (err) {
          if (!(err instanceof AuthenticationError)) return closeOnFailure(ctx.extra.socket, err);
          await limits.authenticationFailed(address);
          return false;
        }
        if (await limits.request(viewer, address)) return refuse('Too many requests');
        const close = limits.openConnection(viewer, address);
        if (!close) return refuse('Too many connections');
        connections.set(ctx, { address, close });
        // graphql-ws calls onClose only once every operation has returned, which an idle
        // subscription does at its next event: the slot is given back when the socket closes.
        ctx.extra.socket.once('close', close);
        credentials.set(ctx, credential);
        metrics.webSocketOpened(ctx);
        return true;
      },
      onClose: (ctx) => {
        connections.get(ctx)?.close();
        metrics.webSocketClosed(ctx);
      },
      onSubscribe: async (ctx, _id, payload) => {
        // The new operation is already counted in ctx.subscriptions.
        const crowded = limits.operationsRefused(Object.keys(ctx.subscriptions).length);
        if (crowded) return [formatGraphQLError(rateLimitedError(crowded))];
        // Who asks, as of now: an expired token or a changed membership counts from this subscribe.
        let viewer: Viewer | null;
        try {
          viewer = await authenticator.authenticate(credentials.get(ctx) ?? null);
        } catch (err) {
          // The database is down or busy: this operation fails with a code that says "retry".
          if (!(err instanceof AuthenticationError)) return [formatGraphQLError(logged(err))];
          return [
            new GraphQLError(`${err.message} Connect again with a valid token.`, {
              extensions: { code: 'UNAUTHENTICATED' },
            }),
          ];
        }
        const refused = await limits.request(viewer, connections.get(ctx)?.address ?? 'unknown');
        if (refused) return [formatGraphQLError(rateLimitedError(refused))];
        // Thousands of connections subscribe with the same few documents: parse and validate each
        // once and share it (a parsed query was ~11 KB of every connection's memory).
        let document = validDocuments.get(payload.query);
        if (!document) {
          try {
            document = parse(payload.query, parseOptions(config));
          } catch (err) {
            return [formatGraphQLError(err)];
          }
          const errors = validate(schema, document, [...specifiedRules, ...validationRules]);
          if (errors.length > 0) return errors.map(formatGraphQLError);
          if (validDocuments.size >= 500) validDocuments.delete(validDocuments.keys().next().value!);
          validDocuments.set(payload.query, document);
        }
        const tooLong = checkTextInputs(
          schema,
          document,
          payload.operationName,
          payload.variables,
          config.MAX_TEXT_LENGTH,
        );
        if (tooLong) return [formatGraphQLError(tooLong)];
        const args: ExecutionArgs = {
          schema,
          document,
          operationName: payload.operationName ?? null,
          variableValues: payload.variables ?? null,
          contextValue: contextFor(viewer, randomUUID(), ctx.extra.request.headers['accept-language']),
        };
        return args;
      },
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors ? { ...result, errors: result.errors.map(formatGraphQLError) } : result,
      onError: (_ctx, _id, _payload, errors) => errors.map(formatGraphQLError),
    },
    wss,
  );

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.PORT, config.HOST, () => resolve());
  });
  const { port } = httpServer.address() as AddressInfo;
  const metricsListener = await startMetricsListener(config, metrics, logger);
  const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST;

  return {
    port,
    url: `http://${host}:${port}`,
    httpServer,
    outbox,
    networkFacts,
    metricsPort: metricsListener?.port ?? null,
    metrics,
    async stop(drainMs = config.SHUTDOWN_TIMEOUT_MS) {
      draining = true;
      httpServer.close();
      httpServer.closeIdleConnections();
      if (inFlight > 0) {
        await new Promise<void>((resolve) => {
          drained = resolve;
          setTimeout(resolve, drainMs).unref();
        });
      }
      // What is still running past the drain is cut off (its transaction rolls back).
      httpServer.closeAllConnections();
      // 1001 Going Away to every socket; one that does not answer the close is dropped after
      // WS_CLOSE_WAIT_MS instead of ws's 30 s.
      const disposed = wsServer.dispose();
      const cutOff = setTimeout(() => wss.clients.forEach((socket) => socket.terminate()), WS_CLOSE_WAIT_MS);
      await Promise.resolve(disposed).finally(() => clearTimeout(cutOff));
      await outbox.stop();
      await networkFacts.stop();
      await webhooks.stop();
      await apollo.stop();
      await metricsListener?.close();
    },
  };

  /**
   * A connection_init that failed on something other than the credential: closed by us, so that
   * graphql-ws neither prints a stack trace nor sends its own code. A passing database condition
   * closes with 1013 "Try Again Later", which clients retry (clients/realtime.ts); anything else
   * with 4500.
   */
  function closeOnFailure(socket: { close(code: number, reason: string): void }, err: unknown): false {
    const trouble = databaseTrouble(logged(err));
    if (trouble) socket.close(CLOSE_TRY_AGAIN_LATER, trouble.code);
    else socket.close(CloseCode.InternalServerError, 'Internal server error');
    return false;
  }

  /** Logs a WebSocket failure at its level (a database condition is a warning) and returns it. */
  function logged(err: unknown): unknown {
    const trouble = databaseTrouble(err);
    if (trouble) logger.warn({ err: (err as Error).message }, trouble.log);
    else logger.error({ err }, 'WebSocket request failed');
    return err;
  }

  function formatGraphQLError(err: unknown): GraphQLError {
    const formatted = formatError(err instanceof GraphQLError ? err.toJSON() : { message: String(err) }, err);
    return new GraphQLError(formatted.message, { extensions: formatted.extensions ?? {} });
  }
}

/** How long a WebSocket gets to answer the server's close frame at shutdown. */
const WS_CLOSE_WAIT_MS = 1_000;

/** WebSocket close code 1013 (RFC 6455 registry): the server is overloaded or a dependency is down. */
const CLOSE_TRY_AGAIN_LATER = 1013;

/** The Retry-After of a GraphQL answer that failed on a passing database condition, or 0. */
function retryAfterOf(codes: Set<unknown>): number {
  const troubles = Object.entries(DATABASE_TROUBLES).filter(([code]) => codes.has(code));
  return Math.max(0, ...troubles.map(([, t]) => t.retryAfter));
}

/** 503 with Retry-After, outside GraphQL: the database is unavailable, busy or too slow. */
function sendTrouble(res: ServerResponse, trouble: DatabaseTrouble, requestId: string): void {
  sendJson(
    res,
    trouble.status,
    { errors: [{ message: trouble.message, extensions: { code: trouble.code, requestId } }] },
    { 'retry-after': String(trouble.retryAfter) },
  );
}

/** 429 with Retry-After, outside GraphQL (HSDS, pages, the JWKS). */
function sendRateLimited(res: ServerResponse, refusal: Refusal, requestId: string): void {
  sendJson(
    res,
    429,
    { errors: [{ message: refusal.message, extensions: { code: RATE_LIMITED, requestId } }] },
    { 'retry-after': String(refusal.retryAfter) },
  );
}

/** Authentication and database failures while building the context become HTTP 401 / 503. */
function asTransportError(err: unknown): GraphQLError {
  if (err instanceof AuthenticationError) {
    return new GraphQLError(err.message, {
      extensions: {
        code: 'UNAUTHENTICATED',
        http: { status: 401, headers: new Map([['www-authenticate', 'Bearer error="invalid_token"']]) },
      },
    });
  }
  const trouble = databaseTrouble(err);
  if (trouble) {
    return new GraphQLError(trouble.message, {
      extensions: {
        code: trouble.code,
        http: { status: trouble.status, headers: new Map([['retry-after', String(trouble.retryAfter)]]) },
      },
    });
  }
  throw err;
}

async function readinessProblem(db: Database): Promise<string | null> {
  try {
    const pending = await pendingMigrations(db.pool);
    return pending.length > 0 ? `migrations not applied: ${pending.join(', ')}` : null;
  } catch (err) {
    return `database unreachable: ${(err as Error).message}`;
  }
}

function wantsHtml(req: IncomingMessage): boolean {
  return (req.headers.accept ?? '').includes('text/html');
}

export { CloseCode };
