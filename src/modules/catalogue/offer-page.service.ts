/**
 * A page of offers with the relations a search result usually shows (organisation, sites,
 * themes), loaded in the search's own statement instead of one Prisma query per relation: on the
 * catalogue's hot path each Prisma query costs the hub ~1 ms of CPU (docs/NOTES.md). Rows come
 * back shaped like Prisma's, so Pothos resolves the nested fields from them; anything else the
 * query asks for (deeper relations) Pothos loads itself.
 */
import { Prisma } from '../../generated/prisma/client.ts';

/** Relations this loader can fill; a query asking for others is left to Prisma. */
const RELATIONS = {
  organisation: Prisma.sql`(SELECT to_jsonb(g) FROM "Organisation" g WHERE g.id = o."organisationId")`,
  sites: Prisma.sql`(SELECT coalesce(jsonb_agg(to_jsonb(s) ORDER BY s.name, s.id), '[]'::jsonb)
    FROM "_OfferToSite" os JOIN "Site" s ON s.id = os."B" WHERE os."A" = o.id)`,
  themes: Prisma.sql`(SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY t.code), '[]'::jsonb)
    FROM "_OfferToTheme" ot JOIN "Theme" t ON t.id = ot."B" WHERE ot."A" = o.id)`,
} as const;
export type Relation = keyof typeof RELATIONS;
const SCALAR_LISTS = ['audiences', 'languages', 'serviceArea', 'themePath', 'communes'] as const;

/** The relations a Pothos query includes, or null when it asks for something we do not load. */
export function pageRelations(query: {
  include?: Record<string, unknown>;
  select?: unknown;
}): Relation[] | null {
  if (query.select) return null;
  const keys = Object.keys(query.include ?? {});
  return keys.every((k) => k in RELATIONS) ? (keys as Relation[]) : null;
}

/** SELECT-list columns that load the asked relations of the offer `o`. */
export function relationColumns(relations: readonly Relation[]): Prisma.Sql {
  if (relations.length === 0) return Prisma.empty;
  return Prisma.sql`, ${Prisma.join(
    relations.map((r) => Prisma.sql`${RELATIONS[r]} AS ${Prisma.raw(`"${r}"`)}`),
    ', ',
  )}`;
}

/** A row of `to_jsonb(o) - 'search' AS offer` plus relation columns, shaped as Prisma would. */
export function shapeOffer(
  row: { offer: Record<string, unknown> } & Partial<Record<Relation, unknown>>,
  relations: readonly Relation[],
): Record<string, unknown> {
  const offer: Record<string, unknown> = { ...row.offer };
  // Prisma reads a NULL scalar list as []; so must we.
  for (const list of SCALAR_LISTS) offer[list] ??= [];
  for (const r of relations) offer[r] = row[r];
  return offer;
}
