/**
 * Two hub processes (`npm start`'s entry point) on one PostgreSQL, reached through a TCP proxy the
 * test can cut: a subscriber on one hears of changes made on the other; a hub killed with SIGKILL
 * mid-stream costs its subscriber nothing (it resumes on the other with its last cursor: zero
 * lost, zero duplicated); a database outage leaves the hubs up, and everything committed meanwhile
 * arrives after recovery. Both hubs poll the outbox only every minute: NOTIFY (and reconnecting to
 * LISTEN) does the work. Also: `npm run watch` prints a user's events.
 */
import { spawn } from 'node:child_process';
import readline from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { decodeGlobalID } from '@pothos/plugin-relay';
import {
  PostReferralMessageDocument,
  ReferralEventsDocument,
  type ReferralEventsSubscription,
} from '../../clients/generated/graphql.ts';
import { createHubClient } from '../../clients/sdk.ts';
import type { UserViewer } from '../../src/modules/accounts/viewer.ts';
import { postReferralMessage } from '../../src/modules/referrals/referral.service.ts';
import { loadConfig } from '../../src/shared/config.ts';
import { openDatabase, type Database } from '../../src/shared/db/client.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { seedAlphaCatalogue, seedThemes, sendShelterReferral } from '../helpers/catalogue-fixtures.ts';
import { seedScenario, type Scenario } from '../helpers/fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/pg.ts';
import { spawnHub, type HubProcess } from '../helpers/process.ts';
import { resumable } from '../helpers/realtime.ts';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.ts';

let database: TestDatabase;
let db: Database;
let s: Scenario;
let proxy: TcpProxy;
let a: HubProcess;
let b: HubProcess;
let referralId: string;
let bob: UserViewer;
const stops: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  db = openDatabase({ url: database.url, poolMax: 3, logger: createLogger('silent') });
  s = await seedScenario(db.prisma, loadConfig({ NODE_ENV: 'test', DATABASE_URL: database.url }));
  await seedThemes(db.prisma);
  const { offers } = await seedAlphaCatalogue(db.prisma, s);
  proxy = await startTcpProxy({ host: '127.0.0.1', port: 5432 });
  const viaProxy = new URL(database.url);
  viaProxy.port = String(proxy.port);
  const env = { DATABASE_URL: viaProxy.toString(), MIGRATE_ON_START: 'false', OUTBOX_POLL_MS: '60000' };
  [a, b] = await Promise.all([spawnHub(env), spawnHub(env)]);

  // A referral from beta to alpha, sent through hub B.
  referralId = await sendShelterReferral(`${b.url}/graphql`, s, offers.shelter.id);
  bob = s.viewer('bob');
}, 60_000);

afterAll(async () => {
  for (const stop of stops) await stop();
  for (const hub of [a, b]) {
    if (hub && hub.child.exitCode === null) {
      hub.child.kill('SIGTERM');
      await hub.exit;
    }
  }
  await proxy?.close();
  await db?.close();
  await database?.drop();
}, 30_000);

const cursorOf = (d: ReferralEventsSubscription) => d.referralEvents.cursor;

async function now(): Promise<string> {
  const { rows } = await db.pool.query<{ seq: string }>(
    'select coalesce(max(seq), 0)::text as seq from "OutboxEvent"',
  );
  return rows[0]!.seq;
}

/** What beta may hear of after `start`, as the outbox holds it. */
async function expectedFor(start: string): Promise<string[]> {
  const { rows } = await db.pool.query<{ seq: string }>(
    `select seq::text from "OutboxEvent" where seq > $1 and $2 = any("organisationIds") order by "OutboxEvent".seq`,
    [start, s.org.beta.id],
  );
  return rows.map((r) => r.seq);
}

async function postOnB(count: number, label: string): Promise<void> {
  const carol = createHubClient(`${b.url}/graphql`, { token: await s.token('carol') });
  for (let i = 0; i < count; i++) {
    const res = await carol.request(PostReferralMessageDocument, {
      input: { id: referralId, body: `${label} ${i}` },
    });
    expect(res.postReferralMessage.__typename).toBe('MutationPostReferralMessageSuccess');
  }
}

