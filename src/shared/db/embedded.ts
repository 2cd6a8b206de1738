/**
 * The embedded default: PGlite (PostgreSQL compiled to WebAssembly) persisted in DATA_DIR and
 * served on a loopback port with the PostgreSQL wire protocol. The hub, its migrations and the
 * CLI then use the very same pg driver and Prisma adapter as against a real PostgreSQL server.
 *
 * PGlite must be opened by one process only: the owner writes `embedded-db.json` (pid, port)
 * and every other process (a second terminal's `npm run token`) connects through that port.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { pgliteOptions } from './pglite-options.ts';

const STATE_FILE = 'embedded-db.json';

interface EmbeddedState {
  pid: number;
  port: number;
}

export interface EmbeddedDatabase {
  url: string;
  /** True when this start created the database (first start on an empty data folder). */
  created: boolean;
  stop(): Promise<void>;
}

/** postgres:// URL for a PGlite socket server on a loopback port. */
export function embeddedUrl(port: number): string {
  return `postgresql://postgres@127.0.0.1:${port}/postgres?sslmode=disable`;
}

/**
 * Opens (creating on first use) the database in `dataDir` and serves it on 127.0.0.1.
 * Refuses when another live process already owns the folder.
 */
export async function startEmbeddedDatabase(
  dataDir: string,
  opts: { maxConnections?: number } = {},
): Promise<EmbeddedDatabase> {
  const running = await findEmbeddedDatabase(dataDir);
  if (running) {
    throw new Error(`the data folder ${dataDir} is already in use by a running hub (${running})`);
  }
  const pgdata = path.join(dataDir, 'pgdata');
  const created = !existsSync(path.join(pgdata, 'PG_VERSION'));
  // PGlite creates only the last folder of its path.
  await mkdir(dataDir, { recursive: true });
  const db = await PGlite.create(pgdata, pgliteOptions);
  const server = new PGLiteSocketServer({
    db,
    host: '127.0.0.1',
    port: 0,
    maxConnections: opts.maxConnections ?? 100,
  });
  await server.start();
  const port = Number(server.getServerConn().split(':').pop());
  const state: EmbeddedState = { pid: process.pid, port };
  await writeFile(path.join(dataDir, STATE_FILE), JSON.stringify(state));
  return {
    url: embeddedUrl(port),
    created,
    async stop() {
      await server.stop();
      await db.close();
      await rm(path.join(dataDir, STATE_FILE), { force: true });
    },
  };
}

/** The URL of the embedded database another process serves from `dataDir`, or null. */
export async function findEmbeddedDatabase(dataDir: string): Promise<string | null> {
  let state: EmbeddedState;
  try {
    state = JSON.parse(await readFile(path.join(dataDir, STATE_FILE), 'utf8')) as EmbeddedState;
  } catch {
    return null;
  }
  if (!isAlive(state.pid) || !(await canConnect(state.port))) return null;
  return embeddedUrl(state.port);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}
