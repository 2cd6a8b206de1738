/**
 * What anyone gets of a public edition (OPEN or CLOSED), without a token:
 *
 * - `/events/<edition-slug>?lang=fr|de|en`: the page (event-page.ts): programme, stands,
 *   participants as consent allows;
 * - `/events/<edition-slug>.ics?lang=…`: the programme as iCalendar (event-feeds.ts);
 * - `/events/<series-slug>[.ics]`: 302 to the series' newest public edition.
 *
 * Anonymous whatever the request carries. An unknown or DRAFT edition is 404, all alike; an
 * unknown `lang` is 400 naming the parameter; without `lang`, the first of fr, de, en that
 * Accept-Language names, else French.
 *
 * Caching: the page lists people by their consent, and a withdrawal must take them off at once,
 * so every cache revalidates it (`no-cache`); the programme feed holds no person (but speakers,
 * public by nature) and is cached for a few minutes. Both carry a strong ETag of their bytes and
 * answer 304 to an If-None-Match that names it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseAcceptLanguage } from '../context.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { newestPublicEditionSlug, publicEdition } from '../modules/events/public-event.service.ts';
import { isDatabaseUnavailable } from '../shared/db/db-errors.ts';
import { renderEditionCalendar } from './event-feeds.ts';
import { renderEventPage, renderEventProblem } from './event-page.ts';
import {
  EVENT_PAGE_LANGUAGES,
  EVENT_PAGE_STRINGS,
  isEventPageLanguage,
  type EventPageLanguage,
} from './event-page.strings.ts';
import { PRINTABLE_PAGE_CSP } from './html.ts';
import { etagOf, sentNotModified } from './public-cache.ts';

export const EVENTS_PREFIX = '/events/';
const ALLOW = 'GET, HEAD';
/** The page: revalidated every time (consent is withdrawn at once). */
export const EVENT_PAGE_CACHE_CONTROL = 'no-cache';
/** The programme feed: short public caching. */
export const EVENT_FEED_CACHE_CONTROL = 'public, max-age=300';
const PATH = /^([a-z0-9](?:[a-z0-9-]{0,98}[a-z0-9])?)(\.ics)?$/;
const HOST = /^(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

export interface EventsHttpOptions {
  prisma: PrismaClient;
  /** Whether X-Forwarded-Proto may be believed (TRUSTED_PROXY_HOPS > 0). */
  trustProxy: boolean;
  /** The clock (tests pin it). */
  now?: () => Date;
}

type Format = 'html' | 'ics';

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

function language(url: URL, req: IncomingMessage): EventPageLanguage {
  const values = url.searchParams.getAll('lang');
  if (values.length > 1) throw new BadRequest('lang', 'Query parameter "lang" is given more than once.');
  const asked = values[0];
  if (asked !== undefined) {
    const code = asked.trim().toLowerCase();
    if (!isEventPageLanguage(code)) {
      throw new BadRequest(
        'lang',
        `Unknown language "${asked}" in query parameter "lang": expected one of ${EVENT_PAGE_LANGUAGES.join(', ')}.`,
      );
    }
    return code;
  }
  return parseAcceptLanguage(req.headers['accept-language']).find(isEventPageLanguage) ?? 'fr';
}

function send(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  type: string,
  body: string,
  headers: Record<string, string> = {},
): void {
  const all: Record<string, string> = {
    'content-type': type,
    'x-content-type-options': 'nosniff',
    ...headers,
  };
  // A page or feed is its bytes: revalidated by ETag, 304 while they are the same (as /hsds).
  if (status === 200) {
    all.etag = etagOf(body);
    if (sentNotModified(req, res, all.etag, all)) return;
  }
  res.writeHead(status, { ...all, 'content-length': Buffer.byteLength(body) });
  res.end(req.method === 'HEAD' ? undefined : body);
}

function problem(
  req: IncomingMessage,
  res: ServerResponse,
  format: Format,
  lang: EventPageLanguage,
  status: number,
  message: string,
  extra: { parameter?: string; headers?: Record<string, string> } = {},
): void {
  if (format === 'html') {
    return send(req, res, status, 'text/html; charset=utf-8', renderEventProblem(lang, message), {
      'content-security-policy': PRINTABLE_PAGE_CSP,
      ...extra.headers,
    });
  }
  const body = JSON.stringify({ error: message, ...(extra.parameter ? { parameter: extra.parameter } : {}) });
  send(req, res, status, 'application/json; charset=utf-8', body, {
    'access-control-allow-origin': '*',
    ...extra.headers,
  });
}

/** Answers a request under /events/. */
export async function handleEvents(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  opts: EventsHttpOptions,
): Promise<void> {
  const match = PATH.exec(url.pathname.slice(EVENTS_PREFIX.length));
  const format: Format = match?.[2] === '.ics' ? 'ics' : 'html';
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('allow', ALLOW);
    return problem(
      req,
      res,
      format,
      'en',
      405,
      `Method ${req.method} not allowed: event pages are read-only.`,
    );
  }
  let lang: EventPageLanguage = 'fr';
  try {
    lang = language(url, req);
    const slug = match?.[1];
    const edition = slug ? await publicEdition(opts.prisma, slug, lang) : null;
    if (!edition) {
      // A series' address leads to its newest public edition.
      const newest = slug ? await newestPublicEditionSlug(opts.prisma, slug) : null;
      if (newest) {
        const location = `${EVENTS_PREFIX}${encodeURIComponent(newest)}${match?.[2] ?? ''}${url.search}`;
        return send(req, res, 302, 'text/plain; charset=utf-8', `See ${location}`, {
          location,
          'cache-control': 'no-cache',
        });
      }
      const message =
        format === 'html' ? EVENT_PAGE_STRINGS[lang].notFound : 'No public event at this address.';
      return problem(req, res, format, lang, 404, message);
    }
    const common = { 'content-language': lang, vary: 'Accept-Language' };
    const base = origin(req, opts.trustProxy);
    if (format === 'ics') {
      return send(
        req,
        res,
        200,
        'text/calendar; charset=utf-8',
        renderEditionCalendar(edition, { origin: base, lang }),
        {
          ...common,
          'cache-control': EVENT_FEED_CACHE_CONTROL,
          'last-modified': edition.programmeUpdatedAt.toUTCString(),
          'content-disposition': `inline; filename="${edition.slug}.ics"`,
          'access-control-allow-origin': '*',
        },
      );
    }
    const now = (opts.now ?? (() => new Date()))();
    send(req, res, 200, 'text/html; charset=utf-8', renderEventPage(edition, { origin: base, lang, now }), {
      ...common,
      'cache-control': EVENT_PAGE_CACHE_CONTROL,
      'content-security-policy': PRINTABLE_PAGE_CSP,
    });
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