describe('two hub processes on one database', () => {
  it('a subscriber on A hears of changes made on B', async () => {
    const start = await now();
    const sub = resumable(
      `${a.url}/graphql`,
      await s.token('bob'),
      ReferralEventsDocument,
      {},
      cursorOf,
      start,
    );
    stops.push(() => sub.sub.stop());
    await postOnB(3, 'Depuis B');
    const got = await sub.waitFor(3);
    expect(got.map(cursorOf)).toEqual(await expectedFor(start));
    expect(got.every((d) => d.referralEvents.type === 'MESSAGE')).toBe(true);
    await sub.sub.stop();
  });

  it('SIGKILL of the hub mid-stream: the subscriber resumes on the other, zero lost, zero duplicated', async () => {
    const start = await now();
    const sub = resumable(
      [`${a.url}/graphql`, `${b.url}/graphql`],
      await s.token('bob'),
      ReferralEventsDocument,
      {},
      cursorOf,
      start,
    );
    stops.push(() => sub.sub.stop());
    const writing = postOnB(40, 'Flux');
    await sub.waitFor(10);
    a.child.kill('SIGKILL');
    await a.exit;
    await writing;
    const expected = await expectedFor(start);
    expect(expected).toHaveLength(40);
    const got = await sub.waitFor(40);
    expect(got.map(cursorOf)).toEqual(expected);
    expect(sub.interruptions.some((r) => /connection/.test(r))).toBe(true);
    await sub.sub.stop();
  });

  it('PostgreSQL goes away and comes back: the hub stays up and delivers what was committed meanwhile', async () => {
    const start = await now();
    const sub = resumable(
      `${b.url}/graphql`,
      await s.token('bob'),
      ReferralEventsDocument,
      {},
      cursorOf,
      start,
    );
    stops.push(() => sub.sub.stop());
    await postOnB(1, 'Avant');
    await sub.waitFor(1);
    await proxy.cut();
    // Written straight to PostgreSQL while the hub cannot reach it.
    const { id } = decodeGlobalID(referralId);
    for (let i = 0; i < 5; i++) await postReferralMessage(db.prisma, bob, id, `Pendant ${i}`);
    const health = await fetch(`${b.url}/healthz`).catch((err: unknown) => {
      throw new Error(`hub B is down: ${String(err)}\n${b.lines.slice(-20).join('\n')}`);
    });
    expect(health.status).toBe(200);
    await proxy.restore();
    // Also straight to PostgreSQL: only NOTIFY, once the hub listens again, can tell it.
    for (let i = 0; i < 2; i++) await postReferralMessage(db.prisma, bob, id, `Après ${i}`);
    const got = await sub.waitFor(8);
    expect(got.map(cursorOf)).toEqual(await expectedFor(start));
    await sub.sub.stop();
  });
});

describe('npm run watch', () => {
  it("prints a user's referral events as they happen", async () => {
    const start = await now();
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/watch.ts', 'bob@beta.example', '--url', b.url, '--after', start],
      {
        env: { ...process.env, DATABASE_URL: database.url, LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    stops.push(async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGINT');
      await new Promise((resolve) => child.once('exit', resolve));
    });
    const lines: string[] = [];
    const waiters: { re: RegExp; resolve: (line: string) => void }[] = [];
    const onLine = (line: string) => {
      lines.push(line);
      for (const w of waiters.filter((w) => w.re.test(line))) w.resolve(line);
    };
    readline.createInterface({ input: child.stdout }).on('line', onLine);
    readline.createInterface({ input: child.stderr }).on('line', onLine);
    const waitFor = (re: RegExp) =>
      new Promise<string>((resolve) => {
        const seen = lines.find((l) => re.test(l));
        if (seen) resolve(seen);
        else waiters.push({ re, resolve });
      });
    const printed = waitFor(/MESSAGE/);
    await postOnB(1, 'Pour watch');
    const line = await printed;
    expect(line).toMatch(/REF-\d{4}-\d{6}\s+MESSAGE.+Organisation beta → Organisation alpha\s+#\d+/);
  });
});
