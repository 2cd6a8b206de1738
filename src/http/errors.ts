/**
 * What a client sees of an error. Expected errors keep their message and get a stable code;
 * anything unexpected is masked ("Unexpected error.") and logged in full with the request id,
 * which the client also gets so that support can find the log line.
 */
import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { PothosSchemaError, PothosValidationError } from '@pothos/core';
import { ForbiddenError as ScopeForbiddenError } from '@pothos/plugin-scope-auth';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { isDatabaseUnavailable, sqlState } from '../shared/db/db-errors.ts';
import { DomainError } from '../shared/errors.ts';
import type { Context } from '../context.ts';
import type { Logger } from '../shared/logger.ts';
import { isLimitError, isTokenLimitError, LIMIT_CODE } from './limits.ts';
import { INPUT_TOO_LONG } from './text-inputs.ts';

/** The request an error came from: its id (sent to the client) and its logger. */
export interface RequestScope {
  requestId: string;
  logger: Logger;
}

/**
 * Errors by the request they came from. `formatError` gets only the error (Apollo passes no
 * context), so the request is noted on the error itself where it is caught: Apollo's
 * `didEncounterErrors` (every error of an operation, `errorScopePlugin`) and the context's creation
 * (`noteErrorScope` in `server.ts`). Not an AsyncLocalStorage: on Node 20 and 22 it runs a hook
 * on every promise of every request (4.5 % of a `node(id)` lookup's CPU, docs/NOTES.md) to serve
 * the rare error.
 */
const errorScopes = new WeakMap<object, RequestScope>();

/** Notes that `error` came from the request `scope`. */
export function noteErrorScope(error: unknown, scope: RequestScope): void {
  if (typeof error === 'object' && error !== null) errorScopes.set(error, scope);
}

/** The request `error`, or an error it wraps, was noted with. */
function scopeOf(error: unknown): RequestScope | undefined {
  for (let e = error, depth = 0; typeof e === 'object' && e !== null && depth < 5; depth++) {
    const scope = errorScopes.get(e);
    if (scope) return scope;
    e = (e as { originalError?: unknown }).originalError;
  }
  return undefined;
}

/** Apollo plugin: notes each operation's errors with the request's id and logger (`formatError`). */
export function errorScopePlugin(): ApolloServerPlugin<Context> {
  const listener: GraphQLRequestListener<Context> = {
    didEncounterErrors({ errors, contextValue }) {
      for (const error of errors) noteErrorScope(error, contextValue);
      return Promise.resolve();
    },
  };
  return { requestDidStart: () => Promise.resolve(listener) };
}

export const DATABASE_UNAVAILABLE = 'DATABASE_UNAVAILABLE';
/** A statement ran past DATABASE_STATEMENT_TIMEOUT_MS and PostgreSQL cancelled it (HTTP 503). */
export const DATABASE_TIMEOUT = 'DATABASE_TIMEOUT';
/**
 * A row another transaction holds stayed locked past DATABASE_LOCK_TIMEOUT_MS, or two
 * transactions collided (deadlock, serialization): nothing was changed; retry (HTTP 503).
 */
export const DATABASE_BUSY = 'DATABASE_BUSY';
/** PostgreSQL's code for a statement cancelled by `statement_timeout` (or a cancel request). */
const QUERY_CANCELED = '57014';
/** lock_not_available (lock_timeout), serialization_failure, deadlock_detected. */
const BUSY_STATES = new Set(['55P03', '40001', '40P01']);
/** Prisma: an interactive transaction that could not start, or ran past its time limit. */
const PRISMA_TRANSACTION_TIMEOUT = 'P2028';
/** Too many requests, failed authentications, connections or subscriptions (HTTP 429). */
export const RATE_LIMITED = 'RATE_LIMITED';

/**
 * PostgreSQL "data exception" codes that only a value from the request can cause here: text it
 * cannot parse as a uuid or a number (a forged cursor or ID), a NUL byte, a value out of range.
 * They answer BAD_USER_INPUT, logged at info; division by zero and the like stay unexpected.
 */
const INVALID_VALUE_STATES = new Set(['22P02', '22021', '22P05', '22001', '22003', '22007', '22008']);

/** Apollo's own codes for request problems: their messages are meant for the client. */
const CLIENT_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  DATABASE_UNAVAILABLE,
  DATABASE_TIMEOUT,
  DATABASE_BUSY,
  RATE_LIMITED,
  INPUT_TOO_LONG,
  LIMIT_CODE,
]);

/**
 * Apollo `formatError` (and the WebSocket's): keep what is meant for clients, mask the rest, and
 * never suggest schema names ("Did you mean …?"): Apollo strips them from validation errors over
 * HTTP only, not from variable errors nor over WebSocket.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const result = formatClientError(formatted, error);
  return { ...result, message: withoutSuggestions(result.message) };
}

/** Removes graphql-js's "Did you mean …?" hints, which reveal schema names. */
export function withoutSuggestions(message: string): string {
  return message.replace(/ ?Did you mean [^?]*\?/g, '');
}

