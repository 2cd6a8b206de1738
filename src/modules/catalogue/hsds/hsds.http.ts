/**
 * The read-only HSDS 3.0 API under /hsds (the Open Referral openapi's paths): `/`, `/services`,
 * `/services/{id}`, `/organizations`, `/organizations/{id}`, `/taxonomies`, `/taxonomies/{id}`,
 * `/taxonomy_terms`, `/taxonomy_terms/{id}`. Public (the published catalogue only) and open to
 * any origin. A bad query parameter answers 400 naming it; an unknown id 404; both as JSON
 * `{ "error": … }`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PrismaClient } from '../../../generated/prisma/client.ts';
import { sendJson } from '../../../http/body.ts';
import { sendPublicAnswer, type PublicCache } from '../../../http/public-cache.ts';
import { isDatabaseUnavailable } from '../../../shared/db/db-errors.ts';
import { SEARCH_MAX_LENGTH, SEARCH_MAX_WORDS, textProblem } from '../../../shared/input-limits.ts';
import {
  apiRoot,
  TAXONOMY_ID,
  toOrganization,
  toOrganizationSummary,
  toPage,
  toService,
  toServiceSummary,
  toTaxonomy,
  toTaxonomyTerm,
} from './hsds.mapping.ts';
import {
  allThemes,
  filterThemes,
  findOrganization,
  findOrganizations,
  findService,
  findServices,
  publicContentsOf,
  type HsdsFilter,
  type PageRequest,
} from './hsds.service.ts';

const CORS = { 'access-control-allow-origin': '*' };
const ALLOW = 'GET, HEAD, OPTIONS';
export const DEFAULT_PER_PAGE = 50;
export const MAX_PER_PAGE = 100;
const MAX_PAGE = 1_000_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A query parameter or path id the API cannot use: 400, naming it. */
export class HsdsBadRequest extends Error {
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(message);
  }
}

/** Everything the endpoints read from the query string, validated. */
export interface HsdsQuery extends HsdsFilter, PageRequest {
  full: boolean;
  fullService: boolean;
}

function bad(parameter: string, expected: string): never {
  throw new HsdsBadRequest(parameter, `Invalid query parameter "${parameter}": expected ${expected}.`);
}

function wholeNumber(parameter: string, raw: string, min: number, max: number): number {
  const n = /^\d{1,9}$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= min && n <= max)) bad(parameter, `a whole number from ${min} to ${max}`);
  return n;
}

function uuid(parameter: string, raw: string): string {
  if (!UUID.test(raw)) bad(parameter, 'a UUID');
  return raw.toLowerCase();
}

function flag(parameter: string, raw: string): boolean {
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  return bad(parameter, 'true or false');
}

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * An ISO 8601 date or date-time. A date-time without an offset is read as UTC, a date alone as
 * its midnight UTC. Impossible dates (February 30th) are refused rather than rolled over.
 */
