/**
 * Start-up waits for PostgreSQL: a hub started while its database is down or still starting
 * (a host reboot, containers started together) keeps trying, saying so in its log, instead of
 * exiting. A refusal that waiting cannot fix (wrong password, no such database) fails at once.
 */
import pg from 'pg';
import type { Logger } from '../logger.ts';
import { isDatabaseUnavailable } from './db-errors.ts';

/** How often a waiting hub says so. */
const LOG_EVERY_MS = 10_000;
const MAX_DELAY_MS = 2_000;

/**
 * Resolves once `url` accepts a connection and a statement. Rejects, in words for the operator,
 * when the database refuses for good or is still unreachable after `limitMs` (0: no limit).
 */
export async function waitForDatabase(url: string, limitMs: number, logger: Logger): Promise<void> {
  const started = Date.now();
  let delay = 100;
  let loggedAt = 0;
  for (;;) {
    const problem = await tryConnect(url);
    if (!problem) {
      if (loggedAt) logger.info({ waitedMs: Date.now() - started }, 'the database is reachable');
      return;
    }
    const where = address(url);
    if (!isDatabaseUnavailable(problem)) {
      throw new Error(`PostgreSQL at ${where} refused the connection: ${problem.message}`);
    }
    if (limitMs > 0 && Date.now() - started >= limitMs) {
      throw new Error(
        `PostgreSQL at ${where} could not be reached within DATABASE_WAIT_S=${Math.round(limitMs / 1000)} (${problem.message}).`,
      );
    }
    if (Date.now() - loggedAt >= LOG_EVERY_MS) {
      logger.warn({ database: where, reason: problem.message }, 'waiting for the database');
      loggedAt = Date.now();
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, MAX_DELAY_MS);
  }
}

/** null when a statement ran, else the error. */
async function tryConnect(url: string): Promise<Error | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (err) {
    return err as Error;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** host:port of a URL, never its credentials. */
function address(url: string): string {
  const u = new URL(url);
  return `${u.hostname}:${u.port || '5432'}`;
}
