/**
 * What a client sees of an error. Expected errors keep their message and get a stable code;
 * anything unexpected is masked ("Unexpected error.") and logged in full with the request id,
 * which the client also gets so that support can find the log line.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { unwrapResolverError } from '@apollo/server/errors';
import { PothosSchemaError, PothosValidationError } from '@pothos/core';
import { ForbiddenError as ScopeForbiddenError } from '@pothos/plugin-scope-auth';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { DomainError } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import { isLimitError, isTokenLimitError, LIMIT_CODE } from './limits.ts';
import { INPUT_TOO_LONG } from './text-inputs.ts';

/** Per-request scope, readable from anywhere below the request handler. */
export interface RequestScope {
  requestId: string;
  logger: Logger;
}
export const requestScope = new AsyncLocalStorage<RequestScope>();

export const DATABASE_UNAVAILABLE = 'DATABASE_UNAVAILABLE';
/** A statement ran past DATABASE_STATEMENT_TIMEOUT_MS and PostgreSQL cancelled it (HTTP 503). */
export const DATABASE_TIMEOUT = 'DATABASE_TIMEOUT';
/** PostgreSQL's code for a statement cancelled by `statement_timeout` (or a cancel request). */
const QUERY_CANCELED = '57014';
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
  const scope = requestScope.getStore();
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
  const state = sqlState(original);
  if (state === QUERY_CANCELED) {
    scope?.logger.warn({ err: describe(original), path }, 'statement timeout');
    return {
      message:
        'The request took too long on the database and was cancelled; try again later, or ask for less.',
      ...where,
      extensions: { code: DATABASE_TIMEOUT, requestId: scope?.requestId },
    };
  }
  if (state && INVALID_VALUE_STATES.has(state)) {
    scope?.logger.info({ err: describe(original), path }, 'invalid value refused by the database');
    return {
      message: 'A value in the request (an ID, a cursor or a text) is not valid.',
      ...where,
      extensions: { code: 'BAD_USER_INPUT' },
    };
  }
  if (isDatabaseUnavailable(original)) {
    scope?.logger.warn({ err: describe(original) }, 'database unavailable');
    return {
      message: 'The database is unavailable; try again shortly.',
      ...where,
      extensions: { code: DATABASE_UNAVAILABLE, requestId: scope?.requestId },
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

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  '57P01',
  '57P02',
  '57P03',
]);

/**
 * True when the error comes from losing the database (refused, reset, server shutting down,
 * pool timeout). Walks the cause chain: Prisma wraps the driver's error.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e = err, depth = 0; e && depth < 6; depth++) {
    if (typeof e !== 'object') return false;
    const { code, message, cause, kind } = e as {
      code?: unknown;
      message?: unknown;
      cause?: unknown;
      kind?: unknown;
    };
    if (typeof code === 'string' && (CONNECTION_CODES.has(code) || code === 'P1001' || code === 'P1017')) {
      return true;
    }
    if (kind === 'DatabaseNotReachable' || kind === 'ConnectionClosed' || kind === 'SocketTimeout')
      return true;
    if (
      typeof message === 'string' &&
      /Connection terminated|timeout exceeded when trying to connect|connect ECONNREFUSED|Can't reach database server|Server has closed the connection|terminating connection/i.test(
        message,
      )
    ) {
      return true;
    }
    e = cause ?? (e as { originalError?: unknown }).originalError;
  }
  return false;
}

/**
 * The SQLSTATE of a PostgreSQL error, from pg (`code` beside `severity`) or through Prisma's
 * driver adapter (`meta.driverAdapterError.cause.originalCode`); undefined for anything else.
 */
export function sqlState(err: unknown): string | undefined {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 6; depth++) {
    const o = e as {
      code?: unknown;
      severity?: unknown;
      originalCode?: unknown;
      meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } };
      cause?: unknown;
      originalError?: unknown;
    };
    const adapted = o.meta?.driverAdapterError?.cause?.originalCode ?? o.originalCode;
    if (typeof adapted === 'string') return adapted;
    if (typeof o.code === 'string' && typeof o.severity === 'string') return o.code;
    e = o.cause ?? o.originalError;
  }
  return undefined;
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
