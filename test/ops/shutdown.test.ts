/**
 * SIGTERM drains the hub within SHUTDOWN_TIMEOUT_MS however it was started (issue 14):
 * - sent to `npm start` (npm, its shell, then node: in a container npm is PID 1), it reaches the
 *   hub, which drains and exits, and npm exits after it: no hub left serving;
 * - a request in flight when SIGTERM comes finishes and gets its answer, then the hub exits 0;
 * - a request stuck behind a lock does not hold the process past the limit.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import readline from 'node:readline';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../helpers/pg.ts';
import { isRunning, spawnHub } from '../helpers/process.ts';

const WAIT = 60_000;
const LIMIT_MS = 3_000;
/**
 * Event-loop and process-exit slack on a loaded machine (CI once took 5.1 s in all with 2 s of
 * slack). The bound only has to tell "the timeout ended it" from "the lock's holder did", and the
 * holder lets go only after the hub has exited: any slack well under the test's limit will do.
 */
const SLACK_MS = 10_000;

let database: TestDatabase;
let holder: pg.Client;

beforeAll(async () => {
  database = await createTestDatabase();
  holder = new pg.Client({ connectionString: database.url });
  await holder.connect();
});
/** Every process a test started: one that failed before its SIGTERM must not outlive the file. */
const started: number[] = [];
afterAll(async () => {
  for (const pid of started) if (isRunning(pid)) process.kill(pid, 'SIGKILL');
  await holder?.end();
  await database?.drop();
});

const ORGANISATIONS = JSON.stringify({ query: '{ organisations(first: 1) { totalCount } }' });

/** Locks the table the request reads, so that it waits, and resolves once it does wait. */
async function blockOrganisations(): Promise<void> {
  await holder.query('begin');
  await holder.query('lock table "Organisation" in access exclusive mode');
}

async function untilWaitingOnLock(): Promise<void> {
  const deadline = Date.now() + WAIT;
  for (;;) {
    const { rows } = await holder.query<{ n: number }>(
      `select count(*)::int as n from pg_stat_activity
        where datname = current_database() and wait_event_type = 'Lock' and pid <> pg_backend_pid()`,
    );
    if (rows[0]!.n > 0) return;
    if (Date.now() > deadline) throw new Error('no request waited on the lock');
    // Polling PostgreSQL's own view: the event has no notification.
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

it(
  'SIGTERM to `npm start` reaches the hub: it drains and exits, then npm does',
  async () => {
    const npm = spawn('npm', ['start', '--ignore-scripts'], {
      env: {
        ...process.env,
        DATABASE_URL: database.url,
        MIGRATE_ON_START: 'false',
        HOST: '127.0.0.1',
        PORT: '0',
        NODE_ENV: 'test',
        LOG_LEVEL: 'info',
        SHUTDOWN_TIMEOUT_MS: String(LIMIT_MS),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    started.push(npm.pid!);
    const lines: string[] = [];
    let listening: (line: string) => void = () => undefined;
    const ready = new Promise<string>((resolve) => (listening = resolve));
    for (const stream of [npm.stdout, npm.stderr]) {
      readline.createInterface({ input: stream }).on('line', (line) => {
        lines.push(line);
        if (line.includes('Maillage is listening')) listening(line);
      });
    }
    const exited = once(npm, 'exit');
    const line = await Promise.race([
      ready,
      exited.then(() => Promise.reject(new Error(`npm start exited:\n${lines.join('\n')}`))),
    ]);
    const { pid, url } = JSON.parse(line) as { pid: number; url: string };
    started.push(pid);
    expect(pid).not.toBe(npm.pid); // the hub is npm's child, not npm itself
    const base = url.replace('/graphql', '').replace('localhost', '127.0.0.1');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);

    const sent = Date.now();
    npm.kill('SIGTERM');
    await exited;
    expect(Date.now() - sent).toBeLessThan(LIMIT_MS + SLACK_MS);
    expect(lines.some((l) => l.includes('"msg":"draining"'))).toBe(true);
    expect(lines.some((l) => l.includes('"msg":"stopped"'))).toBe(true);
    expect(isRunning(pid)).toBe(false);
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
  },
  WAIT * 2,
);

it(
  'a request in flight at SIGTERM gets its answer, then the hub exits 0',
  async () => {
    const hub = await spawnHub({
      DATABASE_URL: database.url,
      MIGRATE_ON_START: 'false',
      SHUTDOWN_TIMEOUT_MS: String(LIMIT_MS * 4),
      DATABASE_LOCK_TIMEOUT_MS: '0',
    });
    started.push(hub.child.pid!);
    await blockOrganisations();
    const answer = fetch(`${hub.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: ORGANISATIONS,
    });
    await untilWaitingOnLock();
    hub.child.kill('SIGTERM');
    await hub.waitForLine(/"msg":"draining"/);
    await holder.query('rollback');
    const res = await answer;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { organisations: { totalCount: 0 } } });
    expect(await hub.exit).toBe(0);
  },
  WAIT * 2,
);

it(
  'a request stuck behind a lock does not hold the process past SHUTDOWN_TIMEOUT_MS',
  async () => {
    const hub = await spawnHub({
      DATABASE_URL: database.url,
      MIGRATE_ON_START: 'false',
      SHUTDOWN_TIMEOUT_MS: String(LIMIT_MS),
      DATABASE_LOCK_TIMEOUT_MS: '0',
      DATABASE_STATEMENT_TIMEOUT_MS: '120000',
    });
    started.push(hub.child.pid!);
    await blockOrganisations();
    // A connection of its own (no keep-alive socket of an earlier hub can be reused).
    const answer = new Promise<number | string>((resolve) => {
      const req = http.request(
        `${hub.url}/graphql`,
        { method: 'POST', agent: false, headers: { 'content-type': 'application/json' } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', () => resolve('closed'));
      req.end(ORGANISATIONS);
    });
    // Once failed in CI (Node 22, loaded machine) with "no request waited on the lock": if the
    // request is answered before it waits, say how, with the hub's log.
    let waiting = false;
    const early = answer.then((a) => {
      if (!waiting) throw new Error(`answered (${a}) before waiting on the lock:\n${hub.lines.join('\n')}`);
    });
    await Promise.race([untilWaitingOnLock().then(() => void (waiting = true)), early]);
    const sent = Date.now();
    hub.child.kill('SIGTERM');
    const code = await hub.exit;
    const took = Date.now() - sent;
    await holder.query('rollback');
    expect(took).toBeLessThan(LIMIT_MS + SLACK_MS);
    expect(code).toBe(1);
    expect(hub.lines.some((l) => l.includes('drain did not finish within SHUTDOWN_TIMEOUT_MS'))).toBe(true);
    expect(await answer).toBe('closed');
  },
  WAIT * 2,
);
