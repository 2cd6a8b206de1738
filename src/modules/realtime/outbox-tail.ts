/**
 * Every hub process tails the outbox: it reads rows past the last sequence number it has seen, in
 * order, and hands each to its listeners (the subscriptions of this process, the webhook worker).
 *
 * What wakes it: PostgreSQL NOTIFY on `maillage_outbox` (sent at commit by the outbox triggers, so
 * a change made through any instance, this one included, arrives at once) and a poll every
 * OUTBOX_POLL_MS as a safety net. (A local poke after each mutation, kept from the PGlite days,
 * cost every mutation one more outbox read under load and was dropped in issue 15.) Whatever wakes it, it catches up by sequence number, so a
 * lost notification, a reconnection or a database restart costs latency, never an event.
 */
import pg from 'pg';
import type { Logger } from '../../shared/logger.ts';

export type OutboxType =
  | 'REFERRAL_EVENT'
  | 'OFFER_CHANGED'
  | 'ACCESS_CHANGED'
  | 'GUIDE_ALERT'
  | 'EVENT_CHECK_IN'
  | 'CATALOGUE_CHANGED';

export interface OutboxRow {
  seq: bigint;
  type: OutboxType;
  referralId: string | null;
  offerId: string | null;
  userId: string | null;
  apiClientId: string | null;
  /** Routing: the organisations the row concerns (an offer's; a referral's two sides). */
  organisationIds: string[];
  payload: Record<string, unknown>;
  at: Date;
}

export type OutboxListener = (row: OutboxRow) => void;

/** How far a process's tail is behind the outbox (read by /metrics). */
export interface OutboxLag {
  /** The newest sequence number committed, on the database. */
  written: bigint;
  /** The newest handed to this process's listeners. */
  delivered: bigint;
  /** Age of the oldest committed row not yet handed to listeners; 0 when there is none. */
  seconds: number;
}

const CHANNEL = 'maillage_outbox';
const BATCH = 500;

/**
 * Reads outbox rows after `after` (exclusive) up to `upTo` (inclusive), in order; with
 * `organisationIds`, only the rows routed to one of them (and access changes), as the tail hands
 * live rows to listeners scoped to organisations. Routing only: who may hear of a row is decided by
 * the caller through its domain's rule (referral.access.ts, catalogue.access.ts).
 */
export async function readOutbox(
  pool: pg.Pool,
  after: bigint,
  upTo: bigint | null,
  limit = BATCH,
  organisationIds?: string[],
): Promise<OutboxRow[]> {
  const params: unknown[] = [after.toString(), limit];
  let where = 'seq > $1';
  if (upTo !== null) {
    params.push(upTo.toString());
    where += ` and seq <= $${params.length}`;
  }
  if (organisationIds) {
    params.push(organisationIds);
    where += ` and ("organisationIds" && $${params.length}::uuid[] or type = 'ACCESS_CHANGED')`;
  }
  // Ordered by the bigint column, not by the text of the same name in the select list.
  const { rows } = await pool.query<Omit<OutboxRow, 'seq'> & { seq: string }>(
    `select seq::text, type, "referralId", "offerId", "userId", "apiClientId", "organisationIds",
            payload, at
     from "OutboxEvent" where ${where} order by "OutboxEvent".seq limit $2`,
    params,
  );
  return rows.map((r) => ({ ...r, seq: BigInt(r.seq) }));
}

export class OutboxTail {
  /** The last sequence number handed to listeners. */
  private last = 0n;
  /** Listeners that hear every row (webhook worker, offer subscriptions). */
  private readonly listeners = new Set<OutboxListener>();
  /**
   * Listeners that hear only rows of some organisations (and access changes), indexed so that a
   * row reaches the few subscriptions it concerns, not every one of the process (at 5,000
   * subscribers, filtering each row in every listener cost ~2 µs × 5,000: bench/realtime).
   */
  private readonly byOrganisation = new Map<string, Set<OutboxListener>>();
  private readonly scoped = new Set<OutboxListener>();
  private reading: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private listener: pg.Client | null = null;
  private poll: NodeJS.Timeout | null = null;
  private reconnect: NodeJS.Timeout | null = null;

  constructor(
    private readonly pool: pg.Pool,
    /** The server itself (DATABASE_DIRECT_URL): a transaction pooler cannot hold a LISTEN. */
    private readonly directUrl: string,
    private readonly logger: Logger,
    private readonly pollMs: number,
  ) {}

  /** Starts from the current end of the outbox (subscribers replay older rows themselves). */
  async start(): Promise<void> {
    const { rows } = await this.pool.query<{ value: string }>(
      'select coalesce(max(seq), 0)::text as value from "OutboxEvent"',
    );
    this.last = BigInt(rows[0]?.value ?? '0');
    this.poll = setInterval(() => this.poke(), this.pollMs);
    this.poll.unref();
    await this.listen();
  }

