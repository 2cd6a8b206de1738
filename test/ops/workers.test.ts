/**
 * WEB_CONCURRENCY=2 (issue 15): `npm start` runs a primary that prepares the database and forks two
 * workers serving one port.
 * - requests are answered by both workers (each request's log line names the worker's pid);
 * - a subscriber whose WebSocket a worker holds hears of a change made through the other one (the
 *   holder of each connection is read from /proc, not guessed);
 * - /metrics, whichever worker answers it, gives the figures of both (gathered by the primary);
 * - SIGTERM to npm drains every worker and the primary, and leaves nothing listening.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import readline from 'node:readline';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import WebSocket from 'ws';
import {
  PostReferralMessageDocument,
  ReferralEventsDocument,
  type ReferralEventsSubscription,
} from '../../clients/generated/graphql.ts';
import { resumableSubscription, type ResumableSubscription } from '../../clients/realtime.ts';
import { createHubClient } from '../../clients/sdk.ts';
import { loadConfig } from '../../src/shared/config.ts';
import { openDatabase, type Database } from '../../src/shared/db/client.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { seedAlphaCatalogue, seedThemes, sendShelterReferral } from '../helpers/catalogue-fixtures.ts';
import { seedScenario, type Scenario } from '../helpers/fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/pg.ts';
import { isRunning } from '../helpers/process.ts';
import { collector } from '../helpers/realtime.ts';

/** Start-up of a primary and two workers on a loaded two-core machine. */
const WAIT = 90_000;
const LIMIT_MS = 3_000;
/** Event-loop and process-exit slack on a loaded machine (the primary waits for both workers). */
const SLACK_MS = 3_000;

let database: TestDatabase;
let db: Database;
let s: Scenario;
let npm: ChildProcess;
let exited: Promise<number | null>;
const lines: string[] = [];
const waiters: { match: (line: string) => boolean; resolve: (line: string) => void }[] = [];
let base: string;
let primaryPid: number;
let workerPids: number[];
let referralId: string;
const subscriptions: ResumableSubscription[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  db = openDatabase({ url: database.url, poolMax: 3, logger: createLogger('silent') });
  s = await seedScenario(db.prisma, loadConfig({ NODE_ENV: 'test', DATABASE_URL: database.url }));
  await seedThemes(db.prisma);
  const { offers } = await seedAlphaCatalogue(db.prisma, s);

  npm = spawn('npm', ['start', '--ignore-scripts'], {
    env: {
      ...process.env,
      DATABASE_URL: database.url,
      WEB_CONCURRENCY: '2',
      HOST: '127.0.0.1',
      PORT: '0',
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      RATE_LIMITS: 'false',
      // NOTIFY, not the safety-net poll, must carry a change from one worker to the other.
      OUTBOX_POLL_MS: '60000',
      SHUTDOWN_TIMEOUT_MS: String(LIMIT_MS),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  exited = once(npm, 'exit').then(([code]) => code as number | null);
  const listening = new Promise<string>((resolve, reject) => {
    for (const stream of [npm.stdout!, npm.stderr!]) {
      readline.createInterface({ input: stream }).on('line', (line) => {
        lines.push(line);
        if (line.includes('Maillage is listening')) resolve(line);
        for (const w of waiters.filter((w) => w.match(line))) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(line);
        }
      });
    }
    void exited.then((code) => reject(new Error(`npm start exited (${code}):\n${lines.join('\n')}`)));
  });
  const line = JSON.parse(await listening) as { pid: number; url: string; workerPids: number[] };
  base = line.url.replace('/graphql', '').replace('localhost', '127.0.0.1');
  primaryPid = line.pid;
  workerPids = line.workerPids;

  // A referral from beta to alpha: bob (beta) hears of its messages.
  referralId = await sendShelterReferral(`${base}/graphql`, s, offers.shelter.id);
}, WAIT * 2);

afterAll(async () => {
  for (const sub of subscriptions) await sub.stop();
  if (npm && npm.exitCode === null && npm.signalCode === null) {
    npm.kill('SIGTERM');
    await exited;
  }
  // Whatever happened above, no worker of ours is left behind.
  for (const pid of [primaryPid, ...(workerPids ?? [])])
    if (pid && isRunning(pid)) process.kill(pid, 'SIGKILL');
  await db?.close();
  await database?.drop();
}, WAIT);

/** The parent of `pid`, from /proc/<pid>/stat. */
function parentOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

/** The pid of the worker whose log line answered request `requestId`. */
async function answeredBy(requestId: string): Promise<number> {
  const mine = (l: string) => l.includes(`"requestId":"${requestId}"`) && l.includes('"msg":"request"');
  // The line is written when the response closes: it may follow the answer by a moment.
  const line =
    lines.find(mine) ?? (await new Promise<string>((resolve) => waiters.push({ match: mine, resolve })));
  return (JSON.parse(line) as { pid: number }).pid;
}

/** GET `path` on a connection of its own (the primary hands out connections, not requests). */
function getOnNewConnection(path: string, requestId: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(`${base}${path}`, { agent: false, headers: { 'x-request-id': requestId } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
      })
      .on('error', reject);
  });
}

