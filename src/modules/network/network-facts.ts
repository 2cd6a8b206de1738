/**
 * The network's statistics read a materialisation, `NetworkReferralFact`: one row per referral
 * ever sent, with its two organisations, where it is now, its coded decline reason, its need
 * themes, its offer's communes, and three durations in working days taken from its event log
 * (to the first answer, to acceptance, to completion; `workingDaysBetween`, as due dates count).
 * No person, no user, no free text.
 *
 * It is refreshed from the outbox: `refreshNetworkFacts` reads the REFERRAL_EVENT rows past the
 * last sequence number it read (`NetworkFactsState`) and recomputes the facts of those referrals.
 * The hub runs it every NETWORK_FACTS_REFRESH_MS (default 15 s) and when referral events arrive
 * (at most once a second), so the figures are never a minute behind. One instance refreshes at a
 * time (an advisory lock taken with `try`: the others skip). When the outbox no longer holds what
 * follows the last sequence read (pruned while no hub ran), or the facts were never built
 * (`refreshedAt` null: a new database, or data loaded without triggers that asks for a rebuild
 * by setting it to null), every fact is rebuilt.
 *
 * The same refresh keeps the month's reading of the supply (`supply.ts`), at most an hour old.
 */
import type { PoolClient } from 'pg';
import { Prisma } from '../../generated/prisma/client.ts';
import type { DeclineReason, ReferralStatus } from '../../generated/prisma/enums.ts';
import type { Database } from '../../shared/db/client.ts';
import type { Logger } from '../../shared/logger.ts';
import type { OutboxTail } from '../realtime/outbox-tail.ts';
import { workingDaysBetween } from '../referrals/working-days.ts';
import { readSupplyIfStale } from './supply.ts';

/** Referrals recomputed per statement. */
const BATCH = 5_000;
/** Advisory lock key of the refresh ("maillage network facts"). */
export const NETWORK_FACTS_LOCK_KEY = 0x6e6574_66616374n;

export interface RefreshResult {
  /** False when another instance was refreshing (nothing done). */
  ran: boolean;
  rebuilt: boolean;
  referrals: number;
  outboxSeq: bigint;
  /** True when this month's supply was read (`supply.ts`). */
  supplyRead: boolean;
}

interface SourceRow {
  id: string;
  senderOrganisationId: string;
  receiverOrganisationId: string;
  sentAt: Date | null;
  status: ReferralStatus;
  declineReason: DeclineReason | null;
  themeCodes: string[];
  communes: string[];
  firstAnswerAt: Date | null;
  acceptedAt: Date | null;
  completedAt: Date | null;
}

/**
 * Brings the facts up to date with the outbox, in one transaction. Safe to call from any
 * instance at any time.
 */
