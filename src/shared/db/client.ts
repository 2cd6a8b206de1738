/**
 * The database handle of a hub process: one pg pool, the Prisma client on top of it
 * (driver adapter, no native engine), and the health checks that read it.
 */
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient, type Prisma } from '../../generated/prisma/client.ts';
import { DEFAULT_STATEMENT_TIMEOUT_MS } from '../config.ts';
import type { Logger } from '../logger.ts';

export type { PrismaClient };

/** Runs one hand-written statement (built with `Prisma.sql`) straight on the pool. */
export type SqlRunner = <T>(statement: Prisma.Sql) => Promise<T[]>;

export interface Database {
  prisma: PrismaClient;
  /**
   * Hand-written SQL on the hot path (the catalogue search) skips Prisma's query engine, which
   * costs ~1 ms of CPU per statement; parameters stay bound, never interpolated.
   */
  sql: SqlRunner;
  /** The pool under Prisma, for health checks and hand-written SQL. */
  pool: pg.Pool;
  /** Where it connects (for a dedicated LISTEN connection). */
  url: string;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  url: string;
  poolMax: number;
  logger: Logger;
  /** Called with each SQL statement Prisma sends (tests count them to catch N+1). */
  onQuery?: (sql: string) => void;
  /**
   * PostgreSQL cancels a statement running longer than this (error 57014), so that no request
   * holds the database for long. 0: never. Default DEFAULT_STATEMENT_TIMEOUT_MS (15 s).
   */
  statementTimeoutMs?: number;
}

/** Opens a pool and a Prisma client. Connection loss is logged, never fatal: pg reconnects on next use. */
export function openDatabase(opts: DatabaseOptions): Database {
  const pool = new pg.Pool({
    connectionString: opts.url,
    max: opts.poolMax,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    application_name: 'maillage',
    // Sent at connection start-up: every statement on every pooled connection, Prisma's included.
    statement_timeout: opts.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS,
  });
  // Without a listener, an idle client's error (PostgreSQL restarted) crashes the process.
  pool.on('error', (err) => opts.logger.warn({ err: err.message }, 'database connection lost'));
  // A client checked out of the pool (a transaction, a worker's lock) has no pool listener while it
  // is out: one error listener per client for its whole life, so that a lost connection fails the
  // query that used it instead of crashing the process.
  pool.on('connect', (client) => {
    client.on('error', (err) => opts.logger.warn({ err: err.message }, 'database connection lost'));
  });
  const adapter = new PrismaPg(pool, {
    onConnectionError: (err) => opts.logger.warn({ err: err.message }, 'database connection error'),
  });
  const prisma = new PrismaClient({
    adapter,
    log: opts.onQuery ? [{ emit: 'event', level: 'query' }] : [],
    // Prisma's defaults (2 s to get a connection, 5 s for the whole transaction) are shorter than
    // one statement may take (DATABASE_STATEMENT_TIMEOUT_MS, 15 s): on a loaded machine a valid
    // change failed as "expired transaction". A transaction now gets what a statement gets.
    transactionOptions: { maxWait: 10_000, timeout: 15_000 },
  });
  if (opts.onQuery) {
    const onQuery = opts.onQuery;
    (prisma as unknown as QueryEmitter).$on('query', (e) => onQuery(e.query));
  }
  const sql: SqlRunner = async <T>(statement: Prisma.Sql) => {
    opts.onQuery?.(statement.text);
    const result = await pool.query(statement.text, statement.values);
    return result.rows as T[];
  };
  return {
    prisma,
    sql,
    pool,
    url: opts.url,
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

interface QueryEmitter {
  $on(event: 'query', cb: (e: { query: string }) => void): void;
}
