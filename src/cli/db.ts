// Database migrations from the command line, without Prisma's native engine:
//   tsx src/cli/db.ts migrate       apply pending migrations (npm run db:migrate)
//   tsx src/cli/db.ts status        show applied, pending and failed migrations (npm run db:status)
//   tsx src/cli/db.ts diff <name>   write the next migration from prisma/schema.prisma (npm run db:diff)
//   tsx src/cli/db.ts diff --check  exit 1 when schema.prisma has changes no migration holds
// migrate and status work on DATABASE_DIRECT_URL (default DATABASE_URL: the engine holds a session
// advisory lock, which a transaction pooler cannot), or on the embedded database in DATA_DIR.
// --migrations-dir <dir> reads another migrations folder (tests use it for a broken migration).
// Exit codes: 0 done, 1 failed (or `status` found failed migrations or drift), 2 bad usage.
// Every command ends with process.exit: the schema engine keeps a timer alive ~10 s after use.
import path from 'node:path';

import { loadConfig } from '../shared/config.ts';
import { resolveDatabase } from '../shared/db/resolve.ts';
import {
  applyMigrations,
  diffMigrations,
  MIGRATION_NAME,
  migrationStatus,
  writeMigration,
} from '../shared/db/migrations.ts';

const USAGE = 'Usage: tsx src/cli/db.ts migrate | status | diff <name> | diff --check';

/** Runs one command and returns the process's exit code. */
async function main(argv: string[]): Promise<number> {
  const dirFlag = argv.indexOf('--migrations-dir');
  const migrationsDir = dirFlag >= 0 ? argv.splice(dirFlag, 2)[1] : undefined;
  const [command, name, ...rest] = argv;
  if (command === 'diff' && name === '--check' && rest.length === 0) {
    const sql = await diffMigrations();
    console.log(sql === null ? 'No schema changes.' : `The schema has changes no migration holds:\n${sql}`);
    return sql === null ? 0 : 1;
  }
  if (command === 'diff' && name && rest.length === 0) {
    if (!MIGRATION_NAME.test(name)) {
      console.error(`Invalid migration name "${name}": use only a-z, 0-9 and _.`);
      return 2;
    }
    const sql = await diffMigrations();
    if (sql === null) {
      console.log('No schema changes.');
    } else {
      console.log(path.relative(process.cwd(), await writeMigration(name, sql)));
    }
    return 0;
  }
  if ((command === 'migrate' || command === 'status') && !name) {
    const database = await resolveDatabase(loadConfig());
    try {
      return await migrateOrStatus(command, database.directUrl, migrationsDir);
    } finally {
      await database.release();
    }
  }
  console.error(USAGE);
  return 2;
}

async function migrateOrStatus(
  command: 'migrate' | 'status',
  databaseUrl: string,
  migrationsDir: string | undefined,
): Promise<number> {
  const dirOpt = migrationsDir ? { migrationsDir } : {};
  if (command === 'migrate') {
    // Of the engine's messages, only its progress is worth showing.
    const log = (msg: string) => {
      if (msg.startsWith('Applying')) console.log(msg);
    };
    const { applied } = await applyMigrations(databaseUrl, { log, ...dirOpt });
    console.log(applied.length > 0 ? `Applied ${applied.length} migration(s).` : 'Up to date.');
    return 0;
  }
  const { applied, pending, failed, drift } = await migrationStatus(databaseUrl, dirOpt);
  for (const migration of applied) console.log(`applied  ${migration}`);
  for (const migration of failed) console.log(`FAILED   ${migration}`);
  for (const migration of pending) console.log(`pending  ${migration}`);
  if (drift) console.log(`Drift: ${drift}`);
  return failed.length > 0 || drift ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message.trim() : String(error));
    process.exit(1);
  },
);
