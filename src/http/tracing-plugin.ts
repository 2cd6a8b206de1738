/**
 * The spans of the hub's network face (src/shared/tracing.ts registers the SDK): one SERVER span
 * per HTTP request, a child of the caller's W3C `traceparent`; one span per GraphQL operation,
 * over HTTP (opened around Apollo's execution and named by the Apollo plugin once the operation is
 * known) and over graphql-ws (one per subscribe). Attributes follow the stable HTTP semantic
 * conventions and the GraphQL ones; never the query string, the GraphQL document, its variables,
 * the client's address or an error message. With tracing off, each wrapper only runs what it wraps.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { context, propagation, ROOT_CONTEXT, SpanKind, trace, type Span } from '@opentelemetry/api';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import {
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_REQUEST_METHOD_ORIGINAL,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_NETWORK_PROTOCOL_VERSION,
  ATTR_URL_PATH,
  ATTR_URL_SCHEME,
  ERROR_TYPE_VALUE_OTHER,
  HTTP_REQUEST_METHOD_VALUE_OTHER,
} from '@opentelemetry/semantic-conventions';
import { execute, getOperationAST, subscribe, type ExecutionArgs, type GraphQLError } from 'graphql';
import { activeTracer, inSpan, markFailed } from '../shared/tracing.ts';

/** GraphQL attributes (semantic conventions, development status: not in the stable package). */
const ATTR_GRAPHQL_OPERATION_TYPE = 'graphql.operation.type';
const ATTR_GRAPHQL_OPERATION_NAME = 'graphql.operation.name';
/** The span name of an operation whose type is not known (yet, or ever: a syntax error). */
const UNKNOWN_OPERATION = 'GraphQL Operation';

const METHODS = new Set(['CONNECT', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT', 'TRACE']);
/** Paths that are their own route; any other path is a slug or an id under one (no `http.route`). */
const ROUTES = new Set(['/graphql', '/healthz', '/readyz', '/.well-known/jwks.json', '/']);

/** The operation spans this module opened over HTTP: the Apollo plugin names only those. */
const operationSpans = new WeakSet<Span>();

/**
 * Runs `handle` for one HTTP request inside a SERVER span, continuing the trace of the request's
 * `traceparent` header; the span ends when the response is closed, with its status code.
 */
export function traceHttpRequest(
  req: IncomingMessage,
  res: ServerResponse,
  handle: () => Promise<void>,
): Promise<void> {
  const tracer = activeTracer();
  if (!tracer) return handle();
  const parent = propagation.extract(ROOT_CONTEXT, req.headers);
  const method = METHODS.has(req.method ?? '') ? req.method! : HTTP_REQUEST_METHOD_VALUE_OTHER;
  const path = new URL(req.url ?? '/', 'http://hub').pathname;
  const route = ROUTES.has(path) ? path : undefined;
  const span = tracer.startSpan(
    route ? `${method} ${route}` : method,
    {
      kind: SpanKind.SERVER,
      attributes: {
        [ATTR_HTTP_REQUEST_METHOD]: method,
        ...(req.method && method !== req.method && { [ATTR_HTTP_REQUEST_METHOD_ORIGINAL]: req.method }),
        [ATTR_URL_SCHEME]: 'http',
        [ATTR_URL_PATH]: path,
        ...(route && { [ATTR_HTTP_ROUTE]: route }),
        [ATTR_NETWORK_PROTOCOL_VERSION]: req.httpVersion,
      },
    },
    parent,
  );
  res.once('close', () => {
    span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, res.statusCode);
    if (res.statusCode >= 500) markFailed(span, String(res.statusCode));
    span.end();
  });
  return context.with(trace.setSpan(parent, span), handle);
}

/**
 * Runs one GraphQL request over HTTP inside an operation span (INTERNAL: the HTTP span is the
 * SERVER one), so that the SQL it causes nests under it; `tracingPlugin` names it.
 */
export function traceGraphqlOperation(run: () => Promise<void>): Promise<void> {
  return inSpan(UNKNOWN_OPERATION, { kind: SpanKind.INTERNAL }, (span) => {
    if (span) operationSpans.add(span);
    return run();
  });
}

/** The Apollo plugin that gives an operation span its type, name and failure. */
export function tracingPlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    requestDidStart() {
      const span = trace.getActiveSpan();
      if (!span || !operationSpans.has(span)) return Promise.resolve();
      return Promise.resolve({
        didResolveOperation({ operation }) {
          if (operation) describeOperation(span, operation.operation, operation.name?.value);
          return Promise.resolve();
        },
        didEncounterErrors({ errors }) {
          markFailed(span, errorCode(errors));
          return Promise.resolve();
        },
      });
    },
  };
}

/**
 * graphql-ws's `execute` and `subscribe`, each call in a SERVER span of its own: a subscription's
 * span covers its start (authorisation, replay set-up), not the events that follow.
 */
export const tracedExecution = {
  execute: traced(execute),
  subscribe: traced(subscribe),
};

function traced<R>(run: (args: ExecutionArgs) => R): (args: ExecutionArgs) => R | Promise<Awaited<R>> {
  return (args) => {
    if (!activeTracer()) return run(args);
    const operation = getOperationAST(args.document, args.operationName);
    return inSpan<Awaited<R>>(
      operation?.operation ?? UNKNOWN_OPERATION,
      { kind: SpanKind.SERVER },
      async (span): Promise<Awaited<R>> => {
        if (span && operation) describeOperation(span, operation.operation, operation.name?.value);
        const result = await run(args);
        const errors = (result as { errors?: readonly GraphQLError[] } | null)?.errors;
        if (span && errors?.length) markFailed(span, errorCode(errors));
        return result;
      },
    );
  };
}

/** Span name `{type}` (the name is the client's choice: unbounded, so an attribute only). */
function describeOperation(span: Span, type: string, name: string | undefined): void {
  span.updateName(type);
  span.setAttribute(ATTR_GRAPHQL_OPERATION_TYPE, type);
  if (name) span.setAttribute(ATTR_GRAPHQL_OPERATION_NAME, name);
}

/** The first error's code (`BAD_USER_INPUT`, `UNAUTHENTICATED`…): a constant, never a message. */
function errorCode(errors: readonly GraphQLError[]): string {
  const code = errors[0]?.extensions?.code;
  return typeof code === 'string' ? code : ERROR_TYPE_VALUE_OTHER;
}
