/**
 * The hub through PgBouncer in transaction mode: two hub processes (`npm start`'s entry point)
 * with DATABASE_URL on a PgBouncer of the test's own and DATABASE_DIRECT_URL on the server. A
 * subscriber on hub A hears every step of a stream made on hub B, in order and once (LISTEN on
 * the direct connection wakes A: both hubs poll only every minute); the statement timeout, which
 * through a pooler is the role's default, still cancels a long statement (503 DATABASE_TIMEOUT);
 * the hubs' statements really went through PgBouncer, their LISTEN did not; migrations and
 * commands work on the direct URL; a hub whose role default differs from its configuration says
 * so, with the statement that fixes it.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { encodeGlobalID } from '@pothos/plugin-relay';
import pg from 'pg';
import {
  AcceptReferralDocument,
  ConsoleHoldReferralDocument,
  ConsoleResumeReferralDocument,
  ConsoleStartReferralDocument,
  CreateReferralDocument,
  PostReferralMessageDocument,
  ReferralEventsDocument,
  SendReferralDocument,
  type ReferralEventsSubscription,
} from '../../clients/generated/graphql.ts';
import { createHubClient } from '../../clients/sdk.ts';
import { loadConfig } from '../../src/shared/config.ts';
import { openDatabase } from '../../src/shared/db/client.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { seedAlphaCatalogue, seedThemes } from '../helpers/catalogue-fixtures.ts';
import { seedScenario } from '../helpers/fixtures.ts';
import { adminQuery, createTestDatabase, type TestDatabase } from '../helpers/pg.ts';
import { startPgBouncer, type PgBouncer } from '../helpers/pgbouncer.ts';
import { spawnHub, type HubProcess } from '../helpers/process.ts';
import { resumable } from '../helpers/realtime.ts';

/** The hubs' statement timeout, and the role's default on the test database (what PgBouncer's connections get). */
const TIMEOUT_MS = 2_000;
/** The hub's default DATABASE_LOCK_TIMEOUT_MS, set for the role as the README says. */
const LOCK_TIMEOUT_MS = 5_000;
/** Server connections PgBouncer opens: fewer than the hubs' pools (2 × DATABASE_POOL_MAX 10). */
const POOL_SIZE = 4;
const STEPS = 50;

let database: TestDatabase;
/** The test's own reads, straight to PostgreSQL, under a name of its own (the hubs' pools are "maillage"). */
let direct: pg.Pool;
let f: Fixtures;
let bouncer: PgBouncer;
let a: HubProcess;
let b: HubProcess;
let referral: { id: string; version: number };
const stops: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  direct = new pg.Pool({ connectionString: database.url, max: 2, application_name: 'pgbouncer-test' });
  f = await seedFixtures();
  // What an operator sets for the hub's role (README): PgBouncer's server connections inherit it.
  await adminQuery(`alter role postgres in database ${database.name} set statement_timeout = ${TIMEOUT_MS}`);
  await adminQuery(`alter role postgres in database ${database.name} set lock_timeout = ${LOCK_TIMEOUT_MS}`);
  bouncer = await startPgBouncer(database.url, { poolSize: POOL_SIZE });
  const env = {
    DATABASE_URL: bouncer.url,
    DATABASE_DIRECT_URL: database.url,
    DATABASE_STATEMENT_TIMEOUT_MS: String(TIMEOUT_MS),
    OUTBOX_POLL_MS: '60000',
  };
  [a, b] = await Promise.all([spawnHub(env), spawnHub(env)]);

  // A referral from beta to alpha, sent by bob and taken on by carol, all through hub B.
  const onB = createHubClient(`${b.url}/graphql`, { token: f.tokens.bob });
  const created = await onB.request(CreateReferralDocument, {
    input: {
      senderOrganisationId: f.beta.globalId,
      offerId: f.offerId,
      needs: 'Hébergement',
      person: { initials: 'P. B.', contactChannel: 'THROUGH_SENDER' },
      consentPurpose: 'Orientation',
    },
  });
  if (created.createReferral.__typename !== 'MutationCreateReferralSuccess') throw new Error('create');
  const { id, version } = created.createReferral.data.referral;
  await onB.request(SendReferralDocument, { input: { id, expectedVersion: version } });
  const carol = createHubClient(`${b.url}/graphql`, { token: f.tokens.carol });
  const accepted = await carol.request(AcceptReferralDocument, {
    input: { id, expectedVersion: version + 1 },
  });
  if (accepted.acceptReferral.__typename !== 'MutationAcceptReferralSuccess') throw new Error('accept');
  const started = await carol.request(ConsoleStartReferralDocument, {
    input: { id, expectedVersion: accepted.acceptReferral.data.referral.version },
  });
  if (started.startReferral.__typename !== 'MutationStartReferralSuccess') throw new Error('start');
  referral = { id, version: started.startReferral.data.referral.version };
}, 90_000);

