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
    ...env,
  });
  const logger = createLogger(config.LOG_LEVEL);
  const queries: string[] = [];
  const db = openDatabase({ url: hubUrl, poolMax: 5, logger, onQuery: (sql) => queries.push(sql) });
  const hub = await startHub({ config, db, logger });
  const graphqlUrl = `http://127.0.0.1:${hub.port}/graphql`;
  return {
    hub,
    db,
    database,
    config,
    graphqlUrl,
    queries,
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
