/**
 * The command line as partners run it: a child process (`npm run cli`'s entry point), with an
 * environment of its own (no MAILLAGE_* from the outer shell; its config file in a temp folder).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import readline from 'node:readline';

/** `npm run cli`'s command (TypeScript through tsx). */
export const SOURCE_CLI = ['--import', 'tsx', 'clients/cli/maillage.ts'];

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function environment(env: Record<string, string>): NodeJS.ProcessEnv {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('MAILLAGE_')));
  return { ...clean, NO_COLOR: '1', ...env };
}

/** Runs `<node> <command> <args>` to its end. */
export async function runCli(
  command: string[],
  args: string[],
  env: Record<string, string>,
  input?: string,
): Promise<CliResult> {
  const child = spawn(process.execPath, [...command, ...args], {
    env: environment(env),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.stdin.end(input ?? '');
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
}

/** A long-running `<node> <command> <args>` (watch), read line by line. */
export function startCli(command: string[], args: string[], env: Record<string, string>) {
  const child: ChildProcess = spawn(process.execPath, [...command, ...args], {
    env: environment(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let stderr = '';
  const waiters: { re: RegExp; resolve: (line: string) => void }[] = [];
  readline.createInterface({ input: child.stdout! }).on('line', (line) => {
    lines.push(line);
    for (const w of [...waiters]) {
      if (w.re.test(line)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exit = once(child, 'exit').then(([code]) => code as number | null);
  return {
    child,
    lines,
    get stderr() {
      return stderr;
    },
    exit,
    /** Resolves with the first stdout line (past or future) matching `re`. */
    waitForLine: (re: RegExp, timeoutMs = 15_000) =>
      new Promise<string>((resolve, reject) => {
        const seen = lines.find((l) => re.test(l));
        if (seen) return resolve(seen);
        const timer = setTimeout(
          () => reject(new Error(`no line ${re} in:\n${lines.join('\n')}\n${stderr}`)),
          timeoutMs,
        );
        waiters.push({
          re,
          resolve: (line) => {
            clearTimeout(timer);
            resolve(line);
          },
        });
      }),
  };
}
