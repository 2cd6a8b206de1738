/**
 * What residents get of a published guide, without a token:
 *
 * - `/guides/<slug>?lang=…[&week=YYYY-MM-DD]`: the printable page (guide-page.ts);
 * - `/guides/<slug>.ics?lang=…`: the iCalendar feed (guide-feeds.ts);
 * - `/guides/<slug>.geojson?lang=…`: the entries' sites around the shelter (guide-feeds.ts).
 *
 * Public and anonymous whatever the request carries (a token changes nothing: the pages are
 * cached publicly for a few minutes, then revalidated by ETag: 304 while the bytes are the same).
 * An unknown, draft or archived guide is 404, all alike; an unknown `lang` or a malformed `week` is
 * 400 naming the parameter. Without `lang`, the first language of Accept-Language the catalogue
 * knows, else French.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { parseAcceptLanguage } from '../context.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { isLanguage, LANGUAGES, type Language } from '../modules/catalogue/translations.ts';
import { publicGuide } from '../modules/welcome/guide-public.service.ts';
import { localDate, mondayOf } from '../modules/welcome/guide-week.ts';
import { isDatabaseUnavailable } from '../shared/db/db-errors.ts';
import { guideGeoJson, renderGuideCalendar } from './guide-feeds.ts';
import { renderGuidePage, renderGuideProblem } from './guide-page.ts';
import { PAGE_STRINGS } from './guide-page.strings.ts';
import { PRINTABLE_PAGE_CSP } from './html.ts';
import { etagOf, sentNotModified } from './public-cache.ts';

export const GUIDES_PREFIX = '/guides/';
const ALLOW = 'GET, HEAD';
/** Short public caching: a change reaches readers within minutes, a printer's burst hits the cache. */
export const GUIDE_CACHE_CONTROL = 'public, max-age=300';
const PATH = /^([a-z0-9](?:[a-z0-9-]{0,98}[a-z0-9])?)(\.ics|\.geojson)?$/;
const HOST = /^(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

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

type Coding = 'br' | 'gzip';

/** Smaller bodies (a problem, a small guide's feed) go as they are: compressing would not pay. */
const COMPRESS_FROM_BYTES = 1024;
/**
 * The fastest settings that still shrink a page of 100 entries (~420 KB, half of it QR codes) about
 * sevenfold (brotli 3, ~2.5 ms) or sixfold (gzip 2, ~2.4 ms); the defaults (brotli 11, gzip 6)
 * take 10 to 100 times longer for a few kilobytes less.
 */
const BROTLI_QUALITY = 3;
const GZIP_LEVEL = 2;
const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/**
 * The coding to answer in from Accept-Encoding (RFC 9110 §12.5.3): the one of brotli and gzip the
 * client weighs highest, brotli when they tie; none when it names neither (nor `*`) or refuses
 * them with q=0.
 */
export function chosenCoding(header: string | undefined): Coding | null {
  if (!header) return null;
  const weights = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.split(';');
    const coding = name.trim().toLowerCase();
    if (!coding) continue;
    let q = 1;
    for (const param of params) {
      const m = /^\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*$/i.exec(param);
      if (m) q = Number(m[1]);
    }
    weights.set(coding, q);
  }
  const weight = (coding: string) =>
    weights.get(coding) ?? (coding === 'gzip' ? weights.get('x-gzip') : undefined) ?? weights.get('*') ?? 0;
  const br = weight('br');
  const gz = weight('gzip');
  if (br <= 0 && gz <= 0) return null;
  return br >= gz ? 'br' : 'gzip';
}

