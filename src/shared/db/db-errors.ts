/**
 * What a PostgreSQL error means, read through every wrapper (Prisma's driver adapter, pg): its
 * SQLSTATE, and whether the database is merely unreachable for now (the request may be sent
 * again). Used by the HTTP answers (src/http/errors.ts) and by start-up (wait.ts).
 */

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND']);
/**
 * SQLSTATEs of a lost or refused database: class 08 (connection exception), 57P01–57P03 (admin
 * or crash shutdown, "the database system is starting up / shutting down"), 53300 (too many
 * connections).
 */
const UNAVAILABLE_STATES = /^(08...|57P0[123]|53300)$/;

/**
 * True when the error comes from losing the database (refused, reset, server shutting down,
 * pool timeout). Walks the cause chain: Prisma wraps the driver's error.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  const state = sqlState(err);
  if (state && UNAVAILABLE_STATES.test(state)) return true;
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
    if (typeof code === 'string' && UNAVAILABLE_STATES.test(code)) return true;
    if (kind === 'DatabaseNotReachable' || kind === 'ConnectionClosed' || kind === 'SocketTimeout')
      return true;
    if (
      typeof message === 'string' &&
      /Connection terminated|connection error and is not queryable|timeout exceeded when trying to connect|^timeout expired$|connect ECONNREFUSED|Can't reach database server|Server has closed the connection|terminating connection/i.test(
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