const healthOnNewConnection = async (requestId: string) =>
  (await getOnNewConnection('/healthz', requestId)).status;

/** The sum of a metric's samples in a Prometheus text exposition whose labels include `labels`. */
function sampleSum(text: string, name: string, labels = ''): number {
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `))
    .filter((l) => l.includes(labels))
    .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

/**
 * The process, among `pids`, that holds the server end of the TCP connection whose client end is
 * 127.0.0.1:`clientPort`: its socket inode from /proc/net/tcp, then the fd pointing at it.
 */
function holderOf(clientPort: number, pids: number[]): number | null {
  const hex = (port: number) => `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const serverPort = Number(new URL(base).port);
  let inode: string | undefined;
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const row of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const f = row.trim().split(/\s+/);
      if (f[1]?.endsWith(hex(serverPort)) && f[2]?.endsWith(hex(clientPort))) inode = f[9];
    }
  }
  if (!inode) return null;
  for (const pid of pids) {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        if (readlinkSync(`/proc/${pid}/fd/${fd}`) === `socket:[${inode}]`) return pid;
      } catch {
        // closed meanwhile
      }
    }
  }
  return null;
}

/** True while some socket listens on `port` (state 0A in /proc/net/tcp*). */
function listening(port: number): boolean {
  const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  return ['/proc/net/tcp', '/proc/net/tcp6'].some((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .slice(1)
      .some((row) => {
        const f = row.trim().split(/\s+/);
        return f[1]?.endsWith(hex) && f[3] === '0A';
      }),
  );
}

/** Bob's referral events from `after`, over a WebSocket whose client port is reported. */
async function subscribe(after: string) {
  const events = collector<ReferralEventsSubscription>();
  let opened: (port: number) => void = () => undefined;
  const port = new Promise<number>((resolve) => (opened = resolve));
  class Tracked extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols);
      this.once('upgrade', (res: http.IncomingMessage) => opened(res.socket.localPort ?? 0));
    }
  }
  const token = await s.token('bob');
  const sub = resumableSubscription({
    url: [`${base.replace(/^http/, 'ws')}/graphql`],
    token: () => token,
    document: ReferralEventsDocument,
    variables: {},
    cursorOf: (d) => d.referralEvents.cursor,
    after,
    webSocketImpl: Tracked,
    minDelayMs: 50,
    maxDelayMs: 500,
    onData: (d) => events.push(d),
  });
  subscriptions.push(sub);
  return { events, holder: holderOf(await port, workerPids) };
}

it(
  'a primary and two workers: the workers are its children, and both answer requests',
  async () => {
    expect(workerPids).toHaveLength(2);
    expect(new Set(workerPids).size).toBe(2);
    for (const pid of workerPids) expect(parentOf(pid)).toBe(primaryPid);
    expect(parentOf(primaryPid)).toBe(npm.pid); // `exec node`: the primary is npm's child
    const answered = new Set<number>();
    for (let i = 0; i < 6; i++) {
      const id = `workers-test-${i}`;
      expect(await healthOnNewConnection(id)).toBe(200);
      answered.add(await answeredBy(id));
    }
    expect([...answered].sort()).toEqual([...workerPids].sort());
  },
  WAIT,
);

