/**
 * Real-time fan-out under load (`npm run bench:realtime`), issue 5: "Up to 10,000 subscribers on one
 * process across many organisations, status changes at a steady rate: commit-to-receipt latency
 * p50/p99, messages/s, server RSS per connection. Goal on this machine: 5,000 subscribers, p99 <
 * 250 ms at 100 changes/s, < 50 KB RSS per idle connection."
 *
 *  1. data: a PostgreSQL database `maillage_realtime_bench_test` (127.0.0.1:5432), migrated with the
 *     project's own command, filled with set-based SQL: organisations, each with case workers (#0
 *     changes statuses, #1… subscribe), a published offer, and IN_PROGRESS referrals it receives
 *     from as many other organisations (with person and consent). No trigger fires while filling:
 *     the outbox holds only what this bench does. `--reuse` keeps the database.
 *  2. the hub as `npm start` runs it (NODE_ENV=production, LOG_LEVEL=warn), a process of its own:
 *     its memory and CPU are read from /proc/<its pid>, never mixed with the load generator's. Its
 *     V8 inspector is open (bench/lib.ts#inspectHub) so that memory is read after a forced full
 *     garbage collection: how much garbage awaits the next collection varies by tens of MB from
 *     run to run, i.e. by KB per connection. RSS as found is printed too. A warm-up (20
 *     subscribers, a change each) runs the whole path once; then its memory at rest.
 *  3. `--subscribers` graphql-ws connections, each a different case worker with a token signed
 *     here with the hub's key (as `npm run token` does), spread evenly over the organisations,
 *     each subscribed to `referralEvents` (the client's own ReferralEvents document) with `after`
 *     at the outbox's end: opened `--connecting` at a time, on raw `ws` speaking
 *     graphql-transport-ws (lighter than a graphql-ws client per connection: the load generator
 *     holds them all in one process). Then, once the hub's CPU has settled, its memory again: the
 *     difference per connection; and its CPU while they sit idle (keep-alive pings).
 *  4. priming: one change per organisation, until every subscriber has received a notice (proof
 *     that every subscription is live; with `after` none can miss it however late it started).
 *  5. the load: hold / resume of IN_PROGRESS referrals, open loop at `--rate` per second for
 *     `--duration` seconds, spread round-robin over the organisations; a referral is changed again
 *     only once its previous change is done. Each change is one notice to every subscriber of the
 *     sending and of the receiving organisation. `--via` says who makes the changes:
 *     - `hub` (default): holdReferral / resumeReferral through the measured hub's own HTTP API, as
 *       a case worker of the receiving organisation (at most 20 keep-alive connections);
 *     - `second-hub`: the same mutations through a second hub process on the same database, as in
 *       a deployment of several instances: the measured hub hears of them by NOTIFY only;
 *     - `sql`: the service's statements (lock, update, event; referral.service.ts#stepReferral) in
 *       SQL from here: the same outbox trigger, and no work for the measured hub but the fan-out.
 *  6. figures and checks. Latency is measured on this process's clock from the commit: this
 *     process LISTENs on the outbox channel like every hub, and PostgreSQL sends the notification
 *     at commit. Beside it, receipt minus the notice's `at` (the event's time written in the
 *     transaction, some ms before its commit: an upper bound), and a change's timeline (request,
 *     `at`, commit, response, first notice). The mutation's response time is not used: it comes
 *     after the commit by the response's own trip, and a notice often arrives before it. Every
 *     subscriber must receive exactly the outbox rows of its organisation's referrals after its
 *     cursor (read back from the outbox): lost, duplicate, out-of-order and unexpected notices are
 *     counted. The load generator's own CPU and event-loop delay are printed: if it saturates,
 *     receipt times include its delay, and it says so.
 *
 * Flags: --subscribers N, --rate N (changes/s), --duration S, --organisations N, --connecting N,
 * --via hub|second-hub|sql, --profile DIR (CPU profiles of the hub while connecting and under load
 * and a sampling heap profile of what the connections keep, saved in DIR and summarised), --reuse,
 * --smoke (50 subscribers, 20 changes/s for 5 s, a throw-away database, for the test suite).
 * Prints figures and asserts none; exits non-zero when something failed: the hub, a connection, a
 * subscription, a change, or a notice lost, repeated, out of order or misdelivered.
 */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { print } from 'graphql';
import pg from 'pg';
import WebSocket from 'ws';
import { ReferralEventsDocument } from '../clients/generated/graphql.ts';
import { signUserToken } from '../src/modules/accounts/signing-keys.service.ts';
import { loadConfig } from '../src/shared/config.ts';
import { openDatabase } from '../src/shared/db/client.ts';
import { createLogger } from '../src/shared/logger.ts';
import {
  agent,
  backendPids,
  benchDatabase,
  cpuBreakdown,
  cpuSeconds,
  heapBreakdown,
  inspectHub,
  inspectOptions,
  isInspectorLine,
  onInterrupt,
  out,
  percentile,
  postGraphQL,
  profileLines,
  readFlags,
  residentKiB,
  startHub,
  stopHub,
  type CpuProfile,
  type HeapProfile,
  type Hub,
  type Inspector,
} from './lib.ts';

// ---------------------------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------------------------

const flags = readFlags();
const smoke = flags.has('--smoke');
const reuse = flags.has('--reuse');

const SUBSCRIBERS = Math.round(flags.number('--subscribers', smoke ? 50 : 5_000));
const RATE = flags.number('--rate', smoke ? 20 : 100);
const durationS = flags.number('--duration', smoke ? 5 : 20);
const ORGANISATIONS = Math.round(flags.number('--organisations', smoke ? 10 : 500));
/**
 * Where the changes are made: `hub`, the measured hub's own HTTP API (one process does all);
 * `second-hub`, the HTTP API of a second hub process on the same database (a deployment of several
 * instances: the measured one hears of changes by NOTIFY only); `sql`, the statements the service's
 * transaction sends (lock, update, event), sent from here: the same trigger writes the outbox, and
 * the measured hub does nothing but fan out.
 */
const VIA = flags.word('--via', 'hub');
if (!['hub', 'second-hub', 'sql'].includes(VIA)) throw new Error('--via is hub, second-hub or sql');
/** `--profile DIR`: the hub runs with its inspector open; CPU and heap profiles go to DIR. */
const PROFILE_DIR = process.argv.includes('--profile') ? flags.word('--profile', '') : null;
if (PROFILE_DIR === '') throw new Error('--profile needs a folder');
/** Connections being opened at once. */
const CONNECTING = Math.round(flags.number('--connecting', 100));
/** IN_PROGRESS referrals each organisation receives, each from a different organisation. */
const RECEIVED = 4;
/**
 * Case workers per organisation: #0 changes statuses, #1… subscribe. At least 20 subscribers per
 * organisation, so that one database (`--reuse`) serves both the 5,000 and the 10,000 step.
 */
