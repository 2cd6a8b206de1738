/**
 * The webhook worker of one hub process. Several processes may run one each on the same database.
 *
 * 1. Fan-out: new outbox rows become WebhookDelivery rows, one per endpoint that asked for the
 *    event type and whose organisation may see the event (webhook-events.ts). One transaction per
 *    batch holds the WebhookCursor row FOR UPDATE, so processes take turns and, the outbox being
 *    gapless and in commit order, no event is fanned out twice or skipped.
 * 2. Delivery: due PENDING deliveries are claimed with FOR UPDATE SKIP LOCKED and a lease
 *    (`leasedUntil`, the attempt's time limit plus a minute: a crashed process's claims come back),
 *    with the names of who acted (one statement per claim: referral-actor.ts#publicActors), then
 *    POSTed outside any transaction, signed, with the event id (webhook-events.ts), over
 *    node:http(s) through request-filtering-agent (webhook-url.ts): a connection to an internal
 *    address is refused whatever the name resolves to now (DNS rebinding).
 *    2xx: DELIVERED. Anything else, a timeout (WEBHOOK_TIMEOUT_MS) or a connection error: retried
 *    after WEBHOOK_RETRY_BASE_MS, doubling each time (±10 % jitter, at most an hour), until
 *    WEBHOOK_MAX_AGE_HOURS after the first attempt, then FAILED. A retry answered 2xx makes the
 *    endpoint's other waiting retries due at once (a receiver back up gets its backlog now).
 *
 * At most WEBHOOK_CONCURRENCY attempts are in flight per process, and at most a quarter of them
 * (at least one) per endpoint: a receiver that never answers ties up only its own attempts, never
 * other endpoints' deliveries, and no attempt holds a database connection while it waits.
 *
 * The worker runs when woken (`wake()`: new outbox rows), when an attempt ends, when the next
 * retry is due, and at least every OUTBOX_POLL_MS. Database clock throughout (`now()`). Each
 * recorded attempt is announced on NOTIFY channel `maillage_webhook_attempt` (see `record`).
 * Delivery is at least once: a receiver de-duplicates by event id.
 *
 * The log keeps, of each attempt, the status code and an error class (`DELIVERY_ERRORS`), never
 * what the receiver answered: its body is read only to keep the connection, and dropped.
 */
import http from 'node:http';
import https from 'node:https';
import type pg from 'pg';
import type { Config } from '../../shared/config.ts';
import type { Database } from '../../shared/db/client.ts';
import { uuidv7 } from '../../shared/ids.ts';
import type { Logger } from '../../shared/logger.ts';
import { secretPlace, secrets } from '../../shared/secrets.ts';
import { actorOfEvent, publicActors, type PublicActor } from '../referrals/referral-actor.ts';
import { recipients, webhookBody, webhookSignature, type OutboxRow } from './webhook-events.ts';
import {
  isBlockedAddressError,
  webhookAddressPolicy,
  webhookAgents,
  webhookUrlSyntaxProblem,
} from './webhook-url.ts';

export interface WebhookWorker {
  /** New outbox rows may be there: fan them out to endpoints soon. */
  wake(): void;
  /** Stops polling, aborts attempts in flight (releasing their claims) and waits for them. */
  stop(): Promise<void>;
}

/** NOTIFY channel announcing each recorded attempt. */
export const ATTEMPT_CHANNEL = 'maillage_webhook_attempt';
/** Outbox rows read per fan-out transaction. */
const FAN_OUT_BATCH = 500;
/** Least time between two fan-outs of one process (wake-ups in between are gathered). */
const FAN_OUT_INTERVAL_MS = 100;
/** Longest wait between two retries. */
const MAX_RETRY_DELAY_MS = 60 * 60 * 1000;
/** Read of a response body at most, to keep the connection (longer: the connection is closed). */
const MAX_RESPONSE_BYTES = 64 * 1024;

