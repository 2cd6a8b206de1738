// Applies the project's real migrations to a throw-away database on the local PostgreSQL
// (127.0.0.1:5432, user $PGUSER or postgres, password $PGPASSWORD if any).
import { randomBytes } from 'node:crypto';
import { cp, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';

import { applyMigrations, migrationStatus } from '../../src/shared/db/migrations.ts';

const MIGRATIONS_DIR = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));
const server = {
  host: '127.0.0.1',
  port: 5432,
  user: process.env.PGUSER ?? 'postgres',
  password: process.env.PGPASSWORD,
};

/** Runs one statement on the server's `postgres` database. */
async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ ...server, database: 'postgres' });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

describe('migrations on PostgreSQL', () => {
  const database = `maillage_mig_test_${randomBytes(4).toString('hex')}`;
  const password = server.password ? `:${encodeURIComponent(server.password)}` : '';
  const credentials = `${encodeURIComponent(server.user)}${password}`;
  const url = `postgresql://${credentials}@${server.host}:${server.port}/${database}`;
  let migrations: string[];

  beforeAll(async () => {
    await admin(`CREATE DATABASE "${database}"`);
    const entries = await readdir(MIGRATIONS_DIR, { withFileTypes: true });
    migrations = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name);
    migrations.sort();
  });

  afterAll(() => admin(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`));

  it('applies every migration once, then nothing, and leaves nothing pending', async () => {
    expect(migrations.length).toBeGreaterThan(0);
    expect(await applyMigrations(url)).toEqual({ applied: migrations });
    expect(await applyMigrations(url)).toEqual({ applied: [] });
    expect(await migrationStatus(url)).toEqual({ applied: migrations, pending: [], failed: [] });
  }, 30_000);

  it('names the migration folder that fails, with the database error', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'maillage-migrations-'));
    try {
      await cp(MIGRATIONS_DIR, dir, { recursive: true });
      const broken = '29991231235959_broken';
      await mkdir(path.join(dir, broken));
      await writeFile(path.join(dir, broken, 'migration.sql'), 'ALTER TABLE "Nope" ADD "x" int;\n');

      const failure = applyMigrations(url, { migrationsDir: dir });

      await expect(failure).rejects.toThrow(broken);
      await expect(failure).rejects.toThrow('relation "Nope" does not exist');
      expect(await migrationStatus(url, { migrationsDir: dir })).toMatchObject({
        failed: [broken],
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
