/**
 * `npm run restore -- <file> [--force]`: loads a backup (`npm run backup`) into
 *
 * - the embedded database of DATA_DIR: a new or empty folder, or with `--force` one that holds a
 *   database (replaced), never one a hub or command is using. The backup is loaded into a
 *   database of its own on the folder's server, and takes the hub's database's place only once
 *   complete, in one transaction: a failed restore leaves the folder as it was;
 * - or, with DATABASE_URL, an empty PostgreSQL database (moving from the embedded default to a
 *   server).
 *
 * The whole file is read and checked before anything is changed, so a damaged file changes
 * nothing. Exit codes: 0 done, 1 failed, 2 bad usage.
 */
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { ConfigError, loadConfig, type Config } from '../shared/config.ts';
import { BackupReader } from '../shared/db/backup-format.ts';
import {
  DataFolderError,
  folderHolder,
  holdsDatabase,
  inUseMessage,
  PASSWORD_FILE,
  PGDATA,
} from '../shared/db/data-folder.ts';
import { EMBEDDED_DATABASE } from '../shared/db/embedded.ts';
import { startEmbeddedChild } from '../shared/db/resolve.ts';
import {
  assertEmptyDatabase,
  checkRestorable,
  planSecrets,
  restoreBackup,
  type SecretsPlan,
} from '../shared/db/restore.ts';
import { DEV_KEY_FILE } from '../shared/secrets.ts';

/** The restore's own database on the folder's server, until it takes the hub's one's place. */
const STAGING = 'maillage_restore';
const REPLACED = 'maillage_replaced';

type Restored = Awaited<ReturnType<typeof restoreBackup>>;

const args = process.argv.slice(2);
const force = args.includes('--force');
const files = args.filter((a) => a !== '--force');
if (files.length !== 1 || files[0]!.startsWith('-')) {
  console.error('usage: npm run restore -- <backup file> [--force]');
  process.exit(2);
}
const file = path.resolve(files[0]!);

try {
  const config = loadConfig();
  const header = await BackupReader.check(file);
  await checkRestorable(header, file);
  const secrets = planSecrets(header, config, file);
  const restored = config.DATABASE_URL
    ? await intoServer(config, secrets)
    : await intoDataFolder(config.dataDir, secrets);
  if (secrets.keyFile) {
    await mkdir(config.dataDir, { recursive: true });
    const key = `${secrets.keyFile.toString('base64')}\n`;
    await writeFile(path.join(config.dataDir, DEV_KEY_FILE), key, { mode: 0o600, flag: 'wx' });
  }
  const tables = header.tables.length;
  console.log(
    `Restored ${restored.rows} rows of ${tables} tables from ${file} (backed up ${header.createdAt} by Maillage ${header.hubVersion}).`,
  );
  if (restored.newerMigrations.length > 0) {
    console.log(`Applied ${restored.newerMigrations.length} migration(s) newer than the backup.`);
  }
  if (secrets.keyFile) console.log(`The secrets key is in ${path.join(config.dataDir, DEV_KEY_FILE)}.`);
  if (!config.DATABASE_URL) console.log(`Start the hub on it: DATA_DIR=${config.dataDir} npm start`);
  process.exit(0);
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : `Restore failed: ${(err as Error).message}`);
  process.exit(1);
}

async function intoServer(config: Config, secrets: SecretsPlan): Promise<Restored> {
  if (force) {
    throw new Error(
      '--force replaces an embedded data folder only: with DATABASE_URL, restore into a new database.',
    );
  }
  const url = config.DATABASE_DIRECT_URL ?? config.DATABASE_URL!;
  await assertEmptyDatabase(url, 'The database of DATABASE_URL');
  return restoreBackup(file, url, secrets);
}

async function intoDataFolder(dataDir: string, secrets: SecretsPlan): Promise<Restored> {
  const holder = await folderHolder(dataDir);
  if (holder) throw new DataFolderError(inUseMessage(dataDir, holder, `npm run restore -- ${file}`));
  const existed = existsSync(dataDir);
  const hadDatabase = holdsDatabase(dataDir);
  if (hadDatabase && !force) {
    throw new DataFolderError(
      `The data folder ${dataDir} (DATA_DIR) already holds a database: restore into a new folder (DATA_DIR=./restored npm run restore -- ${file}), or add --force to replace it.`,
    );
  }
  // Takes the folder's lock: a hub started from now on is refused until the restore is over.
  const server = await startEmbeddedChild(dataDir, 'src/cli/restore.ts');
  let done = false;
  try {
    await admin(server.url, EMBEDDED_DATABASE, [
      `drop database if exists ${STAGING} with (force)`,
      `create database ${STAGING}`,
    ]);
    const restored = await restoreBackup(file, withDatabase(server.url, STAGING), secrets);
    await swapIntoPlace(server.url);
    done = true;
    return restored;
  } finally {
    if (!done) {
      const drop = [`drop database if exists ${STAGING} with (force)`];
      await admin(server.url, EMBEDDED_DATABASE, drop).catch(() => undefined);
    }
    await server.release();
    if (!done && !hadDatabase) await removeCreated(dataDir, existed);
  }
}

/** The restored database becomes the hub's, in one transaction; the replaced one is dropped. */
async function swapIntoPlace(url: string): Promise<void> {
  await admin(url, 'template1', [
    `select pg_terminate_backend(pid) from pg_stat_activity
      where datname in ('${EMBEDDED_DATABASE}', '${STAGING}') and pid <> pg_backend_pid()`,
    'begin',
    `alter database ${EMBEDDED_DATABASE} rename to ${REPLACED}`,
    `alter database ${STAGING} rename to ${EMBEDDED_DATABASE}`,
    'commit',
    `drop database ${REPLACED} with (force)`,
  ]);
}

/** A failed restore into a new folder leaves no half-made database behind. */
async function removeCreated(dataDir: string, existed: boolean): Promise<void> {
  if (!existed) return rm(dataDir, { recursive: true, force: true });
  await rm(path.join(dataDir, PGDATA), { recursive: true, force: true });
  await rm(path.join(dataDir, PASSWORD_FILE), { force: true });
}

/** Runs `statements` one after another on `database` of the server at `url`. */
async function admin(url: string, database: string, statements: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: withDatabase(url, database) });
  await client.connect();
  try {
    for (const sql of statements) await client.query(sql);
  } finally {
    await client.end();
  }
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