/** Why an attempt failed, as the delivery log keeps it (`lastError`). */
export const DELIVERY_ERRORS = {
  HTTP_3XX: 'The receiver answered a redirect (redirects are not followed).',
  HTTP_4XX: 'The receiver answered 4xx.',
  HTTP_5XX: 'The receiver answered 5xx.',
  HTTP_STATUS: 'The receiver answered another status than 2xx.',
  TIMEOUT: 'No answer within the time limit (WEBHOOK_TIMEOUT_MS).',
  CONNECTION_REFUSED: 'Nothing accepted the connection.',
  CONNECTION_RESET: 'The connection was closed before an answer.',
  HOST_NOT_FOUND: 'The host name did not resolve.',
  HOST_UNREACHABLE: 'No route to the host.',
  TLS_ERROR: 'The TLS handshake failed (certificate, name or protocol).',
  INVALID_RESPONSE: 'The answer was not valid HTTP.',
  BLOCKED_ADDRESS:
    'The host is, or resolved to, an internal address (loopback, private, link-local…): not connected.',
  URL_NOT_ALLOWED: 'The URL is not allowed any more (its scheme or port): nothing was sent.',
  SECRET_UNAVAILABLE: 'The signing secret could not be opened (SECRETS_KEY): nothing was sent.',
  EVENT_GONE: 'The event is no longer in the outbox (retention): given up.',
  REQUEST_FAILED: 'Any other failure to send.',
} as const;

export type DeliveryError = keyof typeof DELIVERY_ERRORS;

export function isDeliveryError(value: string): value is DeliveryError {
  return Object.hasOwn(DELIVERY_ERRORS, value);
}

/** Retry delay after `attempts` failed attempts: base × 2^(attempts−1), ±10 %, at most an hour. */
export function retryDelayMs(baseMs: number, attempts: number, random = Math.random()): number {
  const exponential = baseMs * 2 ** Math.min(Math.max(attempts - 1, 0), 30);
  return Math.round(Math.min(MAX_RETRY_DELAY_MS, exponential * (0.9 + 0.2 * random)));
}

interface Claimed {
  id: string;
  endpointId: string;
  seq: string;
  eventType: string;
  /** Attempts before this one. */
  attempts: number;
  url: string;
  secret: string;
  /** The endpoint's organisation: what the event tells it (webhook-events.ts#webhookBody). */
  organisationId: string;
  /** Null when the outbox row is gone. */
  payload: unknown;
  at: Date | null;
  /** Who made the referral event it tells of (all null: nobody, or not a referral event). */
  actorUserId: string | null;
  actorApiClientId: string | null;
  actorOrganisationId: string | null;
}

type Outcome =
  | { ok: true; statusCode: number }
  | { ok: false; statusCode: number | null; error: DeliveryError; final?: boolean }
  | { released: true };

