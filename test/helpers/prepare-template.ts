/**
 * Once per test run (from global-setup.js): check PostgreSQL is there, then make sure the template
 * database for the current migrations exists, applying them with the project's own command, in its
 * own process. An advisory lock keeps concurrent runs from building it twice; it is built under a
 * temporary name and renamed when complete, so a half-built template is never cloned.
 */
import { execFileSync } from 'node:child_process';
import pg from 'pg';
import {
  ADMIN_URL,
  adminQuery,
  assertTestDatabase,
  databaseUrl,
  TEMPLATE_DB,
  TEMPLATE_PREFIX,
} from './pg.ts';

const LOCK = 7_240_611; // any constant: "the test template is being prepared"

async function prepareTemplate(): Promise<void> {
  assertTestDatabase(TEMPLATE_DB);
  const client = new pg.Client({ connectionString: ADMIN_URL });
  try {
    await client.connect();
  } catch (err) {
    throw new Error(
      `PostgreSQL is not reachable (${(err as Error).message}). Start it, or set TEST_PG_ADMIN_URL.`,
    );
  }
  try {
    await client.query('select pg_advisory_lock($1)', [LOCK]);
    const exists = await client.query('select 1 from pg_database where datname = $1', [TEMPLATE_DB]);
    if (exists.rowCount === 0) {
      const building = `${TEMPLATE_DB}_building`;
      await adminQuery(`drop database if exists ${building} with (force)`);
      await adminQuery(`create database ${building}`);
      execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/db.ts', 'migrate'], {
        env: { ...process.env, DATABASE_URL: databaseUrl(building) },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      await adminQuery(`alter database ${building} rename to ${TEMPLATE_DB}`);
      await adminQuery(`comment on database ${TEMPLATE_DB} is '${Date.now()}'`);
    }
    // Templates of other migrations: dropped when nobody uses them and they are over a day old.
    // Another checkout's run (another branch, a clean clone) may be about to clone a younger one.
    const stale = await client.query<{ datname: string }>(
      `select datname from pg_database d
        where starts_with(datname, $1) and datname <> $2
          and coalesce(nullif(shobj_description(d.oid, 'pg_database'), ''), '0')::bigint < $3`,
      [TEMPLATE_PREFIX, TEMPLATE_DB, Date.now() - 86_400_000],
    );
    for (const { datname } of stale.rows) {
      await adminQuery(`drop database if exists ${datname}`).catch(() => undefined);
    }
  } finally {
    await client.end();
  }
}

await prepareTemplate();
