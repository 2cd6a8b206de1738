/**
 * `npm run watch` tells a fatal error from one it resumes after, and says which: a token the hub
 * refuses stops it (exit 1, "fatal, not retrying"); a hub restart is an interruption it resumes
 * after, from its last cursor, losing nothing ("interrupted, resuming", then "connected again").
 */
import { execFile, spawn } from 'node:child_process';
import net from 'node:net';
import readline from 'node:readline';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase } from '../helpers/pg.ts';
import { spawnHub, type HubProcess } from '../helpers/process.ts';
import { collector, type Collector } from '../helpers/realtime.ts';

const run = promisify(execFile);
const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn().catch(() => undefined);
});

const MARC = 'marc.schmit@inter-actions.example';
let env: NodeJS.ProcessEnv;
let databaseUrl: string;
let port: number;

function stop(hub: HubProcess) {
  if (hub.child.exitCode === null) hub.child.kill('SIGTERM');
  return hub.exit;
}

async function startHubOnPort(): Promise<HubProcess> {
  const hub = await spawnHub({ DATABASE_URL: databaseUrl, PORT: String(port) });
  cleanup.push(() => stop(hub));
  return hub;
}

beforeAll(async () => {
  const database = await createTestDatabase();
  cleanup.push(() => database.drop());
  databaseUrl = database.url;
  env = { ...process.env, DATABASE_URL: database.url, LOG_LEVEL: 'warn' };
  await run(process.execPath, ['--import', 'tsx', 'src/cli/seed.ts'], { env });
  // A fixed port, so that the hub can be restarted where the watcher looks for it.
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  port = (probe.address() as net.AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
}, 120_000);

function watch(extraEnv: Record<string, string> = {}) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cli/watch.ts', MARC, '--url', `http://127.0.0.1:${port}`],
    { env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const events = collector<string>();
  const notes = collector<string>();
  readline.createInterface({ input: child.stdout }).on('line', (l) => events.push(l));
  readline.createInterface({ input: child.stderr }).on('line', (l) => notes.push(l));
  // 'close', not 'exit': its last lines are read by then.
  const exit = new Promise<number | null>((resolve) => child.once('close', resolve));
  cleanup.push(() => {
    if (child.exitCode === null) child.kill('SIGTERM');
    return exit;
  });
  return { child, events, notes, exit };
}

async function lineMatching(lines: Collector<string>, re: RegExp, timeoutMs = 30_000): Promise<string> {
  for (let n = 1; ; n++) {
    const got = await lines.waitFor(n, timeoutMs);
    const line = got.find((l) => re.test(l));
    if (line) return line;
  }
}

async function postMessage(hubUrl: string, body: string): Promise<void> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/cli/token.ts', MARC], { env });
  const token = stdout.trim().split('\n').pop()!;
  const ask = async (query: string, variables: object = {}) => {
    const response = await fetch(`${hubUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    return ((await response.json()) as { data: Record<string, unknown> }).data;
  };
  const inbox = (await ask('{ referrals(box: INCOMING, first: 1) { edges { node { id } } } }')) as {
    referrals: { edges: { node: { id: string } }[] };
  };
  const posted = (await ask(
    'mutation($id: ID!, $body: String!) { postReferralMessage(input: { id: $id, body: $body }) { __typename } }',
    { id: inbox.referrals.edges[0]!.node.id, body },
  )) as { postReferralMessage: { __typename: string } };
  expect(posted.postReferralMessage.__typename).toBe('MutationPostReferralMessageSuccess');
}

describe('npm run watch', () => {
  it('stops at once, saying it is fatal, when the hub refuses its token', async () => {
    const hub = await startHubOnPort();
    // Signed for another issuer than the hub expects: the hub refuses the connection (4403).
    const watcher = watch({ AUTH_ISSUER: 'another-hub' });
    expect(await watcher.exit).toBe(1);
    const notes = watcher.notes.items.join('\n');
    expect(notes).toMatch(/^fatal, not retrying: the hub refused the credential \(4403 Forbidden/m);
    expect(notes).toMatch(/is ws:\/\/127\.0\.0\.1:\d+\/graphql the hub of this database\?/);
    expect(notes).not.toMatch(/interrupted|resuming/);
    expect(await stop(hub)).toBe(0);
  }, 120_000);

  it('resumes after a hub restart, saying so, and loses nothing', async () => {
    let hub = await startHubOnPort();
    const watcher = watch();
    await lineMatching(watcher.notes, /^connected: /);
    await postMessage(hub.url, 'Avant le redémarrage.');
    await lineMatching(watcher.events, /MESSAGE/);

    expect(await stop(hub)).toBe(0);
    expect(await lineMatching(watcher.notes, /^interrupted, resuming after #\d+/)).toMatch(
      /the hub closed the connection: it is going away \(1001/,
    );
    hub = await startHubOnPort();
    await lineMatching(watcher.notes, /^connected again: resumed after #\d+/);
    await postMessage(hub.url, 'Après le redémarrage.');
    const events = await watcher.events.waitFor(2);
    expect(events.filter((l) => l.includes('MESSAGE'))).toHaveLength(2);
    expect(watcher.notes.items.filter((l) => /fatal/.test(l))).toEqual([]);
    expect(watcher.child.exitCode).toBeNull();

    watcher.child.kill('SIGINT');
    expect(await watcher.exit).toBe(0);
  }, 180_000);
});
