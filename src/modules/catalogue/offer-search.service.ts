/**
 * Finding offers: one SQL statement picks the page of ids and counts the matches (full text, themes with their
 * sub-themes, communes, audiences, languages, places, referrals, organisation; ordered by
 * relevance, name or last update); the caller then loads the page with exactly the
 * fields asked for. The text search uses the GIN index on "Offer".search.
 */
import { Prisma, type PrismaClient } from '../../generated/prisma/client.ts';
import type { Audience, OfferStatus } from '../../generated/prisma/enums.ts';
import type { SqlRunner } from '../../shared/db/client.ts';
import { UnknownThemeError } from '../../shared/errors.ts';
import type { Viewer } from '../accounts/viewer.ts';
import { PUBLIC_OFFER_STATUS, visibleOffersSql } from './catalogue.access.ts';
import { canonicalCommunes } from './offer.service.ts';
import { demandMiss } from '../network/demand.ts';
import type { Logger } from '../../shared/logger.ts';
import type { PublicAnswer } from '../../context.ts';
import {
  EVERYTHING,
  offerJson,
  relationColumns,
  shapeOffer,
  type PageSelection,
  type Relation,
} from './offer-page.service.ts';
import { FALLBACK_CHAIN, isLanguage } from './translations.ts';

export type OfferOrder = 'RELEVANCE' | 'NAME' | 'UPDATED';

/**
 * The theme codes, to tell an unknown code from one with no offers. The taxonomy is public and
 * changes rarely: each process keeps it for a minute rather than asking on every search.
 */
const THEME_CODES_TTL_MS = 60_000;
const themeCodeCache = new WeakMap<PrismaClient, { codes: Set<string>; at: number }>();
async function themeCodes(prisma: PrismaClient): Promise<Set<string>> {
  let cached = themeCodeCache.get(prisma);
  if (!cached || Date.now() - cached.at > THEME_CODES_TTL_MS) {
    const rows = await prisma.theme.findMany({ select: { code: true } });
    cached = { codes: new Set(rows.map((r) => r.code)), at: Date.now() };
    themeCodeCache.set(prisma, cached);
  }
  return cached.codes;
}

export interface OfferFilter {
  text?: string | null;
  themes?: string[] | null;
  communes?: string[] | null;
  audiences?: Audience[] | null;
  languages?: string[] | null;
  hasFreePlaces?: boolean | null;
  acceptsReferrals?: boolean | null;
  organisationId?: string | null;
  /** Statuses other than PUBLISHED match only offers the viewer may see (catalogue.access.ts). */
  statuses?: OfferStatus[] | null;
}

/** The tsquery of a user's text in all three configurations (French, German, plain). */
export function textQuery(text: string): Prisma.Sql {
  return Prisma.sql`(websearch_to_tsquery('maillage_fr', ${text}) || websearch_to_tsquery('maillage_de', ${text}) || websearch_to_tsquery('maillage_simple', ${text}))`;
}

async function conditions(prisma: PrismaClient, viewer: Viewer | null, f: OfferFilter): Promise<Prisma.Sql> {
  const statuses = f.statuses?.length ? f.statuses : ([PUBLIC_OFFER_STATUS] as OfferStatus[]);
  const parts: Prisma.Sql[] = [
    Prisma.sql`o.status::text = ANY(${statuses}::text[]) AND ${visibleOffersSql(viewer, 'o')}`,
  ];
  const text = f.text?.trim();
  if (text) parts.push(Prisma.sql`o.search @@ ${textQuery(text)}`);
  if (f.themes?.length) {
    const codes = [...new Set(f.themes)];
    const known = await themeCodes(prisma);
    const unknown = codes.filter((c) => !known.has(c));
    if (unknown.length > 0) throw new UnknownThemeError(unknown, ['filter', 'themes']);
    // "themePath" holds each theme's ancestors too, so a theme matches its sub-themes (GIN index).
    parts.push(Prisma.sql`o."themePath" && ${codes}::text[]`);
  }
  if (f.communes?.length) {
    // "communes" holds the communes of the offer's sites and of its service area (GIN index).
    parts.push(Prisma.sql`o.communes && ${canonicalCommunes(f.communes, ['filter', 'communes'])}::text[]`);
  }
  if (f.audiences?.length) parts.push(Prisma.sql`o.audiences && ${f.audiences}::"Audience"[]`);
  if (f.languages?.length) parts.push(Prisma.sql`o.languages && ${f.languages}::text[]`);
  if (f.hasFreePlaces != null) {
    parts.push(
      f.hasFreePlaces ? Prisma.sql`o."capacityFree" > 0` : Prisma.sql`coalesce(o."capacityFree", 0) = 0`,
    );
  }
  if (f.acceptsReferrals != null) parts.push(Prisma.sql`o."acceptsReferrals" = ${f.acceptsReferrals}`);
  if (f.organisationId) parts.push(Prisma.sql`o."organisationId" = ${f.organisationId}::uuid`);
  return Prisma.join(parts, ' AND ');
}

