/**
 * Row locks held from a connection of the test's own, as another transaction would hold them, and
 * a wait until the hub's statements queue behind them: how a test puts two requests in a known
 * order without sleeping.
 */
import pg from 'pg';

/** Locks one row (`FOR UPDATE`, or `FOR SHARE`) until `release`, which commits. */
export async function holdLock(
  url: string,
  table: string,
  id: string,
  mode: 'UPDATE' | 'SHARE' = 'UPDATE',
): Promise<{ release(): Promise<void> }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('begin');
  await client.query(`select 1 from "${table}" where id = $1 for ${mode.toLowerCase()}`, [id]);
  return {
    async release() {
      await client.query('commit');
      await client.end();
    },
  };
}

/**
 * Until `n` of the hub's statements wait on a lock, watched from another connection (PostgreSQL
 * tells nobody, so it is asked every few milliseconds), or a clear failure after 30 s.
 */
export async function untilWaiting(url: string, n: number): Promise<void> {
  const watcher = new pg.Client({ connectionString: url });
  await watcher.connect();
  const deadline = Date.now() + 30_000;
  try {
    for (;;) {
      const { rows } = await watcher.query<{ n: number }>(
        `select count(*)::int as n from pg_stat_activity where datname = current_database()
           and application_name = 'maillage' and wait_event_type = 'Lock'`,
      );
      if (rows[0]!.n >= n) return;
      if (Date.now() > deadline)
        throw new Error(`${rows[0]!.n} of ${n} requests waited on a lock after 30 s`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  } finally {
    await watcher.end();
  }
}
