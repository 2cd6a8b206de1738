/**
 * `npm start`: finds the database (DATABASE_URL, or the embedded PostgreSQL in DATA_DIR, created and
 * loaded with demo data on first start), applies pending migrations in a separate process, then
 * serves the hub until SIGTERM/SIGINT, which drain it. With WEB_CONCURRENCY > 1 this process does
 * the same one-time work, then forks that many workers that serve (src/cluster.ts); each worker
 * runs this file too, from "serving" below.
 *
 * Start-up fails fast and in plain words, before any database work where it can: a port in use,
 * a data folder another hub holds (named by its pid), a data folder that is not ours. Such
 * failures print one sentence and exit 1; the stack trace only with LOG_LEVEL=debug or trace.
 */
import net from 'node:net';
import pg from 'pg';
import {
  answerMetricRequests,
  isWorker,
  processLabel,
  reportServing,
  reportStopped,
  runPrimary,
  shareMetrics,
} from './cluster.ts';
import { ConfigError, loadConfig, type Config } from './shared/config.ts';
import { pendingMigrations } from './shared/db/migrations-state.ts';
import { resolveDatabase, type ResolvedDatabase } from './shared/db/resolve.ts';
import { waitForDatabase } from './shared/db/wait.ts';
import { createLogger } from './shared/logger.ts';
import { runScript } from './shared/process.ts';
import { startTracing } from './shared/tracing.ts';

let config: Config;
try {
  config = loadConfig();
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  console.error(err.message);
  process.exit(1);
}

const clustered = config.WEB_CONCURRENCY > 1;
/** A worker forked by src/cluster.ts (not merely any cluster worker: pm2 forks its own). */
const worker = clustered && isWorker;
// A scrape while this worker starts is answered (with nothing yet), not waited for in vain.
if (worker) answerMetricRequests();
/** With several processes, every line says which one wrote it. */
const logger = createLogger(config.LOG_LEVEL, clustered ? processLabel() : { pid: process.pid });
const started = performance.now();

/**
 * SIGTERM/SIGINT at any moment: before the hub serves, stop at once (releasing the embedded
 * database if started); once it serves, drain it (`shutdown` below). Registered first, so that a
 * signal during start-up (waiting for the database) is never lost.
 */
let onSignal: (signal: string) => void = (signal) => {
  logger.info({ signal }, 'stopped before serving');
  process.exit(0);
};
process.on('SIGTERM', () => onSignal('SIGTERM'));
process.on('SIGINT', () => onSignal('SIGINT'));

/** Prints why the hub cannot start, in one sentence, and exits 1. */
function cannotStart(err: unknown): never {
  console.error(`Maillage cannot start. ${(err as Error).message}`);
  if (['debug', 'trace'].includes(config.LOG_LEVEL)) console.error((err as Error).stack);
  process.exit(1);
}

// A worker's port is its primary's, checked by the primary.
if (!worker) await portAvailable(config.PORT, config.HOST).catch(cannotStart);
const serverModules = () => Promise.all([import('./server.ts'), import('./shared/db/client.ts')]);
// Load the server's modules while the database starts: the two take about as long. A cluster
// primary serves nothing and never loads them.
const modules = clustered && !worker ? null : serverModules();
// A worker finds the database its primary prepared in DATABASE_URL, and nothing left to do.
const database = worker ? await resolveDatabase(config) : await prepareDatabase();
if (clustered && !worker) {
  await runPrimary({ config, logger, database, started, setSignalHandler: (h) => (onSignal = h) });
}

// Serving: the only process, or one worker of several.
// Traces when OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT is set (src/shared/tracing.ts); null otherwise.
const tracing = await startTracing(config, logger);
const [{ startHub }, { openDatabase }] = await (modules ?? serverModules());
const db = openDatabase({
  url: database.url,
  directUrl: database.directUrl,
  poolMax: config.DATABASE_POOL_MAX,
  statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
  lockTimeoutMs: config.DATABASE_LOCK_TIMEOUT_MS,
  randomPageCost: config.DATABASE_RANDOM_PAGE_COST,
  logger,
});
const hub = await startHub({ config, db, logger }).catch(async (err: unknown) => {
  // The port was free a moment ago; another program may have taken it meanwhile.
  await db.close();
  await database.release();
  return cannotStart(isListenError(err) ? listenProblem(err, config.PORT, config.HOST) : err);
});
if (worker) {
  hub.metrics.scrapeWith(shareMetrics(hub.metrics.registry));
  // The primary says "Maillage is listening" once every worker serves.
  logger.info(
    { url: `${hub.url}/graphql`, startupMs: Math.round(performance.now() - started) },
    'worker serving',
  );
  reportServing(hub.url);
} else {
  logger.info(
    {
      url: `${hub.url}/graphql`,
      database: database.embedded ? `embedded (${config.dataDir})` : 'postgresql',
      startupMs: Math.round(performance.now() - started),
    },
    `Maillage is listening on ${hub.url}/graphql`,
  );
}

