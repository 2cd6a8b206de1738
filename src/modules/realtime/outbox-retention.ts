/**
 * The outbox is a log for subscribers that reconnect and for webhook deliveries, not an archive:
 * rows older than OUTBOX_RETENTION_DAYS go, except those a webhook still has to deliver (or has
 * not fanned out yet). A subscriber whose cursor is older gets CURSOR_EXPIRED.
 *
 * A webhook delivery's log row goes with its event: once the event has left the outbox, a
 * delivered or failed delivery can no longer be sent again (a redelivery would fail at once,
 * EVENT_GONE), and its row would otherwise stay for ever, one per event and endpoint. A failed
 * one stays until its last attempt is as old as the events that go. Pending deliveries stay, and
 * so do their events.
 *
 * Both deletions go in batches (oldest first, each its own short transaction): the first run on a
 * network that has never pruned may have months of rows to delete, and one statement would hold
 * its locks and write its WAL for all of them at once while the hub keeps appending.
 */
import type pg from 'pg';

export interface PrunedOutbox {
  /** Outbox rows deleted (or, in a dry run, that would be). */
  rows: number;
  /** Finished webhook deliveries whose event left the outbox, deleted (or that would be). */
  deliveries: number;
  cutoff: Date;
}

/** Rows deleted per statement. */
export const PRUNE_BATCH = 5000;

export async function pruneOutbox(
  pool: pg.Pool,
  opts: { days: number; now?: Date; dryRun?: boolean; batch?: number },
): Promise<PrunedOutbox> {
  const batch = opts.batch ?? PRUNE_BATCH;
  const cutoff = new Date((opts.now ?? new Date()).getTime() - opts.days * 24 * 3600 * 1000);
  // Rows a webhook still needs: not yet fanned out to endpoints, or with a delivery pending.
  const where = `at < $1
    and seq < coalesce((select min(seq) from "WebhookDelivery" where status = 'PENDING'), 9223372036854775807)
    and (not exists (select 1 from "WebhookEndpoint")
         or seq <= coalesce((select seq from "WebhookCursor" where id = 1), 0))`;
  // The events still in the outbox start at its oldest row left; with none left, every event
  // numbered so far is gone.
  const oldestLeft = (kept: string) => `coalesce((select min(seq) from "OutboxEvent" where ${kept}),
    (select value from "OutboxSequence" where id = 1) + 1)`;
  // A failed delivery's log stays as long after its last attempt as an event stays in the outbox:
  // a redelivery that failed at once (EVENT_GONE) is still there to be read.
  const finishedGone = (kept: string) =>
    `(status = 'DELIVERED' or (status = 'FAILED' and coalesce("lastAttemptAt", "createdAt") < $1))
     and seq < ${oldestLeft(kept)}`;
  if (opts.dryRun) {
    const { rows } = await pool.query<{ rows: number; deliveries: number }>(
      `select (select count(*)::int from "OutboxEvent" where ${where}) as rows,
              (select count(*)::int from "WebhookDelivery" where ${finishedGone(`not (${where})`)}) as deliveries`,
      [cutoff],
    );
    return { rows: rows[0]?.rows ?? 0, deliveries: rows[0]?.deliveries ?? 0, cutoff };
  }
  // The deliveries' batches see the outbox as its batches left it.
  const rows = await inBatches(
    pool,
    `delete from "OutboxEvent" where seq = any(array(
       select seq from "OutboxEvent" where ${where} order by seq limit $2))`,
    [cutoff, batch],
  );
  // "WebhookDelivery_seq_idx" walks the oldest logs first.
  const deliveries = await inBatches(
    pool,
    `delete from "WebhookDelivery" where id = any(array(
       select id from "WebhookDelivery" where ${finishedGone('true')} order by seq limit $2))`,
    [cutoff, batch],
  );
  return { rows, deliveries, cutoff };
}

/**
 * Runs a batch's `delete` (its batch size is the last parameter) until one deletes fewer; the
 * total. Each batch picks its rows by `= any(array(…))`: with `in (…)` PostgreSQL hashes the
 * batch's keys and reads the whole table to find them.
 */
async function inBatches(pool: pg.Pool, remove: string, values: [Date, number]): Promise<number> {
  let total = 0;
  for (;;) {
    const { rows } = await pool.query<{ n: number }>(
      `with gone as (${remove} returning 1) select count(*)::int as n from gone`,
      values,
    );
    const n = rows[0]?.n ?? 0;
    total += n;
    if (n < values[1]) return total;
  }
}
