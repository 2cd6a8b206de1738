/**
 * A consistent logical copy of a running database (`npm run backup`): one REPEATABLE READ, READ
 * ONLY transaction sees a single snapshot, and every table of the schema is copied out of it with
 * `COPY … TO STDOUT` into a backup file (backup-format.ts). The hub keeps serving and writing
 * meanwhile: writers are never blocked (only DDL would wait for the tables' ACCESS SHARE locks),
 * and what they commit after the snapshot is simply not in the copy. Needs only SELECT, so it
 * works on the embedded server and on any PostgreSQL of any version alike: no pg_dump needed.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { Config } from '../config.ts';
import { parseSecretsKey, readDevelopmentKey, SecretBox } from '../secrets.ts';
import { BACKUP_FORMAT, FILE_END, headerText, TABLE_END, type BackupHeader } from './backup-format.ts';

/** A quoted SQL identifier. */
export const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Prisma's own record of applied migrations: a restore writes it again by applying them. */
export const MIGRATIONS_TABLE = '_prisma_migrations';

/**
 * The tables of the connection's current schema (but the migrations table), with their columns in
 * order, and its sequences. Shared with the restore, which compares the two sides.
 */
export async function describeSchema(
  client: pg.ClientBase,
): Promise<{ tables: { name: string; columns: string[] }[]; sequences: string[] }> {
  const tables = await client.query<{ name: string; columns: string[] }>(
    `select c.relname as name,
            array_agg(a.attname::text order by a.attnum) as columns
       from pg_class c
       join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
      where c.relnamespace = current_schema()::regnamespace and c.relkind in ('r', 'p') and c.relname <> $1
      group by c.relname order by c.relname`,
    [MIGRATIONS_TABLE],
  );
  const sequences = await client.query<{ name: string }>(
    `select relname as name from pg_class
      where relnamespace = current_schema()::regnamespace and relkind = 'S' order by relname`,
  );
  return { tables: tables.rows, sequences: sequences.rows.map((s) => s.name) };
}

/**
 * The key that seals the secrets at rest, as a backup records it. SECRETS_KEY is managed by the
 * operator and stays out of the file (its id only). The development key file of DATA_DIR (no
 * SECRETS_KEY) goes in: without it the webhook secrets and the token-signing key of the copy
 * could never be opened again.
 */
export function backupSecrets(config: Pick<Config, 'SECRETS_KEY' | 'dataDir'>): BackupHeader['secrets'] {
  if (config.SECRETS_KEY) return { keyId: new SecretBox(parseSecretsKey(config.SECRETS_KEY)!).keyId };
  const key = readDevelopmentKey(config.dataDir);
  return key ? { keyId: new SecretBox(key).keyId, key: key.toString('base64') } : { keyId: null };
}

/**
 * Writes a backup of the database at `url` to `file` (mode 0600: it holds personal data, and may
 * hold the secrets key). Written to a temporary file first and renamed at the end, so that a
 * failed backup never leaves a partial file nor replaces an earlier one.
 */
export async function writeBackup(
  url: string,
  file: string,
  about: Pick<BackupHeader, 'hubVersion' | 'secrets'>,
): Promise<BackupHeader> {
  const client = new pg.Client({ connectionString: url, application_name: 'maillage-backup' });
  client.on('error', () => {}); // a lost connection fails the query in flight
  await client.connect();
  const partial = `${file}.partial-${process.pid}`;
  try {
    await client.query('begin isolation level repeatable read, read only');
    const header = await readHeader(client, about);
    const gzip = createGzip();
    const written = pipeline(gzip, createWriteStream(partial, { mode: 0o600 }));
    written.catch(() => {}); // awaited below; an early failure must not go unhandled meanwhile
    const write = async (data: string | Buffer) => {
      if (!gzip.write(data)) await Promise.race([once(gzip, 'drain'), written]);
    };
    await write(headerText(header));
    for (const table of header.tables) {
      const columns = table.columns.map(ident).join(', ');
      for await (const chunk of client.query(copyTo(`COPY ${ident(table.name)} (${columns}) TO STDOUT`))) {
        await write(chunk as Buffer);
      }
      await write(`${TABLE_END}\n`);
    }
    await write(`${FILE_END}\n`);
    gzip.end();
    await written;
    await client.query('commit');
    await rename(partial, file);
    return header;
  } catch (err) {
    await rm(partial, { force: true });
    throw err;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * What the snapshot holds: tables (locked against DDL for the transaction, as pg_dump does),
 * their row counts, the applied migrations and the sequences' values. A sequence is not
 * transactional: its value read now is at least any value the snapshot's rows used.
 */
async function readHeader(
  client: pg.Client,
  about: Pick<BackupHeader, 'hubVersion' | 'secrets'>,
): Promise<BackupHeader> {
  const { tables, sequences } = await describeSchema(client);
  if (tables.length === 0) throw new Error('The database holds no Maillage tables: nothing to back up.');
  await client.query(`lock table ${tables.map((t) => ident(t.name)).join(', ')} in access share mode`);
  const counted = [];
  for (const table of tables) {
    const { rows } = await client.query<{ n: string }>(
      `select count(*)::text as n from ${ident(table.name)}`,
    );
    counted.push({ ...table, rows: Number(rows[0]!.n) });
  }
  const migrations = await client.query<{ migration_name: string }>(
    `select migration_name from ${ident(MIGRATIONS_TABLE)}
      where finished_at is not null and rolled_back_at is null order by migration_name`,
  );
  const values = [];
  for (const name of sequences) {
    const { rows } = await client.query<{ last_value: string; is_called: boolean }>(
      `select last_value::text, is_called from ${ident(name)}`,
    );
    values.push({ name, lastValue: rows[0]!.last_value, isCalled: rows[0]!.is_called });
  }
  return {
    format: BACKUP_FORMAT,
    createdAt: new Date().toISOString(),
    hubVersion: about.hubVersion,
    migrations: migrations.rows.map((m) => m.migration_name),
    tables: counted,
    sequences: values,
    secrets: about.secrets,
  };
}
