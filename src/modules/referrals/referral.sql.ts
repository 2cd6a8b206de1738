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
import type { ReferralStatus } from '../../generated/prisma/enums.ts';
import type { SqlRunner } from '../../shared/db/client.ts';
import { checkedRow, hydrate, jsonRowSql, type Shape } from '../../shared/db/prisma-json.ts';
import { asUuid, uuidv7 } from '../../shared/ids.ts';
import { actingSideSql, visibleReferralsSql } from './referral.access.ts';
import type { Side } from './referral-status.ts';
import type { Viewer } from '../accounts/viewer.ts';

/** What Pothos passes a connection's resolver: the shape of a row, and the page. */
export interface PageQuery extends Shape {
  take?: number;
  skip?: number;
  cursor?: { id?: string };
}

/** Where a page row carries its newest event, when the page was asked for it (`lastEvent`). */
export const LAST_EVENT = Symbol('lastEvent');
/** Where a page row carries the count of all rows matching, when the page was asked for it. */
export const TOTAL = Symbol('total');
export type PageRow = Referral & { [LAST_EVENT]?: ReferralEvent | null; [TOTAL]?: number };

/** The newest event of a referral aliased `r`, as JSON: newest `at`, then highest id. */
const lastEventJson = (
  shape: Shape,
) => Prisma.sql`(select ${jsonRowSql('ReferralEvent', 'e', shape)} from "ReferralEvent" e
  where e."referralId" = r.id order by e.at desc, e.id desc limit 1)`;

/**
 * A page of referrals matching `where` (SQL on "Referral" aliased `r`), newest first (createdAt,
 * then id, both descending), as Prisma's `findMany({ ...query, where, orderBy })` returns it;
 * with `lastEvent` (true, or the shape of the event to read), each row also carries its newest
 * event under `LAST_EVENT`; with `count`, the
 * number of rows `where` matches under `TOTAL` (in the same statement: an InitPlan, read once;
 * an empty page carries none, the caller counts then). Null when the
 * query asks for something this statement does not do (backward paging, a shape `prisma-json`
 * cannot compile): the caller reads through Prisma then.
 */
export async function referralPage(
  sql: SqlRunner,
  query: PageQuery,
  where: Prisma.Sql,
  opts: { lastEvent?: boolean | Shape; count?: boolean } = {},
): Promise<PageRow[] | null> {
  const { take, skip = 0, cursor, select, include, ...rest } = query;
  if (Object.keys(rest).length > 0 || take === undefined || take < 0) return null;
  if (cursor && (Object.keys(cursor).length !== 1 || !cursor.id || asUuid(cursor.id) !== cursor.id))
    return null;
  const shape: Shape = { select, include };
  const row = jsonRowSql('Referral', 'r', shape);
  if (!row) return null;
  const eventShape = opts.lastEvent === true ? {} : opts.lastEvent;
  // Prisma's cursor: the rows from the cursor's row on, in the page's order (none if it is gone).
  const from = cursor
    ? Prisma.sql`and (r."createdAt", r.id) <= (select c."createdAt", c.id from "Referral" c where c.id = ${cursor.id}::uuid)`
    : Prisma.empty;
  const rows = await sql<{
    row: Record<string, unknown>;
    last_event?: Record<string, unknown> | null;
    total?: number;
  }>(
    Prisma.sql`
    select ${row} as row ${eventShape ? Prisma.sql`, ${lastEventJson(eventShape)} as last_event` : Prisma.empty}
      ${opts.count ? Prisma.sql`, (select count(*)::int from "Referral" r where ${where}) as total` : Prisma.empty}
    from "Referral" r
    where ${where} ${from}
    order by r."createdAt" desc, r.id desc
    limit ${take} offset ${offsetSql(skip)}`,
  );
  return rows.map((r) => {
    const referral: PageRow = checkedRow<Referral>('Referral', hydrate('Referral', r.row), shape);
    if (opts.count) referral[TOTAL] = r.total!;
    if (eventShape) {
      referral[LAST_EVENT] = r.last_event
        ? checkedRow<ReferralEvent>('ReferralEvent', hydrate('ReferralEvent', r.last_event), eventShape)
        : null;
    }
    return referral;
  });
}

