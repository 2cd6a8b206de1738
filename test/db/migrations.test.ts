/**
 * `npm run db:migrate` / `db:status` as an operator runs them (their own process, the WASM schema
 * engine, no native binary): on an empty database, again (idempotent), and with a broken migration.
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it, jest } from '@jest/globals';
import pg from 'pg';
import { migrationNames, MIGRATIONS_DIR, pendingMigrations } from '../../src/shared/db/migrations-state.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/pg.ts';

// Each test runs the migration engine (WebAssembly, ~150 MB) in child processes: a few seconds on
// a quiet machine, far more on a shared CI machine.
jest.setTimeout(180_000);

const exec = promisify(execFile);
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase({ empty: true });
});
afterAll(() => database.drop());

/** Runs src/cli/db.ts; resolves with its exit code and output instead of throwing. */
async function db(...args: string[]) {
  try {
    const { stdout, stderr } = await exec(process.execPath, ['--import', 'tsx', 'src/cli/db.ts', ...args], {
      env: { ...process.env, DATABASE_URL: database.url },
    });
    return { code: 0, out: stdout + stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

it('applies every migration on an empty database, then nothing; status shows none pending', async () => {
  const names = await migrationNames();
  expect(names.length).toBeGreaterThan(0);

  const first = await db('migrate');
  expect(first.code).toBe(0);
  expect(first.out).toContain(`Applied ${names.length} migration(s).`);

  const again = await db('migrate');
  expect(again.code).toBe(0);
  expect(again.out).toContain('Up to date.');

  const status = await db('status');
  expect(status.code).toBe(0);
  expect(status.out).not.toMatch(/pending|FAILED/);

  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  expect(await pendingMigrations(client)).toEqual([]);
  const rows = await client.query<{ checksum: string; finished_at: Date | null }>(
    'select checksum, finished_at from _prisma_migrations',
  );
  await client.end();
  // Written exactly as `prisma migrate deploy` writes it, so the stock CLI accepts the database.
  expect(rows.rows.every((r) => /^[0-9a-f]{64}$/.test(r.checksum) && r.finished_at)).toBe(true);
});

it('names the migration that fails, with the database error, and status reports it', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'maillage-migrations-'));
  try {
    await cp(MIGRATIONS_DIR, dir, { recursive: true });
    const broken = '29991231235959_broken';
    await mkdir(path.join(dir, broken));
    await writeFile(path.join(dir, broken, 'migration.sql'), 'ALTER TABLE "Nope" ADD "x" int;\n');

    const failure = await db('migrate', '--migrations-dir', dir);
    expect(failure.code).toBe(1);
    expect(failure.out).toContain(broken);
    expect(failure.out).toContain('relation "Nope" does not exist');

    const status = await db('status', '--migrations-dir', dir);
    expect(status.code).toBe(1);
    expect(status.out).toContain(`FAILED   ${broken}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

it('db:diff finds no change between the schema and the committed migrations', async () => {
  const diff = await db('diff', '--check');
  expect(diff.code).toBe(0);
  expect(diff.out).toContain('No schema changes.');
});