export function startWebhookWorker({
  db,
  config,
  logger,
  onAttempt,
}: {
  db: Database;
  config: Config;
  logger: Logger;
  /** Told of each attempt this process made, once answered or failed: null error for a 2xx (metrics). */
  onAttempt?: (endpointId: string, error: DeliveryError | null) => void;
}): WebhookWorker {
  const log = logger.child({ component: 'webhooks' });
  const concurrency = config.WEBHOOK_CONCURRENCY;
  const perEndpoint = Math.max(1, Math.floor(concurrency / 4));
  const leaseSeconds = Math.ceil(config.WEBHOOK_TIMEOUT_MS / 1000) + 60;
  const pollMs = config.OUTBOX_POLL_MS;
  const policy = webhookAddressPolicy(config);
  const agents = webhookAgents(policy);

  /** endpointId → attempts in flight in this process. */
  const inFlight = new Map<string, number>();
  let inFlightTotal = 0;
  const attempts = new Set<Promise<void>>();
  const stopping = new AbortController();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | null = null;
  let again = false;
  let wantFanOut = true;
  let lastCycle = 0;

  const busyEndpoints = () => [...inFlight].filter(([, n]) => n >= perEndpoint).map(([id]) => id);

  function schedule(ms: number): void {
    clearTimeout(timer);
    if (stopped) return;
    timer = setTimeout(wake, ms);
    timer.unref();
  }

  /**
   * New outbox rows: fan them out soon. Wake-ups closer than FAN_OUT_INTERVAL_MS are gathered into
   * one cycle, so that a burst of changes costs a few statements, not a dozen per change.
   */
  function wake(): void {
    wantFanOut = true;
    const wait = lastCycle + FAN_OUT_INTERVAL_MS - Date.now();
    if (wait > 0 && !running) schedule(wait);
    else kick();
  }

  /** Runs a cycle now, or right after the one running. */
  function kick(): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = cycle()
      .catch((err: unknown) => {
        wantFanOut = true;
        log.warn({ err: (err as Error).message }, 'webhook worker cycle failed');
        return pollMs;
      })
      .then((delay) => {
        running = null;
        if (again) {
          again = false;
          kick();
        } else {
          schedule(delay);
        }
      });
  }

  /** Fans out, starts what is due, and says when to look again. */
  async function cycle(): Promise<number> {
    lastCycle = Date.now();
    if (wantFanOut) {
      wantFanOut = false;
      await fanOut();
    }
    await dispatch();
    if (stopped) return pollMs;
    return Math.min(pollMs, Math.max(10, await msUntilNextDue()));
  }

  async function fanOut(): Promise<void> {
    const client = await db.pool.connect();
    let broken: Error | undefined;
    try {
      for (;;) {
        // Cheap look first, without the lock: most wake-ups of most processes find nothing new.
        const { rows: heads } = await client.query<{ head: string | null; cursor: string | null }>(
          `select (select value from "OutboxSequence" where id = 1)::text as head,
                  (select seq from "WebhookCursor" where id = 1)::text as cursor`,
        );
        const head = BigInt(heads[0]?.head ?? '0');
        if (heads[0]?.cursor == null) {
          await client.query(
            `insert into "WebhookCursor" (id, seq) values (1, $1) on conflict (id) do nothing`,
            [head.toString()],
          );
          continue;
        }
        if (head <= BigInt(heads[0].cursor)) return;
        if ((await fanOutBatch(client)) < FAN_OUT_BATCH) return;
      }
    } catch (err) {
      broken = err as Error;
      throw err;
    } finally {
      client.release(broken);
    }
  }

  /** One transaction: the next outbox rows after the cursor become deliveries. Returns rows read. */
  async function fanOutBatch(client: pg.PoolClient): Promise<number> {
    await client.query('begin');
    try {
      const { rows: cursor } = await client.query<{ seq: string }>(
        `select seq::text from "WebhookCursor" where id = 1 for update`,
      );
      const { rows } = await client.query<OutboxRow>(
        `select seq::text, type, "organisationIds", payload, at
         from "OutboxEvent" where seq > $1 order by "OutboxEvent".seq limit $2`,
        [cursor[0]?.seq ?? '0', FAN_OUT_BATCH],
      );
      const last = rows.at(-1);
      if (!last) {
        await client.query('commit');
        return 0;
      }
      const { rows: endpoints } = await client.query<{
        id: string;
        organisationId: string;
        eventTypes: string[];
        startSeq: string;
      }>(
        `select id, "organisationId", "eventTypes", "startSeq"::text from "WebhookEndpoint"
         where active and "startSeq" < $1`,
        [last.seq],
      );
      const candidates = endpoints.map((e) => ({ ...e, startSeq: BigInt(e.startSeq) }));
      const deliveries = rows.flatMap((row) =>
        recipients(row, candidates).map(({ endpoint, eventType }) => ({
          id: uuidv7(),
          endpointId: endpoint.id,
          seq: row.seq,
          eventType,
        })),
      );
      if (deliveries.length > 0) {
        await client.query(
          `insert into "WebhookDelivery" (id, "endpointId", seq, "eventType", "nextAttemptAt")
           select id, "endpointId", seq, "eventType", now()
           from unnest($1::uuid[], $2::uuid[], $3::bigint[], $4::text[]) as d(id, "endpointId", seq, "eventType")
           on conflict ("endpointId", seq) do nothing`,
          [
            deliveries.map((d) => d.id),
            deliveries.map((d) => d.endpointId),
            deliveries.map((d) => d.seq),
            deliveries.map((d) => d.eventType),
          ],
        );
      }
      await client.query(`update "WebhookCursor" set seq = $1, "updatedAt" = now() where id = 1`, [last.seq]);
      await client.query('commit');
      if (deliveries.length > 0) log.debug({ upTo: last.seq, deliveries: deliveries.length }, 'fanned out');
      return rows.length;
    } catch (err) {
      await client.query('rollback').catch(() => undefined);
      throw err;
    }
  }

  /** Claims due deliveries while there are free slots, and starts their attempts. */
  async function dispatch(): Promise<void> {
    while (!stopped && inFlightTotal < concurrency) {
      const claimed = await claim(concurrency - inFlightTotal);
      if (claimed.length === 0) return;
      const actors = await actorsOf(claimed).catch(async (err: unknown) => {
        await release(claimed.map((job) => job.id)).catch(() => undefined);
        throw err;
      });
      claimed.forEach((job, i) => start(job, actors[i] ?? null));
    }
  }

  /** Who made each job's event, as both sides read it: one statement for the whole claim. */
  async function actorsOf(claimed: Claimed[]): Promise<(PublicActor | null)[]> {
    const ids = claimed.map((job) => actorOfEvent(job));
    const known = ids.filter((a) => a !== null);
    const found = await publicActors(db.sql, known);
    let next = 0;
    return ids.map((a) => (a ? found[next++]! : null));
  }

  /** Gives claims back at once (rather than when their lease ends): another cycle may take them. */
  async function release(ids: string[]): Promise<void> {
    const statement = `update "WebhookDelivery" set "leasedUntil" = null where id = any($1::uuid[])`;
    await db.pool.query(statement, [ids]);
  }

  /**
   * One statement: due deliveries of active endpoints, locked SKIP LOCKED (another process's
   * claim in progress is left to it), at most `free` of them and `perEndpoint` per endpoint
   * counting this process's attempts in flight, leased to this process.
   */
  async function claim(free: number): Promise<Claimed[]> {
    const busy = [...inFlight];
    const { rows } = await db.pool.query<Claimed>(
      `with due as materialized (
         select d.id, d."endpointId", d."nextAttemptAt", d.seq
         from "WebhookDelivery" d
         join "WebhookEndpoint" w on w.id = d."endpointId"
         where d.status = 'PENDING' and d."nextAttemptAt" <= now() and w.active
           and (d."leasedUntil" is null or d."leasedUntil" <= now())
           and not (d."endpointId" = any($1::uuid[]))
         order by d."nextAttemptAt", d.seq
         limit $2
         for update of d skip locked
       ),
       chosen as (
         select id from (
           select due.id, due."nextAttemptAt", due.seq,
                  coalesce(f.n, 0) + row_number() over (
                    partition by due."endpointId" order by due."nextAttemptAt", due.seq) as slot
           from due
           left join unnest($3::uuid[], $4::int[]) as f(endpoint, n) on f.endpoint = due."endpointId"
         ) ranked
         where slot <= $5
         order by "nextAttemptAt", seq
         limit $6
       ),
       leased as (
         update "WebhookDelivery" d
         set "leasedUntil" = now() + make_interval(secs => $7::int),
             "firstAttemptAt" = coalesce(d."firstAttemptAt", now())
         from chosen where d.id = chosen.id
         returning d.id, d."endpointId", d.seq, d."eventType", d.attempts
       )
       select l.id, l."endpointId", l.seq::text as seq, l."eventType", l.attempts, w.url, w.secret,
              w."organisationId", e.payload, e.at, r."actorUserId", r."actorApiClientId",
              r."actorOrganisationId"
       from leased l
       join "WebhookEndpoint" w on w.id = l."endpointId"
       left join "OutboxEvent" e on e.seq = l.seq
       left join "ReferralEvent" r
         on e.type = 'REFERRAL_EVENT' and r.id = (e.payload #>> '{event,id}')::uuid
       order by l.seq`,
      [
        busyEndpoints(),
        free * 2,
        busy.map(([endpoint]) => endpoint),
        busy.map(([, n]) => n),
        perEndpoint,
        free,
        leaseSeconds,
      ],
    );
    return rows;
  }

  function start(job: Claimed, actor: PublicActor | null): void {
    inFlight.set(job.endpointId, (inFlight.get(job.endpointId) ?? 0) + 1);
    inFlightTotal++;
    const done = deliver(job, actor)
      .catch((err: unknown) =>
        log.warn({ err: (err as Error).message, delivery: job.id }, 'recording a webhook attempt failed'),
      )
      .finally(() => {
        attempts.delete(done);
        const left = (inFlight.get(job.endpointId) ?? 1) - 1;
        if (left > 0) inFlight.set(job.endpointId, left);
        else inFlight.delete(job.endpointId);
        inFlightTotal--;
        kick();
      });
    attempts.add(done);
  }

  async function deliver(job: Claimed, actor: PublicActor | null): Promise<void> {
    const outcome = await attempt(job, actor);
    if ('released' in outcome) {
      // Stopping: the attempt was cut short by us, not the receiver. Another process may take it now.
      await release([job.id]);
      return;
    }
    onAttempt?.(job.endpointId, outcome.ok ? null : outcome.error);
    if (outcome.ok) {
      await record(
        `status = 'DELIVERED', "lastError" = null, "deliveredAt" = now(), "nextAttemptAt" = null`,
        [job.id, outcome.statusCode],
      );
      if (job.attempts > 0) {
        // A retry went through: the receiver is back, its other waiting retries are due now rather
        // than after their back-off. (Not after a first attempt: one event the receiver keeps
        // refusing must not be retried at the pace of the others' successes.)
        await db.pool.query(
          `update "WebhookDelivery" set "nextAttemptAt" = now()
           where "endpointId" = $1 and status = 'PENDING' and attempts > 0 and "nextAttemptAt" > now()
             and ("leasedUntil" is null or "leasedUntil" <= now())`,
          [job.endpointId],
        );
      }
      return;
    }
    const attemptsNow = job.attempts + 1;
    const delaySeconds = retryDelayMs(config.WEBHOOK_RETRY_BASE_MS, attemptsNow) / 1000;
    // Given up: WEBHOOK_MAX_AGE_HOURS after the first attempt (the last retry is due right then).
    const expired = `($4::boolean or now() >= "firstAttemptAt" + make_interval(hours => $5::int))`;
    const status = await record(
      `"lastError" = $3,
       status = (case when ${expired} then 'FAILED' else 'PENDING' end)::"WebhookDeliveryStatus",
       "nextAttemptAt" = case when ${expired} then null
         else least(now() + make_interval(secs => $6::double precision),
                    "firstAttemptAt" + make_interval(hours => $5::int)) end`,
      [
        job.id,
        outcome.statusCode,
        outcome.error,
        outcome.final ?? false,
        config.WEBHOOK_MAX_AGE_HOURS,
        delaySeconds,
      ],
    );
    if (!status) return; // deleted meanwhile (with its endpoint)
    log.info(
      {
        delivery: job.id,
        endpoint: job.endpointId,
        eventId: job.seq,
        attempt: attemptsNow,
        statusCode: outcome.statusCode,
        error: outcome.error,
      },
      status === 'FAILED' ? 'webhook delivery failed for good' : 'webhook delivery failed; will retry',
    );
  }

  /**
   * Writes an attempt's result (`$1` the delivery, `$2` the status code) and announces it on
   * NOTIFY channel `maillage_webhook_attempt` (id, endpointId, eventId, status, attempts,
   * lastError as JSON): live delivery logs, and tests that wait for a result whichever process
   * recorded it.
   */
  async function record(set: string, params: unknown[]): Promise<string | undefined> {
    const { rows } = await db.pool.query<{ status: string }>(
      `with d as (
         update "WebhookDelivery"
         set ${set}, attempts = attempts + 1, "lastAttemptAt" = now(), "lastStatusCode" = $2, "leasedUntil" = null
         where id = $1
         returning id, "endpointId", seq, status::text, attempts, "lastError"
       )
       select d.status, pg_notify('${ATTEMPT_CHANNEL}', json_build_object(
         'id', d.id, 'endpointId', d."endpointId", 'eventId', d.seq::text, 'status', d.status,
         'attempts', d.attempts, 'lastError', d."lastError")::text)
       from d`,
      params,
    );
    return rows[0]?.status;
  }

  /** One POST. Never throws. */
  async function attempt(job: Claimed, actor: PublicActor | null): Promise<Outcome> {
    const failed = (error: DeliveryError, statusCode: number | null = null, final = false): Outcome => ({
      ok: false,
      statusCode,
      error,
      final,
    });
    if (job.at === null) return failed('EVENT_GONE', null, true);
    // The addresses are the agents' business, at the connection (BLOCKED_ADDRESS).
    if (webhookUrlSyntaxProblem(job.url, policy, { addresses: false })) return failed('URL_NOT_ALLOWED');
    let secret: string;
    try {
      secret = secrets().open(job.secret, secretPlace.webhookSecret(job.endpointId));
    } catch (err) {
      log.warn({ endpoint: job.endpointId, err: (err as Error).message }, 'webhook secret unavailable');
      return failed('SECRET_UNAVAILABLE');
    }
    const body = webhookBody(
      { seq: job.seq, payload: job.payload, at: job.at },
      job.eventType,
      job.organisationId,
      actor,
    );
    const timestamp = Math.floor(Date.now() / 1000);
    const timeout = AbortSignal.timeout(config.WEBHOOK_TIMEOUT_MS);
    const url = new URL(job.url);
    try {
      const status = await post(url, {
        agent: url.protocol === 'https:' ? agents.https : agents.http,
        signal: AbortSignal.any([timeout, stopping.signal]),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Maillage-Webhooks/1',
          'maillage-event-id': job.seq,
          'maillage-event-type': job.eventType,
          'maillage-timestamp': String(timestamp),
          'maillage-signature': webhookSignature(secret, timestamp, body),
          'maillage-delivery-attempt': String(job.attempts + 1),
        },
        body,
      });
      if (status >= 200 && status < 300) return { ok: true, statusCode: status };
      return failed(statusClass(status), status);
    } catch (err) {
      if (stopping.signal.aborted) return { released: true };
      if (timeout.aborted) return failed('TIMEOUT');
      return failed(errorClass(err));
    }
  }

  async function msUntilNextDue(): Promise<number> {
    // All slots taken: an attempt ending wakes the worker.
    if (inFlightTotal >= concurrency) return pollMs;
    const { rows } = await db.pool.query<{ ms: number | null }>(
      `select extract(epoch from (min(d."nextAttemptAt") - now())) * 1000 as ms
       from "WebhookDelivery" d
       where d.status = 'PENDING' and (d."leasedUntil" is null or d."leasedUntil" <= now())
         and not (d."endpointId" = any($1::uuid[]))
         and exists (select 1 from "WebhookEndpoint" w where w.id = d."endpointId" and w.active)`,
      [busyEndpoints()],
    );
    const ms = rows[0]?.ms;
    return ms == null ? pollMs : Number(ms);
  }

  /**
   * Once per process: a `lastError` written before error classes (free text that could quote the
   * receiver's answer) becomes its class.
   */
  async function classifyLegacyErrors(): Promise<void> {
    const { rows } = await db.pool.query<{ id: string; lastError: string }>(
      `select id, "lastError" from "WebhookDelivery" where "lastError" !~ '^[A-Z][A-Z0-9_]*$'`,
    );
    if (rows.length === 0) return;
    await db.pool.query(
      `update "WebhookDelivery" d set "lastError" = u.error
       from unnest($1::uuid[], $2::text[]) as u(id, error) where d.id = u.id`,
      [rows.map((r) => r.id), rows.map((r) => legacyErrorClass(r.lastError))],
    );
    log.info({ deliveries: rows.length }, 'delivery errors reduced to their class');
  }

  const legacy = classifyLegacyErrors().catch((err: unknown) =>
    log.warn({ err: (err as Error).message }, 'could not classify older delivery errors'),
  );
  kick();

  return {
    wake,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      stopping.abort();
      await running;
      await Promise.allSettled([...attempts, legacy]);
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}

