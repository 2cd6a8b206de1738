/**
 * A real PostgreSQL restart under load (issue 14): two hub processes (`npm start`'s entry point)
 * on a PostgreSQL server of this test's own, a steady stream of reads, messages and key-set reads,
 * and live subscribers. While the server shuts down, is down and starts up again, every answer is
 * either a success or 503 DATABASE_UNAVAILABLE: never a 401 for a valid token (hub B checks its
 * first token only during the outage, when it must read the signing keys), never a 500. A
 * WebSocket opened during the outage is closed with 1013 (retry), not 4403, and its subscription
 * resumes; the subscriber from before loses, duplicates and reorders nothing. A hub started while
 * the server is down waits for it. Once serving, the hubs log JSON lines only (no stack trace
 * printed by graphql-ws) and no error.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { decodeGlobalID } from '@pothos/plugin-relay';
import pg from 'pg';
import { ReferralEventsDocument, type ReferralEventsSubscription } from '../../clients/generated/graphql.ts';
import { loadConfig } from '../../src/shared/config.ts';
import { openDatabase, type Database } from '../../src/shared/db/client.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { seedAlphaCatalogue, seedThemes, sendShelterReferral } from '../helpers/catalogue-fixtures.ts';
import { seedScenario, type Scenario } from '../helpers/fixtures.ts';
import { createOwnPostgres, type OwnPostgres } from '../helpers/own-postgres.ts';
import { spawnHub, type HubProcess } from '../helpers/process.ts';
import { raw, resumable } from '../helpers/realtime.ts';

const WAIT = 60_000;

let server: OwnPostgres;
let db: Database;
let s: Scenario;
let a: HubProcess;
let b: HubProcess;
let url: string;
let referralId: string;
const hubs: HubProcess[] = [];
const stops: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  server = await createOwnPostgres();
  await server.start();
  const admin = new pg.Client({ connectionString: server.url() });
  await admin.connect();
  await admin.query('create database maillage');
  await admin.end();
  url = server.url('maillage');
  // Hub A migrates the empty database; the fixtures go in once it has.
  a = await spawnHub({ DATABASE_URL: url, DATABASE_LOCK_TIMEOUT_MS: '1000' });
  hubs.push(a);
  db = openDatabase({ url, poolMax: 2, logger: createLogger('silent') });
  s = await seedScenario(db.prisma, loadConfig({ NODE_ENV: 'test', DATABASE_URL: url }));
  await seedThemes(db.prisma);
  const { offers } = await seedAlphaCatalogue(db.prisma, s);
  b = await spawnHub({ DATABASE_URL: url, MIGRATE_ON_START: 'false' });
  hubs.push(b);

  referralId = await sendShelterReferral(`${a.url}/graphql`, s, offers.shelter.id);
}, 180_000);

afterAll(async () => {
  for (const stop of stops) await stop().catch(() => undefined);
  for (const hub of hubs) {
    if (hub.child.exitCode === null) {
      hub.child.kill('SIGTERM');
      await hub.exit;
    }
  }
  await db?.close();
  await server?.close();
}, 60_000);

interface Outcome {
  what: string;
  phase: Phase;
  status: number;
  /** The GraphQL error code, or the mutation's result type. */
  detail: string;
}
type Phase = 'before' | 'outage' | 'after';

const cursorOf = (d: ReferralEventsSubscription) => d.referralEvents.cursor;

