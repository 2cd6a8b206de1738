/**
 * A page of offers with the relations a search result usually shows (organisation, sites,
 * themes), loaded in the search's own statement instead of one Prisma query per relation: on the
 * catalogue's hot path each Prisma query costs the hub ~1 ms of CPU (docs/NOTES.md). Rows come
 * back shaped like Prisma's, so Pothos resolves the nested fields from them; anything else the
 * query asks for (deeper relations) Pothos loads itself.
 */
import type { GraphQLResolveInfo } from 'graphql';
import { Prisma } from '../../generated/prisma/client.ts';
import { connectionNodeSelection, subFields } from '../../shared/selection.ts';

/**
 * Columns each GraphQL field reads, per model. A field missing here makes the loader serialise the
 * whole row for that object (always correct, only slower), so a new field never reads as null.
 */
const COLUMNS: Record<'Offer' | 'Organisation' | 'Site' | 'Theme', Record<string, string[]>> = {
  Offer: {
    id: [],
    __typename: [],
    organisation: [],
    sites: [],
    themes: [],
    title: ['title'],
    titleTranslations: ['title'],
    description: ['description'],
    descriptionTranslations: ['description'],
    status: ['status'],
    version: ['version'],
    audiences: ['audiences'],
    minAge: ['minAge'],
    maxAge: ['maxAge'],
    eligibility: ['eligibility'],
    languages: ['languages'],
    costKind: ['costKind'],
    costDescription: ['costDescription'],
    serviceArea: ['serviceArea'],
    schedule: ['schedule'],
    contact: ['contactName', 'contactEmail', 'contactPhone'],
    website: ['website'],
    capacity: ['capacityPlaces', 'capacityFree', 'waitlist', 'capacityUpdatedAt'],
    acceptsReferrals: ['acceptsReferrals'],
    referralRequirements: ['referralRequirements'],
    responseDays: ['responseDays'],
    publishedAt: ['publishedAt'],
    updatedAt: ['updatedAt'],
    missingTranslations: ['title', 'description', 'eligibility', 'referralRequirements'],
  },
  Organisation: {
    id: [],
    __typename: [],
    slug: ['slug'],
    name: ['name'],
    legalForm: ['legalForm'],
    kind: ['kind'],
    website: ['website'],
    description: ['description'],
    descriptionTranslations: ['description'],
    email: ['email'],
    phone: ['phone'],
    updatedAt: ['updatedAt'],
  },
  Site: {
    id: [],
    __typename: [],
    name: ['name'],
    street: ['street'],
    postcode: ['postcode'],
    commune: ['commune'],
    quarter: ['quarter'],
    country: ['country'],
    latitude: ['latitude'],
    longitude: ['longitude'],
    wheelchairAccessible: ['wheelchairAccessible'],
    accessibility: ['accessibility'],
    openingHours: ['openingHours'],
    version: ['version'],
    updatedAt: ['updatedAt'],
  },
  // A theme without a label shows its code.
  Theme: { id: [], __typename: [], code: ['code'], label: ['label', 'code'], labelTranslations: ['label'] },
};
/** Always loaded: ids and keys that authorisation and fallbacks need. */
const ALWAYS: Record<keyof typeof COLUMNS, string[]> = {
  Offer: ['id', 'organisationId', 'status'],
  Organisation: ['id', 'parentId'],
  Site: ['id', 'organisationId'],
  Theme: ['id', 'parentId'],
};

/** The JSON of one row: only the columns `fields` read, or the whole row when one is unknown. */
function rowJson(model: keyof typeof COLUMNS, alias: string, fields: Set<string> | undefined): Prisma.Sql {
  const columns = new Set(ALWAYS[model]);
  for (const field of fields ?? []) {
    const read = COLUMNS[model][field];
    if (!read) return Prisma.raw(model === 'Offer' ? `to_jsonb(${alias}) - 'search'` : `to_jsonb(${alias})`);
    for (const c of read) columns.add(c);
  }
  // json, not jsonb: PostgreSQL would parse each object into its binary form only to print it
  // again. A function takes at most 100 arguments: a wider row stays jsonb.
  const build = columns.size <= 50 ? 'json_build_object' : 'jsonb_build_object';
  return Prisma.raw(`${build}(${[...columns].map((c) => `'${c}', ${alias}."${c}"`).join(', ')})`);
}

/** What the `offers` query selects on its nodes: offer fields and those of each relation. */
export function pageSelection(info: GraphQLResolveInfo) {
  const offer = connectionNodeSelection(info);
  return {
    offer: new Set(offer.keys()),
    organisation: subFields(offer.get('organisation'), info.fragments),
    sites: subFields(offer.get('sites'), info.fragments),
    themes: subFields(offer.get('themes'), info.fragments),
  };
}
export type PageSelection = ReturnType<typeof pageSelection>;
/** No known selection: whole rows. */
export const EVERYTHING: PageSelection = {
  offer: new Set(['*']),
  organisation: new Set(['*']),
  sites: new Set(['*']),
  themes: new Set(['*']),
};

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
  return selection ? rowJson('Offer', 'o', selection.offer) : Prisma.raw(`to_jsonb(o) - 'search'`);
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

/** A row of `to_jsonb(o) - 'search' AS offer` plus relation columns, shaped as Prisma would. */
export function shapeOffer(
  row: { offer: Record<string, unknown> } & Partial<Record<Relation, unknown>>,
  relations: readonly Relation[],
): Record<string, unknown> {
  // The row's own object, freshly parsed: shaped in place (a copy was 5 % of a search's CPU).
  const offer = row.offer;
  // Prisma reads a NULL scalar list as []; so must we.
  for (const list of SCALAR_LISTS) offer[list] ??= [];
  for (const r of relations) offer[r] = row[r];
  return offer;
}