function formatClientError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const scope = scopeOf(error);
  const original = unwrapResolverError(error);
  const { path, locations } = formatted;
  const where = { ...(path ? { path } : {}), ...(locations ? { locations } : {}) };

  if (original instanceof DomainError) {
    return { message: original.message, ...where, extensions: { code: original.code } };
  }
  if (original instanceof ScopeForbiddenError) {
    return { message: original.message, ...where, extensions: { code: 'FORBIDDEN' } };
  }
  if (original instanceof PothosValidationError) {
    return { message: original.message, ...where, extensions: { code: 'BAD_USER_INPUT' } };
  }
  const trouble = databaseTrouble(original);
  if (trouble) {
    scope?.logger.warn({ err: describe(original), path }, trouble.log);
    return {
      message: trouble.message,
      ...where,
      extensions: { code: trouble.code, requestId: scope?.requestId },
    };
  }
  const state = sqlState(original);
  if (state && INVALID_VALUE_STATES.has(state)) {
    scope?.logger.info({ err: describe(original), path }, 'invalid value refused by the database');
    return {
      message: 'A value in the request (an ID, a cursor or a text) is not valid.',
      ...where,
      extensions: { code: 'BAD_USER_INPUT' },
    };
  }
  const code = formatted.extensions?.code;
  if (isTokenLimitError(formatted.message)) {
    const limit = /\d+/.exec(formatted.message)?.[0];
    return { message: `The query has more than ${limit} tokens.`, extensions: { code: LIMIT_CODE } };
  }
  if (isLimitError(error)) return { message: formatted.message, ...where, extensions: { code: LIMIT_CODE } };
  const exposable =
    original instanceof GraphQLError && !(original instanceof PothosSchemaError) && !original.originalError;
  if (exposable || (typeof code === 'string' && CLIENT_CODES.has(code))) {
    const retryAfter = formatted.extensions?.retryAfter;
    return {
      message: formatted.message,
      ...where,
      ...(code ? { extensions: { code, ...(retryAfter === undefined ? {} : { retryAfter }) } } : {}),
    };
  }
  scope?.logger.error({ err: original, path }, 'unexpected error');
  return {
    message: 'Unexpected error.',
    ...where,
    extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: scope?.requestId },
  };
}

/** A passing state of the database: the request changed nothing and may be sent again. */
export interface DatabaseTrouble {
  code: typeof DATABASE_UNAVAILABLE | typeof DATABASE_BUSY | typeof DATABASE_TIMEOUT;
  /** What the client reads. */
  message: string;
  /** HTTP status (503) and Retry-After in seconds. */
  status: 503;
  retryAfter: number;
  /** The hub's log message. */
  log: string;
}

/** Each passing condition's answer, by GraphQL code. */
export const DATABASE_TROUBLES: Record<DatabaseTrouble['code'], Omit<DatabaseTrouble, 'code'>> = {
  [DATABASE_UNAVAILABLE]: {
    message: 'The database is unavailable; try again shortly.',
    status: 503,
    retryAfter: 5,
    log: 'database unavailable',
  },
  [DATABASE_BUSY]: {
    message: 'The data is busy with another change; nothing was changed, try again in a moment.',
    status: 503,
    retryAfter: 1,
    log: 'database busy',
  },
  [DATABASE_TIMEOUT]: {
    message: 'The request took too long on the database and was cancelled; try again later, or ask for less.',
    status: 503,
    retryAfter: 5,
    log: 'statement timeout',
  },
};

/**
 * The one classification of passing database conditions, for GraphQL (formatError), the
 * WebSocket and every other route: unavailable (connection lost or refused, server starting or
 * shutting down), busy (lock wait, deadlock, expired transaction) or timed out. Null otherwise.
 */
export function databaseTrouble(err: unknown): DatabaseTrouble | null {
  const code = isDatabaseUnavailable(err)
    ? DATABASE_UNAVAILABLE
    : isDatabaseBusy(err)
      ? DATABASE_BUSY
      : sqlState(err) === QUERY_CANCELED
        ? DATABASE_TIMEOUT
        : null;
  return code ? { code, ...DATABASE_TROUBLES[code] } : null;
}

function isDatabaseBusy(err: unknown): boolean {
  const state = sqlState(err);
  if (state && BUSY_STATES.has(state)) return true;
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 6; depth++) {
    if ((e as { code?: unknown }).code === PRISMA_TRANSACTION_TIMEOUT) return true;
    e = (e as { cause?: unknown }).cause ?? (e as { originalError?: unknown }).originalError;
  }
  return false;
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
