/**
 * Queries behind the read-only HSDS API. Only what the public sees exists here (the catalogue's
 * rule, catalogue.access.ts, without a viewer: published offers): drafts, paused and withdrawn
 * offers, organisations without a published offer and sites that host none are never read. One
 * SQL statement picks a page of ids (filters, order), one counts, then Prisma loads the page's rows
 * with their relations.
 */
import {
  Prisma,
  type PrismaClient,
  type Organisation,
  type Site,
  type Theme,
} from '../../../generated/prisma/client.ts';
import { visibleOffersSql, visibleOffersWhere } from '../catalogue.access.ts';
import { TAXONOMY_ID, type OfferRow } from './hsds.mapping.ts';

/** The API is anonymous: it serves what the catalogue rule shows the public (no viewer). */
const PUBLIC = null;

/** Validated query parameters (hsds.http.ts parses them). */
export interface HsdsFilter {
  search?: string;
  taxonomyTermId?: string;
  taxonomyId?: string;
  organizationId?: string;
  modifiedAfter?: Date;
  parentId?: string;
  topOnly?: boolean;
}

export interface PageRequest {
  /** 1-based. */
  page: number;
  perPage: number;
}

export interface PageOf<T> {
  rows: T[];
  total: number;
}

const offerInclude = { organisation: true, themes: true, sites: true } as const;

/**
 * The text query of the catalogue search: French and German stemming and a plain configuration,
 * all accent-insensitive (the same expression as the GraphQL `offers` search, on the same index).
 */
function textQuery(text: string): Prisma.Sql {
  return Prisma.sql`(websearch_to_tsquery('maillage_fr', ${text}) || websearch_to_tsquery('maillage_de', ${text}) || websearch_to_tsquery('maillage_simple', ${text}))`;
}

/** `%text%` for LIKE, with the user's wildcards taken literally, accents and case folded. */
function containsPattern(text: string): Prisma.Sql {
  const escaped = text.toLowerCase().replace(/[\\%_]/g, (m) => `\\${m}`);
  return Prisma.sql`'%' || unaccent(${escaped}::text) || '%'`;
}

/** Ids of the theme and all its descendants. */
function subtree(themeId: string): Prisma.Sql {
  return Prisma.sql`(WITH RECURSIVE sub AS (
      SELECT id FROM "Theme" WHERE id = ${themeId}::uuid
      UNION SELECT t.id FROM "Theme" t JOIN sub ON t."parentId" = sub.id)
    SELECT id FROM sub)`;
}

/** Conditions on an offer `o`: published, then the filters. */
function offerConditions(f: HsdsFilter): Prisma.Sql {
  const parts: Prisma.Sql[] = [visibleOffersSql(PUBLIC, 'o')];
  if (f.search) parts.push(Prisma.sql`o.search @@ ${textQuery(f.search)}`);
  if (f.taxonomyTermId) {
    parts.push(
      Prisma.sql`EXISTS (SELECT 1 FROM "_OfferToTheme" ot WHERE ot."A" = o.id AND ot."B" IN ${subtree(f.taxonomyTermId)})`,
    );
  }
  if (f.taxonomyId !== undefined) {
    // One taxonomy: its id means "any theme", another id means nothing.
    parts.push(
      f.taxonomyId === TAXONOMY_ID
        ? Prisma.sql`EXISTS (SELECT 1 FROM "_OfferToTheme" ot WHERE ot."A" = o.id)`
        : Prisma.sql`false`,
    );
  }
  if (f.organizationId) parts.push(Prisma.sql`o."organisationId" = ${f.organizationId}::uuid`);
  if (f.modifiedAfter) {
    // A service document also shows its organisation, sites and themes: a change there counts.
    const t = f.modifiedAfter;
    parts.push(Prisma.sql`(o."updatedAt" >= ${t}
      OR EXISTS (SELECT 1 FROM "Organisation" g WHERE g.id = o."organisationId" AND g."updatedAt" >= ${t})
      OR EXISTS (SELECT 1 FROM "_OfferToSite" os JOIN "Site" s ON s.id = os."B" WHERE os."A" = o.id AND s."updatedAt" >= ${t})
      OR EXISTS (SELECT 1 FROM "_OfferToTheme" ot JOIN "Theme" th ON th.id = ot."B" WHERE ot."A" = o.id AND th."updatedAt" >= ${t}))`);
  }
  return Prisma.join(parts, ' AND ');
}

/** By relevance when searching, else by French title (then the other languages); id breaks ties. */
function offerOrder(f: HsdsFilter): Prisma.Sql {
  const byName = Prisma.sql`lower(unaccent(coalesce(o.title->>'fr', o.title->>'de', o.title->>'en', o.title->>'lb', ''))), o.id`;
  return f.search ? Prisma.sql`ts_rank_cd(o.search, ${textQuery(f.search)}) DESC, ${byName}` : byName;
}