afterAll(async () => {
  for (const stop of stops) await stop();
  for (const hub of [a, b]) {
    if (hub && hub.child.exitCode === null) {
      hub.child.kill('SIGTERM');
      await hub.exit;
    }
  }
  await bouncer?.close();
  await direct?.end();
  await database?.drop();
}, 30_000);

/**
 * The scenario and alpha's catalogue, and the tokens the test uses, made through a handle closed
 * afterwards: the only "maillage" connections left are the hubs'.
 */
interface Fixtures {
  beta: { id: string; globalId: string };
  offerId: string;
  tokens: { bob: string; carol: string };
}

async function seedFixtures(): Promise<Fixtures> {
  const db = openDatabase({ url: database.url, poolMax: 2, logger: createLogger('silent') });
  try {
    const s = await seedScenario(db.prisma, loadConfig({ NODE_ENV: 'test', DATABASE_URL: database.url }));
    await seedThemes(db.prisma);
    const { offers } = await seedAlphaCatalogue(db.prisma, s);
    return {
      beta: s.org.beta,
      offerId: encodeGlobalID('Offer', offers.shelter.id),
      tokens: { bob: await s.token('bob'), carol: await s.token('carol') },
    };
  } finally {
    await db.close();
  }
}

const cursorOf = (d: ReferralEventsSubscription) => d.referralEvents.cursor;

async function now(): Promise<string> {
  const { rows } = await direct.query<{ seq: string }>(
    'select coalesce(max(seq), 0)::text as seq from "OutboxEvent"',
  );
  return rows[0]!.seq;
}

/** What beta may hear of after `start`, as the outbox holds it. */
async function expectedFor(start: string): Promise<string[]> {
  const { rows } = await direct.query<{ seq: string }>(
    `select seq::text from "OutboxEvent" where seq > $1 and $2 = any("organisationIds") order by "OutboxEvent".seq`,
    [start, f.beta.id],
  );
  return rows.map((r) => r.seq);
}

/** Puts the referral on hold and back, `count` steps in all, through hub B. */
async function stepOnB(count: number): Promise<void> {
  const carol = createHubClient(`${b.url}/graphql`, { token: f.tokens.carol });
  for (let i = 0; i < count; i++) {
    const input = { id: referral.id, expectedVersion: referral.version };
    const step =
      i % 2 === 0
        ? (await carol.request(ConsoleHoldReferralDocument, { input: { ...input, reason: `Pause ${i}` } }))
            .holdReferral
        : (await carol.request(ConsoleResumeReferralDocument, { input })).resumeReferral;
    if (!('data' in step)) throw new Error(`step ${i}: ${JSON.stringify(step)}`);
    referral.version = step.data.referral.version;
  }
}

