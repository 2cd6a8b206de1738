/**
 * Loading a backup (backup-format.ts) into an empty database (`npm run restore`):
 *
 * 1. the migrations the backup records are applied, and only those: the schema is then the one
 *    the rows were copied from;
 * 2. in one transaction, with `session_replication_role = replica` (no trigger, no foreign-key
 *    check), every table is emptied (migrations seed a few rows) and loaded with COPY FROM, the
 *    sequences are set, the outbox numbering moved past the events lost since the backup, and the
 *    row counts checked against the header. Triggers need not run:
 *    the tables they maintain (outbox, alerts, offer changes, search columns) come from the same
 *    snapshot as the rest, so they already agree with it;
 * 3. the migrations this code has and the backup had not are applied (their data changes with them);
 * 4. the secrets at rest are sealed again with this installation's key, if it is another one.
 *
 * The same code restores into the embedded server and into any PostgreSQL server (DATABASE_URL),
 * so a backup of the embedded default also moves a hub onto a server.
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { Config } from '../config.ts';
import { generateSecretsKey, parseSecretsKey, readDevelopmentKey, SecretBox } from '../secrets.ts';
import { BackupFileError, BackupReader, type BackupHeader } from './backup-format.ts';
import { describeSchema, ident } from './backup.ts';
import { migrationNames, MIGRATIONS_DIR } from './migrations-state.ts';

/**
 * The migration engine and Prisma are loaded when a restore starts, not with this module: they
 * take seconds to load, and a restore that is refused (file, folder, key) should say so at once.
 */
const migrationEngine = () => import('./migrations.ts');

/** The row that numbers outbox events (migration `outbox`), and how far a restore moves it on. */
const OUTBOX_SEQUENCE = 'OutboxSequence';
const OUTBOX_EVENTS_PER_SECOND = 1000;
const MIN_OUTBOX_SKIP = 1_000_000;

/** How the restored secrets will be opened, decided before anything is changed. */
export interface SecretsPlan {
  /** Seals with this installation's key; opens with the backup's too. */
  box: SecretBox;
  /** A key to keep as DATA_DIR/secrets.key once restored (no SECRETS_KEY, no key file yet). */
  keyFile: Buffer | null;
}

/**
 * Refuses a backup this code cannot restore: one with migrations it does not know (a newer
 * Maillage wrote it).
 */
export async function checkRestorable(header: BackupHeader, file: string): Promise<void> {
  const known = new Set(await migrationNames());
  const unknown = header.migrations.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new BackupFileError(
      `${file} comes from a newer Maillage (${header.hubVersion}) whose database has migrations this one does not know (${unknown.join(', ')}): update Maillage, then restore.`,
    );
  }
}

/**
 * This installation's key (SECRETS_KEY, else DATA_DIR's key file, else the backup's own), and
 * the keys that open the backup's sealed values. Refuses when none of them is the key the backup
 * was sealed with: the webhooks and the token-signing key would not open after the restore.
 */
export function planSecrets(
  header: BackupHeader,
  config: Pick<Config, 'SECRETS_KEY' | 'SECRETS_KEY_OLD' | 'dataDir'>,
  file: string,
): SecretsPlan {
  const parse = (text: string | undefined) => (text ? parseSecretsKey(text) : null);
  const backupKey = parse(header.secrets.key);
  const configured = parse(config.SECRETS_KEY) ?? readDevelopmentKey(config.dataDir);
  const current = configured ?? backupKey ?? parseSecretsKey(generateSecretsKey())!;
  const openers = [backupKey, parse(config.SECRETS_KEY_OLD)].filter((k): k is Buffer => k !== null);
  const box = new SecretBox(current, openers);
  const { keyId } = header.secrets;
  if (keyId && ![current, ...openers].some((key) => new SecretBox(key).keyId === keyId)) {
    throw new BackupFileError(
      `The secrets in ${file} are sealed with the SECRETS_KEY of the hub that made it (key ${keyId}): set SECRETS_KEY, or SECRETS_KEY_OLD, to that key and restore again.`,
    );
  }
  return { box, keyFile: configured ? null : current };
}

/** Throws unless the database at `url` holds no table (a new, empty database). */
export async function assertEmptyDatabase(url: string, what: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { tables, sequences } = await describeSchema(client);
    if (tables.length + sequences.length > 0) {
      throw new BackupFileError(
        `${what} already holds tables (${tables
          .slice(0, 3)
          .map((t) => t.name)
          .join(', ')}…): restore into a new, empty database.`,
      );
    }
  } finally {
    await client.end();
  }
}

/**
 * Restores `file` (checked already: `BackupReader.check`) into the empty database at `url`.
 * @returns the rows loaded, and the migrations applied after them (newer than the backup).
 */