function orderBy(order: OfferOrder, text: string | undefined, languages: readonly string[]): Prisma.Sql {
  if (order === 'RELEVANCE' && text) {
    return Prisma.sql`ts_rank_cd(o.search, ${textQuery(text)}) DESC, o."updatedAt" DESC, o.id`;
  }
  if (order === 'NAME') {
    const chain = [...languages.filter(isLanguage), ...FALLBACK_CHAIN];
    const title = Prisma.join(
      chain.map((l) => Prisma.sql`o.title->>${l}`),
      ', ',
    );
    return Prisma.sql`lower(unaccent(coalesce(${title}, ''))) ASC, o.id`;
  }
  return Prisma.sql`o."updatedAt" DESC, o.id`;
}

/**
 * One page of matching offers, best first, and how many match in all, in ONE statement (the
 * window count is computed before LIMIT). With `relations` the statement also returns the
 * offers themselves with those relations; without, only their ids.
 */
export async function searchOffers(
  {
    prisma,
    sql,
    logger,
    publicAnswer,
  }: {
    prisma: PrismaClient;
    sql: SqlRunner;
    logger?: Pick<Logger, 'warn'>;
    publicAnswer?: Pick<PublicAnswer, 'onServe'>;
  },
  viewer: Viewer | null,
  filter: OfferFilter,
  page: { order: OfferOrder; languages: readonly string[]; limit: number; offset: number; count: boolean },
  relations: readonly Relation[] | null = null,
  selection: PageSelection | null = null,
): Promise<{ ids: string[]; offers: Record<string, unknown>[] | null; totalCount: number | null }> {
  const where = await conditions(prisma, viewer, filter);
  const order = orderBy(page.order, filter.text?.trim() || undefined, page.languages);
  // The window count reads every match: only when the total is asked for.
  const total = page.count ? Prisma.sql`count(*) OVER ()::int AS total,` : Prisma.empty;
  const hits = Prisma.sql`SELECT o.id, ${total} row_number() OVER (ORDER BY ${order}) AS n
    FROM "Offer" o WHERE ${where} ORDER BY ${order} LIMIT ${page.limit} OFFSET ${page.offset}`;
  type Row = { id: string; total?: number; offer: Record<string, unknown> } & Partial<
    Record<Relation, unknown>
  >;
  // Which index a search starts from depends on how selective its words, themes and communes
  // are: such a statement is planned for its values each time, never from a cached plan
  // (bench/catalogue: prepared, the search's PostgreSQL CPU rose 4.0 -> 4.7 ms).
  const planForValues = {
    prepare: !(filter.text?.trim() || filter.themes?.length || filter.communes?.length),
  };
  const rows = await sql<Row>(
    relations
      ? Prisma.sql`WITH hits AS (${hits})
          SELECT h.id, ${page.count ? Prisma.sql`h.total,` : Prisma.empty} ${offerJson(selection)} AS offer ${relationColumns(relations, selection ?? EVERYTHING)}
          FROM hits h JOIN "Offer" o ON o.id = h.id ORDER BY h.n`
      : hits,
    planForValues,
  );
  let totalCount: number | null = page.count ? (rows[0]?.total ?? null) : null;
  if (totalCount === null && page.count) {
    // An empty page (past the end, or no match) carries no total: count apart.
    const count = await sql<{ n: number }>(
      Prisma.sql`SELECT count(*)::int AS n FROM "Offer" o WHERE ${where}`,
      planForValues,
    );
    totalCount = count[0]?.n ?? 0;
  }
  // A first page with nothing on it: unmet demand, counted by its themes and communes only, and
  // again each time the public cache gives this answer.
  if (rows.length === 0 && page.offset === 0 && filter.themes?.length) {
    const criteria = {
      themes: filter.themes,
      communes: filter.communes?.length ? canonicalCommunes(filter.communes, ['filter', 'communes']) : [],
    };
    const kind = filter.hasFreePlaces ? 'NO_FREE_PLACE' : 'NO_RESULT';
    const count = () =>
      void demandMiss(sql, 'SEARCH', kind, criteria).catch((err: unknown) =>
        logger?.warn({ err: (err as Error).message }, 'could not count a search miss'),
      );
    count();
    publicAnswer?.onServe.push(count);
  }
  return {
    ids: rows.map((r) => r.id),
    offers: relations ? rows.map((r) => shapeOffer(r, relations)) : null,
    totalCount,
  };
}
