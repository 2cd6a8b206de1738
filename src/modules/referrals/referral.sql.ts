/**
 * The referrals module's hand-written reads, in one place (issue 15). bench/referrals showed the
 * inbox page at 10 statements and ~28 ms of hub CPU, most of it Prisma's client per statement:
 * here a page is one statement whatever it shows (person, consents, offer, organisations, need
 * themes), shaped as Prisma's rows so that the GraphQL fields read them unchanged, and its count
 * one more. `test/referrals/referral-sql.test.ts` compares each with the same read through Prisma.
 *
 * Who sees what stays in `referral.access.ts` (`incomingSql`/`outgoingSql` beside their Prisma
 * forms); the filter beside its Prisma form in `referral.schema.ts`.
 */
import { Prisma, type Referral, type ReferralEvent } from '../../generated/prisma/client.ts';
import type { SqlRunner } from '../../shared/db/client.ts';
import { hydrate, jsonRowSql, type Shape } from '../../shared/db/prisma-json.ts';
import { asUuid } from '../../shared/ids.ts';

/** What Pothos passes a connection's resolver: the shape of a row, and the page. */
export interface PageQuery extends Shape {
  take?: number;
  skip?: number;
  cursor?: { id?: string };
}

/** Where a page row carries its newest event, when the page was asked for it (`lastEvent`). */
export const LAST_EVENT = Symbol('lastEvent');
export type PageRow = Referral & { [LAST_EVENT]?: ReferralEvent | null };

/** The newest event of a referral aliased `r`, as JSON: newest `at`, then highest id. */
const lastEventJson = () => Prisma.sql`(select ${jsonRowSql('ReferralEvent', 'e', {})} from "ReferralEvent" e
  where e."referralId" = r.id order by e.at desc, e.id desc limit 1)`;

/**
 * A page of referrals matching `where` (SQL on "Referral" aliased `r`), newest first (createdAt,
 * then id, both descending), as Prisma's `findMany({ ...query, where, orderBy })` returns it;
 * with `lastEvent`, each row also carries its newest event under `LAST_EVENT`. Null when the
 * query asks for something this statement does not do (backward paging, a shape `prisma-json`
 * cannot compile): the caller reads through Prisma then.
 */
export async function referralPage(
  sql: SqlRunner,
  query: PageQuery,
  where: Prisma.Sql,
  opts: { lastEvent?: boolean } = {},
): Promise<PageRow[] | null> {
  const { take, skip = 0, cursor, select, include, ...rest } = query;
  if (Object.keys(rest).length > 0 || take === undefined || take < 0) return null;
  if (cursor && (Object.keys(cursor).length !== 1 || !cursor.id || asUuid(cursor.id) !== cursor.id))
    return null;
  const row = jsonRowSql('Referral', 'r', { select, include });
  if (!row) return null;
  // Prisma's cursor: the rows from the cursor's row on, in the page's order (none if it is gone).
  const from = cursor
    ? Prisma.sql`and (r."createdAt", r.id) <= (select c."createdAt", c.id from "Referral" c where c.id = ${cursor.id}::uuid)`
    : Prisma.empty;
  const rows = await sql<{ row: Record<string, unknown>; last_event?: Record<string, unknown> | null }>(
    Prisma.sql`
    select ${row} as row ${opts.lastEvent ? Prisma.sql`, ${lastEventJson()} as last_event` : Prisma.empty}
    from "Referral" r
    where ${where} ${from}
    order by r."createdAt" desc, r.id desc
    limit ${take} offset ${skip}`,
  );
  return rows.map((r) => {
    const referral: PageRow = hydrate<Referral>('Referral', r.row);
    if (opts.lastEvent) {
      referral[LAST_EVENT] = r.last_event ? hydrate<ReferralEvent>('ReferralEvent', r.last_event) : null;
    }
    return referral;
  });
}

/** The newest event of each of these referrals (one statement for a page). */
export async function lastEvents(sql: SqlRunner, referralIds: readonly string[]): Promise<ReferralEvent[]> {
  const rows = await sql<{ e: Record<string, unknown> }>(Prisma.sql`
    select distinct on (e."referralId") ${jsonRowSql('ReferralEvent', 'e', {})} as e
    from "ReferralEvent" e where e."referralId" = any(${referralIds}::uuid[])
    order by e."referralId", e.at desc, e.id desc`);
  return rows.map((r) => hydrate<ReferralEvent>('ReferralEvent', r.e));
}

/** How many referrals match `where` (SQL on "Referral" aliased `r`). */
export async function referralCount(sql: SqlRunner, where: Prisma.Sql): Promise<number> {
  const [row] = await sql<{ n: number }>(
    Prisma.sql`select count(*)::int as n from "Referral" r where ${where}`,
  );
  return row?.n ?? 0;
}
