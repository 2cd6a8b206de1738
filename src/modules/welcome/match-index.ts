/**
 * The match index: what ranking reads of every offer (match.ts#MatchCandidate), kept in the hub
 * process so that `matchOffers` ranks a broad need (a few thousand candidates) without moving
 * them from PostgreSQL on every request. bench/match measured the per-request fetch at ~70 ms of
 * hub CPU and ~50 ms of PostgreSQL CPU for 2,000–3,600 candidates; the index costs one
 * primary-key read per request when nothing changed.
 *
 * Exact, never stale: before each ranking, `fresh()` reads "OfferChangeSequence" (numbered in
 * commit order by deferred triggers, migration `offer_changes`) and, when it moved, reloads the
 * offers named by the newer "OfferChange" rows, in one statement. A change committed before the
 * request started is therefore always seen, whichever hub process or tool made it. When the rows
 * it needs were pruned (a process idle for over a day), it reloads everything.
 *
 * Who sees what stays the catalogue's one rule: `candidates` filters with
 * catalogue.access.ts#offerVisibility, the predicate form of the rule `fetchCandidates` (Prisma,
 * in match.service.ts) applies in SQL; test/welcome/match.test.ts checks both give the same
 * candidates for each viewer, and that a change made behind the hub's back is seen at once.
 */
import { Prisma } from '../../generated/prisma/client.ts';
import type { SqlRunner } from '../../shared/db/client.ts';
import type { Viewer } from '../accounts/viewer.ts';
import { offerVisibility } from '../catalogue/catalogue.access.ts';
import type { MatchCandidate, MatchCriteria, ThemeTree } from './match.ts';

/** One candidate row as the loading statement returns it. */
type CandidateRow = MatchCandidate & { seq: string };

/**
 * What ranking reads of offers, in one hand-written statement: the open weekdays of the schedule
 * and the sites' coordinates and opening hours as JSON, nothing else. `seq` is the change number
 * the statement's snapshot has seen (the same on every row; the one row with a null id says it for
 * an empty catalogue). With `ids`, only those offers (those deleted come back as nothing).
 */
function loadStatement(ids: string[] | null): Prisma.Sql {
  return Prisma.sql`
    SELECT s.value::text AS seq, o.id, o."organisationId", o.status::text AS status,
      coalesce(o."themePath", '{}') AS "themePath", coalesce(o.languages, '{}') AS languages,
      coalesce(o.audiences::text[], '{}') AS audiences, o."minAge", o."maxAge",
      coalesce(o.communes, '{}') AS communes, o."capacityFree", o.waitlist,
      CASE WHEN jsonb_typeof(o.schedule) = 'array' THEN
        (SELECT jsonb_agg(jsonb_build_object('byday', e->'byday')) FROM jsonb_array_elements(o.schedule) e)
      END AS schedule,
      (SELECT coalesce(jsonb_agg(jsonb_build_object('latitude', st.latitude, 'longitude', st.longitude,
                'openingHours', st."openingHours") ORDER BY st.id), '[]'::jsonb)
         FROM "_OfferToSite" os JOIN "Site" st ON st.id = os."B" WHERE os."A" = o.id) AS sites
    FROM "OfferChangeSequence" s
    LEFT JOIN "Offer" o ON ${ids === null ? Prisma.sql`true` : Prisma.sql`o.id = ANY(${ids}::uuid[])`}
    WHERE s.id = 1`;
}

/** Theme, language and commune codes repeat across thousands of offers: one string each. */
class Interner {
  private readonly strings = new Map<string, string>();
  one(s: string): string {
    const known = this.strings.get(s);
    if (known !== undefined) return known;
    this.strings.set(s, s);
    return s;
  }
  all<T extends string>(list: readonly T[]): T[] {
    return list.map((s) => this.one(s) as T);
  }
}

