/** Running the hub's own TypeScript commands as child processes (migrations, seed). */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Path of a file under src/, from this module. */
export function srcPath(relative: string): string {
  return fileURLToPath(new URL(`../${relative}`, import.meta.url));
}

/**
 * Runs `src/<script>` with tsx in a child process and resolves when it exits 0. Its output goes
 * to ours. Migrations load a ~470 MB engine: running them apart keeps the server small.
 */
export function runScript(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const child = fork(srcPath(script), args, {
    execArgv: ['--import', 'tsx/esm'],
    env: { ...process.env, ...env },
    stdio: 'inherit',
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      code === 0
        ? resolve()
        : reject(new Error(`${script} ${args.join(' ')} failed (${signal ?? `exit ${code}`})`)),
    );
  });
}