/** POSTs a GraphQL query to a hub, anonymously. */
async function post(hub: HubProcess, query: string) {
  const res = await fetch(`${hub.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  return {
    status: res.status,
    json: (await res.json()) as { errors?: { extensions?: { code?: string } }[] },
  };
}

describe('two hubs through PgBouncer (transaction mode)', () => {
  it(`a subscriber on A hears all ${STEPS} steps made on B, in order, once`, async () => {
    const start = await now();
    const sub = resumable(`${a.url}/graphql`, f.tokens.bob, ReferralEventsDocument, {}, cursorOf, start);
    stops.push(() => sub.sub.stop());
    await stepOnB(STEPS);
    // One more change after the stream: anything repeated would arrive before it.
    const carol = createHubClient(`${b.url}/graphql`, { token: f.tokens.carol });
    await carol.request(PostReferralMessageDocument, { input: { id: referral.id, body: 'Fin du flux' } });
    const expected = await expectedFor(start);
    expect(expected).toHaveLength(STEPS + 1);
    const got = await sub.waitFor(STEPS + 1, 60_000);
    expect(got.map(cursorOf)).toEqual(expected);
    expect(got.slice(0, STEPS).map((d) => d.referralEvents.toStatus)).toEqual(
      Array.from({ length: STEPS }, (_, i) => (i % 2 === 0 ? 'ON_HOLD' : 'IN_PROGRESS')),
    );
    expect(got.at(-1)?.referralEvents.type).toBe('MESSAGE');
    await sub.sub.stop();
  });

  it("the hubs' statements went through PgBouncer, their LISTEN connections straight to PostgreSQL", async () => {
    const backends = await adminQuery(
      `select application_name, client_port from pg_stat_activity where datname = $1 and application_name like 'maillage%'`,
      [database.name],
    );
    // Read after: a server connection PgBouncer had then is still listed (it closes idle ones after 10 min).
    const servers = await bouncer.admin('SHOW SERVERS');
    const bouncerPorts = new Set(
      servers.filter((sv) => sv.database === database.name).map((sv) => Number(sv.local_port)),
    );
    const pooled = backends.filter((r) => r.application_name === 'maillage');
    const listeners = backends.filter((r) => r.application_name === 'maillage-outbox');
    expect(pooled.length).toBeGreaterThan(0);
    expect(pooled.length).toBeLessThanOrEqual(POOL_SIZE);
    expect(pooled.every((r) => bouncerPorts.has(Number(r.client_port)))).toBe(true);
    expect(listeners).toHaveLength(2);
    expect(listeners.some((r) => bouncerPorts.has(Number(r.client_port)))).toBe(false);

    const stats = await bouncer.admin('SHOW STATS');
    const ours = stats.find((row) => row.database === database.name);
    expect(Number(ours?.total_xact_count)).toBeGreaterThan(STEPS);
    expect(Number(ours?.total_query_count)).toBeGreaterThan(STEPS * 3);
    const pools = await bouncer.admin('SHOW POOLS');
    expect(pools.find((row) => row.database === database.name)?.pool_mode).toBe('transaction');
    // Through the pooler, nothing session-scoped was refused and the timeout matched the role's.
    const problems = /unsupported startup parameter|through the pooler|prepared statement/i;
    expect([...a.lines, ...b.lines, ...bouncer.lines].filter((l) => problems.test(l))).toEqual([]);
  });

  it('a statement past the timeout is cancelled through PgBouncer: 503 DATABASE_TIMEOUT, then all is well', async () => {
    const blocker = new pg.Client({ connectionString: database.url });
    await blocker.connect();
    try {
      await blocker.query('begin');
      await blocker.query('lock table "Organisation" in access exclusive mode');
      const started = performance.now();
      const result = await post(a, '{ organisations(first: 1) { totalCount } }');
      const ms = performance.now() - started;
      expect(result.status).toBe(503);
      expect(result.json.errors?.[0]?.extensions?.code).toBe('DATABASE_TIMEOUT');
      expect(ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
      expect(ms).toBeLessThan(TIMEOUT_MS + 10_000);
    } finally {
      await blocker.query('rollback');
      await blocker.end();
    }
    expect((await post(a, '{ organisations(first: 1) { totalCount } }')).status).toBe(200);
  });

  it('a hub whose configured timeout is not the role default warns with the statement that fixes it', async () => {
    const warnings: { msg?: string; fix?: string[]; actual?: Record<string, number> }[] = [];
    let warned: () => void = () => undefined;
    const logged = new Promise<void>((resolve) => (warned = resolve));
    const logger = createLogger(
      'warn',
      {},
      {
        write: (line: string) => {
          warnings.push(JSON.parse(line) as (typeof warnings)[number]);
          warned();
        },
      },
    );
    const pooled = openDatabase({
      url: bouncer.url,
      directUrl: database.url,
      poolMax: 1,
      logger,
      statementTimeoutMs: TIMEOUT_MS + 1000,
    });
    try {
      await logged;
      expect(warnings[0]?.actual).toEqual({ statement_timeout: TIMEOUT_MS });
      expect(warnings[0]?.fix).toEqual([
        `ALTER ROLE postgres IN DATABASE ${database.name} SET statement_timeout = ${TIMEOUT_MS + 1000};`,
      ]);
    } finally {
      await pooled.close();
    }
  });
});

describe('what needs a session goes to DATABASE_DIRECT_URL', () => {
  /** Runs a command of src/cli with both URLs; its exit code and output. */
  function command(script: string, args: string[]): Promise<{ code: number | null; output: string }> {
    const child = spawn(process.execPath, ['--import', 'tsx', `src/cli/${script}`, ...args], {
      env: {
        ...process.env,
        DATABASE_URL: bouncer.url,
        DATABASE_DIRECT_URL: database.url,
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    // 'close', not 'exit': the child can exit before its output is read (seen on Node 24 in CI).
    return new Promise((resolve) => child.once('close', (code) => resolve({ code, output })));
  }

  it('the migration engine and the commands work with DATABASE_URL on the pooler', async () => {
    // Through PgBouncer either would fail: they set their session at start-up, which it refuses.
    const [status, token] = await Promise.all([
      command('db.ts', ['status']),
      command('token.ts', ['--list']),
    ]);
    expect(status).toMatchObject({ code: 0, output: expect.stringMatching(/^applied {2}\d{14}_/m) });
    expect(token).toMatchObject({ code: 0, output: expect.stringContaining('carol@alpha.example') });
  });
});
