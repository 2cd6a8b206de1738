/**
 * The database handle of a hub process: one pg pool, the Prisma client on top of it
 * (driver adapter, no native engine), and the health checks that read it.
 *
 * The pool may go through a transaction pooler (PgBouncer `pool_mode = transaction`): every
 * statement is then a transaction of its own or part of an explicit one, never relying on the
 * session (no `SET` without LOCAL, no session advisory locks, no named prepared statements, no
 * LISTEN). What needs a session connects to `directUrl`.
 */
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { Prisma, PrismaClient } from '../../generated/prisma/client.ts';
import {
  DEFAULT_LOCK_TIMEOUT_MS,
  DEFAULT_RANDOM_PAGE_COST,
  DEFAULT_STATEMENT_TIMEOUT_MS,
} from '../config.ts';
import type { Logger } from '../logger.ts';
import { traceSql } from '../tracing.ts';
import { connectionSurvives, PREPARED_PER_CONNECTION, preparedQuery } from './prepared.ts';

export type { PrismaClient };

/** Runs one hand-written statement (built with `Prisma.sql`) straight on the pool. */
export type SqlRunner = <T>(statement: Prisma.Sql, opts?: SqlOptions) => Promise<T[]>;

export interface SqlOptions {
  /**
   * false: never a prepared statement. For a statement whose best plan depends on its values (a
   * text search: how selective the words are decides which index to start from), where a cached
   * generic plan would serve every search with one plan. Default true (`prepared.ts`).
   */
  prepare?: boolean;
}

/** Prisma's interactive transaction as a SqlRunner: hand-written statements inside it. */
export const prismaRunner =
  (tx: Prisma.TransactionClient): SqlRunner =>
  <T>(statement: Prisma.Sql) =>
    tx.$queryRaw<T[]>(statement);

/**
 * Hand-written statements and their transactions through a Prisma client, for code that holds
 * only one (the demo seed): the same statements, through Prisma's machinery.
 */
export const throughPrisma = (prisma: PrismaClient): { sql: SqlRunner; transaction: SqlTransaction } => ({
  sql: <T>(statement: Prisma.Sql) => prisma.$queryRaw<T[]>(statement),
  transaction: (work) => prisma.$transaction((tx) => work(prismaRunner(tx))),
});

/**
 * Runs `work` as ONE transaction of hand-written statements on one pooled connection: BEGIN,
 * the statements `work` runs through the runner it is given, COMMIT; ROLLBACK when it throws.
 * For hot paths where Prisma's interactive transaction costs more than the statements (a
 * referral's step: bench/referrals, docs/NOTES.md).
 */
export type SqlTransaction = <T>(work: (sql: SqlRunner) => Promise<T>) => Promise<T>;

export interface Database {
  prisma: PrismaClient;
  /**
   * Hand-written SQL on the hot path (the catalogue search) skips Prisma's query engine, which
   * costs ~1 ms of CPU per statement; parameters stay bound, never interpolated.
   */
  sql: SqlRunner;
  transaction: SqlTransaction;
  /** The pool under Prisma, for health checks and hand-written SQL. */
  pool: pg.Pool;
  /** Where the pool connects: the server, or a transaction pooler in front of it. */
  url: string;
  /** The server itself, for what needs one session (the outbox tail's LISTEN connection). */
  directUrl: string;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  url: string;
  /**
   * The server itself (DATABASE_DIRECT_URL), when `url` is a transaction pooler. Default `url`.
   * When it differs, nothing session-scoped is sent through `url` (PgBouncer refuses startup
   * parameters) and the statement timeout is the role's default, which `openDatabase` checks.
   */
  directUrl?: string;
  poolMax: number;
  logger: Logger;
  /** Called with each SQL statement Prisma sends (tests count them to catch N+1). */
  onQuery?: (sql: string) => void;
  /**
   * PostgreSQL cancels a statement running longer than this (error 57014), so that no request
   * holds the database for long. 0: never. Default DEFAULT_STATEMENT_TIMEOUT_MS (15 s). Through a
   * pooler, what the role's default must be (checked at open, with a warning).
   */
  statementTimeoutMs?: number;
  /**
   * A statement waiting this long for a lock another transaction holds fails (55P03), and the
   * request answers DATABASE_BUSY (503, retry) instead of waiting out the statement timeout.
   * 0: no limit. Default DEFAULT_LOCK_TIMEOUT_MS (5 s). Through a pooler: the role's default.
   */
  lockTimeoutMs?: number;
  /**
   * The planner's `random_page_cost` on the hub's connections (default DEFAULT_RANDOM_PAGE_COST).
   * A cost, not a safeguard: through a pooler it is the server's, and nothing checks it.
   */
  randomPageCost?: number;
  /**
   * Hand-written statements with parameters run as named prepared statements (`prepared.ts`):
   * parsed once per connection. Default on, off through a pooler (`directUrl` differs).
   */
  preparedStatements?: boolean;
  /** Prepared statements a connection keeps (default PREPARED_PER_CONNECTION). */
  preparedPerConnection?: number;
}

