/**
 * A PgBouncer of the test's own (Debian's `pgbouncer` package; PGBOUNCER names another binary) on
 * 127.0.0.1, in transaction mode, in front of one database of the machine's PostgreSQL: its ini
 * and user list in a temporary folder, trust authentication, the admin console open to the
 * database's user. `close()` stops it and removes the folder.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import pg from 'pg';
import { freePort } from './own-postgres.ts';

const BINARY = process.env.PGBOUNCER ?? '/usr/sbin/pgbouncer';
/** PgBouncer refuses to run as root; it then switches to this user (who must read the folder). */
const UNPRIVILEGED_USER = 'nobody';
const START_TIMEOUT_MS = 30_000;

export interface PgBouncer {
  port: number;
  /** The database's URL with PgBouncer's address instead of the server's. */
  url: string;
  /** Runs a command on the admin console (`SHOW POOLS`…: simple protocol, no parameters). */
  admin(command: string): Promise<Record<string, unknown>[]>;
  /** What PgBouncer wrote (its log goes to stderr). */
  lines: string[];
  close(): Promise<void>;
}

export interface PgBouncerOptions {
  /** Server connections per database and user (`default_pool_size`). Default 5. */
  poolSize?: number;
}

/** Starts a PgBouncer in front of `databaseUrl` (postgresql://user@host:port/name, trust auth). */
export async function startPgBouncer(databaseUrl: string, opts: PgBouncerOptions = {}): Promise<PgBouncer> {
  const target = new URL(databaseUrl);
  const database = decodeURIComponent(target.pathname.slice(1));
  const user = decodeURIComponent(target.username) || 'postgres';
  const folder = await mkdtemp(path.join(os.tmpdir(), 'maillage-pgbouncer-'));
  const port = await freePort();
  const ini = path.join(folder, 'pgbouncer.ini');
  await writeFile(
    ini,
    [
      '[databases]',
      `${database} = host=${target.hostname} port=${target.port || '5432'} dbname=${database}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = trust',
      `auth_file = ${path.join(folder, 'userlist.txt')}`,
      `admin_users = ${user}`,
      'pool_mode = transaction',
      `default_pool_size = ${opts.poolSize ?? 5}`,
      'max_client_conn = 200',
      '',
    ].join('\n'),
  );
  await writeFile(path.join(folder, 'userlist.txt'), `"${user}" ""\n`);
  await chmod(folder, 0o755);
  const asRoot = process.getuid?.() === 0;
  const child = spawn(BINARY, [...(asRoot ? ['-u', UNPRIVILEGED_USER] : []), ini], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const lines: string[] = [];
  const exited = once(child, 'exit');
  const up = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`PgBouncer did not start:\n${lines.join('\n')}`)),
      START_TIMEOUT_MS,
    );
    readline.createInterface({ input: child.stderr }).on('line', (line) => {
      lines.push(line);
      if (/process up/.test(line)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('error', reject);
    void exited.then(() => reject(new Error(`PgBouncer stopped during start-up:\n${lines.join('\n')}`)));
  });
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM'); // immediate shutdown
      await exited;
    }
    await rm(folder, { recursive: true, force: true });
  };
  await up.catch(async (err: unknown) => {
    await close();
    throw err;
  });
  const url = new URL(databaseUrl);
  url.hostname = '127.0.0.1';
  url.port = String(port);
  const adminUrl = new URL(url);
  adminUrl.pathname = '/pgbouncer';
  return {
    port,
    url: url.toString(),
    lines,
    async admin(command) {
      const client = new pg.Client({ connectionString: adminUrl.toString() });
      await client.connect();
      try {
        return (await client.query<Record<string, unknown>>(command)).rows;
      } finally {
        await client.end();
      }
    },
    close,
  };
}