export class MatchIndex {
  private readonly offers = new Map<string, MatchCandidate>();
  /** Theme code → the offers whose `themePath` holds it (a theme and everything below it). */
  private readonly byTheme = new Map<string, Map<string, MatchCandidate>>();
  private readonly interner = new Interner();
  /** The last change number applied; -1 before the first load. */
  private seen = -1n;
  /** Refreshes run one at a time; a request waits for one that read at least what it saw. */
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly sql: SqlRunner) {}

  /** How many offers the index holds (bench and tests). */
  get size(): number {
    return this.offers.size;
  }

  /**
   * Brings the index up to every change committed before the call: one statement when nothing
   * changed, two when some did (or the first time).
   */
  async fresh(): Promise<void> {
    const [state] = await this.sql<{ value: string; oldest: string | null }>(Prisma.sql`
      SELECT s.value::text AS value, (SELECT min(seq)::text FROM "OfferChange") AS oldest
      FROM "OfferChangeSequence" s WHERE s.id = 1`);
    if (!state) throw new Error('OfferChangeSequence has no row: run the migrations');
    const target = BigInt(state.value);
    if (this.seen >= target) return;
    const run = this.queue.then(async () => {
      if (this.seen >= target) return;
      const gap = this.seen < 0n || (state.oldest !== null && BigInt(state.oldest) > this.seen + 1n);
      if (gap) await this.loadAll();
      else await this.loadChanged(this.seen, target);
    });
    this.queue = run.catch(() => undefined);
    await run;
  }

  private async loadAll(): Promise<void> {
    const rows = await this.sql<CandidateRow>(loadStatement(null));
    this.offers.clear();
    this.byTheme.clear();
    for (const row of rows) if (row.id) this.put(row);
    this.seen = BigInt(rows[0]!.seq);
  }

  private async loadChanged(after: bigint, upTo: bigint): Promise<void> {
    const [changed] = await this.sql<{ ids: string[] | null }>(Prisma.sql`
      SELECT array_agg(DISTINCT id) AS ids
      FROM "OfferChange", unnest("offerIds") AS id
      WHERE seq > ${after.toString()}::bigint AND seq <= ${upTo.toString()}::bigint`);
    const ids = changed?.ids ?? [];
    // Read in the statement's own snapshot: possibly newer than `upTo`, never older.
    const rows = ids.length > 0 ? await this.sql<CandidateRow>(loadStatement(ids)) : [];
    for (const id of ids) this.remove(id);
    for (const row of rows) if (row.id) this.put(row);
    this.seen = upTo;
  }

  private put(row: CandidateRow): void {
    const i = this.interner;
    const offer: MatchCandidate = {
      id: row.id,
      organisationId: i.one(row.organisationId),
      status: i.one(row.status) as MatchCandidate['status'],
      themePath: i.all(row.themePath),
      languages: i.all(row.languages),
      audiences: i.all(row.audiences),
      minAge: row.minAge,
      maxAge: row.maxAge,
      communes: i.all(row.communes),
      capacityFree: row.capacityFree,
      waitlist: row.waitlist,
      schedule: row.schedule,
      sites: row.sites,
    };
    this.offers.set(offer.id, offer);
    for (const code of offer.themePath) {
      let offers = this.byTheme.get(code);
      if (!offers) this.byTheme.set(code, (offers = new Map<string, MatchCandidate>()));
      offers.set(offer.id, offer);
    }
  }

  private remove(id: string): void {
    const offer = this.offers.get(id);
    if (!offer) return;
    for (const code of offer.themePath) this.byTheme.get(code)?.delete(id);
    this.offers.delete(id);
  }

  /**
   * The candidates for `criteria`, as `fetchCandidates` selects them: offers the viewer may see
   * filed under an asked theme (or below it), or directly under an asked theme's parent (holding
   * none of the parent's children). Call `fresh()` first.
   */
  candidates(viewer: Viewer | null, criteria: MatchCriteria, tree: ThemeTree): MatchCandidate[] {
    const sees = offerVisibility(viewer);
    const out = new Set<MatchCandidate>();
    for (const code of criteria.themes) {
      for (const offer of this.byTheme.get(code)?.values() ?? []) if (sees(offer)) out.add(offer);
    }
    const parents = new Set(criteria.themes.flatMap((c) => tree.get(c)?.parent ?? []));
    for (const parent of parents) {
      const children = new Set([...tree].filter(([, t]) => t.parent === parent).map(([code]) => code));
      for (const offer of this.byTheme.get(parent)?.values() ?? []) {
        if (!offer.themePath.some((c) => children.has(c)) && sees(offer)) out.add(offer);
      }
    }
    return [...out];
  }
}

/** One index per database (per pool's runner), built on first use. */
const indexes = new WeakMap<SqlRunner, MatchIndex>();
export function matchIndex(sql: SqlRunner): MatchIndex {
  let index = indexes.get(sql);
  if (!index) indexes.set(sql, (index = new MatchIndex(sql)));
  return index;
}

/**
 * The change log is read only by running hubs, which are at most a request behind: rows older
 * than a day go (`npm run retention`). A hub idle for longer finds the gap and reloads everything.
 */
export async function pruneOfferChanges(sql: SqlRunner, now = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - 24 * 3600 * 1000);
  const [row] = await sql<{ n: number }>(Prisma.sql`
    WITH gone AS (DELETE FROM "OfferChange" WHERE at < ${cutoff} RETURNING 1)
    SELECT count(*)::int AS n FROM gone`);
  return row?.n ?? 0;
}
