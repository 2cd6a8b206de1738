/**
 * Hand-written statements run as named prepared statements (`src/shared/db/prepared.ts`): parsed
 * once per connection, at most N kept per connection (least recently used deallocated), a plan
 * made stale by a migration prepared again, and a statement's own error keeps the connection.
 * On one connection (poolMax 1), so that what the server holds is that connection's.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { Prisma } from '../../src/generated/prisma/client.ts';
import { openDatabase, type Database } from '../../src/shared/db/client.ts';
import { statementName } from '../../src/shared/db/prepared.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/pg.ts';

let database: TestDatabase;
let db: Database;

beforeAll(async () => {
  database = await createTestDatabase();
  db = openDatabase({
    url: database.url,
    poolMax: 1,
    logger: createLogger('silent'),
    preparedPerConnection: 3,
  });
  await db.pool.query(`create table prepared_probe (a int primary key, b text)`);
  await db.pool.query(`insert into prepared_probe values (1, 'un'), (2, 'deux'), (3, 'trois')`);
});

afterAll(async () => {
  await db?.close();
  await database?.drop();
});

/** The statements the one connection holds, by name. */
async function held(): Promise<Map<string, string>> {
  const { rows } = await db.pool.query<{ name: string; statement: string }>(
    `select name, statement from pg_prepared_statements`,
  );
  return new Map(rows.map((r) => [r.name, r.statement]));
}

const probe = (n: number) => Prisma.sql`select b from prepared_probe where a = ${n} and ${n} > 0`;
const variant = (k: number) =>
  Prisma.sql`select b, ${Prisma.raw(String(k))} as k from prepared_probe where a = ${1}`;

it('prepares a statement with parameters once, under the name of its text, and reuses it', async () => {
  const statement = probe(2);
  expect(await db.sql(statement)).toEqual([{ b: 'deux' }]);
  expect(await db.sql(probe(3))).toEqual([{ b: 'trois' }]);
  const names = await held();
  expect(names.get(statementName(statement.text))).toBe(statement.text);
  expect(names.size).toBe(1);
  const { rows } = await db.pool.query<{ n: number }>(
    `select count(*)::int as n from pg_prepared_statements where name = $1 and custom_plans + generic_plans >= 2`,
    [statementName(statement.text)],
  );
  expect(rows[0]!.n).toBe(1);
});

it('runs a statement without parameters unnamed', async () => {
  const before = await held();
  expect(await db.sql(Prisma.sql`select count(*)::int as n from prepared_probe`)).toEqual([{ n: 3 }]);
  expect(await held()).toEqual(before);
});

it('runs a statement unnamed when its caller says its plan depends on its values', async () => {
  const before = await held();
  const search = Prisma.sql`select b from prepared_probe where b like ${'d%'}`;
  expect(await db.sql(search, { prepare: false })).toEqual([{ b: 'deux' }]);
  expect(await db.transaction((run) => run(search, { prepare: false }))).toEqual([{ b: 'deux' }]);
  expect(await held()).toEqual(before);
});

it('keeps at most the limit per connection, deallocating the least recently used', async () => {
  await db.pool.query('DEALLOCATE ALL');
  // pg's own bookkeeping must follow: start from a fresh connection.
  await db.close();
  db = openDatabase({
    url: database.url,
    poolMax: 1,
    logger: createLogger('silent'),
    preparedPerConnection: 3,
  });
  for (const k of [1, 2, 3]) await db.sql(variant(k));
  await db.sql(variant(1)); // 1 is now the most recently used: 2 goes first
  await db.sql(variant(4));
  const names = await held();
  expect([...names.keys()].sort()).toEqual([1, 3, 4].map((k) => statementName(variant(k).text)).sort());
  // An evicted statement is prepared again when it comes back.
  expect(await db.sql(variant(2))).toEqual([{ b: 'un', k: 2 }]);
  expect((await held()).has(statementName(variant(2).text))).toBe(true);
  expect((await held()).size).toBe(3);
});

it('evicts one statement per newcomer when statements of one transaction run side by side', async () => {
  // The connection holds 3 (the limit): two newcomers at once must evict two different ones.
  expect((await held()).size).toBe(3);
  const rows = await db.transaction((run) => Promise.all([run(variant(5)), run(variant(6))]));
  expect(rows).toEqual([[{ b: 'un', k: 5 }], [{ b: 'un', k: 6 }]]);
  const names = await held();
  expect(names.size).toBe(3);
  expect(names.has(statementName(variant(5).text)) && names.has(statementName(variant(6).text))).toBe(true);
});

it('prepares again a statement whose result type a migration changed', async () => {
  const star = Prisma.sql`select * from prepared_probe where a = ${1}`;
  expect(await db.sql(star)).toEqual([{ a: 1, b: 'un' }]);
  await db.pool.query(`alter table prepared_probe add column c text default 'x'`);
  expect(await db.sql(star)).toEqual([{ a: 1, b: 'un', c: 'x' }]);

  // Inside a transaction the error stands (the transaction is aborted); the next use is fine.
  await db.pool.query(`alter table prepared_probe add column d int default 4`);
  await expect(db.transaction((run) => run(star))).rejects.toMatchObject({ code: '0A000' });
  expect(await db.sql(star)).toEqual([{ a: 1, b: 'un', c: 'x', d: 4 }]);
  expect(await db.transaction((run) => run(star))).toEqual([{ a: 1, b: 'un', c: 'x', d: 4 }]);
});

it("keeps the connection and its statements after a statement's own error", async () => {
  const [first] = await db.sql<{ pid: number }>(Prisma.sql`select pg_backend_pid() as pid where ${1} = 1`);
  await expect(
    db.sql(Prisma.sql`insert into prepared_probe (a, b) values (${1}, ${'encore'})`),
  ).rejects.toMatchObject({
    code: '23505',
  });
  const [again] = await db.sql<{ pid: number }>(Prisma.sql`select pg_backend_pid() as pid where ${1} = 1`);
  expect(again!.pid).toBe(first!.pid);
});

it('prepares nothing through a transaction pooler (another direct URL)', async () => {
  const pooled = openDatabase({
    url: database.url,
    directUrl: `${database.url}${database.url.includes('?') ? '&' : '?'}application_name=direct`,
    poolMax: 1,
    logger: createLogger('silent'),
  });
  try {
    expect(await pooled.sql(probe(1))).toEqual([{ b: 'un' }]);
    const { rows } = await pooled.pool.query<{ n: number }>(
      `select count(*)::int as n from pg_prepared_statements`,
    );
    expect(rows[0]!.n).toBe(0);
  } finally {
    await pooled.close();
  }
});