export async function restoreBackup(
  file: string,
  url: string,
  secrets: SecretsPlan,
): Promise<{ rows: number; newerMigrations: string[] }> {
  const reader = await BackupReader.open(file);
  try {
    await applyRecordedMigrations(url, reader.header.migrations);
    await load(reader, url);
  } finally {
    await reader.close();
  }
  const { applyMigrations } = await migrationEngine();
  const { applied } = await applyMigrations(url);
  await resealSecrets(url, secrets.box);
  const rows = reader.header.tables.reduce((sum, t) => sum + t.rows, 0);
  return { rows, newerMigrations: applied };
}

/** Seals every secret not sealed with the box's current key with it (as `secrets:rotate`). */
async function resealSecrets(url: string, box: SecretBox): Promise<void> {
  const { openDatabase } = await import('./client.ts');
  const { createLogger } = await import('../logger.ts');
  const { sealSecretsAtRest } = await import('../../modules/accounts/secrets-at-rest.ts');
  const db = openDatabase({ url, poolMax: 1, logger: createLogger('warn'), statementTimeoutMs: 0 });
  try {
    await sealSecretsAtRest(db.prisma, box, 'not-current');
  } finally {
    await db.close();
  }
}

/** Applies exactly the migrations the backup names, from a folder holding only those. */
async function applyRecordedMigrations(url: string, names: string[]): Promise<void> {
  const { applyMigrations } = await migrationEngine();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'maillage-restore-'));
  try {
    await cp(path.join(MIGRATIONS_DIR, 'migration_lock.toml'), path.join(dir, 'migration_lock.toml'));
    for (const name of names) {
      await cp(path.join(MIGRATIONS_DIR, name), path.join(dir, name), { recursive: true });
    }
    await applyMigrations(url, { migrationsDir: dir });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Loads every table, sets the sequences and checks the counts, in one transaction. */
async function load(reader: BackupReader, url: string): Promise<void> {
  const { header } = reader;
  const client = new pg.Client({ connectionString: url, application_name: 'maillage-restore' });
  client.on('error', () => {}); // a lost connection fails the statement in flight
  await client.connect();
  try {
    await client.query('begin');
    await client.query('set local session_replication_role = replica').catch((err: pg.DatabaseError) => {
      throw err.code === '42501'
        ? new Error(
            'Restoring needs a superuser of the target database (it loads with triggers off: session_replication_role).',
          )
        : err;
    });
    await checkSameSchema(client, header, reader.file);
    await client.query(`truncate ${header.tables.map((t) => ident(t.name)).join(', ')}`);
    for (const table of header.tables) {
      const columns = table.columns.map(ident).join(', ');
      const copy = client.query(copyFrom(`COPY ${ident(table.name)} (${columns}) FROM STDIN`));
      await pipeline(Readable.from(reader.tableRows(table)), copy);
    }
    await reader.finish();
    for (const s of header.sequences) {
      await client.query('select setval($1::regclass, $2::bigint, $3)', [
        ident(s.name),
        s.lastValue,
        s.isCalled,
      ]);
    }
    await skipLostEventNumbers(client, header);
    for (const table of header.tables) {
      const { rows } = await client.query<{ n: string }>(
        `select count(*)::text as n from ${ident(table.name)}`,
      );
      if (Number(rows[0]!.n) !== table.rows) {
        throw new Error(`Table ${table.name} holds ${rows[0]!.n} rows after loading ${table.rows}.`);
      }
    }
    await client.query('commit');
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Outbox numbers are event ids outside: subscribers resume after one (`after`), webhook receivers
 * de-duplicate by one (Maillage-Event-Id). The hub that was backed up went on numbering events
 * after its backup; those events are not in the copy, and their numbers must never name new ones.
 * So numbering resumes past any it could have used: at most OUTBOX_EVENTS_PER_SECOND a second since
 * the backup was made (it commits outbox rows one at a time, far fewer), and at least
 * MIN_OUTBOX_SKIP. Restoring the same backup again later skips further still.
 */
async function skipLostEventNumbers(client: pg.Client, header: BackupHeader): Promise<void> {
  if (!header.tables.some((t) => t.name === OUTBOX_SEQUENCE)) return;
  const seconds = Math.max(0, (Date.now() - Date.parse(header.createdAt)) / 1000);
  const skip = Math.max(MIN_OUTBOX_SKIP, Math.ceil(seconds) * OUTBOX_EVENTS_PER_SECOND);
  await client.query(`update ${ident(OUTBOX_SEQUENCE)} set value = value + $1::bigint where id = 1`, [
    String(skip),
  ]);
}

/** The backup's tables, columns and sequences must be those its migrations create. */
async function checkSameSchema(client: pg.Client, header: BackupHeader, file: string): Promise<void> {
  const here = await describeSchema(client);
  const shape = (tables: { name: string; columns: string[] }[], sequences: string[]) =>
    JSON.stringify([tables.map((t) => [t.name, [...t.columns].sort()]).sort(), [...sequences].sort()]);
  const theirs = shape(
    header.tables,
    header.sequences.map((s) => s.name),
  );
  if (shape(here.tables, here.sequences) !== theirs) {
    throw new BackupFileError(
      `${file} does not match the schema of the migrations it names (its tables or columns differ): it cannot be restored.`,
    );
  }
}