async function idPage(
  prisma: PrismaClient,
  from: Prisma.Sql,
  where: Prisma.Sql,
  order: Prisma.Sql,
  page: PageRequest,
): Promise<{ ids: string[]; total: number }> {
  const [rows, count] = await Promise.all([
    prisma.$queryRaw<{ id: string }[]>`SELECT id FROM ${from} WHERE ${where} ORDER BY ${order}
      LIMIT ${page.perPage} OFFSET ${(page.page - 1) * page.perPage}`,
    prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM ${from} WHERE ${where}`,
  ]);
  return { ids: rows.map((r) => r.id), total: count[0]?.n ?? 0 };
}

/** Rows in the order of `ids`. */
function inOrder<T extends { id: string }>(ids: string[], rows: T[]): T[] {
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id)).filter((r): r is T => r !== undefined);
}

/** One page of published offers matching the filter. */
export async function findServices(
  prisma: PrismaClient,
  f: HsdsFilter,
  page: PageRequest,
): Promise<PageOf<OfferRow>> {
  const { ids, total } = await idPage(prisma, Prisma.sql`"Offer" o`, offerConditions(f), offerOrder(f), page);
  const rows = ids.length
    ? await prisma.offer.findMany({ where: { id: { in: ids } }, include: offerInclude })
    : [];
  return { rows: inOrder(ids, rows), total };
}

/** A published offer, or null (unknown, or not public). */
export function findService(prisma: PrismaClient, id: string): Promise<OfferRow | null> {
  return prisma.offer.findFirst({
    where: { id, AND: [visibleOffersWhere(PUBLIC)] },
    include: offerInclude,
  });
}

/** Organisations with at least one published offer: the others have nothing public to show. */
const publicOrganisation = Prisma.sql`EXISTS (SELECT 1 FROM "Offer" o WHERE o."organisationId" = g.id AND ${visibleOffersSql(PUBLIC, 'o')})`;

export async function findOrganizations(
  prisma: PrismaClient,
  f: HsdsFilter,
  page: PageRequest,
): Promise<PageOf<Organisation>> {
  const parts = [publicOrganisation];
  if (f.search) {
    parts.push(
      Prisma.sql`unaccent(lower(g.name || ' ' || maillage_text_values(g.description))) LIKE ${containsPattern(f.search)}`,
    );
  }
  if (f.modifiedAfter) parts.push(Prisma.sql`g."updatedAt" >= ${f.modifiedAfter}`);
  if (f.taxonomyTermId) {
    parts.push(Prisma.sql`EXISTS (SELECT 1 FROM "Offer" o JOIN "_OfferToTheme" ot ON ot."A" = o.id
      WHERE o."organisationId" = g.id AND ${visibleOffersSql(PUBLIC, 'o')} AND ot."B" IN ${subtree(f.taxonomyTermId)})`);
  }
  if (f.organizationId) parts.push(Prisma.sql`g.id = ${f.organizationId}::uuid`);
  const { ids, total } = await idPage(
    prisma,
    Prisma.sql`"Organisation" g`,
    Prisma.join(parts, ' AND '),
    Prisma.sql`lower(unaccent(g.name)), g.id`,
    page,
  );
  const rows = ids.length ? await prisma.organisation.findMany({ where: { id: { in: ids } } }) : [];
  return { rows: inOrder(ids, rows), total };
}

/** A public organisation (one with a published offer), or null. */
export function findOrganization(prisma: PrismaClient, id: string): Promise<Organisation | null> {
  return prisma.organisation.findFirst({ where: { id, offers: { some: visibleOffersWhere(PUBLIC) } } });
}

/** What organisations show publicly: their published offers and the sites that host them. */
export interface PublicContents {
  sites: Site[];
  offers: OfferRow[];
}

/**
 * The public contents of several organisations in two queries. A site used only by drafts may be
 * a place not yet public (a shelter's address, say), so it is left out.
 */
export async function publicContentsOf(
  prisma: PrismaClient,
  organisationIds: string[],
): Promise<Map<string, PublicContents>> {
  const [sites, offers] = await Promise.all([
    prisma.site.findMany({
      where: { organisationId: { in: organisationIds }, offers: { some: visibleOffersWhere(PUBLIC) } },
      orderBy: [{ name: 'asc' }, { id: 'asc' }],
    }),
    prisma.offer.findMany({
      where: { organisationId: { in: organisationIds }, AND: [visibleOffersWhere(PUBLIC)] },
      include: offerInclude,
    }),
  ]);
  const out = new Map<string, PublicContents>(organisationIds.map((id) => [id, { sites: [], offers: [] }]));
  for (const site of sites) out.get(site.organisationId)?.sites.push(site);
  for (const offer of offers.sort(byTitle)) out.get(offer.organisationId)?.offers.push(offer);
  return out;
}

/** By French title (else another language), as the lists are ordered. */
function byTitle(a: OfferRow, b: OfferRow): number {
  const title = (o: OfferRow) => {
    const t = (o.title ?? {}) as Record<string, string | undefined>;
    return (t.fr ?? t.de ?? t.en ?? t.lb ?? '').toLowerCase();
  };
  return title(a).localeCompare(title(b), 'fr') || a.id.localeCompare(b.id);
}

/** Every theme (a small table): the terms and the index that writes their paths. */
export function allThemes(prisma: PrismaClient): Promise<Theme[]> {
  return prisma.theme.findMany({ orderBy: [{ position: 'asc' }, { code: 'asc' }] });
}

/** Themes matching the taxonomy_terms filters, in their display order. */
export function filterThemes(themes: Theme[], f: HsdsFilter): Theme[] {
  const needle = f.search ? fold(f.search) : undefined;
  return themes.filter((t) => {
    if (f.taxonomyId !== undefined && f.taxonomyId !== TAXONOMY_ID) return false;
    if (f.parentId !== undefined && t.parentId !== f.parentId) return false;
    if (f.topOnly && t.parentId !== null) return false;
    if (needle) {
      const labels = Object.values((t.label ?? {}) as Record<string, unknown>).filter(
        (v) => typeof v === 'string',
      );
      if (![t.code, ...labels].some((text) => fold(text).includes(needle))) return false;
    }
    return true;
  });
}

/** Lower case without accents, for matching labels as the SQL side does with unaccent. */
function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}
