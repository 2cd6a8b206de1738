/**
 * `npm run backup -- <file>`: a consistent copy of the hub's database in one gzip file
 * (src/shared/db/backup.ts), taken while the hub runs (through its server) or, when no hub runs,
 * with the embedded server started for the command (it then holds the data folder's lock, and a
 * hub started meanwhile is refused until it is done). Works on DATABASE_URL too.
 *
 * The file is written with mode 0600: it holds personal data, and the development secrets key of
 * DATA_DIR when SECRETS_KEY is not set. Exit codes: 0 done, 1 failed, 2 bad usage.
 */
import { readFileSync } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError, loadConfig } from '../shared/config.ts';
import { backupSecrets, writeBackup } from '../shared/db/backup.ts';
import { holdsDatabase } from '../shared/db/data-folder.ts';
import { resolveDatabase } from '../shared/db/resolve.ts';

const args = process.argv.slice(2);
if (args.length !== 1 || args[0]!.startsWith('-')) {
  console.error('usage: npm run backup -- <file>   (e.g. backups/maillage-$(date +%F).gz)');
  process.exit(2);
}
const file = path.resolve(args[0]!);

try {
  const config = loadConfig();
  if (!config.DATABASE_URL && !holdsDatabase(config.dataDir)) {
    throw new Error(`There is no Maillage database in ${config.dataDir} (DATA_DIR): nothing to back up.`);
  }
  const secrets = backupSecrets(config);
  const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  await mkdir(path.dirname(file), { recursive: true });
  const database = await resolveDatabase(config);
  let header;
  try {
    header = await writeBackup(database.directUrl, file, { hubVersion: version, secrets });
  } finally {
    await database.release();
  }
  const rows = header.tables.reduce((sum, t) => sum + t.rows, 0);
  const { size } = await stat(file);
  console.log(
    `Backed up ${rows} rows of ${header.tables.length} tables to ${file} (${(size / 1024).toFixed(0)} KiB).`,
  );
  console.log(
    secrets.key
      ? `It holds personal data and the secrets key of ${config.dataDir}: keep it as safe as the data folder.`
      : `It holds personal data: keep it safe. Its secrets are sealed with SECRETS_KEY (key ${secrets.keyId ?? 'none'}), which is not in the file: restoring needs that key.`,
  );
  process.exit(0);
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : `Backup failed: ${(err as Error).message}`);
  process.exit(1);
}
