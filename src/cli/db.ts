// Database migrations from the command line, without Prisma's native engine:
//   tsx src/cli/db.ts migrate       apply pending migrations to DATABASE_URL
//   tsx src/cli/db.ts status        show applied, pending and failed migrations of DATABASE_URL
//   tsx src/cli/db.ts diff <name>   write the next migration from prisma/schema.prisma
// Exit codes: 0 done, 1 failed (or `status` found failed migrations or drift), 2 bad usage.
// Every command ends with process.exit: the schema engine keeps a timer alive ~10 s after use.
import path from 'node:path';

import {
  applyMigrations,
  diffMigrations,
  MIGRATION_NAME,
  migrationStatus,
  writeMigration,
} from '../shared/db/migrations.ts';

const USAGE = 'Usage: tsx src/cli/db.ts migrate | status | diff <name>';

/** Runs one command and returns the process's exit code. */
async function main([command, name, ...rest]: string[]): Promise<number> {
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
    const databaseUrl = process.env.DATABASE_URL;
    if (!databaseUrl) {
      console.error('DATABASE_URL is not set: give the PostgreSQL database to migrate.');
      return 2;
    }
    if (command === 'migrate') {
      // Of the engine's messages, only its progress is worth showing.
      const log = (msg: string) => {
        if (msg.startsWith('Applying')) console.log(msg);
      };
      const { applied } = await applyMigrations(databaseUrl, { log });
      console.log(applied.length > 0 ? `Applied ${applied.length} migration(s).` : 'Up to date.');
      return 0;
    }
    const { applied, pending, failed, drift } = await migrationStatus(databaseUrl);
    for (const migration of applied) console.log(`applied  ${migration}`);
    for (const migration of failed) console.log(`FAILED   ${migration}`);
    for (const migration of pending) console.log(`pending  ${migration}`);
    if (drift) console.log(`Drift: ${drift}`);
    return failed.length > 0 || drift ? 1 : 0;
  }
  console.error(USAGE);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message.trim() : String(error));
    process.exit(1);
  },
);
