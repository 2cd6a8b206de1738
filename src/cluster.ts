/**
 * WEB_CONCURRENCY > 1: `npm start` becomes a node:cluster primary and that many workers.
 *
 * The primary does what must happen once (src/main.ts: port check, the database — the embedded
 * one belongs to one process —, migrations, demo data), then forks the workers and serves nothing
 * itself: each worker opens the database and runs the hub on the same port, whose listening socket
 * the primary holds and hands connections out from, in turn (round robin, Node's default but on
 * Windows).
 * Everything a hub process runs is safe to run N times on one database (README, several
 * processes): each tails the outbox, webhook deliveries are claimed with row locks, and
 * retention is a command run from cron, not a timer in the hub.
 *
 * The primary watches its workers: one that dies is forked again after a pause that doubles with
 * each death in a row (0.5 s up to 30 s); one that cannot even start, three times in a row, stops
 * everything with exit code 1. SIGTERM/SIGINT to the primary is passed on to every worker, which
 * drains as a single hub does (within SHUTDOWN_TIMEOUT_MS); once they have all gone the primary
 * releases the embedded database and exits, 0 when every worker drained in time. A primary killed
 * outright takes its workers with it: Node's cluster makes a worker exit when its primary goes.
 *
 * /metrics answers for the whole group: the worker that gets the scrape asks the primary, which
 * gathers every worker's figures with prom-client's AggregatorRegistry (counters and histograms
 * summed, gauges as each one says: `aggregator` in src/shared/metrics.ts).
 */
import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry, type Registry } from 'prom-client';
import type { Config } from './shared/config.ts';
import type { ResolvedDatabase } from './shared/db/resolve.ts';
import type { Logger } from './shared/logger.ts';

/**
 * What a worker tells the primary: its hub serves, it has drained and is exiting, or it needs
 * every worker's metrics for a scrape.
 */
type WorkerMessage =
  | { type: 'maillage:serving'; url: string }
  | { type: 'maillage:stopped' }
  | { type: 'maillage:metrics'; id: number };
/** The primary's answer to `maillage:metrics`: the text exposition, or why there is none. */
type MetricsAnswer = { type: 'maillage:metrics'; id: number; text?: string; error?: string };

/** How long a worker waits for the primary's gathered metrics (prom-client waits 5 s per worker). */
const METRICS_WAIT_MS = 10_000;

/** A worker that dies this many times in a row before it serves stops the primary (exit 1). */
const START_ATTEMPTS = 3;
/** Pause before forking a dead worker again: doubled per death in a row, capped. */
const RESTART_DELAY_MS = 500;
const RESTART_DELAY_MAX_MS = 30_000;
/** A worker that served this long before dying starts its slot's count of deaths afresh. */
const STABLE_MS = 60_000;
/** Slack past SHUTDOWN_TIMEOUT_MS for workers to exit by themselves before they are killed. */
const EXIT_SLACK_MS = 1_000;

/** Which process a log line comes from, when there are several. */
export function processLabel(): Record<string, unknown> {
  return cluster.isWorker
    ? { worker: cluster.worker?.id, pid: process.pid }
    : { role: 'primary', pid: process.pid };
}

/** True in any node:cluster worker (main.ts also requires WEB_CONCURRENCY > 1: pm2 forks its own). */
export const isWorker = cluster.isWorker;

/** In a worker: tells the primary the hub serves on `url`. */
export function reportServing(url: string): void {
  const message: WorkerMessage = { type: 'maillage:serving', url };
  process.send?.(message);
}

/**
 * In a worker: tells the primary it has drained, then runs `exit`. Exiting can take seconds on a
 * loaded machine (V8 finishing its background tasks): the primary may kill a worker that is that
 * slow, and counts it as drained.
 */
export function reportStopped(exit: () => void): void {
  const message: WorkerMessage = { type: 'maillage:stopped' };
  // The callback runs once the message is out, or could not go (the primary has gone).
  if (process.send) process.send(message, undefined, {}, () => exit());
  else exit();
}

