/**
 * A page of offers with the relations a search result usually shows (organisation, sites,
 * themes), loaded in the search's own statement instead of one Prisma query per relation: on the
 * catalogue's hot path each Prisma query costs the hub ~1 ms of CPU (docs/NOTES.md). Rows come
 * back shaped like Prisma's, so Pothos resolves the nested fields from them; anything else the
 * query asks for (deeper relations) Pothos loads itself.
 */
import type { GraphQLObjectType, GraphQLResolveInfo, GraphQLSchema } from 'graphql';
import { Prisma } from '../../generated/prisma/client.ts';
import { checkedRow, fieldReads, typeReadsRow, type Shape } from '../../shared/db/prisma-json.ts';
import { connectionNodeSelection, subFields } from '../../shared/selection.ts';

type Model = 'Offer' | 'Organisation' | 'Site' | 'Theme';

/** Always loaded: ids and keys that authorisation and fallbacks need. */
const ALWAYS: Record<Model, string[]> = {
  Offer: ['id', 'organisationId', 'status'],
  Organisation: ['id', 'parentId'],
  Site: ['id', 'organisationId'],
  Theme: ['id', 'parentId'],
};

/**
 * The columns a row of `model` must hold for these GraphQL fields, as each field declares it
 * (`fieldReads`: `t.expose*`, a field's `select`); null (the whole row) when one does not say, so
 * a new field never reads as null. Relations a field's resolver reads whole are `pinned`.
 */
function columnsOf(
  model: Model,
  schema: GraphQLSchema,
  fields: Set<string> | undefined,
  pinned: Set<string>,
): string[] | null {
  const type = schema.getType(model) as GraphQLObjectType;
  if (typeReadsRow(type)) return null;
  const columns = new Set(ALWAYS[model]);
  for (const field of fields ?? []) {
    const reads = fieldReads(model, type, field);
    if (!reads) return null;
    for (const c of reads.columns) columns.add(c);
    for (const r of reads.relations) pinned.add(r);
  }
  return [...columns];
}

/** The JSON of one row: these columns, or the whole row (null). */
function rowJson(model: Model, alias: string, columns: string[] | null): Prisma.Sql {
  if (!columns) return Prisma.raw(model === 'Offer' ? `to_jsonb(${alias}) - 'search'` : `to_jsonb(${alias})`);
  // json, not jsonb: PostgreSQL would parse each object into its binary form only to print it
  // again. A function takes at most 100 arguments: a wider row stays jsonb.
  const build = columns.length <= 50 ? 'json_build_object' : 'jsonb_build_object';
  return Prisma.raw(`${build}(${columns.map((c) => `'${c}', ${alias}."${c}"`).join(', ')})`);
}

/** The columns the `offers` query reads of each offer and of each relation it shows. */
export function pageSelection(info: GraphQLResolveInfo) {
  const offer = connectionNodeSelection(info);
  const pinned = new Set<string>();
  const sub = (model: Model, relation: Relation) =>
    columnsOf(model, info.schema, subFields(offer.get(relation), info.fragments), pinned);
  const selection = {
    offer: columnsOf('Offer', info.schema, new Set(offer.keys()), pinned),
    organisation: sub('Organisation', 'organisation'),
    sites: sub('Site', 'sites'),
    themes: sub('Theme', 'themes'),
  };
  // A relation an offer field's resolver reads whole is read whole.
  for (const r of pinned) if (r in RELATIONS) selection[r as Relation] = null;
  return selection;
}
export type PageSelection = ReturnType<typeof pageSelection>;
/** No known selection: whole rows. */
export const EVERYTHING: PageSelection = { offer: null, organisation: null, sites: null, themes: null };

/** SQL for the offer row and each relation, reading only what the selection needs. */
function relationSql(relation: Relation, selection: PageSelection): Prisma.Sql {
  if (relation === 'organisation') {
    return Prisma.sql`(SELECT ${rowJson('Organisation', 'g', selection.organisation)} FROM "Organisation" g WHERE g.id = o."organisationId")`;
  }
  if (relation === 'sites') {
    return Prisma.sql`(SELECT coalesce(json_agg(${rowJson('Site', 's', selection.sites)} ORDER BY s.name, s.id), '[]'::json)
      FROM "_OfferToSite" os JOIN "Site" s ON s.id = os."B" WHERE os."A" = o.id)`;
  }
  return Prisma.sql`(SELECT coalesce(json_agg(${rowJson('Theme', 't', selection.themes)} ORDER BY t.code), '[]'::json)
    FROM "_OfferToTheme" ot JOIN "Theme" t ON t.id = ot."B" WHERE ot."A" = o.id)`;
}

export function offerJson(selection: PageSelection | null): Prisma.Sql {
  return rowJson('Offer', 'o', selection ? selection.offer : null);
}

/** Relations this loader can fill; a query asking for others is left to Prisma. */
const RELATIONS = { organisation: true, sites: true, themes: true } as const;
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
export function relationColumns(relations: readonly Relation[], selection: PageSelection): Prisma.Sql {
  if (relations.length === 0) return Prisma.empty;
  return Prisma.sql`, ${Prisma.join(
    relations.map((r) => Prisma.sql`${relationSql(r, selection)} AS ${Prisma.raw(`"${r}"`)}`),
    ', ',
  )}`;
}

/** The shape a page's rows were read with, for `checkedRow`. */
function readShape(selection: PageSelection, relations: readonly Relation[]): Shape {
  const select = (columns: string[]) => Object.fromEntries(columns.map((c) => [c, true]));
  if (!selection.offer) return {};
  const offer: Record<string, unknown> = select(selection.offer);
  for (const r of relations) {
    const columns = selection[r];
    offer[r] = columns ? { select: select(columns) } : true;
  }
  return { select: offer };
}

/** A row of `offer` plus relation columns, shaped as Prisma would. */
export function shapeOffer(
  row: { offer: Record<string, unknown> } & Partial<Record<Relation, unknown>>,
  relations: readonly Relation[],
  selection: PageSelection,
): Record<string, unknown> {
  // The row's own object, freshly parsed: shaped in place (a copy was 5 % of a search's CPU).
  const offer = row.offer;
  // Prisma reads a NULL scalar list as []; so must we.
  for (const list of SCALAR_LISTS) if (list in offer) offer[list] ??= [];
  for (const r of relations) offer[r] = row[r];
  return checkedRow('Offer', offer, readShape(selection, relations));
}
