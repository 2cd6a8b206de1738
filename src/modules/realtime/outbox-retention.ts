/**
 * The outbox is a log for subscribers that reconnect and for webhook deliveries, not an archive:
 * rows older than OUTBOX_RETENTION_DAYS go, except those a webhook still has to deliver (or has
 * not fanned out yet). A subscriber whose cursor is older gets CURSOR_EXPIRED.
 */
import type pg from 'pg';

export async function pruneOutbox(
  pool: pg.Pool,
  opts: { days: number; now?: Date; dryRun?: boolean },
): Promise<{ rows: number; cutoff: Date }> {
  const cutoff = new Date((opts.now ?? new Date()).getTime() - opts.days * 24 * 3600 * 1000);
  // Rows a webhook still needs: not yet fanned out to endpoints, or with a delivery pending.
  const where = `at < $1
    and seq < coalesce((select min(seq) from "WebhookDelivery" where status = 'PENDING'), 9223372036854775807)
    and (not exists (select 1 from "WebhookEndpoint")
         or seq <= coalesce((select seq from "WebhookCursor" where id = 1), 0))`;
  const sql = opts.dryRun
    ? `select count(*)::int as n from "OutboxEvent" where ${where}`
    : `with gone as (delete from "OutboxEvent" where ${where} returning 1) select count(*)::int as n from gone`;
  const { rows } = await pool.query<{ n: number }>(sql, [cutoff]);
  return { rows: rows[0]?.n ?? 0, cutoff };
}