/**
 * In a worker, as early as possible: answers the primary's requests for this process's metrics
 * (an empty list until `shareMetrics` names the hub's registry), so that a scrape during a
 * worker's start-up does not wait for it in vain.
 */
export function answerMetricRequests(): void {
  // prom-client's worker side listens once an AggregatorRegistry exists in the process.
  new AggregatorRegistry();
}

/**
 * In a worker: this hub's `registry` is what it answers the primary with, and the returned
 * function scrapes the whole group (through the primary).
 */
export function shareMetrics(registry: Registry): () => Promise<string> {
  AggregatorRegistry.setRegistries(registry);
  answerMetricRequests();
  let next = 0;
  return () =>
    new Promise<string>((resolve, reject) => {
      const id = ++next;
      const onMessage = (message: MetricsAnswer | undefined) => {
        if (message?.type !== 'maillage:metrics' || message.id !== id) return;
        finish();
        if (message.text !== undefined) resolve(message.text);
        else reject(new Error(`the workers' metrics could not be gathered: ${message.error}`));
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`the primary gathered no metrics within ${METRICS_WAIT_MS} ms`));
      }, METRICS_WAIT_MS);
      const finish = () => {
        clearTimeout(timer);
        process.off('message', onMessage);
      };
      process.on('message', onMessage);
      const request: WorkerMessage = { type: 'maillage:metrics', id };
      process.send?.(request);
    });
}

export interface PrimaryOptions {
  config: Config;
  logger: Logger;
  /** The prepared database: workers reach it through DATABASE_URL. */
  database: ResolvedDatabase;
  /** performance.now() when the process started, for the start-up time. */
  started: number;
  /** Installs the primary's SIGTERM/SIGINT handler in place of main.ts's. */
  setSignalHandler: (handler: (signal: string) => void) => void;
}

/** One of the WEB_CONCURRENCY places a worker fills; a worker forked again takes its place. */
interface Slot {
  worker: Worker | null;
  /** Deaths in a row (reset once a worker served STABLE_MS). */
  deaths: number;
  /** Deaths in a row before serving. */
  startFailures: number;
  servingSince: number | null;
  /** The worker said it drained (SIGTERM). */
  drained: boolean;
}

