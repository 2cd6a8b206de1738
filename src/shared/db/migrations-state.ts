/**
 * A cheap look at which migrations a database has applied, without loading the schema engine
 * (which costs ~470 MB): used by /readyz and to skip the migration process when nothing is pending.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../prisma/migrations', import.meta.url));

/** Migration folder names, in the order Prisma applies them. */
export async function migrationNames(dir = MIGRATIONS_DIR): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

/** Names of the migrations in `dir` that the database has not finished applying. */
export async function pendingMigrations(pool: pg.Pool | pg.Client, dir = MIGRATIONS_DIR): Promise<string[]> {
  const names = await migrationNames(dir);
  const table = await pool.query<{ t: string | null }>(`select to_regclass('_prisma_migrations')::text as t`);
  if (!table.rows[0]?.t) return names;
  const done = await pool.query<{ migration_name: string }>(
    `select migration_name from _prisma_migrations
      where finished_at is not null and rolled_back_at is null`,
  );
  const applied = new Set(done.rows.map((r) => r.migration_name));
  return names.filter((n) => !applied.has(path.basename(n)));
}
