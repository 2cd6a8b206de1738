/**
 * What the load benchmarks share (bench/catalogue.ts, bench/referrals.ts, bench/realtime.ts):
 * command-line flags, a bench database of their own on the machine's PostgreSQL, the hub as a
 * separate production process, a closed-loop load on node:http keep-alive connections, percentiles,
 * CPU per request and a process's resident memory read from /proc, and a PostgreSQL wire-protocol
 * proxy that records the SQL statements the hub sends.
 *
 * The load loop is written here on node:http rather than with a load generator library: it needs
 * no new dependency, and a closed loop of 20 workers is all these benchmarks measure.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import pg from 'pg';
import WebSocket from 'ws';
import { DEFAULT_RANDOM_PAGE_COST } from '../src/shared/config.ts';
import { startupOptions } from '../src/shared/db/client.ts';
import { adminQuery, assertTestDatabase, databaseUrl } from '../test/helpers/pg.ts';

/** application_name of the raw SQL baselines' pools, to find their backends (the hub's is "maillage"). */
export const RAW_APP = 'maillage-bench-raw-sql';

/**
 * A raw SQL baseline's pool of `max` connections, planned as the hub's are: the same
 * `random_page_cost` (DATABASE_RANDOM_PAGE_COST, as the bench's hubs read it), so that a ratio
 * compares the hub's work with the same database work, not with another plan.
 */
export function rawSqlPool(url: string, max: number): pg.Pool {
  const randomPageCost = Number(process.env.DATABASE_RANDOM_PAGE_COST || DEFAULT_RANDOM_PAGE_COST);
  return new pg.Pool({
    connectionString: url,
    max,
    application_name: RAW_APP,
    options: startupOptions({ random_page_cost: randomPageCost }),
  });
}

/**
 * The hubs run as in production, which requires SECRETS_KEY (secrets at rest). The bench process
 * signs tokens with the same database's keys, so both share one key: a fixed one, for bench
 * databases only, unless the caller sets its own.
 */
process.env.SECRETS_KEY ??= Buffer.alloc(32, 'maillage-bench').toString('base64');

// ---------------------------------------------------------------------------------------------
// Flags
// ---------------------------------------------------------------------------------------------

export interface Flags {
  has: (name: string) => boolean;
  /** A positive number given as `name N`, else `fallback`. */
  number: (name: string, fallback: number) => number;
  /** A flag's word (`--via sql`), else `fallback`. */
  word: (name: string, fallback: string) => string;
}

