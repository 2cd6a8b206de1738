/**
 * Issue 9's integrity scenario, on the embedded default (what `npm start` gives a newcomer) and on
 * the machine's PostgreSQL, through the same `npm start` entry point: two case workers of two
 * organisations, ten clients mixing reads (`viewer`, outgoing inbox) and `postReferralMessage`, a
 * live subscriber and `npm run watch` in a second process. Every answer must be the asker's own,
 * with no error, and every message must reach both listeners.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import {
  PostReferralMessageDocument,
  ReferralEventsDocument,
  ReferralInboxDocument,
  ViewerDocument,
  type ReferralEventsSubscription,
} from '../../clients/generated/graphql.ts';
import { send } from '../../clients/sdk.ts';
import { createTestDatabase } from '../helpers/pg.ts';
import { spawnHub, type HubProcess } from '../helpers/process.ts';
import { collector, resumable } from '../helpers/realtime.ts';

const run = promisify(execFile);
const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn().catch(() => undefined);
});

const USERS = ['marc.schmit@inter-actions.example', 'lea.hoffmann@office-social.example'] as const;
const CLIENTS_PER_USER = 5;
const ROUNDS = 20;
/** Generous limits: this test checks correctness under concurrency, not the rate limits. */
const LIMITS = { RATE_LIMITS: 'false' };

function stop(hub: HubProcess) {
  if (hub.child.exitCode === null) hub.child.kill('SIGTERM');
  return hub.exit;
}

interface Setup {
  hub: HubProcess;
  /** The hub's database, for the newest outbox cursor. */
  databaseUrl: string;
  /** The environment a second terminal's command gets (same database). */
  env: NodeJS.ProcessEnv;
}

async function embedded(): Promise<Setup> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'maillage-integrity-'));
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  const env = { DATA_DIR: path.join(dir, 'data'), DATABASE_URL: '', ...LIMITS };
  const hub = await spawnHub(env);
  cleanup.push(() => stop(hub));
  const state = JSON.parse(await readFile(path.join(env.DATA_DIR, 'embedded-db.json'), 'utf8')) as {
    url: string;
  };
  return { hub, databaseUrl: state.url, env: { ...process.env, ...env } };
}

async function postgres(): Promise<Setup> {
  const database = await createTestDatabase();
  cleanup.push(() => database.drop());
  const env = { ...process.env, DATABASE_URL: database.url };
  await run(process.execPath, ['--import', 'tsx', 'src/cli/seed.ts'], { env });
  const hub = await spawnHub({ DATABASE_URL: database.url, ...LIMITS });
  cleanup.push(() => stop(hub));
  return { hub, databaseUrl: database.url, env };
}

async function token(env: NodeJS.ProcessEnv, email: string): Promise<string> {
  const out = await run(process.execPath, ['--import', 'tsx', 'src/cli/token.ts', email], { env });
  return out.stdout.trim().split('\n').pop()!;
}

/** `npm run watch -- <email>` as a second terminal runs it; its lines as they come. */
function watch(env: NodeJS.ProcessEnv, email: string, url: string, after: string) {
  const args = ['--import', 'tsx', 'src/cli/watch.ts', email, '--url', url, '--after', after];
  const child = spawn(process.execPath, args, {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines = collector<string>();
  const errors: string[] = [];
  readline.createInterface({ input: child.stdout }).on('line', (l) => lines.push(l));
  readline.createInterface({ input: child.stderr }).on('line', (l) => errors.push(l));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  cleanup.push(() => {
    if (child.exitCode === null) child.kill('SIGTERM');
    return exited;
  });
  return { child, lines, errors };
}

async function newestCursor(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ seq: string }>(
      'select coalesce(max(seq), 0)::text as seq from "OutboxEvent"',
    );
    return rows[0]!.seq;
  } finally {
    await client.end();
  }
}