let stopping = false;
/**
 * Drains within SHUTDOWN_TIMEOUT_MS, whatever is in flight: requests get most of it, then the
 * rest is closed; past the limit (a request stuck behind a lock, a database that does not answer)
 * the process exits anyway, and PostgreSQL rolls back what was open.
 */
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  const limitMs = config.SHUTDOWN_TIMEOUT_MS;
  logger.info({ signal, limitMs }, 'draining');
  setTimeout(() => {
    logger.warn({ limitMs }, 'drain did not finish within SHUTDOWN_TIMEOUT_MS: exiting');
    process.exit(1);
  }, limitMs).unref();
  await hub.stop(Math.round(limitMs * DRAIN_SHARE));
  await db.close();
  await database.release();
  await tracing?.shutdown(); // the last spans go out (3 s at most)
  logger.info('stopped');
  if (worker) reportStopped(() => process.exit(0));
  else process.exit(0);
};
onSignal = (signal) => void shutdown(signal);

/** The share of SHUTDOWN_TIMEOUT_MS given to in-flight requests; the rest closes connections. */
const DRAIN_SHARE = 0.8;

/**
 * The one-time work before serving: the database found (the embedded one started: this process
 * owns it), reachable, migrated, and loaded with demo data if new.
 */
async function prepareDatabase(): Promise<ResolvedDatabase> {
  const database = await resolveDatabase(config, { exclusive: true }).catch(cannotStart);
  onSignal = (signal) => {
    logger.info({ signal }, 'stopped before serving');
    void database.release().finally(() => process.exit(0));
  };
  await waitForDatabase(database.directUrl, config.DATABASE_WAIT_S * 1000, logger).catch(cannotStart);
  try {
    if (config.MIGRATE_ON_START && (await hasPendingMigrations(database.directUrl))) {
      await runScript('cli/db.ts', ['migrate'], { DATABASE_URL: database.directUrl });
    }
    if (database.created && config.DEMO_DATA) {
      await runScript('cli/seed.ts', [], { DATABASE_URL: database.url });
    }
  } catch (err) {
    logger.fatal({ err: (err as Error).message }, 'could not prepare the database');
    await database.release();
    process.exit(1);
  }
  return database;
}

async function hasPendingMigrations(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await pendingMigrations(client)).length > 0;
  } finally {
    await client.end();
  }
}

/**
 * Rejects with a plain explanation when the hub could not listen on `port` (checked by listening
 * for a moment): before any database work, so that a port in use costs no time. Port 0 (any free
 * port) is always available.
 */
function portAvailable(port: number, host: string): Promise<void> {
  if (port === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (err) => reject(listenProblem(err, port, host)));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve()));
  });
}

function isListenError(err: unknown): err is NodeJS.ErrnoException {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL';
}

function listenProblem(err: NodeJS.ErrnoException, port: number, host: string): Error {
  switch (err.code) {
    case 'EADDRINUSE':
      return new Error(
        `Port ${port} is already in use on ${host} (another hub, or another program, listens there). ` +
          `Stop it, or choose another port: PORT=${port + 1} npm start.`,
      );
    case 'EACCES':
      return new Error(
        `This user may not listen on port ${port} (ports below 1024 need privileges). Choose another: PORT=4000 npm start.`,
      );
    case 'EADDRNOTAVAIL':
      return new Error(`HOST=${host} is not an address of this machine. Use 0.0.0.0 (all) or 127.0.0.1.`);
    default:
      return new Error(`Cannot listen on ${host}:${port}: ${err.message}.`);
  }
}