/** Deliveries waiting (PENDING, due or not) per endpoint, on the whole database: the backlog. */
export async function pendingDeliveries(pool: pg.Pool): Promise<Map<string, number>> {
  const { rows } = await pool.query<{ endpointId: string; n: number }>(
    `select "endpointId", count(*)::int as n from "WebhookDelivery" where status = 'PENDING' group by 1`,
  );
  return new Map(rows.map((r) => [r.endpointId, r.n]));
}

/**
 * POSTs `body` and resolves with the status code once the answer is in. The answer's body is read
 * and dropped (up to MAX_RESPONSE_BYTES, to keep the connection for the next delivery); past that,
 * or if it breaks off, the status decides. Rejects on connection errors and on `signal`.
 */
function post(
  url: URL,
  opts: { agent: http.Agent; signal: AbortSignal; headers: Record<string, string>; body: string },
): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = (url.protocol === 'https:' ? https : http).request(url, {
      method: 'POST',
      agent: opts.agent,
      signal: opts.signal,
      headers: { ...opts.headers, 'content-length': String(Buffer.byteLength(opts.body)) },
    });
    request.on('error', reject);
    request.on('response', (res) => {
      const status = res.statusCode ?? 0;
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.byteLength;
        if (size > MAX_RESPONSE_BYTES) res.destroy();
      });
      res.on('error', () => resolve(status));
      res.on('close', () => resolve(status));
      res.on('end', () => resolve(status));
    });
    request.end(opts.body);
  });
}

