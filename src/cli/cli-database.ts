/**
 * What every command needs: the configuration, the database (DATABASE_URL or the embedded one,
 * served by a running hub or started for the command), a Prisma client, and a clean exit.
 * Commands connect to DATABASE_DIRECT_URL when it is set: they need a session setting (no
 * statement timeout) that a transaction pooler refuses, and only one or two connections.
 */
import { loadConfig, type Config } from '../shared/config.ts';
import { openDatabase, type Database } from '../shared/db/client.ts';
import { resolveDatabase } from '../shared/db/resolve.ts';
import { createLogger } from '../shared/logger.ts';

export async function withCliDatabase(fn: (db: Database, config: Config) => Promise<void>): Promise<never> {
  let code = 0;
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    console.error((err as Error).message);
    process.exit(2);
  }
  // A data folder in use or not ours is told in one sentence (DataFolderError), without a stack.
  const resolved = await resolveDatabase(config).catch((err: unknown) => {
    console.error((err as Error).message);
    return process.exit(1);
  });
  // Commands (retention, seed, imports) run long statements on an operator's behalf: no timeout.
  const db = openDatabase({
    url: resolved.directUrl,
    poolMax: 2,
    logger: createLogger('warn'),
    statementTimeoutMs: 0,
    lockTimeoutMs: 0,
  });
  try {
    await fn(db, config);
  } catch (err) {
    console.error((err as Error).message);
    code = 1;
  } finally {
    await db.close();
    await resolved.release();
  }
  process.exit(code);
}