export function readFlags(argv = process.argv.slice(2)): Flags {
  return {
    has: (name) => argv.includes(name),
    number: (name, fallback) => {
      const i = argv.indexOf(name);
      if (i < 0) return fallback;
      const value = Number(argv[i + 1]);
      if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} needs a positive number`);
      return value;
    },
    word: (name, fallback) => {
      const i = argv.indexOf(name);
      return i < 0 ? fallback : (argv[i + 1] ?? '');
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Database
// ---------------------------------------------------------------------------------------------

export interface BenchDatabase {
  name: string;
  url: string;
  withClient<T>(fn: (client: pg.Client) => Promise<T>): Promise<T>;
  exists(): Promise<boolean>;
  /** Drops it (if there) and creates it empty. */
  recreate(): Promise<void>;
  drop(): Promise<void>;
  /** Applies the migrations with the project's own command, as deployments do. */
  migrate(): void;
}

/**
 * A database on the machine's PostgreSQL, or on the server at `serverUrl` (the embedded default,
 * see `embeddedServer`); its name must say it is a test one.
 */
export function benchDatabase(name: string, serverUrl?: string): BenchDatabase {
  assertTestDatabase(name);
  const on = (database: string) => {
    if (!serverUrl) return databaseUrl(database);
    const url = new URL(serverUrl);
    url.pathname = `/${database}`;
    return url.toString();
  };
  const admin = async (sql: string) => {
    if (!serverUrl) return void (await adminQuery(sql));
    const client = new pg.Client({ connectionString: on('postgres') });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  const url = on(name);
  return {
    name,
    url,
    async withClient(fn) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        return await fn(client);
      } finally {
        await client.end();
      }
    },
    async exists() {
      const client = new pg.Client({ connectionString: on('postgres') });
      await client.connect();
      try {
        const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
        return rowCount === 1;
      } finally {
        await client.end();
      }
    },
    async recreate() {
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin(`CREATE DATABASE ${name}`);
    },
    async drop() {
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
    },
    migrate() {
      execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/db.ts', 'migrate'], {
        env: { ...process.env, DATABASE_URL: url },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
    },
  };
}

/**
 * `--embedded`: the embedded default's server (as `npm start` runs it without DATABASE_URL), in a
 * temporary data folder, for the benchmarks to measure what a newcomer or a small association
 * gets. Stopped and removed when this process ends.
 */
export async function embeddedServer(): Promise<string> {
  const { mkdtemp } = await import('node:fs/promises');
  const { rmSync } = await import('node:fs');
  const os = await import('node:os');
  const path = await import('node:path');
  const { startEmbeddedDatabase } = await import('../src/shared/db/embedded.ts');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'maillage-bench-embedded-'));
  const server = await startEmbeddedDatabase(path.join(dir, 'data'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  onInterrupt(() => server.stop());
  return server.url;
}

// ---------------------------------------------------------------------------------------------
// The hub as a process
// ---------------------------------------------------------------------------------------------

export interface Hub {
  child: ChildProcess;
  url: string;
  lines: string[];
  exit: Promise<number | null>;
}

/** The node arguments of `npm start`, read as test/helpers/process.ts reads them. */
const START_ARGS = (
  JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } }
).scripts.start
  .split(' ')
  // `exec node …`: the arguments after `node`.
  .slice(2);

export async function freePort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

/** Hubs started here: killed when this process ends, however it ends, so that none is left behind. */
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * On SIGINT/SIGTERM: kills the hubs, runs `cleanup` (e.g. drops a throw-away database), exits 1.
 */
export function onInterrupt(cleanup: () => Promise<void>): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      for (const child of running) child.kill('SIGKILL');
      void cleanup().finally(() => process.exit(1));
    });
  }
}

/**
 * Starts the hub as `npm start` runs it (NODE_ENV=production, LOG_LEVEL=warn), like
 * test/helpers/process.ts#spawnHub does, but on a port chosen here and ready when /readyz answers
 * 200 (and, with WEB_CONCURRENCY in `env`, every worker serves): spawnHub waits for the info-level
 * "listening" line, which LOG_LEVEL=warn (wanted here: an info line per request would be measured
 * too) never prints.
 */
export async function startHub(databaseUrl: string, env: Record<string, string> = {}): Promise<Hub> {
  const port = await freePort();
  const { child, lines, exit } = spawnNode(START_ARGS, {
    HOST: '127.0.0.1',
    PORT: String(port),
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
    // Benchmarks load one hub from one address as fast as it answers: no rate limits.
    RATE_LIMITS: 'false',
    ...env,
  });
  let exited: number | null | undefined;
  void exit.then((code) => (exited = code));
  const url = `http://127.0.0.1:${port}`;
  const deadline = performance.now() + 60_000;
  for (;;) {
    if (exited !== undefined)
      throw new Error(`the hub exited (${exited}) before it was ready:\n${lines.join('\n')}`);
    if (performance.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the hub was not ready after 60 s:\n${lines.join('\n')}`);
    }
    const ready = await fetch(`${url}/readyz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready && (await allWorkersServe(child.pid ?? 0, port, Number(env.WEB_CONCURRENCY ?? 1)))) {
      return { child, url, lines, exit };
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * With WEB_CONCURRENCY=n > 1, /readyz answers as soon as one worker serves, while the others may
 * still be loading (seconds of CPU that would land in the measurement): true once each of the
 * primary's n children holds one of a few fresh connections (the primary hands them out in turn),
 * read from /proc/net/tcp and the children's file descriptors.
 */
async function allWorkersServe(primary: number, port: number, n: number): Promise<boolean> {
  if (n <= 1) return true;
  const workers = processTree(primary).filter((pid) => pid !== primary);
  const holders = new Set<number>();
  const sockets: net.Socket[] = [];
  try {
    for (let i = 0; i < 3 * n && holders.size < n; i++) {
      const socket = net.connect(port, '127.0.0.1');
      sockets.push(socket);
      await once(socket, 'connect');
      // The worker has the connection once it answers on it.
      socket.write('GET /healthz HTTP/1.1\r\nHost: bench\r\nConnection: keep-alive\r\n\r\n');
      await once(socket, 'data');
      const holder = socketHolder(port, socket.localPort ?? 0, workers);
      if (holder !== null) holders.add(holder);
    }
  } finally {
    for (const socket of sockets) socket.destroy();
  }
  return holders.size >= n;
}

/** Which of `pids` holds the server end of the connection 127.0.0.1:clientPort → serverPort. */
function socketHolder(serverPort: number, clientPort: number, pids: number[]): number | null {
  const hex = (p: number) => `:${p.toString(16).toUpperCase().padStart(4, '0')}`;
  let inode: string | undefined;
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const row of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const f = row.trim().split(/\s+/);
      if (f[1]?.endsWith(hex(serverPort)) && f[2]?.endsWith(hex(clientPort))) inode = f[9];
    }
  }
  if (!inode) return null;
  for (const pid of pids) {
    let fds: string[] = [];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        if (readlinkSync(`/proc/${pid}/fd/${fd}`) === `socket:[${inode}]`) return pid;
      } catch {
        // closed meanwhile
      }
    }
  }
  return null;
}

/**
 * Starts a small server script (e.g. bench/floor-server.ts) with the hub's node flags (those of
 * `npm start`), ready when it prints `listening <port>`; stopped with stopHub.
 */
export async function startScript(script: string, env: Record<string, string> = {}): Promise<Hub> {
  const { child, lines, exit, onLine } = spawnNode([...START_ARGS.slice(0, -1), script], {
    NODE_ENV: 'production',
    PORT: '0',
    ...env,
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} was not ready after 60 s:\n${lines.join('\n')}`));
    }, 60_000);
    onLine((l) => {
      const m = /^listening (\d+)$/.exec(l);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    void exit.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited (${code}) before it was ready:\n${lines.join('\n')}`));
    });
  });
  return { child, url: `http://127.0.0.1:${port}`, lines, exit };
}

