/**
 * The one classification of passing database conditions (src/http/errors.ts `databaseTrouble`),
 * on the errors seen from pg and from Prisma's driver adapter around a PostgreSQL restart, a lock
 * wait and a statement timeout: each becomes a 503 code that tells the client to retry, anything
 * else stays unexpected. The restart itself is test/ops/database-restart.test.ts.
 */
import { describe, expect, it } from '@jest/globals';
import { databaseTrouble } from '../../src/http/errors.ts';

/** A pg error as pg builds it: the SQLSTATE in `code`, beside `severity`. */
const pgError = (code: string, message = 'x') =>
  Object.assign(new Error(message), { code, severity: 'FATAL' });
/** The same through Prisma's driver adapter. */
const adapted = (originalCode: string) =>
  Object.assign(new Error('adapter'), { meta: { driverAdapterError: { cause: { originalCode } } } });

describe('databaseTrouble', () => {
  it.each([
    ['the server is starting up', pgError('57P03', 'the database system is starting up')],
    ['the server is shutting down (through Prisma)', adapted('57P03')],
    ['an administrator shut it down', pgError('57P01')],
    ['a connection exception', adapted('08006')],
    ['too many connections', pgError('53300')],
    [
      'a refused socket',
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
    ],
    [
      'a client reused after its connection failed',
      new Error('Client has encountered a connection error and is not queryable'),
    ],
    ['a wrapped cause', Object.assign(new Error('outer'), { cause: pgError('57P02') })],
    // pg's connectionTimeoutMillis: a server too loaded to accept in time (a hub starting on a
    // busy CI machine gave up at once instead of waiting DATABASE_WAIT_S).
    ['a connection not accepted in time', new Error('timeout expired')],
  ])('%s: DATABASE_UNAVAILABLE', (_, err) => {
    expect(databaseTrouble(err)).toMatchObject({ code: 'DATABASE_UNAVAILABLE', status: 503, retryAfter: 5 });
  });

  it.each([
    ['a lock wait past lock_timeout', adapted('55P03')],
    ['a deadlock', pgError('40P01')],
    ['a serialization failure', adapted('40001')],
    ["Prisma's expired interactive transaction", Object.assign(new Error('expired'), { code: 'P2028' })],
  ])('%s: DATABASE_BUSY', (_, err) => {
    expect(databaseTrouble(err)).toMatchObject({ code: 'DATABASE_BUSY', status: 503, retryAfter: 1 });
  });

  it('a statement cancelled by statement_timeout: DATABASE_TIMEOUT', () => {
    expect(databaseTrouble(adapted('57014'))).toMatchObject({ code: 'DATABASE_TIMEOUT', status: 503 });
  });

  it.each([
    ['a unique violation', adapted('23505')],
    ['a bad value', pgError('22P02')],
    ['any other error', new Error('boom')],
  ])('%s: not a passing condition', (_, err) => {
    expect(databaseTrouble(err)).toBeNull();
  });
});
