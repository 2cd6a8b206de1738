/** The hub as a separate process (`npm start`'s entry point), observed through its log lines. */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import readline from 'node:readline';

export interface HubProcess {
  child: ChildProcess;
  /** http://127.0.0.1:port */
  url: string;
  lines: string[];
  /** Resolves with the first log line (past or future) matching `re`. */
  waitForLine(re: RegExp): Promise<string>;
  exit: Promise<number | null>;
}

/** The node arguments of `npm start`, so that tests and benchmarks run exactly what users run. */
export const START_ARGS = (
  JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } }
).scripts.start
  .split(' ')
  // `exec node …`: the arguments after `node`.
  .slice(2);

export interface SpawnOptions {
  /** Each log line as it comes, before the hub listens too (start-up waiting, failures). */
  onLine?: (line: string) => void;
}

export async function spawnHub(env: Record<string, string>, opts: SpawnOptions = {}): Promise<HubProcess> {
  const child = spawn(process.execPath, START_ARGS, {
    // No rate limits unless a test asks for them: test files fire many requests from one address.
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info',
      NODE_ENV: 'test',
      RATE_LIMITS: 'false',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters: { re: RegExp; resolve: (line: string) => void }[] = [];
  const onLine = (line: string) => {
    lines.push(line);
    opts.onLine?.(line);
    for (const w of [...waiters]) {
      if (w.re.test(line)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  };
  readline.createInterface({ input: child.stdout }).on('line', onLine);
  readline.createInterface({ input: child.stderr }).on('line', onLine);
  const exit = once(child, 'exit').then(([code]) => code as number | null);
  const waitForLine = (re: RegExp) =>
    new Promise<string>((resolve, reject) => {
      const seen = lines.find((l) => re.test(l));
      if (seen) return resolve(seen);
      waiters.push({ re, resolve });
      void exit.then((code) => reject(new Error(`hub exited (${code}) before ${re}:\n${lines.join('\n')}`)));
    });
  const listening = await waitForLine(/Maillage is listening/);
  const url = (JSON.parse(listening) as { url: string }).url
    .replace('/graphql', '')
    .replace('localhost', '127.0.0.1');
  return { child, url, lines, waitForLine, exit };
}

/** Whether a process of this pid exists (signal 0 checks without sending anything). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
