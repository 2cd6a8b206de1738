/**
 * Once per test run (from global-setup.js): check PostgreSQL is there, then (re)build the template
 * database by applying the migrations with the project's own command, in its own process.
 */
import { execFileSync } from 'node:child_process';
import { adminQuery, assertTestDatabase, databaseUrl, TEMPLATE_DB } from './pg.ts';

async function prepareTemplate(): Promise<void> {
  assertTestDatabase(TEMPLATE_DB);
  try {
    await adminQuery('select 1');
  } catch (err) {
    throw new Error(
      `PostgreSQL is not reachable (${(err as Error).message}). Start it, or set TEST_PG_ADMIN_URL.`,
    );
  }
  await adminQuery(`drop database if exists ${TEMPLATE_DB} with (force)`);
  await adminQuery(`create database ${TEMPLATE_DB}`);
  execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/db.ts', 'migrate'], {
    env: { ...process.env, DATABASE_URL: databaseUrl(TEMPLATE_DB) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

await prepareTemplate();