it(
  '/metrics, whichever worker answers it, gives the figures of both workers',
  async () => {
    const poolMax = loadConfig({ NODE_ENV: 'test', DATABASE_URL: database.url }).DATABASE_POOL_MAX;
    const scrapes: { pid: number; body: string }[] = [];
    // Connections are handed out in turn: a few scrapes reach both workers.
    for (let i = 0; i < 6 && new Set(scrapes.map((x) => x.pid)).size < 2; i++) {
      const id = `workers-metrics-${i}`;
      const { status, body } = await getOnNewConnection('/metrics', id);
      expect(status).toBe(200);
      scrapes.push({ pid: await answeredBy(id), body });
    }
    expect(new Set(scrapes.map((x) => x.pid))).toEqual(new Set(workerPids));
    for (const { body } of scrapes) {
      // Each worker's pool counted once: two pools.
      expect(sampleSum(body, 'maillage_db_pool_max')).toBe(2 * poolMax);
      // The six health checks of the test above, answered by both workers, all counted.
      expect(sampleSum(body, 'maillage_http_requests_total', 'route="healthz"')).toBeGreaterThanOrEqual(6);
      expect(sampleSum(body, 'maillage_info')).toBe(1);
    }
  },
  WAIT,
);

it(
  'a subscriber on one worker hears of a change made through the other',
  async () => {
    const { rows } = await db.pool.query<{ seq: string }>(
      'select coalesce(max(seq), 0)::text as seq from "OutboxEvent"',
    );
    const start = rows[0]!.seq;
    // The primary hands connections out in turn: a few are enough to have one on each worker.
    const subs: Awaited<ReturnType<typeof subscribe>>[] = [];
    for (let i = 0; i < 6 && new Set(subs.map((x) => x.holder)).size < 2; i++)
      subs.push(await subscribe(start));
    expect(new Set(subs.map((x) => x.holder))).toEqual(new Set(workerPids));

    const carol = createHubClient(`${base}/graphql`, {
      token: await s.token('carol'),
      headers: { 'x-request-id': 'workers-test-post' },
    });
    const res = await carol.request(PostReferralMessageDocument, {
      input: { id: referralId, body: 'Depuis un autre worker' },
    });
    expect(res.postReferralMessage.__typename).toBe('MutationPostReferralMessageSuccess');
    const writer = await answeredBy('workers-test-post');
    const other = subs.find((x) => x.holder !== writer)!;
    expect(other.holder).not.toBe(writer);
    const [event] = await other.events.waitFor(1, 30_000);
    expect(event!.referralEvents.type).toBe('MESSAGE');
  },
  WAIT,
);

it(
  'SIGTERM to `npm start` drains both workers and the primary: exit 0, nothing left listening',
  async () => {
    for (const sub of subscriptions.splice(0)) await sub.stop();
    const port = Number(new URL(base).port);
    expect(listening(port)).toBe(true);
    const sent = Date.now();
    npm.kill('SIGTERM');
    const code = await exited;
    const took = Date.now() - sent;
    // On failure, the log of the shutdown says which process did not drain, and why.
    if (code !== 0 || took >= LIMIT_MS + SLACK_MS) {
      throw new Error(`exit ${code} after ${took} ms:\n${lines.slice(-30).join('\n')}`);
    }
    for (const pid of workerPids) {
      expect(lines.some((l) => l.includes(`"pid":${pid}`) && l.includes('"msg":"stopped"'))).toBe(true);
    }
    expect(lines.some((l) => l.includes(`"pid":${primaryPid}`) && l.includes('"msg":"stopped"'))).toBe(true);
    for (const pid of [primaryPid, ...workerPids]) expect(isRunning(pid)).toBe(false);
    expect(listening(port)).toBe(false);
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
  },
  WAIT,
);
