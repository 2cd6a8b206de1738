/**
 * The hub's connections carry its session settings from their start-up (`openDatabase`'s
 * `options`): the statement and lock timeouts, and the planner's `random_page_cost`, on the
 * connections of hand-written SQL, of Prisma's queries and of transactions alike. A bad value in
 * the environment stops start-up with a message that names the variable.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEFAULT_RANDOM_PAGE_COST, loadConfig } from '../../src/shared/config.ts';
import { openDatabase, type Database } from '../../src/shared/db/client.ts';
import { Prisma } from '../../src/generated/prisma/client.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/pg.ts';

let database: TestDatabase;
const opened: Database[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await Promise.all(opened.map((db) => db.close()));
  await database?.drop();
});

const open = (settings: { randomPageCost?: number; statementTimeoutMs?: number; lockTimeoutMs?: number }) => {
  const db = openDatabase({ url: database.url, poolMax: 2, logger: createLogger('silent'), ...settings });
  opened.push(db);
  return db;
};

const SETTINGS = Prisma.sql`select current_setting('random_page_cost') as "randomPageCost",
  current_setting('statement_timeout') as "statementTimeout", current_setting('lock_timeout') as "lockTimeout"`;

/** What a connection of `db` says its settings are, read through each way the hub sends SQL. */
async function settingsOf(db: Database) {
  return {
    sql: (await db.sql<Record<string, string>>(SETTINGS))[0],
    prisma: (await db.prisma.$queryRaw<Record<string, string>[]>(SETTINGS))[0],
    transaction: await db.transaction(async (sql) => (await sql<Record<string, string>>(SETTINGS))[0]),
  };
}

describe('session settings', () => {
  it('by default: random_page_cost 1.1, statement timeout 15 s, lock timeout 5 s', async () => {
    const seen = await settingsOf(open({}));
    const expected = {
      randomPageCost: String(DEFAULT_RANDOM_PAGE_COST),
      statementTimeout: '15s',
      lockTimeout: '5s',
    };
    expect(seen).toEqual({ sql: expected, prisma: expected, transaction: expected });
    expect(loadConfig({}).DATABASE_RANDOM_PAGE_COST).toBe(1.1);
  });

  it('as configured', async () => {
    const config = loadConfig({ DATABASE_RANDOM_PAGE_COST: '4', DATABASE_LOCK_TIMEOUT_MS: '0' });
    const seen = await settingsOf(
      open({
        randomPageCost: config.DATABASE_RANDOM_PAGE_COST,
        lockTimeoutMs: config.DATABASE_LOCK_TIMEOUT_MS,
      }),
    );
    const expected = { randomPageCost: '4', statementTimeout: '15s', lockTimeout: '0' };
    expect(seen).toEqual({ sql: expected, prisma: expected, transaction: expected });
  });

  it('refuses a value that is not a positive cost, naming the variable', () => {
    for (const value of ['fast', '0', '-1']) {
      expect(() => loadConfig({ DATABASE_RANDOM_PAGE_COST: value })).toThrow(/DATABASE_RANDOM_PAGE_COST/);
    }
  });
});