export async function refreshNetworkFacts(db: Database): Promise<RefreshResult> {
  const client = await db.pool.connect();
  try {
    await client.query('BEGIN');
    const { rows: locked } = await client.query<{ ok: boolean }>(
      'SELECT pg_try_advisory_xact_lock($1) AS ok',
      [NETWORK_FACTS_LOCK_KEY.toString()],
    );
    if (!locked[0]?.ok) {
      await client.query('ROLLBACK');
      return { ran: false, rebuilt: false, referrals: 0, outboxSeq: 0n, supplyRead: false };
    }
    // The state row first, locked: a loader asking for a rebuild (`refreshedAt` = NULL, in the
    // transaction that writes its history) is either seen here, after it commits, or waits for
    // this refresh to commit and is seen by the next one; never overwritten by this one's end.
    // Apart from the read below, whose snapshot must be taken after the wait.
    await client.query('SELECT 1 FROM "NetworkFactsState" WHERE id = 1 FOR UPDATE');
    const { rows: state } = await client.query<{
      seq: string;
      built: boolean;
      min: string | null;
      max: string | null;
    }>(
      // The sequence's value is the last number given out and committed: every row up to it is
      // in this snapshot, unless retention pruned it.
      `SELECT s."outboxSeq"::text AS seq, s."refreshedAt" IS NOT NULL AS built,
              (SELECT min(seq)::text FROM "OutboxEvent") AS min,
              (SELECT value::text FROM "OutboxSequence" WHERE id = 1) AS max
       FROM "NetworkFactsState" s WHERE s.id = 1`,
    );
    const read = BigInt(state[0]?.seq ?? '0');
    const max = state[0]?.max ? BigInt(state[0].max) : read;
    const min = state[0]?.min ? BigInt(state[0].min) : max + 1n;
    const rebuild = !state[0]?.built || min > read + 1n;
    let ids: string[];
    if (rebuild) {
      await client.query('DELETE FROM "NetworkReferralFact"');
      const { rows } = await client.query<{ id: string }>(
        'SELECT id FROM "Referral" WHERE "sentAt" IS NOT NULL ORDER BY id',
      );
      ids = rows.map((r) => r.id);
    } else if (max > read) {
      const { rows } = await client.query<{ id: string }>(
        `SELECT DISTINCT "referralId" AS id FROM "OutboxEvent"
         WHERE seq > $1 AND seq <= $2 AND type = 'REFERRAL_EVENT' AND "referralId" IS NOT NULL`,
        [read.toString(), max.toString()],
      );
      ids = rows.map((r) => r.id);
    } else ids = [];
    for (let i = 0; i < ids.length; i += BATCH) await refreshReferrals(client, ids.slice(i, i + BATCH));
    await client.query(
      `UPDATE "NetworkFactsState" SET "outboxSeq" = $1, "refreshedAt" = now() WHERE id = 1`,
      [max.toString()],
    );
    const supplyRead = await readSupplyIfStale(client);
    await client.query('COMMIT');
    return { ran: true, rebuilt: rebuild, referrals: ids.length, outboxSeq: max, supplyRead };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

type Queryable = Pick<PoolClient, 'query'>;

/** The facts of these referrals, recomputed from the referral and its event log. */
async function refreshReferrals(client: Queryable, ids: string[]): Promise<void> {
  const { rows } = await client.query<SourceRow>(
    `SELECT r.id, r."senderOrganisationId", r."receiverOrganisationId", r."sentAt", r.status,
            r."declineReason", o.communes,
            coalesce((SELECT array_agg(t.code ORDER BY t.code) FROM "_ReferralThemes" rt
                      JOIN "Theme" t ON t.id = rt."B" WHERE rt."A" = r.id), '{}') AS "themeCodes",
            e."firstAnswerAt", e."acceptedAt", e."completedAt"
     FROM "Referral" r JOIN "Offer" o ON o.id = r."offerId"
     CROSS JOIN LATERAL (
       SELECT min(e.at) FILTER (WHERE e."toStatus" IN ('RECEIVED', 'ACCEPTED', 'DECLINED')) AS "firstAnswerAt",
              min(e.at) FILTER (WHERE e."toStatus" = 'ACCEPTED') AS "acceptedAt",
              min(e.at) FILTER (WHERE e."toStatus" = 'COMPLETED') AS "completedAt"
       FROM "ReferralEvent" e WHERE e."referralId" = r.id) e
     WHERE r.id = ANY($1::uuid[])`,
    [ids],
  );
  const facts = rows.filter((r) => r.sentAt !== null).map(fact);
  // Gone (deleted) or back to none (never: a sent referral stays sent) — either way, no fact.
  await client.query('DELETE FROM "NetworkReferralFact" WHERE "referralId" = ANY($1::uuid[])', [ids]);
  if (facts.length === 0) return;
  const column = <K extends keyof Fact>(k: K) => facts.map((f) => f[k]);
  await client.query(
    `INSERT INTO "NetworkReferralFact" ("referralId", "senderOrganisationId", "receiverOrganisationId",
       "sentAt", status, "declineReason", "themeCodes", communes, "firstAnswerDays", "acceptanceDays",
       "completionDays", "refreshedAt")
     SELECT f.id, f.sender, f.receiver, f.sent, f.status::"ReferralStatus", f.reason::"DeclineReason",
            coalesce((SELECT array_agg(x) FROM jsonb_array_elements_text(f.themes) x), '{}'),
            coalesce((SELECT array_agg(x) FROM jsonb_array_elements_text(f.communes) x), '{}'),
            f.first, f.accepted, f.completed, now()
     FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::timestamptz[], $5::text[], $6::text[],
                 $7::jsonb[], $8::jsonb[], $9::float8[], $10::float8[], $11::float8[])
          AS f(id, sender, receiver, sent, status, reason, themes, communes, first, accepted, completed)`,
    [
      column('referralId'),
      column('senderOrganisationId'),
      column('receiverOrganisationId'),
      column('sentAt'),
      column('status'),
      column('declineReason'),
      facts.map((f) => JSON.stringify(f.themeCodes)),
      facts.map((f) => JSON.stringify(f.communes)),
      column('firstAnswerDays'),
      column('acceptanceDays'),
      column('completionDays'),
    ],
  );
}

interface Fact {
  referralId: string;
  senderOrganisationId: string;
  receiverOrganisationId: string;
  sentAt: Date;
  status: ReferralStatus;
  declineReason: DeclineReason | null;
  themeCodes: string[];
  communes: string[];
  firstAnswerDays: number | null;
  acceptanceDays: number | null;
  completionDays: number | null;
}

function fact(r: SourceRow): Fact {
  const sentAt = r.sentAt as Date;
  const days = (at: Date | null) => (at ? workingDaysBetween(sentAt, at) : null);
  return {
    referralId: r.id,
    senderOrganisationId: r.senderOrganisationId,
    receiverOrganisationId: r.receiverOrganisationId,
    sentAt,
    status: r.status,
    declineReason: r.declineReason,
    themeCodes: r.themeCodes,
    communes: r.communes,
    firstAnswerDays: days(r.firstAnswerAt),
    acceptanceDays: days(r.acceptedAt),
    completionDays: days(r.completedAt),
  };
}

/** When the facts were last brought up to date (null: never). */
export async function factsRefreshedAt(db: Pick<Database, 'sql'>): Promise<Date | null> {
  const [row] = await db.sql<{ refreshedAt: Date | null }>(
    Prisma.sql`SELECT "refreshedAt" FROM "NetworkFactsState" WHERE id = 1`,
  );
  return row?.refreshedAt ?? null;
}

export interface NetworkFactsRefresher {
  /** Refreshes now (or waits for the refresh under way) and says what it did. */
  refreshNow(): Promise<RefreshResult>;
  stop(): Promise<void>;
}

/**
 * Runs `refreshNetworkFacts` every `everyMs`, and within a second of a referral event reaching
 * this instance's outbox tail. One refresh at a time per process.
 */
export function startNetworkFactsRefresher(
  db: Database,
  outbox: Pick<OutboxTail, 'subscribe'>,
  logger: Logger,
  everyMs: number,
): NetworkFactsRefresher {
  let running: Promise<RefreshResult> | null = null;
  let stopped = false;
  let soon: NodeJS.Timeout | null = null;
  const refresh = (): Promise<RefreshResult> => {
    running ??= refreshNetworkFacts(db)
      .then((result) => {
        if (result.rebuilt) logger.info({ referrals: result.referrals }, 'network facts rebuilt');
        return result;
      })
      .finally(() => {
        running = null;
      });
    return running;
  };
  const quietly = () => {
    if (stopped) return;
    refresh().catch((err: unknown) =>
      logger.warn({ err: (err as Error).message }, 'could not refresh the network facts'),
    );
  };
  const timer = setInterval(quietly, everyMs);
  timer.unref();
  const unsubscribe = outbox.subscribe((row) => {
    if (row.type !== 'REFERRAL_EVENT' || soon) return;
    soon = setTimeout(() => {
      soon = null;
      quietly();
    }, 1_000);
    soon.unref();
  });
  return {
    refreshNow: async () => {
      // A refresh already under way may have started before the change the caller waits for.
      await running?.catch(() => undefined);
      return refresh();
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      if (soon) clearTimeout(soon);
      unsubscribe();
      await running?.catch(() => undefined);
    },
  };
}