/**
 * A page's OFFSET: 0 or 1 (the first page, a page after a cursor: all Pothos' connections ask)
 * written into the text, any other as a parameter. PostgreSQL plans a statement whose OFFSET is a
 * parameter as if it skipped a tenth of the rows, so it never keeps the generic plan of the
 * prepared inbox page and plans it again on every execution (8 custom plans of 8, against 5
 * generic of 10 with the offset written; pgbench: 1.83–2.38 ms a page against 2.26–2.46).
 */
function offsetSql(skip: number): Prisma.Sql {
  return skip === 0 || skip === 1 ? Prisma.raw(String(skip)) : Prisma.sql`${skip}`;
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

// ---------------------------------------------------------------------------------------------
// Steps (issue 15): a status change is one transaction of hand-written statements. Prisma's
// interactive transaction and its update and create were 28 % of a step's hub CPU
// (bench/referrals --profile); here it is BEGIN, the lock, one statement that writes the referral
// and its event, COMMIT. `test/referrals/referral-sql.test.ts` compares each with Prisma's read.
// ---------------------------------------------------------------------------------------------

/** The relations a locked referral may need: consents and offer for sending, the person's anonymisation. */
export interface LockNeeds {
  consentsAndOffer?: boolean;
  anonymised?: boolean;
}

/**
 * Locks the referral `id` if `viewer` may change it, and reads it: one statement without
 * relations (`FOR UPDATE` returns the row as committed when the lock is granted), one more with
 * them, read after the lock so that their snapshot is taken after it (docs/NOTES.md). Null when
 * the viewer may not change it (then nothing was locked nor waited for).
 */
export async function lockReferral(
  sql: SqlRunner,
  viewer: Viewer | null,
  id: string,
  needs: LockNeeds = {},
): Promise<(Referral & Partial<LockedRelations>) | null> {
  const [locked] = await sql<Referral>(Prisma.sql`
    select "Referral".* from "Referral" where id = ${asUuid(id)}::uuid and ${visibleReferralsSql(viewer, 'write')}
    for update`);
  if (!locked || (!needs.consentsAndOffer && !needs.anonymised)) return locked ?? null;
  const row = jsonRowSql('Referral', 'r', {
    include: {
      consents: !!needs.consentsAndOffer,
      offer: !!needs.consentsAndOffer,
      person: needs.anonymised ? { select: { anonymisedAt: true } } : false,
    },
  })!;
  const [read] = await sql<{ row: Record<string, unknown> }>(
    Prisma.sql`select ${row} as row from "Referral" r where r.id = ${locked.id}::uuid`,
  );
  return read ? hydrate<Referral & LockedRelations>('Referral', read.row) : null;
}

type LockedRelations = Prisma.ReferralGetPayload<{
  include: { consents: true; offer: true; person: { select: { anonymisedAt: true } } };
}>;

/** A value of a history row: given, or an SQL expression over the INSERT's `from`. */
type Value<T> = T | Prisma.Sql;
const value = <T>(v: Value<T>): Prisma.Sql => (v instanceof Prisma.Sql ? v : Prisma.sql`${v}`);

/** What a change records in a referral's history. */
export interface EventRecord {
  type: string;
  fromStatus?: Value<ReferralStatus | null>;
  toStatus?: ReferralStatus | null;
  note?: string | null;
  /** The time of the row it records (message, consent): the history shows the same instant. */
  at?: Date;
}

/**
 * THE INSERT of history rows, every change's (`appendEvent`, `writeStep`): one row, or one per
 * row of `from` when values are expressions over it. `at` is the transaction's time unless given.
 */
export function eventInsertSql(
  referralId: Value<string>,
  actor: { userId: string | null; apiClientId: string | null; organisationId: Value<string> },
  event: EventRecord,
  from: Prisma.Sql = Prisma.empty,
): Prisma.Sql {
  return Prisma.sql`insert into "ReferralEvent"
    (id, "referralId", type, "fromStatus", "toStatus", "actorUserId", "actorApiClientId", "actorOrganisationId", note, at)
    select ${uuidv7()}::uuid, ${value(referralId)}::uuid, ${event.type}, ${value(event.fromStatus ?? null)}::"ReferralStatus",
      ${event.toStatus ?? null}::"ReferralStatus", ${actor.userId}::uuid, ${actor.apiClientId}::uuid,
      ${value(actor.organisationId)}::uuid, ${event.note ?? null}, coalesce(${event.at ?? null}::timestamptz, now())
    ${from === Prisma.empty ? Prisma.empty : Prisma.sql`from ${from}`}`;
}

/** The columns a step sets (besides its version, `updatedAt` and a first answer's time). */
export type StepChanges = Partial<
  Pick<
    Referral,
    'sentAt' | 'dueAt' | 'waitlisted' | 'statusReason' | 'declineReason' | 'outcome' | 'closedAt'
  >
>;

/** One step as a guarded write: where it may start, where it leads, what it writes. */
export interface StepWrite {
  referralId: string;
  viewer: Viewer | null;
  /** Who acts: the viewer's person or API client (the organisation is the side's). */
  actor: { userId: string | null; apiClientId: string | null };
  expectedVersion: number;
  /** The sides that may take it and from which statuses (from `transition`, the status machine). */
  allowed: readonly { side: Side; from: ReferralStatus }[];
  to: ReferralStatus;
  changes: StepChanges;
  /** An answer: `firstAnswerAt` is set unless the referral already has one. */
  firstAnswer: boolean;
  note: string | null;
  at: Date;
}

/**
 * A step in ONE statement: locks the referral if the viewer may change it, and only if its version
 * is the expected one and its status and the viewer's side are among `allowed`, writes it and its
 * history row (whose outbox row the trigger adds). Returns the row as written, or null when the
 * step may not be taken as it stands (nothing was written: the caller finds out why). Alone it is
 * a step's whole transaction; inside one that has locked and checked the referral, its write.
 */
export async function writeStep(sql: SqlRunner, step: StepWrite): Promise<Referral | null> {
  if (step.allowed.length === 0) return null;
  const set = Object.entries(step.changes)
    .filter(([, v]) => v !== undefined)
    .map(([column, v]) => Prisma.sql`${Prisma.raw(`"${column}"`)} = ${v}`);
  if (step.firstAnswer) set.push(Prisma.sql`"firstAnswerAt" = coalesce(r."firstAnswerAt", ${step.at})`);
  const allowed = step.allowed.map((a) => Prisma.sql`(${a.side}::text, ${a.from}::text)`);
  const event = eventInsertSql(
    Prisma.sql`ok.id`,
    { ...step.actor, organisationId: Prisma.sql`ok."organisationId"` },
    { type: 'STATUS_CHANGED', fromStatus: Prisma.sql`ok.status`, toStatus: step.to, note: step.note },
    Prisma.sql`ok`,
  );
  const [row] = await sql<Referral>(Prisma.sql`
    with locked as (
      select id, status, version, "senderOrganisationId", "receiverOrganisationId",
        ${actingSideSql(step.viewer)} as side
      from "Referral" where id = ${asUuid(step.referralId)}::uuid and ${visibleReferralsSql(step.viewer, 'write')}
      for update
    ), ok as (
      select id, status,
        case side when 'SENDER' then "senderOrganisationId" else "receiverOrganisationId" end as "organisationId"
      from locked
      where version = ${step.expectedVersion} and (side, status::text) in (values ${Prisma.join(allowed)})
    ), event as (${event})
    update "Referral" r set ${Prisma.join([
      Prisma.sql`status = ${step.to}::"ReferralStatus"`,
      ...set,
      Prisma.sql`version = r.version + 1`,
      Prisma.sql`"updatedAt" = ${step.at}`,
    ])}
    from ok where r.id = ok.id
    returning r.*`);
  return row ?? null;
}

/** The receipt of an earlier step under this idempotency key, if any. */
export async function idempotencyReceipt(
  sql: SqlRunner,
  scope: string,
  key: string,
): Promise<{ hash: string; referralId: string } | null> {
  const [row] = await sql<{ hash: string; referralId: string }>(
    Prisma.sql`select hash, "referralId" from "IdempotencyRecord" where scope = ${scope} and key = ${key}`,
  );
  return row ?? null;
}

/** Records a step's receipt under its idempotency key. */
export async function recordReceipt(
  sql: SqlRunner,
  receipt: { scope: string; key: string; hash: string; referralId: string },
): Promise<void> {
  await sql(Prisma.sql`insert into "IdempotencyRecord" (scope, key, hash, "referralId")
    values (${receipt.scope}, ${receipt.key}, ${receipt.hash}, ${receipt.referralId}::uuid)`);
}

/** A referral as it is now (a retried step's answer). */
export async function referralById(sql: SqlRunner, id: string): Promise<Referral | null> {
  const [row] = await sql<Referral>(Prisma.sql`select * from "Referral" where id = ${id}::uuid`);
  return row ?? null;
}