function statusClass(status: number): DeliveryError {
  if (status >= 300 && status < 400) return 'HTTP_3XX';
  if (status >= 400 && status < 500) return 'HTTP_4XX';
  if (status >= 500 && status < 600) return 'HTTP_5XX';
  return 'HTTP_STATUS';
}

const ERROR_CODES: Record<string, DeliveryError> = {
  ECONNREFUSED: 'CONNECTION_REFUSED',
  ECONNRESET: 'CONNECTION_RESET',
  EPIPE: 'CONNECTION_RESET',
  ENOTFOUND: 'HOST_NOT_FOUND',
  EAI_AGAIN: 'HOST_NOT_FOUND',
  EHOSTUNREACH: 'HOST_UNREACHABLE',
  ENETUNREACH: 'HOST_UNREACHABLE',
  ETIMEDOUT: 'TIMEOUT',
  EPROTO: 'TLS_ERROR',
  // undici's, in messages written when the worker used fetch
  UND_ERR_SOCKET: 'CONNECTION_RESET',
  UND_ERR_CONNECT_TIMEOUT: 'TIMEOUT',
};

/** The class of a connection error (node:http, request-filtering-agent, TLS). */
export function errorClass(err: unknown): DeliveryError {
  if (isBlockedAddressError(err)) return 'BLOCKED_ADDRESS';
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'string') return 'REQUEST_FAILED';
  if (ERROR_CODES[code]) return ERROR_CODES[code];
  if (code.startsWith('HPE_')) return 'INVALID_RESPONSE';
  if (/^ERR_(TLS|SSL)_|CERT|^UNABLE_TO_|SELF_SIGNED/.test(code)) return 'TLS_ERROR';
  return 'REQUEST_FAILED';
}

/** The class of a `lastError` written before classes (free text, possibly the receiver's words). */
export function legacyErrorClass(text: string): DeliveryError {
  if (isDeliveryError(text)) return text;
  const status = /^HTTP (\d{3})/.exec(text)?.[1];
  if (status) return statusClass(Number(status));
  if (/^no answer within/.test(text)) return 'TIMEOUT';
  if (/no longer in the outbox/.test(text)) return 'EVENT_GONE';
  const code = /\(([A-Z_]+)\)$/.exec(text)?.[1];
  return code ? errorClass({ code }) : 'REQUEST_FAILED';
}