  /** The last sequence number handed to listeners: what a new subscriber replays up to. */
  get position(): bigint {
    return this.last;
  }

  /** Where this tail stands against the outbox: one cheap statement (two primary-key reads). */
  async lag(): Promise<OutboxLag> {
    const delivered = this.last;
    const { rows } = await this.pool.query<{ written: string; seconds: number | null }>(
      `select coalesce((select value from "OutboxSequence" where id = 1), 0)::text as written,
              extract(epoch from clock_timestamp() - (
                select at from "OutboxEvent" where seq > $1 order by seq limit 1))::float8 as seconds`,
      [delivered.toString()],
    );
    const row = rows[0];
    return { written: BigInt(row?.written ?? '0'), delivered, seconds: Math.max(0, row?.seconds ?? 0) };
  }

  /**
   * Registers a listener for every row after `position`, synchronously: a caller that reads
   * `position` and subscribes in the same tick neither misses nor repeats a row.
   */
  subscribe(listener: OutboxListener, only?: { organisationIds: string[] }): () => void {
    if (!only) {
      this.listeners.add(listener);
      return () => this.listeners.delete(listener);
    }
    this.scoped.add(listener);
    for (const id of only.organisationIds) {
      let set = this.byOrganisation.get(id);
      if (!set) this.byOrganisation.set(id, (set = new Set()));
      set.add(listener);
    }
    return () => {
      this.scoped.delete(listener);
      for (const id of only.organisationIds) {
        const set = this.byOrganisation.get(id);
        set?.delete(listener);
        if (set?.size === 0) this.byOrganisation.delete(id);
      }
    };
  }

  /** Who hears this row: everyone unscoped, the scoped listeners of its organisations. */
  private targets(row: OutboxRow): Iterable<OutboxListener> {
    if (row.type === 'ACCESS_CHANGED') return [...this.listeners, ...this.scoped];
    const sets = row.organisationIds.map((id) => this.byOrganisation.get(id)).filter((x) => x !== undefined);
    if (sets.length === 0) return this.listeners;
    const targets = new Set(this.listeners);
    for (const set of sets) for (const listener of set) targets.add(listener);
    return targets;
  }

  /** New rows may be there: read them soon (coalesced with a read in progress). */
  poke(): void {
    if (this.stopped) return;
    if (this.reading) {
      this.again = true;
      return;
    }
    this.reading = this.drain().finally(() => {
      this.reading = null;
      if (this.again) {
        this.again = false;
        this.poke();
      }
    });
  }

  /** Resolves once every row committed before the call has been handed to listeners. */
  async flush(): Promise<void> {
    this.again = true;
    this.poke();
    while (this.reading) await this.reading;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.poll) clearInterval(this.poll);
    if (this.reconnect) clearTimeout(this.reconnect);
    await this.reading;
    await this.listener?.end().catch(() => undefined);
    this.listeners.clear();
    this.scoped.clear();
    this.byOrganisation.clear();
  }

  private async drain(): Promise<void> {
    try {
      for (;;) {
        const rows = await readOutbox(this.pool, this.last, null);
        for (const row of rows) {
          this.last = row.seq;
          for (const listener of this.targets(row)) {
            try {
              listener(row);
            } catch (err) {
              this.logger.error({ err, seq: row.seq.toString() }, 'outbox listener failed');
            }
          }
        }
        if (rows.length < BATCH || this.stopped) return;
      }
    } catch (err) {
      // The database is away: the next poke or poll catches up.
      this.logger.warn({ err: (err as Error).message }, 'outbox read failed; will retry');
    }
  }

  /** A dedicated connection for LISTEN; reconnects (and catches up) when it drops. */
  private async listen(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({ connectionString: this.directUrl, application_name: 'maillage-outbox' });
    client.on('notification', () => this.poke());
    client.on('error', (err) => {
      this.logger.warn({ err: err.message }, 'outbox listener connection lost');
      this.retryListen(client);
    });
    client.on('end', () => this.retryListen(client));
    try {
      await client.connect();
      await client.query(`listen ${CHANNEL}`);
      this.listener = client;
      this.poke(); // whatever was committed while we were not listening
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'outbox listener cannot connect; will retry');
      this.retryListen(client);
    }
  }

  private retryListen(client: pg.Client): void {
    if (this.stopped || this.reconnect) return;
    if (this.listener === client) this.listener = null;
    client.removeAllListeners('end');
    void client.end().catch(() => undefined);
    this.reconnect = setTimeout(() => {
      this.reconnect = null;
      void this.listen();
    }, 1000);
    this.reconnect.unref();
  }
}
