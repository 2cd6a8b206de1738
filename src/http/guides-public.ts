/**
 * What residents get of a published guide, without a token:
 *
 * - `/guides/<slug>?lang=…[&week=YYYY-MM-DD]`: the printable page (guide-page.ts);
 * - `/guides/<slug>.ics?lang=…`: the iCalendar feed (guide-feeds.ts);
 * - `/guides/<slug>.geojson?lang=…`: the entries' sites around the shelter (guide-feeds.ts).
 *
 * Public and anonymous whatever the request carries (a token changes nothing: the pages are
 * cached publicly for a few minutes). An unknown, draft or archived guide is 404, all alike; an
 * unknown `lang` or a malformed `week` is 400 naming the parameter. Without `lang`, the first
 * language of Accept-Language the catalogue knows, else French.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseAcceptLanguage } from '../context.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { isLanguage, LANGUAGES, type Language } from '../modules/catalogue/translations.ts';
import { publicGuide } from '../modules/welcome/guide-public.service.ts';
import { localDate, mondayOf } from '../modules/welcome/guide-week.ts';
import { isDatabaseUnavailable } from './errors.ts';
import { guideGeoJson, renderGuideCalendar } from './guide-feeds.ts';
import { renderGuidePage, renderGuideProblem } from './guide-page.ts';
import { PAGE_STRINGS } from './guide-page.strings.ts';

export const GUIDES_PREFIX = '/guides/';
const ALLOW = 'GET, HEAD';
/** Short public caching: a change reaches readers within minutes, a printer's burst hits the cache. */
export const GUIDE_CACHE_CONTROL = 'public, max-age=300';
const PATH = /^([a-z0-9](?:[a-z0-9-]{0,98}[a-z0-9])?)(\.ics|\.geojson)?$/;
const HOST = /^(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
// No script may run on the page, whatever a text contains; styles are inline, QR codes inline SVG.
const PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export interface GuidesHttpOptions {
  prisma: PrismaClient;
  /** Whether X-Forwarded-Proto may be believed (TRUSTED_PROXY_HOPS > 0). */
  trustProxy: boolean;
  /** The clock (tests and benches pin it). */
  now?: () => Date;
}

type Format = 'html' | 'ics' | 'geojson';

class BadRequest extends Error {
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(message);
  }
}

function origin(req: IncomingMessage, trustProxy: boolean): string {
  const host = req.headers.host;
  const forwarded = req.headers['x-forwarded-proto'];
  const proto = trustProxy && typeof forwarded === 'string' && forwarded.split(',')[0]!.trim() === 'https';
  return `${proto ? 'https' : 'http'}://${host && HOST.test(host) ? host : 'localhost'}`;
}

function param(url: URL, name: string): string | undefined {
  const values = url.searchParams.getAll(name);
  if (values.length > 1) throw new BadRequest(name, `Query parameter "${name}" is given more than once.`);
  return values[0];
}

function language(url: URL, req: IncomingMessage): Language {
  const asked = param(url, 'lang');
  if (asked !== undefined) {
    const code = asked.trim().toLowerCase();
    if (!isLanguage(code)) {
      throw new BadRequest(
        'lang',
        `Unknown language "${asked}" in query parameter "lang": expected one of ${LANGUAGES.join(', ')}.`,
      );
    }
    return code;
  }
  return parseAcceptLanguage(req.headers['accept-language']).find(isLanguage) ?? 'fr';
}

function week(url: URL, today: string): string {
  const raw = param(url, 'week');
  if (raw === undefined) return mondayOf(today);
  const valid = DATE.test(raw) && new Date(`${raw}T00:00:00Z`).toISOString().startsWith(raw);
  if (!valid)
    throw new BadRequest('week', `Query parameter "week" must be a date as YYYY-MM-DD, not "${raw}".`);
  return mondayOf(raw);
}

function send(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  type: string,
  body: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    'x-content-type-options': 'nosniff',
    ...headers,
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

function problem(
  req: IncomingMessage,
  res: ServerResponse,
  format: Format,
  lang: Language,
  status: number,
  message: string,
  extra: { parameter?: string; headers?: Record<string, string> } = {},
): void {
  if (format === 'html') {
    return send(req, res, status, 'text/html; charset=utf-8', renderGuideProblem(lang, message), {
      'content-security-policy': PAGE_CSP,
      ...extra.headers,
    });
  }
  const body = JSON.stringify({ error: message, ...(extra.parameter ? { parameter: extra.parameter } : {}) });
  send(req, res, status, 'application/json; charset=utf-8', body, {
    'access-control-allow-origin': '*',
    ...extra.headers,
  });
}

/** Answers a request under /guides/. */
export async function handleGuides(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  opts: GuidesHttpOptions,
): Promise<void> {
  const match = PATH.exec(url.pathname.slice(GUIDES_PREFIX.length));
  const format: Format = match?.[2] === '.ics' ? 'ics' : match?.[2] === '.geojson' ? 'geojson' : 'html';
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('allow', ALLOW);
    return problem(req, res, format, 'en', 405, `Method ${req.method} not allowed: guides are read-only.`);
  }
  let lang: Language = 'fr';
  try {
    lang = language(url, req);
    const today = localDate((opts.now ?? (() => new Date()))());
    const monday = format === 'html' ? week(url, today) : mondayOf(today);
    const guide = match ? await publicGuide(opts.prisma, match[1]!, lang) : null;
    if (!guide) {
      const message = format === 'html' ? PAGE_STRINGS[lang].notFound : 'No published guide at this address.';
      return problem(req, res, format, lang, 404, message);
    }
    const common = {
      'cache-control': GUIDE_CACHE_CONTROL,
      'content-language': lang,
      'last-modified': guide.updatedAt.toUTCString(),
      vary: 'Accept-Language',
    };
    const base = origin(req, opts.trustProxy);
    if (format === 'ics') {
      return send(
        req,
        res,
        200,
        'text/calendar; charset=utf-8',
        renderGuideCalendar(guide, { origin: base, today }),
        {
          ...common,
          'content-disposition': `inline; filename="${guide.slug}.ics"`,
          'access-control-allow-origin': '*',
        },
      );
    }
    if (format === 'geojson') {
      return send(
        req,
        res,
        200,
        'application/geo+json',
        JSON.stringify(guideGeoJson(guide, { origin: base })),
        {
          ...common,
          'access-control-allow-origin': '*',
        },
      );
    }
    const page = await renderGuidePage(guide, { origin: base, monday, today });
    send(req, res, 200, 'text/html; charset=utf-8', page, { ...common, 'content-security-policy': PAGE_CSP });
  } catch (err) {
    if (err instanceof BadRequest) {
      return problem(req, res, format, lang, 400, err.message, { parameter: err.parameter });
    }
    if (isDatabaseUnavailable(err)) {
      return problem(req, res, format, lang, 503, 'The database is unavailable; try again shortly.', {
        headers: { 'retry-after': '5' },
      });
    }
    throw err;
  }
}