async function compressed(body: Buffer, coding: Coding): Promise<Buffer> {
  return coding === 'br'
    ? brotli(body, {
        params: {
          [zlib.constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
          [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length,
        },
      })
    : gzip(body, { level: GZIP_LEVEL });
}

/** What a request gets, written by `send`. */
interface Reply {
  status: number;
  type: string;
  body: string;
  headers: Record<string, string>;
}

/**
 * Writes a reply: the body encoded to UTF-8 once, compressed when it is large enough and the client
 * accepts brotli or gzip (then `Vary: Accept-Encoding`, whichever coding this client got). A 200
 * carries a strong ETag of those bytes, and is 304 without a body when If-None-Match names it
 * (`sentNotModified`, as /hsds). HEAD gets the headers GET would get, Content-Length included.
 */
async function send(req: IncomingMessage, res: ServerResponse, reply: Reply): Promise<void> {
  let body: Buffer = Buffer.from(reply.body);
  const extra: Record<string, string> = {};
  let coding: Coding | null = null;
  if (body.length >= COMPRESS_FROM_BYTES) {
    const vary = reply.headers.vary;
    extra.vary = vary ? `${vary}, Accept-Encoding` : 'Accept-Encoding';
    coding = chosenCoding(req.headers['accept-encoding']);
    if (coding) extra['content-encoding'] = coding;
  }
  // A page, feed or map is its bytes: revalidated by ETag (one per coding), 304 before compressing.
  if (reply.status === 200) extra.etag = etagOf(body, coding ?? undefined);
  const headers = {
    'content-type': reply.type,
    'x-content-type-options': 'nosniff',
    ...reply.headers,
    ...extra,
  };
  if (extra.etag && sentNotModified(req, res, extra.etag, headers)) return;
  if (coding) body = await compressed(body, coding);
  res.writeHead(reply.status, { ...headers, 'content-length': body.length });
  res.end(req.method === 'HEAD' ? undefined : body);
}

function problem(
  format: Format,
  lang: Language,
  status: number,
  message: string,
  extra: { parameter?: string; headers?: Record<string, string> } = {},
): Reply {
  if (format === 'html') {
    return {
      status,
      type: 'text/html; charset=utf-8',
      body: renderGuideProblem(lang, message),
      headers: { 'content-security-policy': PRINTABLE_PAGE_CSP, ...extra.headers },
    };
  }
  return {
    status,
    type: 'application/json; charset=utf-8',
    body: JSON.stringify({ error: message, ...(extra.parameter ? { parameter: extra.parameter } : {}) }),
    headers: { 'access-control-allow-origin': '*', ...extra.headers },
  };
}

async function reply(
  req: IncomingMessage,
  url: URL,
  opts: GuidesHttpOptions,
  slug: string | undefined,
  format: Format,
): Promise<Reply> {
  let lang: Language = 'fr';
  try {
    lang = language(url, req);
    const today = localDate((opts.now ?? (() => new Date()))());
    const monday = format === 'html' ? week(url, today) : mondayOf(today);
    const guide = slug ? await publicGuide(opts.prisma, slug, lang) : null;
    if (!guide) {
      const message = format === 'html' ? PAGE_STRINGS[lang].notFound : 'No published guide at this address.';
      return problem(format, lang, 404, message);
    }
    const common = {
      'cache-control': GUIDE_CACHE_CONTROL,
      'content-language': lang,
      'last-modified': guide.updatedAt.toUTCString(),
      vary: 'Accept-Language',
    };
    const base = origin(req, opts.trustProxy);
    if (format === 'ics') {
      return {
        status: 200,
        type: 'text/calendar; charset=utf-8',
        body: renderGuideCalendar(guide, { origin: base, today }),
        headers: {
          ...common,
          'content-disposition': `inline; filename="${guide.slug}.ics"`,
          'access-control-allow-origin': '*',
        },
      };
    }
    if (format === 'geojson') {
      return {
        status: 200,
        type: 'application/geo+json',
        body: JSON.stringify(guideGeoJson(guide, { origin: base })),
        headers: { ...common, 'access-control-allow-origin': '*' },
      };
    }
    return {
      status: 200,
      type: 'text/html; charset=utf-8',
      body: await renderGuidePage(guide, { origin: base, monday, today }),
      headers: { ...common, 'content-security-policy': PRINTABLE_PAGE_CSP },
    };
  } catch (err) {
    if (err instanceof BadRequest) {
      return problem(format, lang, 400, err.message, { parameter: err.parameter });
    }
    if (isDatabaseUnavailable(err)) {
      return problem(format, lang, 503, 'The database is unavailable; try again shortly.', {
        headers: { 'retry-after': '5' },
      });
    }
    throw err;
  }
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
    const message = `Method ${req.method} not allowed: guides are read-only.`;
    return send(req, res, problem(format, 'en', 405, message));
  }
  await send(req, res, await reply(req, url, opts, match?.[1], format));
}