describe.each([
  ['embedded default', embedded],
  ['PostgreSQL', postgres],
])('two organisations at once, on the %s', (_name, setup) => {
  it('answers every request with the asker’s own data and delivers every notice', async () => {
    const { hub, env, databaseUrl } = await setup();
    const graphql = `${hub.url}/graphql`;

    // Who is who, and one referral of each user's organisation to write messages on.
    const users = await Promise.all(
      USERS.map(async (email) => {
        const tok = await token(env, email);
        const viewer = await send(graphql, ViewerDocument, undefined, { token: tok });
        const slug = viewer.body.data!.viewer!.memberships[0]!.organisation.slug;
        const outgoing = await send(graphql, ReferralInboxDocument, { box: 'OUTGOING' }, { token: tok });
        const referral = outgoing.body.data!.referrals.edges.find((e) => e.node.status !== 'DRAFT')?.node;
        expect(referral).toBeDefined();
        return { email, token: tok, slug, referralId: referral!.id, reference: referral!.reference };
      }),
    );
    expect(users[0]!.slug).not.toBe(users[1]!.slug);

    // Listeners for the first user: a subscription in this process, `npm run watch` in another,
    // both from the newest outbox row, so that they miss nothing whenever they become live.
    const [marc] = users;
    const after = await newestCursor(databaseUrl);
    const live = resumable(
      hub.url + '/graphql',
      marc!.token,
      ReferralEventsDocument,
      {},
      (d: ReferralEventsSubscription) => d.referralEvents.cursor,
      after,
    );
    cleanup.push(() => live.sub.stop());
    const watcher = watch(env, marc!.email, hub.url, after);
    // Both are live once a first message reaches them.
    const warmUp = await send(
      graphql,
      PostReferralMessageDocument,
      { input: { id: marc!.referralId, body: 'Bonjour, nous testons la charge.' } },
      { token: marc!.token },
    );
    expect(warmUp.body.data?.postReferralMessage.__typename).toBe('MutationPostReferralMessageSuccess');
    await live.waitFor(1, 60_000);
    await watcher.lines.waitFor(1, 60_000);

    const wrong: string[] = [];
    const posted = new Map<string, number>([[marc!.referralId, 1]]);
    const check = (ok: boolean, what: string) => void (ok || wrong.push(what));
    const client = async (user: (typeof users)[number], n: number) => {
      const opts = { token: user.token };
      for (let i = 0; i < ROUNDS; i++) {
        const viewer = await send(graphql, ViewerDocument, undefined, opts);
        check(
          viewer.status === 200 && !viewer.body.errors && viewer.body.data?.viewer?.email === user.email,
          `viewer of ${user.email}: ${viewer.status} ${JSON.stringify(viewer.body).slice(0, 200)}`,
        );
        const inbox = await send(graphql, ReferralInboxDocument, { box: 'OUTGOING', first: 20 }, opts);
        const edges = inbox.body.data?.referrals.edges ?? [];
        check(
          inbox.status === 200 &&
            !inbox.body.errors &&
            edges.length > 0 &&
            edges.every((e) => e.node.senderOrganisation.slug === user.slug),
          `outbox of ${user.email}: ${inbox.status} ${JSON.stringify(inbox.body).slice(0, 200)}`,
        );
        const msg = await send(
          graphql,
          PostReferralMessageDocument,
          { input: { id: user.referralId, body: `Message ${n}.${i} de ${user.slug}` } },
          opts,
        );
        const ok =
          msg.status === 200 &&
          !msg.body.errors &&
          msg.body.data?.postReferralMessage.__typename === 'MutationPostReferralMessageSuccess';
        check(ok, `message of ${user.email}: ${msg.status} ${JSON.stringify(msg.body).slice(0, 200)}`);
        if (ok) posted.set(user.referralId, (posted.get(user.referralId) ?? 0) + 1);
      }
    };
    await Promise.all(
      users.flatMap((user) => Array.from({ length: CLIENTS_PER_USER }, (_, n) => client(user, n))),
    );
    expect(wrong).toEqual([]);

    // Every message on a referral Marc may see reaches his subscription and his watch process,
    // and nothing else does.
    const incoming = await send(graphql, ReferralInboxDocument, { box: 'INCOMING' }, { token: marc!.token });
    const marcSees = new Set([
      marc!.referralId,
      ...incoming.body.data!.referrals.edges.map((e) => e.node.id),
    ]);
    const expected = [...posted].filter(([id]) => marcSees.has(id)).reduce((sum, [, n]) => sum + n, 0);
    const notices = await live.waitFor(expected, 60_000);
    const messages = notices.filter((n) => n.referralEvents.type === 'MESSAGE');
    expect(messages).toHaveLength(expected);
    expect(messages.every((n) => marcSees.has(n.referralEvents.referralId))).toBe(true);
    const watched = await watcher.lines.waitFor(expected, 60_000);
    expect(watched.filter((l) => l.includes('MESSAGE'))).toHaveLength(expected);
    expect(watcher.child.exitCode).toBeNull();
    expect(live.interruptions).toEqual([]);

    // Nothing the hub logged as an error.
    expect(hub.lines.filter((l) => /"level":(50|60)/.test(l))).toEqual([]);
  }, 240_000);
});
