/**
 * Test databases on the machine's real PostgreSQL. Every test file gets its own database, cloned
 * from a template that global setup migrated once: isolated and fast (a clone takes ~100 ms).
 */
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import pg from 'pg';

/** Server-level connection used to create and drop test databases. */
export const ADMIN_URL = process.env.TEST_PG_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
export const TEMPLATE_PREFIX = 'maillage_test_template_';

/**
 * The template's name carries a hash of the migrations: a run reuses a template its migrations
 * built, concurrent runs never rebuild one under each other, and a new migration gets a new one.
 */
function templateName(): string {
  const dir = new URL('../../prisma/migrations/', import.meta.url);
  const hash = createHash('sha256');
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    if (!entry.isDirectory()) continue;
    hash.update(entry.name).update(readFileSync(new URL(`${entry.name}/migration.sql`, dir)));
  }
  return TEMPLATE_PREFIX + hash.digest('hex').slice(0, 12);
}

export const TEMPLATE_DB = templateName();

export function databaseUrl(name: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Refuses to touch a database that is not obviously a test one. */
export function assertTestDatabase(name: string): void {
  if (!/^[a-z0-9_]+$/.test(name) || !name.includes('test')) {
    throw new Error(`refusing to use database "${name}": test databases must be named *test*`);
  }
}

export async function adminQuery(sql: string, params: unknown[] = []): Promise<pg.QueryResultRow[]> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return (await client.query<pg.QueryResultRow>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A fresh database: a clone of the migrated template, or empty with `{ empty: true }`. */
export async function createTestDatabase(opts: { empty?: boolean } = {}): Promise<TestDatabase> {
  const name = `maillage_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  assertTestDatabase(name);
  await adminQuery(`create database ${name}${opts.empty ? '' : ` template ${TEMPLATE_DB}`}`);
  return {
    name,
    url: databaseUrl(name),
    drop: async () => void (await adminQuery(`drop database if exists ${name} with (force)`)),
  };
}
