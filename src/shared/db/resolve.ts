/**
 * Which database a process talks to: DATABASE_URL when set (with DATABASE_DIRECT_URL for what a
 * transaction pooler cannot carry), otherwise the embedded one in DATA_DIR. A command (`npm run
 * token`) uses the server of a running hub if there is one, else starts its own; a hub
 * (`exclusive`) never shares a folder: the first hub owns it, and a second is refused with the
 * first one's process id (borrowing its server, it would lose the database the moment the first
 * one stops).
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Config } from '../config.ts';
import { srcPath } from '../process.ts';
import { DataFolderError, folderHolder, inUseMessage } from './data-folder.ts';
import { findEmbeddedDatabase } from './embedded.ts';

export interface ResolvedDatabase {
  url: string;
  /**
   * Where what needs one session connects (LISTEN, migrations, commands): DATABASE_DIRECT_URL,
   * else `url`. It differs from `url` only when `url` is a transaction pooler.
   */
  directUrl: string;
  embedded: boolean;
  /** True when this call created the embedded database. */
  created: boolean;
  /** Stops the embedded database process this call started, if any. */
  release(): Promise<void>;
}

export interface ResolveOptions {
  /** A hub: refuse a data folder another process holds, rather than use its server. */
  exclusive?: boolean;
}

const CHILD = srcPath('cli/embedded-db.ts');
/** How long a command waits for a hub that is starting on the same folder to serve it. */
const WAIT_FOR_STARTING_HUB_MS = 90_000;

/**
 * Resolves (and if need be starts) the database for this process. An embedded folder that cannot
 * be used rejects with a DataFolderError: its message is meant for the user as it is.
 */
export async function resolveDatabase(config: Config, opts: ResolveOptions = {}): Promise<ResolvedDatabase> {
  if (config.DATABASE_URL) {
    const url = config.DATABASE_URL;
    return {
      url,
      directUrl: config.DATABASE_DIRECT_URL ?? url,
      embedded: false,
      created: false,
      release: async () => {},
    };
  }
  const holder = await folderHolder(config.dataDir);
  if (opts.exclusive) {
    if (holder) throw new DataFolderError(inUseMessage(config.dataDir, holder));
    return startEmbeddedChild(config.dataDir, 'hub');
  }
  const running = holder ? await waitForServer(config.dataDir) : await findEmbeddedDatabase(config.dataDir);
  if (running)
    return { url: running, directUrl: running, embedded: true, created: false, release: async () => {} };
  return startEmbeddedChild(config.dataDir, `src/cli/${path.basename(process.argv[1] ?? 'command')}`);
}

/** The URL of a server that a live owner is starting or serving; null once the owner has gone. */
async function waitForServer(dataDir: string): Promise<string | null> {
  for (let waited = 0; waited < WAIT_FOR_STARTING_HUB_MS; waited += 200) {
    const url = await findEmbeddedDatabase(dataDir);
    if (url) return url;
    if (!(await folderHolder(dataDir))) return null;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return null;
}

/**
 * Forks src/cli/embedded-db.ts and waits for it to serve the data folder. `startedBy` (`hub` or
 * the command) is what a process that finds the folder taken is told.
 */
export function startEmbeddedChild(dataDir: string, startedBy = 'hub'): Promise<ResolvedDatabase> {
  const child = fork(CHILD, [dataDir, startedBy], {
    execArgv: ['--import', 'tsx/esm'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) =>
      reject(new Error(`The embedded database process stopped during start-up (exit code ${code}).`)),
    );
    child.once('message', (msg: { type: string; url?: string; created?: boolean; message?: string }) => {
      child.removeAllListeners('exit');
      if (msg.type !== 'ready' || !msg.url) {
        reject(new DataFolderError(msg.message ?? 'The embedded database did not start.'));
        return;
      }
      resolve({
        url: msg.url,
        directUrl: msg.url,
        embedded: true,
        created: msg.created ?? false,
        release: () => stopChild(child),
      });
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