async function graphql(hub: HubProcess, query: string, token?: string, variables = {}) {
  const res = await fetch(`${hub.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as {
    data?: Record<string, { __typename?: string } | null> | null;
    errors?: { extensions?: { code?: string } }[];
  };
  const code = body.errors?.[0]?.extensions?.code;
  const typename = body.data ? Object.values(body.data)[0]?.__typename : undefined;
  return { status: res.status, detail: code ?? typename ?? 'ok', retryAfter: res.headers.get('retry-after') };
}

const POST_MESSAGE = `mutation Post($id: ID!, $body: String!) {
  postReferralMessage(input: { id: $id, body: $body }) { __typename }
}`;
const VIEWER = 'query Me { viewer { __typename } }';
/**
 * An anonymous catalogue read, a new document each time (its alias): the public cache, which
 * would answer a repeated one through the outage, never holds it, so it reaches the database.
 */
const ORGANISATIONS = (i: number) => `query Orgs { o${i}: organisations(first: 5) { totalCount } }`;

it('a PostgreSQL restart: 503 DATABASE_UNAVAILABLE throughout, nothing else; live clients resume; a starting hub waits', async () => {
  const [bobToken, carolToken] = [await s.token('bob'), await s.token('carol')];
  const start = (
    await db.pool.query<{ seq: string }>('select coalesce(max(seq), 0)::text as seq from "OutboxEvent"')
  ).rows[0]!.seq;
  const before = resumable(`${a.url}/graphql`, bobToken, ReferralEventsDocument, {}, cursorOf, start);
  stops.push(() => before.sub.stop());

  let phase: Phase = 'before';
  let running = true;
  const outcomes: Outcome[] = [];
  const posted: string[] = [];
  const waiters: { test: () => boolean; resolve: () => void }[] = [];
  const record = (o: Outcome) => {
    outcomes.push(o);
    for (const w of [...waiters]) {
      if (w.test()) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  };
  /** Resolves once `test` holds (checked at every answer), or fails after WAIT. */
  const until = (test: () => boolean, what: string) =>
    new Promise<void>((resolve, reject) => {
      if (test()) return resolve();
      const timer = setTimeout(() => reject(new Error(`waited for ${what}; got ${summary()}`)), WAIT);
      waiters.push({
        test,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  /** Answers counted by stream, phase, status and detail (for a failure's message). */
  const summary = () => {
    const counts = new Map<string, number>();
    for (const o of outcomes) {
      const key = `${o.what} ${o.phase} ${o.status} ${o.detail}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return JSON.stringify([...counts], null, 1);
  };
  const seen = (what: string, p: Phase, status: number) => () =>
    outcomes.some((o) => o.what === what && o.phase === p && o.status === status);

  /** One request after another, paced at a steady rate (load, not a wait for an event). */
  const stream = async (what: string, call: (i: number) => Promise<{ status: number; detail: string }>) => {
    for (let i = 0; running; i++) {
      const p = phase;
      const r = await call(i).catch((err: unknown) => ({ status: 0, detail: String(err) }));
      record({ what, phase: p, ...r });
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  const streams = Promise.all([
    stream('viewer on A', () => graphql(a, VIEWER, bobToken)),
    // Hub B reads its signing keys only when its first token comes, during the outage.
    stream('viewer on B', () =>
      phase === 'before' ? graphql(b, ORGANISATIONS(0)) : graphql(b, VIEWER, carolToken),
    ),
    stream('organisations on B', (i) => graphql(b, ORGANISATIONS(i))),
    stream('message on A', async (i) => {
      const r = await graphql(a, POST_MESSAGE, carolToken, { id: referralId, body: `Message ${i}` });
      if (r.detail === 'MutationPostReferralMessageSuccess') posted.push(`Message ${i}`);
      return r;
    }),
    stream('jwks on A', async () => {
      const res = await fetch(`${a.url}/.well-known/jwks.json`);
      const body = (await res.json()) as { errors?: { extensions?: { code?: string } }[] };
      return { status: res.status, detail: body.errors?.[0]?.extensions?.code ?? 'ok' };
    }),
  ]);

  await until(seen('message on A', 'before', 200), 'a message before the outage');
  await before.waitFor(1, WAIT);

  // PostgreSQL shuts down (fast: sessions are terminated) and stays down for a while.
  phase = 'outage';
  await server.stop();
  for (const what of ['viewer on A', 'viewer on B', 'organisations on B', 'message on A', 'jwks on A']) {
    await until(seen(what, 'outage', 503), `503 from ${what}`);
  }
  // A WebSocket opened now: closed with 1013 (try again later), which clients retry.
  const plain = raw(`${a.url}/graphql`, bobToken, ReferralEventsDocument, {});
  const closed = (await plain.ended) as { code?: number; reason?: string };
  expect(closed.code).toBe(1013);
  const during = resumable(`${b.url}/graphql`, bobToken, ReferralEventsDocument, {}, cursorOf, start);
  stops.push(() => during.sub.stop());
  // A hub started now waits for the database instead of exiting.
  let waitingLine: () => void = () => undefined;
  const waiting = new Promise<void>((resolve) => (waitingLine = resolve));
  const c = spawnHub(
    { DATABASE_URL: url, MIGRATE_ON_START: 'false' },
    { onLine: (line) => /waiting for the database/.test(line) && waitingLine() },
  );
  await waiting;

  phase = 'after';
  await server.start();
  const hubC = await c;
  hubs.push(hubC);
  for (const what of ['viewer on A', 'viewer on B', 'message on A', 'jwks on A']) {
    await until(seen(what, 'after', 200), `200 from ${what} after the restart`);
  }
  const postedAfter = () =>
    outcomes.filter((o) => o.phase === 'after' && o.detail === 'MutationPostReferralMessageSuccess').length;
  await until(() => postedAfter() >= 3, 'three messages after the restart');
  running = false;
  await streams;
  expect((await graphql(hubC, VIEWER, bobToken)).status).toBe(200);

  // Every answer: a success, or 503 DATABASE_UNAVAILABLE with Retry-After.
  const wrong = outcomes.filter(
    (o) =>
      !(o.status === 200 && !/^[A-Z_]+$/.test(o.detail)) &&
      !(o.status === 503 && o.detail === 'DATABASE_UNAVAILABLE'),
  );
  const errorLines = [a, b, hubC].flatMap((hub) => hub.lines.filter((l) => /"level":(5|6)\d/.test(l)));
  expect({ wrong, errorLines }).toEqual({ wrong: [], errorLines: [] });

  // Both subscribers got every event of the referral since `start`, once, in order.
  const expected = (
    await db.pool.query<{ seq: string }>(
      `select seq::text from "OutboxEvent" where seq > $1 and $2 = any("organisationIds") order by "OutboxEvent".seq`,
      [start, s.org.beta.id],
    )
  ).rows.map((r) => r.seq);
  expect(expected.length).toBeGreaterThanOrEqual(posted.length);
  expect((await before.waitFor(expected.length, WAIT)).map(cursorOf)).toEqual(expected);
  expect((await during.waitFor(expected.length, WAIT)).map(cursorOf)).toEqual(expected);
  expect(before.interruptions.some((r) => /4403|UNAUTHENTICATED/.test(r))).toBe(false);
  expect(during.interruptions.some((r) => /4403|UNAUTHENTICATED/.test(r))).toBe(false);

  // The logs: JSON lines only (no stack trace printed around them), no error line.
  for (const hub of [a, b, hubC]) {
    const served = hub.lines.slice(hub.lines.findIndex((l) => l.includes('Maillage is listening')));
    const notJson = served.filter((l) => !l.startsWith('{'));
    expect(notJson).toEqual([]);
    const errors = served.filter((l) => (JSON.parse(l) as { level: number }).level >= 50);
    expect(errors).toEqual([]);
  }
}, 300_000);

it('a change that waits for a locked row past DATABASE_LOCK_TIMEOUT_MS answers DATABASE_BUSY and changes nothing', async () => {
  const id = referralId;
  const count = async () =>
    Number(
      (await db.pool.query<{ n: string }>('select count(*)::text as n from "ReferralMessage"')).rows[0]!.n,
    );
  const holder = new pg.Client({ connectionString: url });
  await holder.connect();
  stops.push(() => holder.end());
  const carolToken = await s.token('carol');
  await holder.query('begin');
  await holder.query('select 1 from "Referral" where id = $1 for update', [decodeGlobalID(id).id]);
  const messages = await count();
  const busy = await graphql(a, POST_MESSAGE, carolToken, { id, body: 'Pendant le verrou' });
  expect(busy).toEqual({ status: 503, detail: 'DATABASE_BUSY', retryAfter: '1' });
  await holder.query('rollback');
  expect(await count()).toBe(messages);
  const after = await graphql(a, POST_MESSAGE, carolToken, { id, body: 'Après le verrou' });
  expect(after.detail).toBe('MutationPostReferralMessageSuccess');
});