const WORKERS = Math.max(Math.ceil(SUBSCRIBERS / ORGANISATIONS), smoke ? 5 : 20) + 1;
/** Subscribers of the warm-up, before anything is measured. */
const WARMUP = Math.min(20, SUBSCRIBERS, ORGANISATIONS);
const TOKEN_TTL_S = 4 * 3600;
if (ORGANISATIONS <= RECEIVED) throw new Error(`--organisations must be more than ${RECEIVED}`);

/** See bench/referrals.ts: the smoke run's database is its own, dropped at the end. */
const db = benchDatabase(
  smoke ? `maillage_realtime_bench_test_smoke_${process.pid}` : 'maillage_realtime_bench_test',
);
onInterrupt(() => (smoke ? db.drop() : Promise.resolve()));

/** Wall-clock milliseconds with sub-millisecond resolution (comparable with the hub's `at`). */
const wallNow = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------
// Data
// ---------------------------------------------------------------------------------------------

/** The uuid PostgreSQL makes of `md5(text)::uuid`, as the generator names its rows. */
function md5Uuid(text: string): string {
  const h = createHash('md5').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * Organisations 1…O, case workers 0…WORKERS-1 of each, one published offer each, and RECEIVED
 * IN_PROGRESS referrals received by organisation n, sent by n+1 … n+RECEIVED (mod O): each
 * organisation is the receiver of RECEIVED referrals and the sender of as many.
 */
async function generate(client: pg.Client): Promise<void> {
  await client.query('BEGIN');
  await client.query('SET LOCAL synchronous_commit = off');
  // Past state, not live changes: no trigger fires (the outbox stays empty, as after an import).
  await client.query('SET LOCAL session_replication_role = replica');
  await client.query(
    `INSERT INTO "Organisation" (id, slug, name, kind, email, "createdAt", "updatedAt")
     SELECT md5('org-' || n)::uuid, 'bench-org-' || n, 'Association Zesummen ' || n, 'ASSOCIATION',
       'contact' || n || '@bench.example', now() - interval '3 years', now() - interval '30 days'
     FROM generate_series(1, $1::int) n`,
    [ORGANISATIONS],
  );
  await client.query(
    `INSERT INTO "User" (id, email, name, locale, "createdAt", "updatedAt")
     SELECT md5('user-' || n || '-' || k)::uuid, 'worker' || k || '.org' || n || '@bench.example',
       'Case worker ' || k || ' of ' || n, 'fr', now() - interval '2 years', now() - interval '2 years'
     FROM generate_series(1, $1::int) n, generate_series(0, $2::int - 1) k`,
    [ORGANISATIONS, WORKERS],
  );
  await client.query(
    `INSERT INTO "Membership" (id, "userId", "organisationId", roles, "createdAt")
     SELECT md5('member-' || n || '-' || k)::uuid, md5('user-' || n || '-' || k)::uuid, md5('org-' || n)::uuid,
       ARRAY['CASE_WORKER']::"Role"[], now() - interval '2 years'
     FROM generate_series(1, $1::int) n, generate_series(0, $2::int - 1) k`,
    [ORGANISATIONS, WORKERS],
  );
  await client.query(
    `INSERT INTO "Offer" (id, "organisationId", title, status, version, audiences, languages, "serviceArea",
       "acceptsReferrals", "responseDays", "publishedAt", "createdAt", "updatedAt")
     SELECT md5('offer-' || n)::uuid, md5('org-' || n)::uuid,
       jsonb_build_object('fr', 'Accompagnement social ' || n, 'de', 'Sozialbegleitung ' || n),
       'PUBLISHED', 1, ARRAY['EVERYONE']::"Audience"[], ARRAY['fr', 'de', 'lb'], ARRAY['Luxembourg'],
       true, 2, now() - interval '2 years', now() - interval '2 years', now() - interval '90 days'
     FROM generate_series(1, $1::int) n`,
    [ORGANISATIONS],
  );
  // Referral r: receiver n = (r - 1) % O + 1, sender (n - 1 + k) % O + 1 with k = (r - 1) / O + 1.
  await client.query(
    `CREATE TEMP TABLE bench_ref ON COMMIT DROP AS
     SELECT r, (r - 1) % $1 + 1 AS n, ((r - 1) % $1 + (r - 1) / $1 + 1) % $1 + 1 AS s
     FROM generate_series(1, $1::int * $2::int) r`,
    [ORGANISATIONS, RECEIVED],
  );
  await client.query(
    `INSERT INTO "Referral" (id, reference, "senderOrganisationId", "senderUserId", "receiverOrganisationId",
       "offerId", status, urgency, needs, "assigneeUserId", "dueAt", "sentAt", "firstAnswerAt", version,
       "createdAt", "updatedAt")
     SELECT md5('referral-' || r)::uuid, 'REF-' || extract(year FROM now())::int || '-' || lpad(r::text, 6, '0'),
       md5('org-' || s)::uuid, md5('user-' || s || '-0')::uuid, md5('org-' || n)::uuid, md5('offer-' || n)::uuid,
       'IN_PROGRESS', 'ROUTINE', 'Cherche un accompagnement social et une aide pour les démarches.',
       md5('user-' || n || '-0')::uuid, now() - interval '26 days', now() - interval '30 days',
       now() - interval '29 days', 5, now() - interval '31 days', now() - interval '20 days'
     FROM bench_ref`,
  );
  await client.query(`SELECT setval('"Referral_reference_seq"', $1)`, [ORGANISATIONS * RECEIVED]);
  await client.query(
    `INSERT INTO "ReferralPerson" ("referralId", name, initials, "birthYear", languages, "contactChannel")
     SELECT md5('referral-' || r)::uuid, 'Personne ' || r, 'P. ' || r || '.', 1960 + r % 45, ARRAY['fr'],
       'THROUGH_SENDER'
     FROM bench_ref`,
  );
  await client.query(
    `INSERT INTO "Consent" (id, "referralId", "recordedByUserId", "recordedAt", purpose,
       "recipientOrganisationIds", "expiresAt")
     SELECT md5('consent-' || r)::uuid, md5('referral-' || r)::uuid, md5('user-' || s || '-0')::uuid,
       now() - interval '31 days', 'Orientation vers un accompagnement social', ARRAY[md5('org-' || n)::uuid],
       now() + interval '1 year'
     FROM bench_ref`,
  );
  await client.query('COMMIT');
  for (const table of [
    'Organisation',
    'User',
    'Membership',
    'Offer',
    'Referral',
    'ReferralPerson',
    'Consent',
  ]) {
    await client.query(`VACUUM (ANALYZE) "${table}"`);
  }
}

interface DataStats {
  organisations: number;
  users: number;
  workersPerOrganisation: number;
  referrals: number;
  outbox: number;
}

async function dataStats(client: pg.Client): Promise<DataStats> {
  const { rows } = await client.query<DataStats>(`SELECT
    (SELECT count(*)::int FROM "Organisation") AS organisations,
    (SELECT count(*)::int FROM "User") AS users,
    (SELECT coalesce(min(c), 0)::int FROM (SELECT count(*) AS c FROM "Membership" GROUP BY "organisationId") m)
      AS "workersPerOrganisation",
    (SELECT count(*)::int FROM "Referral" WHERE status IN ('IN_PROGRESS', 'ON_HOLD')) AS referrals,
    (SELECT count(*)::int FROM "OutboxEvent") AS outbox`);
  return rows[0]!;
}

async function prepareDatabase(): Promise<{ generatedS: number | null; stats: DataStats }> {
  if (reuse && (await db.exists())) {
    db.migrate();
    const stats = await db.withClient(dataStats);
    if (
      stats.organisations === ORGANISATIONS &&
      stats.workersPerOrganisation >= Math.ceil(SUBSCRIBERS / ORGANISATIONS) + 1 &&
      stats.referrals === ORGANISATIONS * RECEIVED
    ) {
      return { generatedS: null, stats };
    }
  }
  await db.recreate();
  db.migrate();
  const t0 = performance.now();
  await db.withClient(generate);
  return { generatedS: (performance.now() - t0) / 1000, stats: await db.withClient(dataStats) };
}

/** The outbox's last sequence number. */
async function outboxEnd(client: pg.Client): Promise<number> {
  const { rows } = await client.query<{ seq: string }>(
    'SELECT coalesce(max(seq), 0)::text AS seq FROM "OutboxEvent"',
  );
  return Number(rows[0]!.seq);
}

/** The referral events in (after, upTo], by organisation that may hear of them. */
async function expectedNotices(
  client: pg.Client,
  after: number,
  upTo: number,
): Promise<Map<string, number[]>> {
  const { rows } = await client.query<{ seq: string; orgs: string[] }>(
    `SELECT seq::text, "organisationIds"::text[] AS orgs FROM "OutboxEvent"
     WHERE seq > $1 AND seq <= $2 AND type = 'REFERRAL_EVENT' ORDER BY seq`,
    [after, upTo],
  );
  const byOrg = new Map<string, number[]>();
  for (const row of rows) {
    for (const org of row.orgs) {
      const list = byOrg.get(org) ?? [];
      list.push(Number(row.seq));
      byOrg.set(org, list);
    }
  }
  return byOrg;
}

// ---------------------------------------------------------------------------------------------
// Tokens
// ---------------------------------------------------------------------------------------------

interface Person {
  /** 0-based organisation index. */
  org: number;
  organisationId: string;
  userId: string;
  email: string;
  token: string;
}

/** Case worker `k` of organisation index `org` (0-based), as the generator named them. */
const person = (org: number, k: number): Omit<Person, 'token'> => ({
  org,
  organisationId: md5Uuid(`org-${org + 1}`),
  userId: md5Uuid(`user-${org + 1}-${k}`),
  email: `worker${k}.org${org + 1}@bench.example`,
});

/** Signs bearer tokens with the hub's own key, as `npm run token` does (a few at a time). */
async function signTokens(people: Omit<Person, 'token'>[]): Promise<Person[]> {
  const config = loadConfig();
  const database = openDatabase({ url: db.url, poolMax: 4, logger: createLogger('warn') });
  try {
    const signed: Person[] = new Array<Person>(people.length);
    let next = 0;
    const worker = async () => {
      while (next < people.length) {
        const i = next++;
        const p = people[i]!;
        const token = await signUserToken(
          database.prisma,
          { id: p.userId, email: p.email },
          { issuer: config.AUTH_ISSUER, audience: config.AUTH_AUDIENCE, ttlSeconds: TOKEN_TTL_S },
        );
        signed[i] = { ...p, token };
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    return signed;
  } finally {
    await database.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Subscribers: raw graphql-transport-ws over `ws`
// ---------------------------------------------------------------------------------------------

interface Subscriber extends Person {
  ws: WebSocket | null;
  /** Cursors received, in arrival order. */
  cursors: number[];
  /** From opening the socket to connection_ack, ms. */
  connectMs: number;
  closing: boolean;
}

interface NoticeData {
  referralEvents?: { cursor: string; at: string; reference: string; version: number };
}
interface WsMessage {
  type: string;
  id?: string;
  payload?: { data?: NoticeData; errors?: { message: string; extensions?: { code?: string } }[] } & {
    message?: string;
  };
}

/** Per outbox row seen by subscribers: its `at`, the change it came from, first and last receipt. */
interface Seen {
  at: number;
  reference: string;
  version: number;
  first: number;
  last: number;
  count: number;
}

/** What every subscriber received, and what went wrong. */
const received = {
  seen: new Map<number, Seen>(),
  /** Each notice's receipt time (wall clock ms) and cursor, in arrival order. */
  receipts: [] as number[],
  receiptSeqs: [] as number[],
  /** When PostgreSQL's NOTIFY of each outbox row reached this process: its commit, as seen from here. */
  commits: new Map<number, number>(),
  problems: [] as string[],
  problemCount: 0,
  clear() {
    this.seen.clear();
    this.receipts = [];
    this.receiptSeqs = [];
    this.commits.clear();
  },
  problem(message: string) {
    this.problemCount++;
    if (this.problems.length < 5) this.problems.push(message);
  },
};

const SUBSCRIBE_QUERY = print(ReferralEventsDocument);

function onNotice(sub: Subscriber, msg: WsMessage, at: number): void {
  const notice = msg.payload?.data?.referralEvents;
  if (msg.payload?.errors?.length || !notice) {
    const e = msg.payload?.errors?.[0];
    received.problem(`subscriber ${sub.email}: ${e?.extensions?.code ?? ''} ${e?.message ?? 'no data'}`);
    return;
  }
  const seq = Number(notice.cursor);
  sub.cursors.push(seq);
  let seen = received.seen.get(seq);
  if (!seen) {
    seen = {
      at: Date.parse(notice.at),
      reference: notice.reference,
      version: notice.version,
      first: at,
      last: at,
      count: 0,
    };
    received.seen.set(seq, seen);
  }
  seen.count++;
  seen.first = Math.min(seen.first, at);
  seen.last = Math.max(seen.last, at);
  received.receipts.push(at);
  received.receiptSeqs.push(seq);
}

/** Opens the socket, authenticates in connection_init, subscribes once acknowledged. */
function connect(url: string, sub: Subscriber, after: number | null): Promise<void> {
  const subscribe = JSON.stringify({
    id: '1',
    type: 'subscribe',
    payload: {
      query: SUBSCRIBE_QUERY,
      operationName: 'ReferralEvents',
      variables: { after: after === null ? null : String(after) },
    },
  });
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let acked = false;
    const ws = new WebSocket(url, 'graphql-transport-ws', { perMessageDeflate: false });
    sub.ws = ws;
    sub.closing = false;
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error('no connection_ack within 30 s'));
    }, 30_000);
    ws.on('open', () =>
      ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${sub.token}` } })),
    );
    ws.on('message', (data: Buffer) => {
      const at = wallNow();
      const msg = JSON.parse(data.toString('utf8')) as WsMessage;
      switch (msg.type) {
        case 'next':
          onNotice(sub, msg, at);
          return;
        case 'connection_ack':
          acked = true;
          clearTimeout(timer);
          sub.connectMs = performance.now() - t0;
          ws.send(subscribe);
          resolve();
          return;
        case 'ping':
          ws.send('{"type":"pong"}');
          return;
        case 'pong':
          return;
        default:
          received.problem(`subscriber ${sub.email}: ${msg.type} ${JSON.stringify(msg.payload ?? '')}`);
      }
    });
    ws.on('error', (err) => {
      if (!acked) {
        clearTimeout(timer);
        reject(err);
      } else received.problem(`subscriber ${sub.email}: ${err.message}`);
    });
    ws.on('close', (code, reason) => {
      if (!acked) {
        clearTimeout(timer);
        reject(new Error(`closed before connection_ack: ${code} ${reason.toString()}`));
      } else if (!sub.closing) {
        received.problem(`subscriber ${sub.email}: connection closed ${code} ${reason.toString()}`);
      }
    });
  });
}

async function connectAll(
  url: string,
  subs: Subscriber[],
  after: number | null,
): Promise<{ seconds: number; failures: number; firstFailure: string | null }> {
  const t0 = performance.now();
  let next = 0;
  let failures = 0;
  let firstFailure: string | null = null;
  const worker = async () => {
    while (next < subs.length) {
      const sub = subs[next++]!;
      try {
        await connect(url, sub, after);
      } catch (err) {
        failures++;
        firstFailure ??= (err as Error).message;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONNECTING, subs.length) }, worker));
  return { seconds: (performance.now() - t0) / 1000, failures, firstFailure };
}

async function closeAll(subs: Subscriber[]): Promise<void> {
  const closed = subs.map((sub) => {
    const ws = sub.ws;
    if (!ws || ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    sub.closing = true;
    return new Promise<void>((resolve) => {
      ws.once('close', () => resolve());
      ws.close(1000);
      setTimeout(() => {
        ws.terminate();
        resolve();
      }, 5_000).unref();
    });
  });
  await Promise.all(closed);
}

/** Waits until each subscriber has as many notices up to `upTo` as it should, or `timeoutMs`. */
async function waitDelivered(
  subs: Subscriber[],
  expected: Map<string, number[]>,
  upTo: number,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const behind = subs.some(
      (s) => s.cursors.filter((c) => c <= upTo).length < (expected.get(s.organisationId)?.length ?? 0),
    );
    if (!behind) return true;
    if (performance.now() > deadline) return false;
    await sleep(100);
  }
}

// ---------------------------------------------------------------------------------------------
// Status changes through the hub's HTTP API
// ---------------------------------------------------------------------------------------------

interface BenchReferral {
  globalId: string;
  reference: string;
  version: number;
  status: 'IN_PROGRESS' | 'ON_HOLD';
  /** Receiving organisation index: its case worker #0 changes it. */
  receiver: number;
  busy: boolean;
}

async function benchReferrals(client: pg.Client): Promise<BenchReferral[]> {
  const { rows } = await client.query<{
    id: string;
    reference: string;
    version: number;
    status: string;
    n: number;
  }>(
    `SELECT r.id, r.reference, r.version, r.status::text, substring(o.slug FROM 'bench-org-(\\d+)')::int AS n
     FROM "Referral" r JOIN "Organisation" o ON o.id = r."receiverOrganisationId"
     WHERE r.status IN ('IN_PROGRESS', 'ON_HOLD')`,
  );
  // Round-robin over the receiving organisations: consecutive changes touch different ones.
  const byOrg = new Map<number, BenchReferral[]>();
  for (const r of rows.sort((a, b) => a.reference.localeCompare(b.reference))) {
    const list = byOrg.get(r.n - 1) ?? [];
    list.push({
      globalId: Buffer.from(`Referral:${r.id}`).toString('base64'),
      reference: r.reference,
      version: r.version,
      status: r.status as BenchReferral['status'],
      receiver: r.n - 1,
      busy: false,
    });
    byOrg.set(r.n - 1, list);
  }
  const orgs = [...byOrg.keys()].sort((a, b) => a - b);
  const ordered: BenchReferral[] = [];
  for (let i = 0; i < RECEIVED; i++) {
    for (const org of orgs) {
      const r = byOrg.get(org)![i];
      if (r) ordered.push(r);
    }
  }
  return ordered;
}

const HOLD_REASONS = [
  'Personne hospitalisée, reprise prévue dans deux semaines.',
  'Person im Urlaub bis Monatsende.',
  'Waiting for documents from the commune.',
];
const STEP_MUTATION = (
  action: 'hold' | 'resume',
) => `mutation Step($id: ID!, $v: Int!${action === 'hold' ? ', $reason: String!' : ''}) {
  ${action}Referral(input: { id: $id, expectedVersion: $v${action === 'hold' ? ', reason: $reason' : ''} }) {
    __typename
    ... on Mutation${action === 'hold' ? 'Hold' : 'Resume'}ReferralSuccess { data { referral { version status } } }
    ... on Error { code message }
  }
}`;
const HOLD = STEP_MUTATION('hold');
const RESUME = STEP_MUTATION('resume');

/** When each change (reference#version after it) was sent and answered, wall clock ms. */
const changeTimes = new Map<string, { sent: number; answered: number }>();

/** Holds the referral if in progress, resumes it if on hold; an error result is a failure. */
async function changeStatus(base: URL, token: string, ref: BenchReferral): Promise<void> {
  const action = ref.status === 'IN_PROGRESS' ? 'hold' : 'resume';
  const variables = {
    id: ref.globalId,
    v: ref.version,
    ...(action === 'hold' ? { reason: HOLD_REASONS[ref.version % HOLD_REASONS.length] } : {}),
  };
  const body = Buffer.from(JSON.stringify({ query: action === 'hold' ? HOLD : RESUME, variables }));
  const sent = wallNow();
  const { status, text } = await postGraphQL(base, body, token);
  const answered = wallNow();
  const result = JSON.parse(text) as {
    data?: Record<
      string,
      { __typename: string; data?: { referral: { version: number; status: string } }; message?: string }
    >;
    errors?: { message: string }[];
  };
  const payload = result.data?.[`${action}Referral`];
  if (status === 200 && !result.errors?.length && payload?.data) {
    ref.version = payload.data.referral.version;
    ref.status = payload.data.referral.status as BenchReferral['status'];
    changeTimes.set(`${ref.reference}#${ref.version}`, { sent, answered });
    return;
  }
  await resync(base, token, ref).catch(() => undefined);
  if (payload) throw new Error(`${action}Referral: ${payload.__typename}: ${payload.message ?? ''}`);
  throw new Error(`HTTP ${status}: ${result.errors?.[0]?.message ?? text.slice(0, 200)}`);
}

/**
 * The same change as the service makes it (referral.service.ts#stepReferral: lock, update, event
 * in one transaction), as SQL from here: the event's insert fires the same outbox trigger.
 */
async function changeStatusInSql(pool: pg.Pool, changer: Person, ref: BenchReferral): Promise<void> {
  const to = ref.status === 'IN_PROGRESS' ? 'ON_HOLD' : 'IN_PROGRESS';
  const reason = to === 'ON_HOLD' ? HOLD_REASONS[ref.version % HOLD_REASONS.length]! : null;
  const id = Buffer.from(ref.globalId, 'base64')
    .toString('utf8')
    .replace(/^Referral:/, '');
  const client = await pool.connect();
  const sent = wallNow();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<{ status: string; version: number }>(
      'SELECT status::text, version FROM "Referral" WHERE id = $1 FOR UPDATE',
      [id],
    );
    if (rows[0]?.status !== ref.status || rows[0].version !== ref.version) {
      await client.query('ROLLBACK');
      if (rows[0]) Object.assign(ref, rows[0]);
      throw new Error(`${ref.reference} changed meanwhile`);
    }
    const updated = await client.query<{ version: number }>(
      `UPDATE "Referral" SET status = $2::"ReferralStatus", version = version + 1, "statusReason" = $3,
         "updatedAt" = now() WHERE id = $1 RETURNING version`,
      [id, to, reason],
    );
    await client.query(
      `INSERT INTO "ReferralEvent" (id, "referralId", type, "fromStatus", "toStatus", "actorUserId",
         "actorOrganisationId", note, at)
       VALUES (gen_random_uuid(), $1, 'STATUS_CHANGED', $2::"ReferralStatus", $3::"ReferralStatus", $4, $5, $6,
         clock_timestamp())`,
      [id, ref.status, to, changer.userId, changer.organisationId, reason],
    );
    await client.query('COMMIT');
    ref.version = updated.rows[0]!.version;
    ref.status = to;
    changeTimes.set(`${ref.reference}#${ref.version}`, { sent, answered: wallNow() });
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

async function resync(base: URL, token: string, ref: BenchReferral): Promise<void> {
  const body = Buffer.from(
    JSON.stringify({
      query: 'query One($ref: String!) { referral(reference: $ref) { version status } }',
      variables: { ref: ref.reference },
    }),
  );
  const { text } = await postGraphQL(base, body, token);
  const r = (JSON.parse(text) as { data?: { referral?: { version: number; status: string } } }).data
    ?.referral;
  if (r) Object.assign(ref, { version: r.version, status: r.status });
}

interface Drive {
  /** Changes due by the schedule. */
  due: number;
  ok: number;
  errors: number;
  firstError: string | null;
  /** Due while every referral had a change in flight (none sent). */
  skipped: number;
  /** From the first change due to the last (the schedule's length). */
  seconds: number;
  /** From the first change due to the last answer. */
  answeredS: number;
  /** Mutation round trips, ms, sorted. */
  latencies: number[];
}

/**
 * An open loop: change `count` referrals (or for `seconds`) at `rate` per second on schedule,
 * whatever the answers' pace; a referral is changed again only once its previous change answered.
 */
async function drive(
  change: (ref: BenchReferral) => Promise<void>,
  refs: BenchReferral[],
  rate: number,
  limit: { seconds?: number; count?: number },
): Promise<Drive> {
  const result: Drive = {
    due: 0,
    ok: 0,
    errors: 0,
    firstError: null,
    skipped: 0,
    seconds: 0,
    answeredS: 0,
    latencies: [],
  };
  const pending = new Set<Promise<void>>();
  let pointer = 0;
  const nextFree = (): BenchReferral | null => {
    for (let tries = 0; tries < refs.length; tries++) {
      const ref = refs[pointer++ % refs.length]!;
      if (!ref.busy) return ref;
    }
    return null;
  };
  const start = performance.now();
  const end = limit.seconds !== undefined ? start + limit.seconds * 1000 : Infinity;
  const count = limit.count ?? Infinity;
  for (;;) {
    const now = performance.now();
    if (now >= end || result.due >= count) break;
    const due = Math.min(count, Math.floor(((now - start) / 1000) * rate) + 1);
    while (result.due < due) {
      result.due++;
      const ref = nextFree();
      if (!ref) {
        result.skipped++;
        continue;
      }
      ref.busy = true;
      const t0 = performance.now();
      const p: Promise<void> = change(ref)
        .then(
          () => {
            result.ok++;
            result.latencies.push(performance.now() - t0);
          },
          (err: unknown) => {
            result.errors++;
            result.firstError ??= (err as Error).message;
          },
        )
        .finally(() => {
          ref.busy = false;
          pending.delete(p);
        });
      pending.add(p);
    }
    await sleep(Math.max(0, start + (result.due / rate) * 1000 - performance.now()));
  }
  result.seconds = Math.max((performance.now() - start) / 1000, (result.due - 1) / rate);
  await Promise.all(pending);
  result.answeredS = (performance.now() - start) / 1000;
  result.latencies.sort((a, b) => a - b);
  return result;
}

// ---------------------------------------------------------------------------------------------
// The hub's side: CPU, memory, PostgreSQL
// ---------------------------------------------------------------------------------------------

/** Waits until the hub uses less than 10 % of a core for two seconds running (at most `maxS`). */
async function settle(pid: number, maxS = 60): Promise<void> {
  const deadline = performance.now() + maxS * 1000;
  let quiet = 0;
  let last = cpuSeconds(pid);
  while (quiet < 2 && performance.now() < deadline) {
    await sleep(1000);
    const now = cpuSeconds(pid);
    quiet = now - last < 0.1 ? quiet + 1 : 0;
    last = now;
  }
}

interface Memory {
  /** RSS as found (KiB): garbage not yet collected included, as an operator sees it. */
  found: number;
  /** RSS (KiB) after a full garbage collection, forced through the hub's inspector. */
  rss: number;
  /** V8 heap in use after that collection (KiB). */
  heap: number;
}

/** The median of three RSS readings a second apart (KiB); one in the smoke run. */
async function rssReading(pid: number): Promise<number> {
  const readings: number[] = [];
  for (let i = 0; i < (smoke ? 1 : 3); i++) {
    if (i > 0) await sleep(1000);
    readings.push(residentKiB(pid));
  }
  return readings.sort((a, b) => a - b)[Math.floor(readings.length / 2)]!;
}

/**
 * The hub's memory at rest: RSS as found, then after a full garbage collection (how much of the
 * heap is garbage waiting for the next collection varies from run to run by tens of MB, which is
 * KB per connection), with the V8 heap in use.
 */
async function memory(pid: number, inspector: Inspector): Promise<Memory> {
  const found = await rssReading(pid);
  // Twice, a second apart: what the first one frees (finalizers, weak references) goes in the second.
  await inspector.send('HeapProfiler.collectGarbage');
  await sleep(1000);
  await inspector.send('HeapProfiler.collectGarbage');
  const heap = (await inspector.send<{ usedSize: number }>('Runtime.getHeapUsage')).usedSize / 1024;
  return { found, rss: await rssReading(pid), heap };
}

/**
 * CPU seconds so far of PostgreSQL backends: the hubs' (pools and outbox listeners), or those of
 * this bench's SQL changes (`--via sql`).
 */
async function databaseCpu(names: string[]): Promise<Map<number, number>> {
  const pids = (await Promise.all(names.map((name) => backendPids(db, name)))).flat();
  return new Map(pids.map((pid) => [pid, cpuSeconds(pid)]));
}
async function databaseCpuSince(names: string[], before: Map<number, number>): Promise<number> {
  let total = 0;
  for (const [pid, seconds] of await databaseCpu(names)) total += seconds - (before.get(pid) ?? 0);
  return total;
}
const HUB_BACKENDS = ['maillage', 'maillage-outbox'];
const CHANGE_BACKENDS = ['bench-realtime-changes'];

/**
 * LISTENs on the outbox's channel as every hub does: PostgreSQL sends the notification (payload:
 * the row's sequence number) at commit, so its arrival here is the commit as this process sees it,
 * on the same clock as the notices' receipt.
 */
async function listenCommits(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: db.url, application_name: 'bench-realtime-listener' });
  await client.connect();
  client.on('notification', (n) => {
    if (n.payload) received.commits.set(Number(n.payload), wallNow());
  });
  await client.query('LISTEN maillage_outbox');
  return client;
}

/** Warning and error lines the hub logged (LOG_LEVEL=warn prints nothing else). */
function hubComplaints(hub: Hub): string[] {
  return hub.lines.filter((l) => {
    if (isInspectorLine(l)) return false;
    try {
      return (JSON.parse(l) as { level?: number }).level! >= 40;
    } catch {
      return l.trim() !== '';
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Run
// ---------------------------------------------------------------------------------------------

const ms = (v: number) => `${v.toFixed(1)} ms`;
const mb = (kib: number) => `${(kib / 1024).toFixed(1)} MB`;
const pct = (cpuS: number, wallS: number) => `${((100 * cpuS) / wallS).toFixed(0)} % of a core`;
const P = [50, 95, 99, 100] as const;
const spreadOf = (sorted: number[]) =>
  P.map((p) => `${p === 100 ? 'max' : `p${p}`} ${ms(percentile(sorted, p))}`).join('   ');

let failed = false;
const subscribers: Subscriber[] = [];
const hubs: Hub[] = [];
let listener: pg.Client | null = null;
let changePool: pg.Pool | null = null;
let inspector: Inspector | null = null;
try {
  const { generatedS, stats } = await prepareDatabase();
  const setup = await db.withClient(async (client) => ({
    version: (await client.query<{ v: string }>(`SELECT current_setting('server_version') AS v`)).rows[0]!.v,
    refs: await benchReferrals(client),
  }));
  out(`bench/realtime (PostgreSQL ${setup.version}, database ${db.name}${smoke ? ', smoke run' : ''})`);
  out(
    `  data: ${stats.organisations} organisations, ${stats.users} users (${stats.workersPerOrganisation} case workers each), ${stats.referrals} referrals IN_PROGRESS or ON_HOLD (${RECEIVED} received and ${RECEIVED} sent by each organisation), ${stats.outbox} outbox rows`,
  );
  out(
    generatedS === null
      ? '  data generation: reused the existing database (--reuse)'
      : `  data generation: ${generatedS.toFixed(1)} s (set-based SQL, no trigger fired)`,
  );

  const t0 = performance.now();
  const people = [
    ...Array.from({ length: ORGANISATIONS }, (_, org) => person(org, 0)),
    ...Array.from({ length: SUBSCRIBERS }, (_, j) =>
      person(j % ORGANISATIONS, 1 + Math.floor(j / ORGANISATIONS)),
    ),
  ];
  const signed = await signTokens(people);
  const changers = signed.slice(0, ORGANISATIONS);
  for (const p of signed.slice(ORGANISATIONS)) {
    subscribers.push({ ...p, ws: null, cursors: [], connectMs: 0, closing: false });
  }
  out(
    `  tokens: ${signed.length} signed with the hub's key in ${((performance.now() - t0) / 1000).toFixed(1)} s (${ORGANISATIONS} changers, ${SUBSCRIBERS} subscribers)`,
  );

  // The measured hub, its inspector open (to collect garbage before reading its memory, and to
  // profile under --profile), and where changes are made.
  listener = await listenCommits();
  const hub = await startHub(db.url, {
    NODE_OPTIONS: inspectOptions(),
    MIGRATE_ON_START: 'false', // migrated above; a migration process would open an inspector too
  });
  hubs.push(hub);
  const pid = hub.child.pid!;
  const wsUrl = `${hub.url.replace(/^http/, 'ws')}/graphql`;
  const inspect = await inspectHub(hub);
  inspector = inspect;
  if (PROFILE_DIR) mkdirSync(PROFILE_DIR, { recursive: true });
  let change: (ref: BenchReferral) => Promise<void>;
  let other: Hub | null = null;
  if (VIA === 'sql') {
    const pool = new pg.Pool({
      connectionString: db.url,
      max: 20,
      application_name: 'bench-realtime-changes',
    });
    changePool = pool;
    change = (ref) => changeStatusInSql(pool, changers[ref.receiver]!, ref);
  } else {
    if (VIA === 'second-hub') {
      other = await startHub(db.url);
      hubs.push(other);
    }
    const base = new URL((other ?? hub).url);
    change = (ref) => changeStatus(base, changers[ref.receiver]!.token, ref);
  }
  const via = {
    hub: "holdReferral / resumeReferral through the measured hub's own HTTP API",
    'second-hub': `holdReferral / resumeReferral through a second hub's HTTP API (pid ${other?.child.pid}; the measured hub hears of them by NOTIFY)`,
    sql: "the service's statements (lock, update, event) sent in SQL from here: the outbox trigger as always, no hub work but the fan-out",
  }[VIA];
  out(
    `  hub: pid ${pid}, NODE_ENV=production, LOG_LEVEL=warn, DATABASE_POOL_MAX ${process.env.DATABASE_POOL_MAX ?? 10}, OUTBOX_POLL_MS ${process.env.OUTBOX_POLL_MS ?? 1000}; RSS once ready ${mb(residentKiB(pid))}; its inspector open (memory read after a forced full GC)${PROFILE_DIR ? '; PROFILED: CPU figures are not comparable with an ordinary run' : ''}`,
  );
  out(`  changes: ${via}`);

  // Warm-up: the whole path once (connect, subscribe, change, notice), then closed and forgotten.
  const warm: Subscriber[] = subscribers.slice(0, WARMUP).map((s) => ({ ...s, cursors: [] }));
  const warmConnect = await connectAll(wsUrl, warm, null);
  if (warmConnect.failures > 0) throw new Error(`warm-up: ${warmConnect.firstFailure}`);
  await sleep(500);
  const warmRefs = setup.refs.filter((r) => r.receiver < WARMUP).slice(0, WARMUP);
  await drive(change, warmRefs, RATE, { count: warmRefs.length });
  const warmDeadline = performance.now() + 10_000;
  while (warm.some((s) => s.cursors.length === 0) && performance.now() < warmDeadline) await sleep(50);
  await closeAll(warm);
  received.clear();
  changeTimes.clear();
  await settle(pid);
  const before = await memory(pid, inspect);

  // N idle subscribed connections.
  const start = await db.withClient(outboxEnd);
  if (PROFILE_DIR) {
    await inspect.send('HeapProfiler.startSampling', { samplingInterval: 4096 });
    await inspect.send('Profiler.enable');
    await inspect.send('Profiler.setSamplingInterval', { interval: 500 });
    await inspect.send('Profiler.start');
  }
  const cpuConnect0 = cpuSeconds(pid);
  const connected = await connectAll(wsUrl, subscribers, start);
  const connectCpu = cpuSeconds(pid) - cpuConnect0;
  await settle(pid);
  const settledCpu = cpuSeconds(pid) - cpuConnect0;
  const connectProfile = PROFILE_DIR
    ? (await inspect.send<{ profile: CpuProfile }>('Profiler.stop')).profile
    : null;
  // Idle first: the forced collections of memory() leave the collector busy for a while.
  const idleS = smoke ? 2 : 10;
  const cpuIdle0 = cpuSeconds(pid);
  await sleep(idleS * 1000);
  const idleCpu = cpuSeconds(pid) - cpuIdle0;
  const idle = await memory(pid, inspect);
  const heapProfile = PROFILE_DIR
    ? (await inspect.send<{ profile: HeapProfile }>('HeapProfiler.getSamplingProfile')).profile
    : null;
  if (PROFILE_DIR) await inspect.send('HeapProfiler.stopSampling');
  const open = subscribers.filter((s) => s.ws?.readyState === WebSocket.OPEN).length;
  const connectTimes = subscribers.map((s) => s.connectMs).sort((a, b) => a - b);
  out(
    `  subscribers: ${open} open graphql-ws connections of ${SUBSCRIBERS} (referralEvents, after the outbox's end), ${Math.floor(SUBSCRIBERS / ORGANISATIONS)}–${Math.ceil(SUBSCRIBERS / ORGANISATIONS)} per organisation over ${ORGANISATIONS} organisations, one case worker each`,
  );
  out(
    `  connect: ${SUBSCRIBERS} in ${connected.seconds.toFixed(1)} s (${(SUBSCRIBERS / connected.seconds).toFixed(0)}/s, ${CONNECTING} at a time); open to connection_ack p50 ${ms(percentile(connectTimes, 50))}   p99 ${ms(percentile(connectTimes, 99))}   max ${ms(percentile(connectTimes, 100))}; failures ${connected.failures}${connected.firstFailure ? ` (first: ${connected.firstFailure})` : ''}`,
  );
  out(
    `  hub CPU to connect and subscribe: ${((1000 * settledCpu) / SUBSCRIBERS).toFixed(2)} ms per subscriber (${connectCpu.toFixed(1)} s while connecting, ${settledCpu.toFixed(1)} s until settled)`,
  );
  const kbPer = (a: number, b: number) => `${((b - a) / SUBSCRIBERS).toFixed(1)} KB per connection`;
  out(
    `  hub RSS: ${mb(before.rss)} before, ${mb(idle.rss)} with ${SUBSCRIBERS} idle subscribed connections: ${kbPer(before.rss, idle.rss)}   (goal < 50 KB; after a full GC)`,
  );
  out(
    `  hub RSS as found, before that GC: ${mb(before.found)} before, ${mb(idle.found)} with them: ${kbPer(before.found, idle.found)}; V8 heap used after the GC: ${mb(before.heap)} before, ${mb(idle.heap)} with them: ${kbPer(before.heap, idle.heap)}`,
  );
  out(`  hub CPU idle with ${SUBSCRIBERS} connections: ${pct(idleCpu, idleS)} (over ${idleS} s)`);
  if (connectProfile)
    profileLines(
      'hub CPU while connecting',
      cpuBreakdown(connectProfile),
      PROFILE_DIR!,
      'hub-connect.cpuprofile',
      connectProfile,
    );
  if (heapProfile)
    profileLines(
      'live heap sampled after connecting (by allocation site)',
      heapBreakdown(heapProfile),
      PROFILE_DIR!,
      'hub-connections.heapprofile',
      heapProfile,
    );

  // Priming: a change per organisation; every subscriber hears of one (live, or replayed).
  const priming = setup.refs.slice(0, ORGANISATIONS);
  const t1 = performance.now();
  const primed = await drive(change, priming, RATE, { count: priming.length });
  const primeDeadline = performance.now() + 60_000;
  while (subscribers.some((s) => s.cursors.length === 0) && performance.now() < primeDeadline)
    await sleep(50);
  const unprimed = subscribers.filter((s) => s.cursors.length === 0).length;
  out(
    `  priming: ${primed.ok} changes (one per organisation) at ${RATE}/s; ${unprimed === 0 ? `every subscriber received a notice within ${((performance.now() - t1) / 1000).toFixed(1)} s` : `WARNING: ${unprimed} subscribers received nothing in 60 s`}`,
  );
  if (primed.errors > 0 || unprimed > 0) failed = true;
  await settle(pid, 30);

  // The load.
  const boundary = await db.withClient(outboxEnd);
  const eld = monitorEventLoopDelay({ resolution: 5 });
  eld.enable();
  const client0 = process.cpuUsage();
  const hubCpu0 = cpuSeconds(pid);
  const otherCpu0 = other ? cpuSeconds(other.child.pid!) : 0;
  const pg0 = await databaseCpu(HUB_BACKENDS);
  const pgChanges0 = await databaseCpu(CHANGE_BACKENDS);
  if (PROFILE_DIR) await inspect.send('Profiler.start');
  const loadStart = wallNow();
  const changes = await drive(change, setup.refs, RATE, { seconds: durationS });
  const upTo = await db.withClient(outboxEnd);
  const expected = await db.withClient((c) => expectedNotices(c, start, upTo));
  const complete = await waitDelivered(subscribers, expected, upTo, 60_000);
  const loadEnd = wallNow();
  const hubCpu = cpuSeconds(pid) - hubCpu0;
  const otherCpu = other ? cpuSeconds(other.child.pid!) - otherCpu0 : 0;
  const pgCpu = await databaseCpuSince(HUB_BACKENDS, pg0);
  const pgChangesCpu = await databaseCpuSince(CHANGE_BACKENDS, pgChanges0);
  const clientCpu = process.cpuUsage(client0);
  eld.disable();
  const loadProfile = PROFILE_DIR
    ? (await inspect.send<{ profile: CpuProfile }>('Profiler.stop')).profile
    : null;
  await sleep(500); // late duplicates, if any
  const rssPeak = residentKiB(pid, 'VmHWM');
  const after = await memory(pid, inspect);

  // Checks: each subscriber got exactly its organisations' rows after its cursor, in order.
  let expectedTotal = 0;
  let receivedTotal = 0;
  let lost = 0;
  let duplicates = 0;
  let outOfOrder = 0;
  let unexpected = 0;
  let lossySubscribers = 0;
  for (const s of subscribers) {
    const want = expected.get(s.organisationId) ?? [];
    const got = s.cursors.filter((c) => c <= upTo);
    const gotSet = new Set(got);
    const wantSet = new Set(want);
    expectedTotal += want.length;
    receivedTotal += got.length;
    const missing = want.filter((c) => !gotSet.has(c)).length;
    lost += missing;
    if (missing > 0) lossySubscribers++;
    duplicates += got.length - gotSet.size;
    unexpected += [...gotSet].filter((c) => !wantSet.has(c)).length;
    for (let i = 1; i < got.length; i++) if (got[i]! <= got[i - 1]!) outOfOrder++;
  }

  // Latencies of the load's notices: from the commit (NOTIFY here) and from the event's `at`.
  const fromCommit: number[] = [];
  const fromAt: number[] = [];
  let noCommitSeen = 0;
  for (let i = 0; i < received.receipts.length; i++) {
    const seq = received.receiptSeqs[i]!;
    if (seq <= boundary || seq > upTo) continue;
    const receipt = received.receipts[i]!;
    fromAt.push(receipt - received.seen.get(seq)!.at);
    const commit = received.commits.get(seq);
    if (commit === undefined) noCommitSeen++;
    else fromCommit.push(receipt - commit);
  }
  const spread: number[] = [];
  const atToCommit: number[] = [];
  const atAfterSent: number[] = [];
  const answeredAfterCommit: number[] = [];
  const firstAfterAnswer: number[] = [];
  let lastReceipt = loadStart;
  for (const [seq, seen] of received.seen) {
    if (seq <= boundary || seq > upTo) continue;
    spread.push(seen.last - seen.first);
    lastReceipt = Math.max(lastReceipt, seen.last);
    const commit = received.commits.get(seq);
    if (commit !== undefined) atToCommit.push(commit - seen.at);
    const times = changeTimes.get(`${seen.reference}#${seen.version}`);
    if (times) {
      atAfterSent.push(seen.at - times.sent);
      if (commit !== undefined) answeredAfterCommit.push(times.answered - commit);
      firstAfterAnswer.push(seen.first - times.answered);
    }
  }
  for (const list of [
    fromCommit,
    fromAt,
    spread,
    atToCommit,
    atAfterSent,
    answeredAfterCommit,
    firstAfterAnswer,
  ])
    list.sort((a, b) => a - b);
  const notices = fromAt.length;
  const deliverS = (lastReceipt - loadStart) / 1000;
  const perChange = changes.ok > 0 ? notices / changes.ok : 0;
  const loadS = (loadEnd - loadStart) / 1000;

  out(
    `  load: ${changes.due} changes due at ${RATE}/s over ${changes.seconds.toFixed(1)} s, ${changes.ok} made, the last answered after ${changes.answeredS.toFixed(1)} s: ${(changes.ok / changes.answeredS).toFixed(1)} changes/s achieved; answered p50 ${ms(percentile(changes.latencies, 50))}   p99 ${ms(percentile(changes.latencies, 99))}; errors ${changes.errors}${changes.firstError ? ` (first: ${changes.firstError})` : ''}; skipped ${changes.skipped}`,
  );
  out(
    `  notices delivered: ${notices} in ${deliverS.toFixed(1)} s: ${(notices / deliverS).toFixed(0)}/s (${perChange.toFixed(1)} per change: the subscribers of its two organisations)`,
  );
  out(
    `  latency commit → receipt: ${spreadOf(fromCommit)}   (goal p99 < 250 ms; commit = the outbox NOTIFY reaching this process${noCommitSeen ? `, missing for ${noCommitSeen} notices` : ''})`,
  );
  out(
    `  latency notice.at → receipt: ${spreadOf(fromAt)}   (at = the event's time in its transaction, before the commit: an upper bound)`,
  );
  out(`  fan-out spread (first to last subscriber of one event): ${spreadOf(spread)}`);
  out(
    `  one change's timeline, p50: at ${ms(percentile(atAfterSent, 50))} after the request was sent, commit ${ms(percentile(atToCommit, 50))} after at (p99 ${ms(percentile(atToCommit, 99))}), ${VIA === 'sql' ? 'COMMIT returned' : 'response'} ${ms(percentile(answeredAfterCommit, 50))} after the commit, first notice ${ms(percentile(firstAfterAnswer, 50))} after ${VIA === 'sql' ? 'that' : 'the response'}`,
  );
  out(
    `  delivery: lost ${lost}   duplicates ${duplicates}   out of order ${outOfOrder}   unexpected ${unexpected}   (expected ${expectedTotal} notices over ${SUBSCRIBERS} subscribers including priming, received ${receivedTotal}${lossySubscribers ? `; ${lossySubscribers} subscribers missing some` : ''}${complete ? '' : '; gave up waiting after 60 s'}); subscription errors and closes ${received.problemCount}${received.problems.length ? ` (first: ${received.problems[0]})` : ''}`,
  );
  out(
    `  hub CPU under load: ${pct(hubCpu, loadS)} over ${loadS.toFixed(1)} s (${((1000 * hubCpu) / Math.max(1, changes.ok)).toFixed(1)} ms per change, ${((1e6 * hubCpu) / Math.max(1, notices)).toFixed(0)} µs per notice delivered)${other ? `; second hub ${pct(otherCpu, loadS)} (${((1000 * otherCpu) / Math.max(1, changes.ok)).toFixed(1)} ms per change)` : ''}; PostgreSQL backends of the hub${other ? 's' : ''} ${((1000 * pgCpu) / Math.max(1, changes.ok)).toFixed(1)} ms per change${VIA === 'sql' ? `, of the SQL changes ${((1000 * pgChangesCpu) / Math.max(1, changes.ok)).toFixed(1)} ms` : ''}`,
  );
  out(
    `  hub RSS after the load: ${mb(after.found)} as found, ${mb(after.rss)} after a full GC (V8 heap used ${mb(after.heap)}); peak RSS ${mb(rssPeak)}`,
  );
  const clientS = (clientCpu.user + clientCpu.system) / 1e6;
  const eldP99 = eld.percentile(99) / 1e6;
  const saturated = clientS / loadS > 0.8 || eldP99 > 50;
  out(
    `  load generator (this process, ${SUBSCRIBERS} sockets): ${pct(clientS, loadS)}, event-loop delay p99 ${ms(eldP99)} max ${ms(eld.max / 1e6)}${saturated ? '   WARNING: the load generator is near saturation; receipt times include its own delay' : ' (not the bottleneck)'}`,
  );
  if (loadProfile)
    profileLines(
      'hub CPU under load',
      cpuBreakdown(loadProfile),
      PROFILE_DIR!,
      'hub-load.cpuprofile',
      loadProfile,
    );
  const complaints = hubs.flatMap(hubComplaints);
  if (complaints.length > 0)
    out(`  hubs logged ${complaints.length} warnings or errors, the first: ${complaints[0]}`);

  if (connected.failures > 0 || changes.errors > 0 || received.problemCount > 0) failed = true;
  if (lost + duplicates + outOfOrder + unexpected > 0) failed = true;
  if (failed) console.error('bench/realtime: something failed (see above)');
} catch (err) {
  failed = true;
  console.error(err);
} finally {
  await closeAll(subscribers).catch(() => undefined);
  await inspector?.close().catch(() => undefined);
  for (const h of hubs) await stopHub(h).catch(() => undefined);
  await listener?.end().catch(() => undefined);
  await changePool?.end().catch(() => undefined);
  agent.destroy();
  if (smoke) await db.drop();
}
process.exit(failed ? 1 : 0);