/**
 * Node with `args` and the environment plus `env`, both pipes drained into `lines` (a process whose
 * pipe fills up blocks on its writes); `exit` settles once it has exited (a failed spawn settles it
 * with null, its error in `lines`). Killed when this process ends.
 */
function spawnNode(
  args: string[],
  env: Record<string, string>,
): Pick<Hub, 'child' | 'lines' | 'exit'> & { onLine: (fn: (line: string) => void) => void } {
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const lines: string[] = [];
  const listeners: ((line: string) => void)[] = [];
  const onLine = (l: string) => {
    lines.push(l);
    for (const fn of listeners) fn(l);
  };
  readline.createInterface({ input: child.stdout }).on('line', onLine);
  readline.createInterface({ input: child.stderr }).on('line', onLine);
  const exit = new Promise<number | null>((resolve) => {
    // 'exit', not 'close': a hub's cluster workers hold its pipes and may outlive it a moment.
    child.once('exit', (code) => resolve(code));
    child.once('error', (err) => {
      lines.push(String(err));
      resolve(null);
    });
  }).finally(() => running.delete(child));
  return { child, lines, exit, onLine: (fn) => listeners.push(fn) };
}

export async function stopHub(hub: Hub): Promise<void> {
  hub.child.kill('SIGTERM');
  await hub.exit;
}

/** No backend has this application_name: the floors' PostgreSQL CPU is nothing by construction. */
export const FLOOR_APP = 'maillage-bench-floor';

/**
 * Runs `fn` against bench/floor-server.ts in `mode` (`http`, `apollo`, `apollo-jit`) for the read
 * `shape` (`lookup`, `inbox`), answering from the hub's answers' texts in `answers`.
 */
export async function withFloor<T>(
  mode: 'http' | 'apollo' | 'apollo-jit',
  shape: 'lookup' | 'inbox',
  answers: Record<string, string>,
  fn: (floor: Hub) => Promise<T>,
): Promise<T> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'maillage-floor-'));
  try {
    const file = path.join(dir, 'answers.json');
    writeFileSync(file, JSON.stringify(answers));
    const server = await startScript('bench/floor-server.ts', { FLOOR: mode, SHAPE: shape, ANSWERS: file });
    try {
      return await fn(server);
    } finally {
      await stopHub(server);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// HTTP
// ---------------------------------------------------------------------------------------------

/** At most this many keep-alive connections, one per concurrent worker, as a load generator holds them. */
export const MAX_CONNECTIONS = 20;

/**
 * Extra warm-up, in seconds, before the first measured load of a freshly started hub. For its
 * first seconds under load a hub also compiles (V8 optimises the hot paths on its own threads,
 * whose CPU the process's figure includes). With the usual 3 s alone, bench/catalogue's search
 * (the first load) read 0.5 to 1.4 ms more hub CPU per request on one commit than on the one
 * before in three pairs, whichever ran first; with 15 s it read 0.3 ms less (docs/NOTES.md, 6 Dec).
 */
export const COLD_HUB_WARMUP_S = 10;

export const agent = new http.Agent({ keepAlive: true, maxSockets: MAX_CONNECTIONS });

/** POST /graphql with a JSON body (and a bearer token); the answer's status and text. */
export function postGraphQL(
  base: URL,
  body: Buffer,
  token?: string,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: base.hostname,
        port: base.port,
        path: '/graphql',
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json, application/json',
          'content-length': body.length,
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error('no answer in 30 s')));
    req.on('error', reject);
    req.end(body);
  });
}

// ---------------------------------------------------------------------------------------------
// Load
// ---------------------------------------------------------------------------------------------

export interface LoadResult {
  requests: number;
  errors: number;
  firstError: string | null;
  seconds: number;
  /** Latencies of successful requests, ms, sorted. */
  latencies: number[];
}

/** A load's answers as they come (a latency, or a failure), then its result. */
export function tally(start: number) {
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | null = null;
  return {
    answered: (ms: number) => void latencies.push(ms),
    failed: (err: unknown) => {
      errors++;
      firstError ??= (err as Error).message;
    },
    result: (): LoadResult => {
      latencies.sort((a, b) => a - b);
      return {
        requests: latencies.length + errors,
        errors,
        firstError,
        seconds: (performance.now() - start) / 1000,
        latencies,
      };
    },
  };
}

/**
 * A closed loop: `concurrency` workers each send a request as soon as their previous one answered,
 * until `seconds` are over. `op` gets the request's number across all workers and the worker's
 * number (0 … concurrency - 1), for workers that keep state of their own.
 */
