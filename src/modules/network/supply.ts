/**
 * The supply the gaps weigh demand against: per theme (and each of its ancestors) × commune,
 * the published offers there, their free places and how many have room (a free place, or no
 * place count). Commune '' is the whole country.
 *
 * Offers and places keep no history, so the supply of a past month is a reading: the refresh of
 * the network facts (one instance at a time, `network-facts.ts`) reads the catalogue into
 * `SupplyReading` for the current month when the month's reading is older than
 * SUPPLY_READING_MAX_AGE_MS. A month's last reading is then its supply at its close (at most
 * that old). The current month's supply is the catalogue now. A month the hub never read (before
 * it ran) has no supply.
 */
import type { PoolClient } from 'pg';
import { Prisma } from '../../generated/prisma/client.ts';
import type { Database } from '../../shared/db/client.ts';
import { WORKING_DAYS_TIME_ZONE } from '../referrals/working-days.ts';

/** A month's reading is taken again when it is older than this. */
export const SUPPLY_READING_MAX_AGE_MS = 60 * 60 * 1000;

export interface SupplyCell {
  code: string;
  /** '' is the whole country. */
  commune: string;
  offers: number;
  free: number;
  room: number;
}

export interface Supply {
  /** When the catalogue was read. */
  readAt: Date;
  /** Keyed by `${code} ${commune}`. */
  cells: Map<string, SupplyCell>;
}

export const supplyKey = (code: string, commune: string) => `${code} ${commune}`;

/** The one statement that reads the supply off the catalogue: every theme × commune with an offer. */
const SUPPLY_NOW = `
  SELECT p.code, m.commune, count(*)::int AS offers,
         coalesce(sum(o."capacityFree"), 0)::int AS free,
         (count(*) FILTER (WHERE o."capacityFree" IS NULL OR o."capacityFree" > 0))::int AS room
  FROM "Offer" o
  CROSS JOIN LATERAL (SELECT DISTINCT unnest(o."themePath") AS code) p
  CROSS JOIN LATERAL (SELECT DISTINCT unnest(o.communes || ARRAY['']) AS commune) m
  WHERE o.status = 'PUBLISHED'
  GROUP BY 1, 2`;

/** The same as one JSON array, what a reading keeps. */
const SUPPLY_NOW_JSON = `(SELECT coalesce(jsonb_agg(s ORDER BY s.code, s.commune), '[]') FROM (${SUPPLY_NOW}) s)`;

const asSupply = (readAt: Date, rows: readonly SupplyCell[]): Supply => ({
  readAt,
  cells: new Map(rows.map((r) => [supplyKey(r.code, r.commune), r])),
});

/** The catalogue's supply now. */
export async function supplyNow(db: Pick<Database, 'sql'>): Promise<Supply> {
  const rows = await db.sql<SupplyCell>(Prisma.raw(SUPPLY_NOW));
  return asSupply(new Date(), rows);
}

/** A past month's last reading, or null when the hub never read that month. */
export async function supplyOfMonth(db: Pick<Database, 'sql'>, month: string): Promise<Supply | null> {
  const [row] = await db.sql<{ readAt: Date; cells: SupplyCell[] }>(
    Prisma.sql`SELECT "readAt", cells FROM "SupplyReading" WHERE month = ${month}`,
  );
  return row ? asSupply(row.readAt, row.cells) : null;
}

/**
 * Reads the catalogue into this month's reading (Luxembourg's calendar) when it is older than
 * SUPPLY_READING_MAX_AGE_MS or missing, in the caller's transaction. True when it read.
 */
export async function readSupplyIfStale(client: Pick<PoolClient, 'query'>): Promise<boolean> {
  const { rowCount } = await client.query(
    `WITH m AS (SELECT to_char(now() AT TIME ZONE $1, 'YYYY-MM') AS month)
     INSERT INTO "SupplyReading" (month, "readAt", cells)
     SELECT m.month, now(), ${SUPPLY_NOW_JSON}
     FROM m
     WHERE NOT EXISTS (SELECT 1 FROM "SupplyReading" r
                       WHERE r.month = m.month AND r."readAt" > now() - make_interval(secs => $2))
     ON CONFLICT (month) DO UPDATE SET "readAt" = excluded."readAt", cells = excluded.cells`,
    [WORKING_DAYS_TIME_ZONE, SUPPLY_READING_MAX_AGE_MS / 1000],
  );
  return (rowCount ?? 0) > 0;
}

/**
 * The statement that writes readings of past months as the catalogue reads now, each dated
 * `readAt`, keeping any reading already there: for loaders of past history (the demo's year).
 */
export function backdatedSupplyReadings(months: readonly { month: string; readAt: Date }[]): Prisma.Sql {
  return Prisma.sql`
    INSERT INTO "SupplyReading" (month, "readAt", cells)
    SELECT m.month, m.read_at, ${Prisma.raw(SUPPLY_NOW_JSON)}
    FROM unnest(${months.map((m) => m.month)}::text[], ${months.map((m) => m.readAt)}::timestamptz[]) AS m(month, read_at)
    ON CONFLICT (month) DO NOTHING`;
}
