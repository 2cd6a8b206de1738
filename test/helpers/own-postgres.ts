/**
 * A PostgreSQL server of a test's own, on its own port and data folder, that the test may stop,
 * start and restart (a real restart: "the database system is shutting down / starting up")
 * without disturbing the machine's server that every other test file uses. It runs the machine's
 * PostgreSQL binaries (/usr/lib/postgresql/<newest>/bin, version 15 here and in CI), as the
 * `postgres` user when the test runs as root.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync } from 'node:fs';
import { chmod, chown, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';

export interface OwnPostgres {
  port: number;
  /** postgres:// URL of `database` on this server (user postgres, trust authentication). */
  url(database?: string): string;
  /** Starts the server and resolves once it accepts connections. */
  start(): Promise<void>;
  /** Fast shutdown (SIGINT): open transactions roll back, connections are closed. */
  stop(): Promise<void>;
  /** Stops it (if running) and removes its data folder. */
  close(): Promise<void>;
  /** The server's log lines so far. */
  log: string[];
}

function binaries(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(path.join(root, v, 'bin', 'postgres')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (!versions[0]) throw new Error(`No PostgreSQL server binaries under ${root}.`);
  return path.join(root, versions[0], 'bin');
}

/** A port free on 127.0.0.1 now (for servers that cannot be told to pick one). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Initialises a new data folder (stopped server); `start()` it when the test wants it up. */
export async function createOwnPostgres(): Promise<OwnPostgres> {
  const bin = binaries();
  const asRoot = process.getuid?.() === 0;
  const ids = asRoot
    ? {
        uid: Number(execFileSync('id', ['-u', 'postgres']).toString().trim()),
        gid: Number(execFileSync('id', ['-g', 'postgres']).toString().trim()),
      }
    : {};
  const dir = await mkdtemp(path.join(os.tmpdir(), 'maillage-pg-'));
  const data = path.join(dir, 'data');
  if (asRoot) {
    await chmod(dir, 0o755);
    await chown(dir, ids.uid!, ids.gid!);
  }
  const initdb = spawn(
    path.join(bin, 'initdb'),
    ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync'],
    { ...ids, stdio: 'ignore' },
  );
  const [code] = (await once(initdb, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`initdb failed (exit ${code})`);

  const port = await freePort();
  const log: string[] = [];
  let server: ChildProcess | null = null;

  const start = async () => {
    const child = spawn(
      path.join(bin, 'postgres'),
      [
        '-D',
        data,
        '-p',
        String(port),
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'unix_socket_directories=',
        '-c',
        'fsync=off',
        '-c',
        'max_connections=60',
      ],
      { ...ids, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    server = child;
    await new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (chunk: Buffer) => {
        const text = chunk.toString();
        log.push(...text.split('\n').filter(Boolean));
        if (text.includes('ready to accept connections')) resolve();
      });
      child.once('exit', (exitCode) =>
        reject(new Error(`postgres exited (${exitCode}):\n${log.join('\n')}`)),
      );
    });
  };

  const stop = async () => {
    const child = server;
    if (!child || child.exitCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGINT');
    await exited;
    server = null;
  };

  return {
    port,
    log,
    url: (database = 'postgres') => `postgresql://postgres@127.0.0.1:${port}/${database}`,
    start,
    stop,
    async close() {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
