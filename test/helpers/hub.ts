/**
 * A real hub for a test file: its own database (cloned from the template), the server on a free
 * port over real HTTP and WebSocket, named fixtures, and a typed client.
 */
import { createHubClient, send, type RequestOptions } from '../../clients/sdk.ts';
import { startHub, type Hub } from '../../src/server.ts';
import { loadConfig, type Config } from '../../src/shared/config.ts';
import { openDatabase, type Database } from '../../src/shared/db/client.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { createTestDatabase, type TestDatabase } from './pg.ts';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';

export interface TestHub {
  hub: Hub;
  db: Database;
  database: TestDatabase;
  config: Config;
  /** http://127.0.0.1:port/graphql */
  graphqlUrl: string;
  /** SQL statements Prisma sent since the last `resetQueries()`. */
  queries: string[];
  resetQueries(): void;
  /** What the hub logged (at info and above), when started with `captureLogs`. */
  logs: LogLine[];
  send<T, V>(
    document: TypedDocumentNode<T, V>,
    variables?: V,
    opts?: RequestOptions,
  ): ReturnType<typeof send<T, V>>;
  client(token?: string): ReturnType<typeof createHubClient>;
  close(): Promise<void>;
}

export interface TestHubOptions {
  /** Rewrites the database URL the hub connects to (e.g. through a proxy). */
  connectVia?: (url: string) => string;
  /**
   * Keep the hub's log lines in `logs` instead of printing them: info and above, or from the
   * level given (`'trace'`: everything the hub can log).
   */
  captureLogs?: boolean | 'trace' | 'debug';
}

/** One pino line: `level` is pino's number (30 info, 40 warn, 50 error). */
export interface LogLine {
  level: number;
  msg?: string;
  [key: string]: unknown;
}

export async function startTestHub(
  env: Record<string, string> = {},
  opts: TestHubOptions = {},
): Promise<TestHub> {
  const database = await createTestDatabase();
  const hubUrl = opts.connectVia ? opts.connectVia(database.url) : database.url;
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    DATABASE_URL: hubUrl,
    // Test receivers listen on 127.0.0.1 (webhook-url.ts refuses loopback unless told).
    WEBHOOK_ALLOW_LOOPBACK: 'true',
    // Generous limits: a test file makes many requests from one address and user in a second.
    // test/security/limits.test.ts sets low ones.
    RATE_LIMIT_ADDRESS_PER_MINUTE: '1000000',
    RATE_LIMIT_USER_PER_MINUTE: '1000000',
    RATE_LIMIT_API_KEY_PER_MINUTE: '1000000',
    AUTH_FAILURES_PER_ADDRESS: '1000000',
    WS_CONNECTIONS_PER_USER: '1000000',
    WS_SUBSCRIPTIONS_PER_CONNECTION: '100000',
    ...env,
  });
  const logs: LogLine[] = [];
  const logger = opts.captureLogs
    ? createLogger(
        opts.captureLogs === true ? 'info' : opts.captureLogs,
        {},
        {
          write: (line: string) => void logs.push(JSON.parse(line) as LogLine),
        },
      )
    : createLogger(config.LOG_LEVEL);
  const queries: string[] = [];
  const db = openDatabase({
    url: hubUrl,
    poolMax: 5,
    logger,
    onQuery: (sql) => queries.push(sql),
    statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
    lockTimeoutMs: config.DATABASE_LOCK_TIMEOUT_MS,
    randomPageCost: config.DATABASE_RANDOM_PAGE_COST,
  });
  const hub = await startHub({ config, db, logger });
  const graphqlUrl = `http://127.0.0.1:${hub.port}/graphql`;
  return {
    hub,
    db,
    database,
    config,
    graphqlUrl,
    queries,
    logs,
    resetQueries: () => void queries.splice(0),
    send: (document, variables, opts) => send(graphqlUrl, document, variables, opts),
    client: (token) => createHubClient(graphqlUrl, { token }),
    async close() {
      await hub.stop();
      await db.close();
      await database.drop();
    },
  };
}
