/**
 * Which database a process talks to: DATABASE_URL when set, otherwise the embedded one in
 * DATA_DIR — served by a running hub if there is one, else by a child process started here.
 */
import { fork, type ChildProcess } from 'node:child_process';
import type { Config } from '../config.ts';
import { srcPath } from '../process.ts';
import { findEmbeddedDatabase } from './embedded.ts';

export interface ResolvedDatabase {
  url: string;
  embedded: boolean;
  /** True when this call created the embedded database. */
  created: boolean;
  /** Stops the embedded database process this call started, if any. */
  release(): Promise<void>;
}

const CHILD = srcPath('cli/embedded-db.ts');

/** Resolves (and if need be starts) the database for this process. */
export async function resolveDatabase(config: Config): Promise<ResolvedDatabase> {
  if (config.DATABASE_URL) {
    return { url: config.DATABASE_URL, embedded: false, created: false, release: async () => {} };
  }
  const running = await findEmbeddedDatabase(config.dataDir);
  if (running) return { url: running, embedded: true, created: false, release: async () => {} };
  return startEmbeddedChild(config.dataDir);
}

/** Forks src/cli/embedded-db.ts and waits for it to serve the data folder. */
export function startEmbeddedChild(dataDir: string): Promise<ResolvedDatabase> {
  const child = fork(CHILD, [dataDir], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`embedded database exited with code ${code}`)));
    child.once('message', (msg: { type: string; url?: string; created?: boolean; message?: string }) => {
      child.removeAllListeners('exit');
      if (msg.type !== 'ready' || !msg.url) {
        reject(new Error(`embedded database failed: ${msg.message ?? 'unknown error'}`));
        return;
      }
      resolve({
        url: msg.url,
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
