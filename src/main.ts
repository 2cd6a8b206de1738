/**
 * `npm start`: finds the database (DATABASE_URL, or the embedded PostgreSQL in DATA_DIR, created and
 * loaded with demo data on first start), applies pending migrations in a separate process, then
 * serves the hub until SIGTERM/SIGINT, which drain it.
 */
import pg from 'pg';
import { ConfigError, loadConfig, type Config } from './shared/config.ts';
import { pendingMigrations } from './shared/db/migrations-state.ts';
import { resolveDatabase } from './shared/db/resolve.ts';
import { createLogger } from './shared/logger.ts';
import { runScript } from './shared/process.ts';

let config: Config;
try {
  config = loadConfig();
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  console.error(err.message);
  process.exit(1);
}

const logger = createLogger(config.LOG_LEVEL);
const started = performance.now();
// Load the server's modules while the database starts: the two take about as long.
const modules = Promise.all([import('./server.ts'), import('./shared/db/client.ts')]);
const database = await resolveDatabase(config);
try {
  if (config.MIGRATE_ON_START && (await hasPendingMigrations(database.url))) {
    await runScript('cli/db.ts', ['migrate'], { DATABASE_URL: database.url });
  }
  if (database.created && config.DEMO_DATA) {
    await runScript('cli/seed.ts', [], { DATABASE_URL: database.url });
  }
} catch (err) {
  logger.fatal({ err: (err as Error).message }, 'could not prepare the database');
  await database.release();
  process.exit(1);
}

const [{ startHub }, { openDatabase }] = await modules;
const db = openDatabase({
  url: database.url,
  poolMax: config.DATABASE_POOL_MAX,
  statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
  logger,
});
const hub = await startHub({ config, db, logger });
logger.info(
  {
    url: `${hub.url}/graphql`,
    database: database.embedded ? `embedded (${config.dataDir})` : 'postgresql',
    startupMs: Math.round(performance.now() - started),
  },
  `Maillage is listening on ${hub.url}/graphql`,
);

let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'draining');
  await hub.stop();
  await db.close();
  await database.release();
  logger.info('stopped');
  process.exit(0);
};
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

async function hasPendingMigrations(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await pendingMigrations(client)).length > 0;
  } finally {
    await client.end();
  }
}