/** Forks WEB_CONCURRENCY workers and supervises them until a signal; never returns. */
export function runPrimary({
  config,
  logger,
  database,
  started,
  setSignalHandler,
}: PrimaryOptions): Promise<never> {
  const count = config.WEB_CONCURRENCY;
  // Workers skip the one-time work: the database is prepared, and migrated.
  const env: Record<string, string> = { DATABASE_URL: database.url, MIGRATE_ON_START: 'false' };
  if (database.directUrl !== database.url) env.DATABASE_DIRECT_URL = database.directUrl;
  const slots: Slot[] = Array.from({ length: count }, () => ({
    worker: null,
    deaths: 0,
    startFailures: 0,
    servingSince: null,
    drained: false,
  }));
  let announced = false;
  let stopping = false;
  const restarts = new Set<NodeJS.Timeout>();
  const aggregator = new AggregatorRegistry();
  const answerMetrics = (worker: Worker, id: number) => {
    const send = (answer: MetricsAnswer) => {
      if (worker.isConnected()) worker.send(answer);
    };
    aggregator.clusterMetrics().then(
      (text) => send({ type: 'maillage:metrics', id, text }),
      (err: unknown) => send({ type: 'maillage:metrics', id, error: (err as Error).message }),
    );
  };

  const fork = (slot: Slot) => {
    const worker = cluster.fork(env);
    slot.worker = worker;
    slot.servingSince = null;
    worker.on('message', (message: WorkerMessage | undefined) => {
      if (message?.type === 'maillage:metrics') return answerMetrics(worker, message.id);
      if (message?.type === 'maillage:stopped') slot.drained = true;
      if (message?.type !== 'maillage:serving') return;
      slot.servingSince = performance.now();
      slot.startFailures = 0;
      if (!announced && slots.every((s) => s.servingSince !== null)) {
        announced = true;
        logger.info(
          {
            url: `${message.url}/graphql`,
            database: database.embedded ? `embedded (${config.dataDir})` : 'postgresql',
            workerPids: slots.map((s) => s.worker?.process.pid),
            startupMs: Math.round(performance.now() - started),
          },
          `Maillage is listening on ${message.url}/graphql (${count} workers)`,
        );
      }
    });
    worker.on('exit', (code, signal) => onExit(slot, worker, code, signal));
  };

  const onExit = (slot: Slot, worker: Worker, code: number | null, signal: string | null) => {
    if (slot.worker === worker) slot.worker = null;
    if (stopping) return;
    const how = signal ?? `code ${code}`;
    const pid = worker.process.pid;
    if (slot.servingSince === null) {
      slot.startFailures++;
      if (slot.startFailures >= START_ATTEMPTS) {
        void giveUp(
          `Its workers exit before they serve (WEB_CONCURRENCY=${count}): worker ${worker.id}, pid ${pid}, exited (${how}), ${START_ATTEMPTS} times in a row; its message above says why.`,
        );
        return;
      }
    } else if (performance.now() - slot.servingSince >= STABLE_MS) {
      slot.deaths = 0;
    }
    const delayMs = Math.min(RESTART_DELAY_MAX_MS, RESTART_DELAY_MS * 2 ** slot.deaths);
    slot.deaths++;
    logger.error(
      { worker: worker.id, workerPid: pid, exit: how, restartInMs: delayMs },
      'worker died: forking another',
    );
    const timer = setTimeout(() => {
      restarts.delete(timer);
      if (!stopping) fork(slot);
    }, delayMs);
    restarts.add(timer);
  };

  /**
   * Sends `signal` to every live worker and resolves once all have exited: true if each exited 0,
   * said it drained (and was then killed for being slow to exit), or had not served yet (one still
   * loading dies of the signal, with nothing to drain).
   */
  const stopWorkers = async (signal: NodeJS.Signals): Promise<boolean> => {
    for (const timer of restarts) clearTimeout(timer);
    const exits = slots.map((slot) => {
      const w = slot.worker;
      if (!w) return Promise.resolve(true);
      const servedBefore = slot.servingSince !== null;
      const clean = (code: number | null) => code === 0 || slot.drained || !servedBefore;
      if (w.process.exitCode !== null || w.process.signalCode !== null) {
        return Promise.resolve(clean(w.process.exitCode));
      }
      return new Promise<boolean>((resolve) => {
        w.once('exit', (code) => resolve(clean(code)));
        w.process.kill(signal);
      });
    });
    return (await Promise.all(exits)).every(Boolean);
  };

  const giveUp = async (reason: string) => {
    stopping = true;
    console.error(`Maillage cannot start. ${reason}`);
    await stopWorkers('SIGKILL');
    await database.release();
    process.exit(1);
  };

  setSignalHandler((signal) => {
    if (stopping) return;
    stopping = true;
    const limitMs = config.SHUTDOWN_TIMEOUT_MS;
    logger.info({ signal, limitMs }, 'draining the workers');
    // Each worker exits by itself at the limit; one that does not is killed a moment later.
    const backstop = setTimeout(() => {
      const late = slots.filter((s) => s.worker);
      logger.warn(
        { limitMs, workers: late.map((s) => s.worker?.id), drained: late.every((s) => s.drained) },
        'a worker did not exit within SHUTDOWN_TIMEOUT_MS: killing it',
      );
      for (const s of late) s.worker?.process.kill('SIGKILL');
    }, limitMs + EXIT_SLACK_MS);
    void stopWorkers('SIGTERM').then(async (clean) => {
      clearTimeout(backstop);
      await database.release();
      logger.info('stopped');
      process.exit(clean ? 0 : 1);
    });
  });

  logger.info({ workers: count }, 'starting the workers');
  for (const slot of slots) fork(slot);
  return new Promise<never>(() => undefined);
}