export function parseDateTime(value: string): Date | null {
  // An unencoded "+01:00" arrives as " 01:00" (a plus is a space in a query string).
  const raw = value.replace(/(\d) (\d{2}:?\d{2})$/, '$1+$2');
  const m = DATE_TIME.exec(raw);
  if (!m) return null;
  const [, y, mo, d, h = '00', mi = '00', s = '00'] = m;
  if (
    Number(mo) < 1 ||
    Number(mo) > 12 ||
    Number(d) < 1 ||
    Number(h) > 23 ||
    Number(mi) > 59 ||
    Number(s) > 59
  ) {
    return null;
  }
  const days = new Date(Date.UTC(Number(y), Number(mo), 0)).getUTCDate();
  if (Number(d) > days) return null;
  const zone = m[7]
    ? m[7].toUpperCase() === 'Z'
      ? 'Z'
      : m[7].replace(/^([+-]\d{2})(\d{2})$/, '$1:$2')
    : 'Z';
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}${raw.match(/\.\d+/)?.[0] ?? ''}${zone}`);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Reads and checks the query string. Unknown parameters are ignored, as HTTP APIs do. */
export function parseQuery(params: URLSearchParams): HsdsQuery {
  const one = (name: string): string | undefined => {
    const values = params.getAll(name);
    if (values.length > 1)
      throw new HsdsBadRequest(name, `Query parameter "${name}" is given more than once.`);
    return values[0];
  };
  const q: HsdsQuery = { page: 1, perPage: DEFAULT_PER_PAGE, full: false, fullService: false };
  const page = one('page');
  if (page !== undefined) q.page = wholeNumber('page', page, 1, MAX_PAGE);
  const perPage = one('per_page');
  if (perPage !== undefined) q.perPage = wholeNumber('per_page', perPage, 1, MAX_PER_PAGE);
  const search = one('search')?.trim();
  // The same bounds as GraphQL's OfferFilter.text (src/shared/input-limits.ts).
  const problem = search
    ? textProblem(search, { maxLength: SEARCH_MAX_LENGTH, maxWords: SEARCH_MAX_WORDS })
    : null;
  if (problem) throw new HsdsBadRequest('search', `Query parameter "search" ${problem.message}.`);
  if (search) q.search = search;
  const ids = {
    taxonomy_term_id: 'taxonomyTermId',
    taxonomy_id: 'taxonomyId',
    organization_id: 'organizationId',
    parent_id: 'parentId',
  } as const;
  for (const [name, key] of Object.entries(ids)) {
    const raw = one(name);
    if (raw !== undefined) q[key] = uuid(name, raw);
  }
  const modifiedAfter = one('modified_after');
  if (modifiedAfter !== undefined) {
    q.modifiedAfter = parseDateTime(modifiedAfter) ?? bad('modified_after', 'an ISO 8601 date-time');
  }
  const full = one('full');
  if (full !== undefined) q.full = flag('full', full);
  const fullService = one('full_service');
  if (fullService !== undefined) q.fullService = flag('full_service', fullService);
  const topOnly = one('top_only');
  if (topOnly !== undefined) q.topOnly = flag('top_only', topOnly);
  const format = one('format');
  if (format !== undefined && format !== 'json') bad('format', '"json" (the only format served)');
  return q;
}

type Handler = (prisma: PrismaClient, q: HsdsQuery, id: string | undefined) => Promise<unknown>;

async function services(prisma: PrismaClient, q: HsdsQuery): Promise<unknown> {
  const [{ rows, total }, themes] = await Promise.all([
    findServices(prisma, q, q),
    q.full ? allThemes(prisma) : Promise.resolve([]),
  ]);
  const index = new Map(themes.map((t) => [t.id, t]));
  return toPage(
    rows.map((o) => (q.full ? toService(o, index) : toServiceSummary(o))),
    total,
    q.page,
    q.perPage,
  );
}

async function service(prisma: PrismaClient, _q: HsdsQuery, id: string | undefined): Promise<unknown> {
  const [row, themes] = await Promise.all([findService(prisma, id!), allThemes(prisma)]);
  return row ? toService(row, new Map(themes.map((t) => [t.id, t]))) : null;
}

/** A fully nested organization: services in their list shape unless `full_service=true`. */
async function organizationDocuments(
  prisma: PrismaClient,
  q: HsdsQuery,
  orgs: Parameters<typeof toOrganization>[0][],
) {
  const [contents, themes] = await Promise.all([
    publicContentsOf(
      prisma,
      orgs.map((o) => o.id),
    ),
    q.fullService ? allThemes(prisma) : Promise.resolve([]),
  ]);
  const index = new Map(themes.map((t) => [t.id, t]));
  return orgs.map((org) => {
    const { sites, offers } = contents.get(org.id) ?? { sites: [], offers: [] };
    const nested = offers.map((o) => {
      const doc = q.fullService ? toService(o, index, { withOrganization: false }) : toServiceSummary(o);
      delete doc.organization;
      return doc;
    });
    return toOrganization(org, sites, nested);
  });
}

async function organizations(prisma: PrismaClient, q: HsdsQuery): Promise<unknown> {
  const { rows, total } = await findOrganizations(prisma, q, q);
  const docs = q.full ? await organizationDocuments(prisma, q, rows) : rows.map(toOrganizationSummary);
  return toPage(docs, total, q.page, q.perPage);
}

async function organization(prisma: PrismaClient, q: HsdsQuery, id: string | undefined): Promise<unknown> {
  const org = await findOrganization(prisma, id!);
  return org ? (await organizationDocuments(prisma, q, [org]))[0] : null;
}

function taxonomies(_prisma: PrismaClient, q: HsdsQuery): Promise<unknown> {
  const taxonomy = toTaxonomy();
  const needle = q.search?.toLowerCase();
  const all =
    needle && !`${taxonomy.name as string} ${taxonomy.description as string}`.toLowerCase().includes(needle)
      ? []
      : [taxonomy];
  const start = (q.page - 1) * q.perPage;
  return Promise.resolve(toPage(all.slice(start, start + q.perPage), all.length, q.page, q.perPage));
}

function taxonomy(_prisma: PrismaClient, _q: HsdsQuery, id: string | undefined): Promise<unknown> {
  return Promise.resolve(id === TAXONOMY_ID ? toTaxonomy() : null);
}

async function taxonomyTerms(prisma: PrismaClient, q: HsdsQuery): Promise<unknown> {
  const themes = await allThemes(prisma);
  const index = new Map(themes.map((t) => [t.id, t]));
  const matching = filterThemes(themes, q);
  const start = (q.page - 1) * q.perPage;
  return toPage(
    matching.slice(start, start + q.perPage).map((t) => toTaxonomyTerm(t, index)),
    matching.length,
    q.page,
    q.perPage,
  );
}

async function taxonomyTerm(prisma: PrismaClient, _q: HsdsQuery, id: string | undefined): Promise<unknown> {
  const themes = await allThemes(prisma);
  const theme = themes.find((t) => t.id === id);
  return theme ? toTaxonomyTerm(theme, new Map(themes.map((t) => [t.id, t]))) : null;
}

/** Collection → [list handler, item handler, what an item is called in a 404]. */
const ROUTES: Record<string, [Handler, Handler, string]> = {
  services: [services, service, 'service'],
  organizations: [organizations, organization, 'organization'],
  taxonomies: [taxonomies, taxonomy, 'taxonomy'],
  taxonomy_terms: [taxonomyTerms, taxonomyTerm, 'taxonomy term'],
};

/** Answers a request under /hsds. */
export async function handleHsds(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  prisma: PrismaClient,
  cache?: PublicCache,
): Promise<void> {
  if (req.method === 'OPTIONS') {
    // CORS preflight, for browsers that send one (custom headers on a cross-origin GET).
    res.writeHead(204, {
      ...CORS,
      allow: ALLOW,
      'access-control-allow-methods': ALLOW,
      'access-control-allow-headers': req.headers['access-control-request-headers'] ?? '*',
      'access-control-max-age': '86400',
    });
    res.end();
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return sendJson(
      res,
      405,
      { error: `Method ${req.method} not allowed: the HSDS API is read-only.` },
      {
        ...CORS,
        allow: ALLOW,
      },
    );
  }
  const segments = url.pathname
    .replace(/^\/hsds\/?/, '')
    .split('/')
    .filter(Boolean);
  // Public data: answered from the public cache once read, emptied by any catalogue change.
  const key = cache?.enabled ? cache.key(['hsds', url.pathname, url.search]) : null;
  const hit = key ? cache!.lookup(key) : undefined;
  if (hit) return sendPublicAnswer(req, res, hit, 'hit');
  const ticket = cache?.ticket() ?? 0;
  try {
    let body: unknown;
    let what = 'resource';
    if (segments.length === 0) {
      body = apiRoot();
    } else {
      const route = segments.length <= 2 ? ROUTES[segments[0]!] : undefined;
      if (!route) return sendJson(res, 404, { error: `Nothing at ${url.pathname}.` }, CORS);
      const [list, item, name] = route;
      what = name;
      const query = parseQuery(url.searchParams);
      const rawId = segments[1];
      if (rawId === undefined) {
        body = await list(prisma, query, undefined);
      } else {
        const id = decodeSegment(rawId);
        if (!UUID.test(id)) throw new HsdsBadRequest('id', `Invalid ${name} id "${id}": expected a UUID.`);
        body = await item(prisma, query, id.toLowerCase());
      }
    }
    if (body === null) return sendJson(res, 404, { error: `No ${what} with id "${segments[1]}".` }, CORS);
    const answer = {
      status: 200,
      headers: { 'content-type': 'application/json; charset=utf-8', ...CORS },
      body: JSON.stringify(body),
    };
    if (key) cache!.store(key, ticket, answer);
    sendPublicAnswer(req, res, answer, key ? 'miss' : undefined);
  } catch (err) {
    if (err instanceof HsdsBadRequest)
      return sendJson(res, 400, { error: err.message, parameter: err.parameter }, CORS);
    if (isDatabaseUnavailable(err)) {
      return sendJson(
        res,
        503,
        { error: 'The database is unavailable; try again shortly.' },
        { ...CORS, 'retry-after': '5' },
      );
    }
    throw err;
  }
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment; // malformed escapes: the UUID check refuses it
  }
}