/** Opens a pool and a Prisma client. Connection loss is logged, never fatal: pg reconnects on next use. */
export function openDatabase(opts: DatabaseOptions): Database {
  const directUrl = opts.directUrl ?? opts.url;
  const pooled = directUrl !== opts.url;
  const settings: SessionSettings = {
    statement_timeout: opts.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS,
    lock_timeout: opts.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS,
  };
  const pool = new pg.Pool({
    connectionString: opts.url,
    max: opts.poolMax,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    application_name: 'maillage',
    // Sent at connection start-up, so it holds for every statement, Prisma's included.
    ...(!pooled && {
      options: startupOptions({
        ...settings,
        random_page_cost: opts.randomPageCost ?? DEFAULT_RANDOM_PAGE_COST,
      }),
    }),
  });
  // Without a listener, an idle client's error (PostgreSQL restarted) crashes the process.
  pool.on('error', (err) => opts.logger.warn({ err: err.message }, 'database connection lost'));
  // A client checked out of the pool (a transaction, a worker's lock) has no pool listener while it
  // is out: one error listener per client for its whole life, so that a lost connection fails the
  // query that used it instead of crashing the process.
  pool.on('connect', (client) => {
    client.on('error', (err) => opts.logger.warn({ err: err.message }, 'database connection lost'));
  });
  if (pooled) void checkPooledSettings(pool, settings, opts.logger);
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
  // Named prepared statements on connections to the server itself; through a pooler, unnamed.
  const prepared = !pooled && opts.preparedStatements !== false;
  const limit = opts.preparedPerConnection ?? PREPARED_PER_CONNECTION;
  /** On the pool (unnamed, pg's `pool.query`) or on one connection (prepared when it may be). */
  const runOn = async <T>(
    queryable: pg.Pool | pg.PoolClient,
    statement: Prisma.Sql,
    inTransaction: boolean,
    sqlOptions?: SqlOptions,
  ): Promise<T[]> => {
    opts.onQuery?.(statement.text);
    const result = await traceSql(statement.text, () =>
      prepared && queryable !== pool && statement.values.length > 0 && sqlOptions?.prepare !== false
        ? preparedQuery(queryable as pg.PoolClient, statement.text, statement.values, {
            limit,
            inTransaction,
          })
        : queryable.query(statement.text, statement.values),
    );
    return result.rows as T[];
  };
  const sql: SqlRunner = async <T>(statement: Prisma.Sql, sqlOptions?: SqlOptions) => {
    if (!prepared) return runOn<T>(pool, statement, false);
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      return await runOn<T>(client, statement, false, sqlOptions);
    } catch (err) {
      // pg's pool.query drops the connection on any error; an error PostgreSQL reports for the
      // statement leaves it usable, with the statements it has prepared.
      if (!connectionSurvives(err)) broken = err as Error;
      throw err;
    } finally {
      client.release(broken);
    }
  };
  const transaction: SqlTransaction = async (work) => {
    const client = await pool.connect();
    const run: SqlRunner = (statement, sqlOptions) => runOn(client, statement, true, sqlOptions);
    // A connection whose ROLLBACK failed is broken: it leaves the pool instead of going back.
    let broken: Error | undefined;
    try {
      await run(Prisma.sql`BEGIN`);
      const result = await work(run);
      await run(Prisma.sql`COMMIT`);
      return result;
    } catch (err) {
      await run(Prisma.sql`ROLLBACK`).catch((e: unknown) => (broken = e as Error));
      throw err;
    } finally {
      client.release(broken);
    }
  };
  return {
    prisma,
    sql,
    transaction,
    pool,
    url: opts.url,
    directUrl,
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

/** Session settings the hub wants on every connection, by PostgreSQL name (timeouts in ms). */
type SessionSettings = Record<string, number>;

/**
 * `settings` as pg's `options` (`-c name=value`), sent at connection start-up. Not pg's own
 * `statement_timeout` field, which pg leaves out when it is 0: "no timeout" must override a
 * default the role may have (the one a pooled hub relies on).
 */
export function startupOptions(settings: SessionSettings): string {
  return Object.entries(settings)
    .map(([name, value]) => `-c ${name}=${value}`)
    .join(' ');
}

/**
 * Through a transaction pooler the hub cannot choose its session settings: the server's defaults
 * for the role apply (README, "Through a connection pooler"). Warns, with the statements that fix
 * it, when they are not what the hub's configuration says.
 */
async function checkPooledSettings(pool: pg.Pool, settings: SessionSettings, logger: Logger): Promise<void> {
  const names = Object.keys(settings);
  try {
    const { rows } = await pool.query<{ name: string; setting: string; role: string; database: string }>(
      `select name, setting, quote_ident(current_user) as role, quote_ident(current_database()) as database
       from pg_settings where name = any($1::text[])`,
      [names],
    );
    const wrong = rows.filter((r) => Number(r.setting) !== settings[r.name]);
    if (wrong.length === 0) return;
    const fix = wrong.map(
      (r) => `ALTER ROLE ${r.role} IN DATABASE ${r.database} SET ${r.name} = ${settings[r.name]};`,
    );
    logger.warn(
      { expected: settings, actual: Object.fromEntries(wrong.map((r) => [r.name, Number(r.setting)])), fix },
      'through the pooler (DATABASE_URL) the database does not apply the configured timeouts; run `fix` on the server',
    );
  } catch (err) {
    logger.warn({ err: (err as Error).message }, 'could not read the session settings through the pooler');
  }
}

interface QueryEmitter {
  $on(event: 'query', cb: (e: { query: string }) => void): void;
}