export async function load(
  seconds: number,
  concurrency: number,
  op: (i: number, worker: number) => Promise<unknown>,
): Promise<LoadResult> {
  let next = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  const answers = tally(start);
  const worker = async (w: number) => {
    while (performance.now() < end) {
      const i = next++;
      const t0 = performance.now();
      try {
        await op(i, w);
        answers.answered(performance.now() - t0);
      } catch (err) {
        answers.failed(err);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
  return answers.result();
}

/**
 * An open loop: requests are due at a fixed rate, `ratePerS`, whether or not the ones before have
 * answered, as people arrive at a service; at most `concurrency` are in flight (a request due when
 * every slot is busy waits for the first free one). A request's latency counts from the moment it
 * was due, not from when it was sent, so a stall shows in the latencies of every request it held
 * back (no "coordinated omission"). A closed loop measures the saturated queue, where latency is
 * concurrency / throughput; this measures a request's time at a load below saturation. `op` gets
 * the request's number and its slot (0 … concurrency - 1), which no other request holds meanwhile.
 */
export async function loadAtRate(
  seconds: number,
  ratePerS: number,
  concurrency: number,
  op: (i: number, slot: number) => Promise<unknown>,
): Promise<LoadResult> {
  /** Free slots, taken in turn (first in, first out), so that a load below saturation visits every client. */
  const free = Array.from({ length: concurrency }, (_, s) => s);
  /** Requests due while every slot was busy, oldest first. */
  const waiting: { i: number; dueAt: number }[] = [];
  let due = 0;
  let inFlight = 0;
  const start = performance.now();
  const total = Math.max(1, Math.floor(seconds * ratePerS));
  const answers = tally(start);
  let settle!: () => void;
  const settled = new Promise<void>((resolve) => (settle = resolve));
  const send = (i: number, dueAt: number, slot: number) => {
    inFlight++;
    // An op that throws at once counts as a failed request, as in `load`.
    Promise.resolve()
      .then(() => op(i, slot))
      .then(() => answers.answered(performance.now() - dueAt), answers.failed)
      .finally(() => {
        inFlight--;
        const next = waiting.shift();
        if (next !== undefined) send(next.i, next.dueAt, slot);
        else free.push(slot);
        if (due === total && inFlight === 0 && waiting.length === 0) settle();
      });
  };
  const tick = () => {
    const now = performance.now();
    while (due < total && start + (due * 1000) / ratePerS <= now) {
      const dueAt = start + (due * 1000) / ratePerS;
      const slot = free.shift();
      if (slot === undefined) waiting.push({ i: due, dueAt });
      else send(due, dueAt, slot);
      due++;
    }
    if (due < total) setTimeout(tick, Math.max(0, start + (due * 1000) / ratePerS - performance.now()));
    else if (inFlight === 0 && waiting.length === 0) settle();
  };
  tick();
  await settled;
  return answers.result();
}

/** What a hub's Node process did meanwhile, read from its `/metrics` (prom-client's defaults). */
export interface RuntimeReading {
  /** Garbage collection by kind (minor, major, incremental, weakcb): pauses and their total. */
  gc: Map<string, { count: number; ms: number }>;
  /**
   * The event loop's timer intervals since the reading before (prom-client samples them with a
   * 10 ms timer and resets them at each scrape): 10 ms on an idle loop, more when work held it.
   */
  loopDelay: { p99Ms: number; maxMs: number };
}

/** The hub's runtime reading now; the hub runs with METRICS_TOKEN = `token`. */
export async function readRuntime(hubUrl: string, token: string): Promise<RuntimeReading> {
  const res = await fetch(`${hubUrl}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`/metrics answered ${res.status}`);
  const text = await res.text();
  const gc = new Map<string, { count: number; ms: number }>();
  for (const [, part, kind, value] of text.matchAll(
    /^nodejs_gc_duration_seconds_(sum|count)\{kind="(\w+)"\} ([\d.e+-]+)$/gm,
  )) {
    const entry = gc.get(kind!) ?? { count: 0, ms: 0 };
    if (part === 'sum') entry.ms = Number(value) * 1000;
    else entry.count = Number(value);
    gc.set(kind!, entry);
  }
  const gauge = (name: string) => Number(new RegExp(`^${name} ([\\d.e+-]+)$`, 'm').exec(text)?.[1] ?? NaN);
  return {
    gc,
    loopDelay: {
      p99Ms: gauge('nodejs_eventloop_lag_p99_seconds') * 1000,
      maxMs: gauge('nodejs_eventloop_lag_max_seconds') * 1000,
    },
  };
}

/** `minor 40 (80.0 ms), major 1 (12.0 ms)…` between two readings, and the event loop's timer in the second. */
export function runtimeDelta(before: RuntimeReading, after: RuntimeReading): string {
  const gc = [...after.gc]
    .map(([kind, a]) => {
      const b = before.gc.get(kind) ?? { count: 0, ms: 0 };
      return `${kind} ${a.count - b.count} (${(a.ms - b.ms).toFixed(1)} ms)`;
    })
    .join(', ');
  return `garbage collection ${gc}; event loop's 10 ms timer p99 ${after.loopDelay.p99Ms.toFixed(1)} ms, max ${after.loopDelay.maxMs.toFixed(1)} ms`;
}

/** The p-th percentile of sorted values (100 = the maximum). */
export const percentile = (sorted: number[], p: number) =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
export const throughput = (r: LoadResult) => (r.requests - r.errors) / r.seconds;

/** `label: N req/s   p50 … ms   p99 … ms   errors N   (N requests in S s)`; 100 prints as max. */
export function figures(label: string, r: LoadResult, percentiles: number[] = [50, 99]): string {
  const ps = percentiles
    .map((p) => `${p === 100 ? 'max' : `p${p}`} ${percentile(r.latencies, p).toFixed(1)} ms`)
    .join('   ');
  return `  ${label}: ${throughput(r).toFixed(1)} req/s   ${ps}   errors ${r.errors}   (${r.requests} requests in ${r.seconds.toFixed(1)} s)`;
}

// ---------------------------------------------------------------------------------------------
// CPU per request: on a shared machine throughput moves with the neighbours' load, CPU time spent
// per request much less. Read from /proc (Linux), for the hub, its PostgreSQL backends and us.
// ---------------------------------------------------------------------------------------------

/** User + system CPU seconds of a process so far (0 once it is gone). */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in USER_HZ (100 on Linux)
  } catch {
    return 0;
  }
}

/**
 * A process and its descendants (a hub with WEB_CONCURRENCY > 1: the cluster primary and its
 * workers), from /proc/<pid>/task/<tid>/children. Just `pid` where that file does not exist.
 */
export function processTree(pid: number): number[] {
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) {
    const dir = `/proc/${tree[i]}/task`;
    let tasks: string[];
    try {
      tasks = readdirSync(dir);
    } catch {
      continue; // gone
    }
    for (const tid of tasks) {
      try {
        const children = readFileSync(`${dir}/${tid}/children`, 'utf8').trim();
        if (children) tree.push(...children.split(' ').map(Number));
      } catch {
        // the thread or the process ended meanwhile
      }
    }
  }
  return tree;
}

/** CPU seconds of each process of `pid`'s tree so far. */
function treeCpu(pid: number): Map<number, number> {
  return new Map(processTree(pid).map((p) => [p, cpuSeconds(p)]));
}

/** PostgreSQL backends serving `applicationName` on the database. */
export async function backendPids(db: BenchDatabase, applicationName: string): Promise<number[]> {
  return db.withClient(async (client) =>
    (
      await client.query<{ pid: number }>(
        'SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name = $2',
        [db.name, applicationName],
      )
    ).rows.map((r) => r.pid),
  );
}

/**
 * A process's resident set size in KiB (VmRSS; VmHWM is its peak so far), read from
 * /proc/<pid>/status: the server's own memory, never the load generator's. 0 once it is gone.
 */
export function residentKiB(pid: number, field: 'VmRSS' | 'VmHWM' = 'VmRSS'): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** Resident memory (VmRSS) of `pid` and its descendants, in KiB. */
export function treeResidentKiB(pid: number): number {
  return processTree(pid).reduce((sum, p) => sum + residentKiB(p), 0);
}

export interface CpuUse {
  /** CPU ms per successful request. */
  server: number | null;
  database: number;
  client: number;
}

/**
 * Runs `fn` and returns the CPU it cost per request in the server process (if any) and its
 * descendants (a cluster's workers; those started meanwhile count from zero, those that ended
 * meanwhile are lost), in the PostgreSQL backends of `applicationName` (likewise) and here.
 */
export async function measureCpu<T extends LoadResult>(
  db: BenchDatabase,
  serverPid: number | null,
  applicationName: string,
  fn: () => Promise<T>,
): Promise<{ result: T; cpu: CpuUse }> {
  const before = new Map((await backendPids(db, applicationName)).map((pid) => [pid, cpuSeconds(pid)]));
  const server0 = serverPid === null ? new Map<number, number>() : treeCpu(serverPid);
  const client0 = process.cpuUsage();
  const result = await fn();
  const client = process.cpuUsage(client0);
  const server1 = serverPid === null ? null : treeCpu(serverPid);
  const server =
    server1 === null
      ? null
      : [...server1].reduce((sum, [pid, cpu]) => sum + cpu - (server0.get(pid) ?? 0), 0);
  let database = 0;
  for (const pid of new Set([...before.keys(), ...(await backendPids(db, applicationName))])) {
    database += cpuSeconds(pid) - (before.get(pid) ?? 0);
  }
  const n = Math.max(1, result.requests - result.errors);
  return {
    result,
    cpu: {
      server: server === null ? null : (1000 * server) / n,
      database: (1000 * database) / n,
      client: (client.user + client.system) / 1000 / n,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// SQL statements per request: a proxy that reads the PostgreSQL wire protocol
// ---------------------------------------------------------------------------------------------

/** A statement as the hub sent it: its SQL and, for the extended protocol, its text parameters. */
export interface Statement {
  sql: string;
  params: (string | null)[];
}

export interface StatementCounter {
  port: number;
  /** Starts recording statements (each Bind of a parsed statement, named or not, and each simple Query) from every connection. */
  record(): void;
  /** Stops recording and returns the statements seen since record(). */
  take(): Statement[];
  close(): Promise<void>;
}

/** Bind: portal, statement, parameter format codes, then each parameter (int32 length, bytes). */
function bindParameters(body: Buffer): (string | null)[] {
  let at = body.indexOf(0) + 1;
  at = body.indexOf(0, at) + 1;
  const formats = body.readInt16BE(at);
  at += 2 + 2 * formats;
  const count = body.readInt16BE(at);
  at += 2;
  const params: (string | null)[] = [];
  for (let i = 0; i < count; i++) {
    const length = body.readInt32BE(at);
    at += 4;
    if (length < 0) {
      params.push(null);
    } else {
      params.push(body.subarray(at, at + length).toString('utf8'));
      at += length;
    }
  }
  return params;
}

/**
 * Records what the hub really sends (pg_stat_statements is not available, and pg_stat_database
 * flushes its counters up to 10 s late). Only a short-lived second hub goes through it, so the
 * proxy costs the measured hub nothing.
 */
export async function startStatementCounter(
  target: { host: string; port: number } | { path: string },
): Promise<StatementCounter> {
  let recording = false;
  let seen: Statement[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    let buffer = Buffer.alloc(0);
    let startup = true; // the first message (and an SSLRequest before it) has no type byte
    // This connection's parsed statements by name ('' the unnamed one): a prepared statement is
    // parsed once per connection and bound at each execution, so executions are counted by Bind.
    const parsed = new Map<string, string>();
    client.on('data', (chunk: Buffer) => {
      upstream.write(chunk);
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        if (startup) {
          if (buffer.length < 8) break;
          const length = buffer.readInt32BE(0);
          if (buffer.length < length) break;
          const code = buffer.readInt32BE(4);
          startup = code === 80877103 || code === 80877104; // SSLRequest, GSSENCRequest: startup follows
          buffer = buffer.subarray(length);
          continue;
        }
        if (buffer.length < 5) break;
        const length = buffer.readInt32BE(1);
        if (buffer.length < 1 + length) break;
        const type = String.fromCharCode(buffer[0]!);
        const body = buffer.subarray(5, 1 + length);
        const cString = (at: number) => body.subarray(at, body.indexOf(0, at)).toString('utf8');
        if (type === 'P') {
          // Parse: statement name, then the query.
          const name = cString(0);
          parsed.set(name, cString(body.indexOf(0) + 1));
        } else if (recording && type === 'Q') {
          seen.push({ sql: cString(0), params: [] });
        } else if (recording && type === 'B') {
          // Bind: portal name, then statement name.
          const statement = cString(body.indexOf(0) + 1);
          seen.push({
            sql: parsed.get(statement) ?? `(statement ${statement})`,
            params: bindParameters(body),
          });
        }
        buffer = buffer.subarray(1 + length);
      }
    });
    upstream.pipe(client);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as net.AddressInfo).port,
    record() {
      seen = [];
      recording = true;
    },
    take() {
      recording = false;
      return seen;
    },
    async close() {
      for (const s of sockets) s.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}

/**
 * Runs `fn` with a second, short-lived hub that reaches the database through a statement counter.
 * `fn` records (counter.record / take) around the requests it wants counted.
 */
export async function withCountingHub<T>(
  databaseUrl: string,
  fn: (base: URL, counter: StatementCounter) => Promise<T>,
  env: Record<string, string> = {},
): Promise<T> {
  const pgUrl = new URL(databaseUrl);
  const port = Number(pgUrl.port || 5432);
  // A Unix socket's directory (`?host=/var/run/postgresql`): the counter listens on TCP and
  // forwards to the socket.
  const socketDir = pgUrl.searchParams.get('host');
  const counter = await startStatementCounter(
    socketDir?.startsWith('/') ? { path: `${socketDir}/.s.PGSQL.${port}` } : { host: pgUrl.hostname, port },
  );
  try {
    pgUrl.searchParams.delete('host');
    pgUrl.hostname = '127.0.0.1';
    pgUrl.port = String(counter.port);
    // Background work (webhook fan-out, the outbox safety-net poll) would land in the counts of
    // whatever request runs beside it: off here. A mutation still counts its own outbox read.
    const hub = await startHub(pgUrl.toString(), {
      WEBHOOK_WORKER: 'false',
      OUTBOX_POLL_MS: '60000',
      ...env,
    });
    try {
      return await fn(new URL(hub.url), counter);
    } finally {
      await stopHub(hub);
    }
  } finally {
    await counter.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Printing
// ---------------------------------------------------------------------------------------------

export const out = (line = '') => console.log(line);

export const oneLine = (sql: string, max = 150) => {
  const flat = sql.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
};

/** Median, min and max of counts. */
export function spread(values: number[]): { median: number; min: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    median: sorted[Math.floor(sorted.length / 2)] ?? NaN,
    min: sorted[0] ?? NaN,
    max: sorted[sorted.length - 1] ?? NaN,
  };
}

// ---------------------------------------------------------------------------------------------
// Looking inside the hub: the V8 inspector of a hub started with `--inspect=127.0.0.1:0` (in
// NODE_OPTIONS), for a CPU profile of one phase, a forced garbage collection before reading its
// memory, and a sampling heap profile of what stays allocated.
// ---------------------------------------------------------------------------------------------

export interface Inspector {
  send<T = unknown>(method: string, params?: Record<string, unknown>): Promise<T>;
  close(): Promise<void>;
}

/** Connects to the inspector a hub announced on its stderr ("Debugger listening on ws://…"). */
export async function inspectHub(hub: Hub): Promise<Inspector> {
  const deadline = performance.now() + 10_000;
  let url: string | undefined;
  while (!(url = hub.lines.map((l) => /Debugger listening on (ws:\/\/\S+)/.exec(l)?.[1]).find(Boolean))) {
    if (performance.now() > deadline)
      throw new Error('the hub announced no inspector (NODE_OPTIONS=--inspect…?)');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const ws = new WebSocket(url, { perMessageDeflate: false, maxPayload: 2 ** 31 - 1 });
  await once(ws, 'open');
  let next = 0;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  ws.on('message', (data: Buffer) => {
    const msg = JSON.parse(data.toString('utf8')) as {
      id?: number;
      result?: unknown;
      error?: { message: string };
    };
    const p = msg.id === undefined ? undefined : pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id!);
    if (msg.error) p.reject(new Error(msg.error.message));
    else p.resolve(msg.result);
  });
  return {
    send<T>(method: string, params: Record<string, unknown> = {}) {
      const id = ++next;
      ws.send(JSON.stringify({ id, method, params }));
      return new Promise<T>((resolve, reject) =>
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject }),
      );
    },
    async close() {
      ws.close();
      await once(ws, 'close');
    },
  };
}

/** `NODE_OPTIONS` of a hub whose inspector is open (`inspectHub`) on a free port. */
export const inspectOptions = () => `${process.env.NODE_OPTIONS ?? ''} --inspect=127.0.0.1:0`.trim();

/**
 * A CPU profile of the hub (sampled every 0.5 ms) while `work` runs, and where it allocated
 * (a sampling heap profile that keeps the objects collected meanwhile).
 */
export async function profiled<T>(
  inspector: Inspector,
  work: () => Promise<T>,
): Promise<{ result: T; profile: CpuProfile; heap: HeapProfile }> {
  await inspector.send('Profiler.enable');
  await inspector.send('Profiler.setSamplingInterval', { interval: 500 });
  await inspector.send('Profiler.start');
  await inspector.send('HeapProfiler.startSampling', {
    samplingInterval: 16384,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  const result = await work();
  const { profile } = await inspector.send<{ profile: CpuProfile }>('Profiler.stop');
  const heap = (await inspector.send<{ profile: HeapProfile }>('HeapProfiler.getSamplingProfile')).profile;
  await inspector.send('HeapProfiler.stopSampling');
  return { result, profile, heap };
}

/** Saves a profile as `dir/file` and prints where the time or memory went. */
export function profileLines(label: string, b: Breakdown, dir: string, file: string, profile: unknown): void {
  mkdirSync(dir, { recursive: true });
  const to = path.join(dir, file);
  writeFileSync(to, JSON.stringify(profile));
  const top = (list: [string, number][], n: number) =>
    list
      .slice(0, n)
      .map(([what, share]) => `${what} ${(100 * share).toFixed(1)} %`)
      .join(', ');
  out(`  ${label} (${to}):`);
  out(`    by owner: ${top(b.byOwner, 10)}`);
  out(`    by function: ${top(b.byFunction, 12)}`);
}

/** Lines the inspector itself prints on stderr (not the hub's complaints). */
export const isInspectorLine = (line: string) =>
  /^(Debugger listening on|Debugger attached|For help, see: https:\/\/nodejs\.org)/.test(line);

export interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  selfSize?: number;
  children?: (number | ProfileNode)[];
}

/** Where code lives: a package, a source file of the hub, node itself, or V8's own categories. */
export function codeOwner(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : `(native) ${functionName}`;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) return pkg;
  if (url.startsWith('node:')) return url.replace(/^node:(internal\/)?/, 'node:').split('/')[0]!;
  const src = /\/(src|bench|clients)\/(.*)$/.exec(url);
  return src ? `${src[1]}/${src[2]}` : url;
}

export interface Breakdown {
  total: number;
  /** [what, share of the total (0…1)], largest first. */
  byOwner: [string, number][];
  byFunction: [string, number][];
}

function breakdown(entries: { owner: string; fn: string; value: number }[]): Breakdown {
  const total = entries.reduce((a, e) => a + e.value, 0);
  const sum = (key: (e: (typeof entries)[number]) => string) => {
    const m = new Map<string, number>();
    for (const e of entries) m.set(key(e), (m.get(key(e)) ?? 0) + e.value);
    return [...m].map(([k, v]): [string, number] => [k, total ? v / total : 0]).sort((a, b) => b[1] - a[1]);
  };
  return { total, byOwner: sum((e) => e.owner), byFunction: sum((e) => `${e.fn} (${e.owner})`) };
}

const frameName = (f: ProfileNode['callFrame']) =>
  `${f.functionName || '(anonymous)'}${f.url ? `:${f.lineNumber + 1}` : ''}`;

/** What Profiler.stop returns as `profile` (a .cpuprofile file). */
export interface CpuProfile {
  nodes: ProfileNode[];
}
/** What HeapProfiler.getSamplingProfile returns as `profile` (a .heapprofile file). */
export interface HeapProfile {
  head: ProfileNode;
}

/** Self time of a CPU profile by owner and by function, idle time left out. */
export function cpuBreakdown(profile: CpuProfile): Breakdown {
  return breakdown(
    profile.nodes
      .filter((n) => n.callFrame.functionName !== '(idle)')
      .map((n) => ({
        owner: codeOwner(n.callFrame.url, n.callFrame.functionName),
        fn: frameName(n.callFrame),
        value: n.hitCount ?? 0,
      })),
  );
}

/** Live bytes of a sampling heap profile by allocation site. */
export function heapBreakdown(profile: HeapProfile): Breakdown {
  const entries: { owner: string; fn: string; value: number }[] = [];
  const walk = (n: ProfileNode) => {
    entries.push({
      owner: codeOwner(n.callFrame.url, n.callFrame.functionName),
      fn: frameName(n.callFrame),
      value: n.selfSize ?? 0,
    });
    for (const c of n.children ?? []) if (typeof c !== 'number') walk(c);
  };
  walk(profile.head);
  return breakdown(entries);
}

/**
 * bench/referrals' and bench/network's referrals along the status machine: from `bench_ref_pick`
 * (one row per referral with its age and random draws rs, rv), each one's status path (the
 * statuses it went through, in order), its status and its number of events ($1: events per
 * referral on average), as the temporary table `bench_ref`.
 */
export const REFERRAL_PATHS_SQL = `CREATE TEMP TABLE bench_ref ON COMMIT DROP AS
     SELECT q.*,
       q.p + floor(random() * (2 * greatest($1::numeric - avg(q.p) OVER (), 0) + 1))::int AS n_events
     FROM (
       SELECT r.*, cardinality(path) AS p, path[cardinality(path)] AS status
       FROM (
         SELECT b.*, CASE
           WHEN st = 'DRAFT' THEN '{DRAFT}'
           WHEN st = 'SENT' THEN '{DRAFT,SENT}'
           WHEN st = 'RECEIVED' THEN '{DRAFT,SENT,RECEIVED}'
           WHEN st = 'ACCEPTED' AND b.rv < 0.5 THEN '{DRAFT,SENT,ACCEPTED}'
           WHEN st = 'ACCEPTED' THEN '{DRAFT,SENT,RECEIVED,ACCEPTED}'
           WHEN st = 'DECLINED' AND b.rv < 0.6 THEN '{DRAFT,SENT,DECLINED}'
           WHEN st = 'DECLINED' THEN '{DRAFT,SENT,RECEIVED,DECLINED}'
           WHEN st = 'IN_PROGRESS' AND b.rv < 0.2 THEN '{DRAFT,SENT,RECEIVED,ACCEPTED,IN_PROGRESS,ON_HOLD,IN_PROGRESS}'
           WHEN st = 'IN_PROGRESS' THEN '{DRAFT,SENT,RECEIVED,ACCEPTED,IN_PROGRESS}'
           WHEN st = 'ON_HOLD' THEN '{DRAFT,SENT,RECEIVED,ACCEPTED,IN_PROGRESS,ON_HOLD}'
           WHEN st = 'COMPLETED' AND b.rv < 0.15 THEN '{DRAFT,SENT,ACCEPTED,IN_PROGRESS,ON_HOLD,IN_PROGRESS,COMPLETED}'
           WHEN st = 'COMPLETED' THEN '{DRAFT,SENT,RECEIVED,ACCEPTED,IN_PROGRESS,COMPLETED}'
           WHEN st = 'CANCELLED' AND b.rv < 0.5 THEN '{DRAFT,SENT,CANCELLED}'
           ELSE '{DRAFT,SENT,RECEIVED,ACCEPTED,IN_PROGRESS,CANCELLED}'
         END::text[] AS path
         FROM (
           SELECT b.*, CASE WHEN b.age < interval '21 days' THEN
               CASE WHEN b.rs < 0.04 THEN 'DRAFT' WHEN b.rs < 0.30 THEN 'SENT' WHEN b.rs < 0.45 THEN 'RECEIVED'
                    WHEN b.rs < 0.58 THEN 'ACCEPTED' WHEN b.rs < 0.80 THEN 'IN_PROGRESS'
                    WHEN b.rs < 0.92 THEN 'DECLINED' ELSE 'CANCELLED' END
             ELSE
               CASE WHEN b.rs < 0.01 THEN 'DRAFT' WHEN b.rs < 0.03 THEN 'SENT' WHEN b.rs < 0.05 THEN 'RECEIVED'
                    WHEN b.rs < 0.08 THEN 'ACCEPTED' WHEN b.rs < 0.25 THEN 'IN_PROGRESS' WHEN b.rs < 0.29 THEN 'ON_HOLD'
                    WHEN b.rs < 0.70 THEN 'COMPLETED' WHEN b.rs < 0.88 THEN 'DECLINED' ELSE 'CANCELLED' END
             END AS st
           FROM bench_ref_pick b
         ) b
       ) r
     ) q`;
