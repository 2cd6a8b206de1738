/**
 * The hub as people run it: `npm start` on an empty data folder (embedded PostgreSQL, migrations
 * in their own process, demo data), `npm run token` from a second terminal while it runs, a hub
 * killed without warning and started again on the same folder, and a SIGTERM that drains an
 * in-flight request.
 */
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import WebSocket from 'ws';
import { send } from '../../clients/sdk.ts';
import { OrganisationsDocument, ViewerDocument } from '../../clients/generated/graphql.ts';
import { isRunning } from '../../src/shared/db/data-folder.ts';
import { createTestDatabase } from '../helpers/pg.ts';
import { spawnHub, type HubProcess } from '../helpers/process.ts';

const run = promisify(execFile);
const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn();
});

function stop(hub: HubProcess) {
  if (hub.child.exitCode === null) hub.child.kill('SIGTERM');
  return hub.exit;
}

describe('embedded default', () => {
  it('goes from an empty data folder to a first answer, and hands out tokens meanwhile', async () => {
    const dataDir = path.join(await mkdtemp(path.join(os.tmpdir(), 'maillage-')), 'data');
    cleanup.push(() => rm(path.dirname(dataDir), { recursive: true, force: true }));
    const hub = await spawnHub({ DATA_DIR: dataDir, DATABASE_URL: '' });
    cleanup.push(() => stop(hub));

    expect((await fetch(`${hub.url}/readyz`)).status).toBe(200);
    const orgs = await send(`${hub.url}/graphql`, OrganisationsDocument, { first: 100 });
    expect(orgs.body.data?.organisations.totalCount).toBeGreaterThanOrEqual(15);
    const slugs = orgs.body.data?.organisations.edges.map((e) => e.node.slug);
    expect(slugs).toEqual(expect.arrayContaining(['inter-actions', 'caritas-luxembourg', 'croix-rouge']));

    // A second terminal, while the hub runs on the same data folder.
    const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' };
    const list = await run(process.execPath, ['--import', 'tsx', 'src/cli/token.ts', '--list'], { env });
    expect(list.stdout).toMatch(/sophie\.weber@inter-actions\.example\s+inter-actions\s+ORG_ADMIN/);
    const issued = await run(
      process.execPath,
      ['--import', 'tsx', 'src/cli/token.ts', 'sophie.weber@inter-actions.example'],
      { env },
    );
    const token = issued.stdout.trim().split('\n').pop()!;
    const viewer = await send(`${hub.url}/graphql`, ViewerDocument, undefined, { token });
    expect(viewer.body.data?.viewer?.name).toBe('Sophie Weber');

    expect(await stop(hub)).toBe(0);
  }, 300_000);
  it('starts again on the same folder after the hub, or the hub and its database owner, were killed', async () => {
    const dataDir = path.join(await mkdtemp(path.join(os.tmpdir(), 'maillage-')), 'data');
    cleanup.push(() => rm(path.dirname(dataDir), { recursive: true, force: true }));
    const first = await spawnHub({ DATA_DIR: dataDir, DATABASE_URL: '' });
    cleanup.push(() => stop(first));
    const token = await issueToken(dataDir, 'marc.schmit@inter-actions.example');

    // SIGKILL of the hub alone: its database owner sees the IPC channel close and stops the server.
    first.child.kill('SIGKILL');
    await first.exit;
    const second = await spawnHub({ DATA_DIR: dataDir, DATABASE_URL: '' });
    cleanup.push(() => stop(second));
    const viewer = await send(`${second.url}/graphql`, ViewerDocument, undefined, { token });
    expect(viewer.body.data?.viewer?.email).toBe('marc.schmit@inter-actions.example');

    // SIGKILL of the hub and of the owner: PostgreSQL is left running with nobody owning it. The
    // next start stops that orphan and serves the same data.
    const { pid: owner } = JSON.parse(await readFile(path.join(dataDir, 'embedded-db.json'), 'utf8')) as {
      pid: number;
    };
    const postmaster = Number(
      (await readFile(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8')).split('\n')[0],
    );
    process.kill(owner, 'SIGKILL');
    second.child.kill('SIGKILL');
    await second.exit;
    const third = await spawnHub({ DATA_DIR: dataDir, DATABASE_URL: '' });
    cleanup.push(() => stop(third));
    expect(isRunning(postmaster)).toBe(false);
    const again = await send(`${third.url}/graphql`, ViewerDocument, undefined, { token });
    expect(again.body.data?.viewer?.email).toBe('marc.schmit@inter-actions.example');
    expect(await stop(third)).toBe(0);
  }, 300_000);
});

async function issueToken(dataDir: string, email: string): Promise<string> {
  const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' };
  const issued = await run(process.execPath, ['--import', 'tsx', 'src/cli/token.ts', email], { env });
  return issued.stdout.trim().split('\n').pop()!;
}

describe('SIGTERM', () => {
  it('stops accepting, finishes the in-flight request, then exits 0', async () => {
    const database = await createTestDatabase();
    cleanup.push(() => database.drop());
    const hub = await spawnHub({ DATABASE_URL: database.url });
    cleanup.push(() => stop(hub));

    // Hold a lock so that a request stays in flight until we let it go.
    const locker = new pg.Client({ connectionString: database.url });
    await locker.connect();
    await locker.query('begin; lock table "Organisation" in access exclusive mode');
    const inFlight = send(`${hub.url}/graphql`, OrganisationsDocument, { first: 5 });
    // Watched from another connection: inside a transaction pg_stat_activity is a frozen snapshot.
    const watcher = new pg.Client({ connectionString: database.url });
    await watcher.connect();
    await waitUntil(async () => {
      const { rows } = await watcher.query(
        `select 1 from pg_stat_activity where datname = current_database()
           and application_name = 'maillage' and wait_event_type = 'Lock'`,
      );
      return rows.length > 0;
    });
    await watcher.end();

    // A WebSocket client connected meanwhile is told the server is going away (1001).
    const socket = new WebSocket(`${hub.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
    await once(socket, 'open');
    socket.send(JSON.stringify({ type: 'connection_init' }));
    await once(socket, 'message');
    const closed = once(socket, 'close');

    hub.child.kill('SIGTERM');
    await hub.waitForLine(/"msg":"draining"/);
    await expect(fetch(`${hub.url}/healthz`)).rejects.toThrow();

    await locker.query('commit');
    await locker.end();
    const answer = await inFlight;
    expect(answer.status).toBe(200);
    expect(answer.body.data?.organisations.totalCount).toBe(0);
    const [code] = (await closed) as [number];
    expect(code).toBe(1001);
    expect(await hub.exit).toBe(0);
  }, 120_000);
});

/** Polls a condition the test cannot subscribe to (PostgreSQL's view of a waiting query). */
async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setImmediate(resolve));
  }
}
