/**
 * What the events' script-free form pages share: the registration form (event-register.ts) and
 * the participant's manage page (event-manage.ts). Reading a request (one value a name, never a
 * NUL; the language asked or accepted; a form of a few kilobytes), answering it privately
 * (`no-store`, `no-referrer`, a CSP without script whose forms post only here), the problems that
 * stop a request before its page shows, and what both pages draw the same way: the document, the
 * language links, the edition's heading, the consents and a session's checkbox with its seats,
 * dates in the event's time zone.
 *
 * Each page keeps its own rules: what it reads from the form, the services it calls, how it
 * shows their errors, its own words and style.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseAcceptLanguage } from '../context.ts';
import type { EventEdition, EventSession, Prisma, PrismaClient } from '../generated/prisma/client.ts';
import type { AccountServices } from '../modules/accounts/account-services.ts';
import { localize } from '../modules/catalogue/translations.ts';
import type { SessionFullError } from '../modules/events/events.errors.ts';
import { EVENT_TIME_ZONE } from '../modules/events/public-event.service.ts';
import { isDatabaseUnavailable } from '../shared/db/db-errors.ts';
import { PayloadTooLargeError, readBody } from './body.ts';
import { MANAGE_STRINGS, type ManageStrings } from './event-manage.strings.ts';
import { EVENT_PAGE_LANGUAGES, isEventPageLanguage, type EventPageLanguage } from './event-page.strings.ts';
import { html, trusted, type Html } from './html.ts';
import type { Refusal } from './rate-limits.ts';

/** What server.ts gives a form page. */
export interface EventFormOptions {
  prisma: PrismaClient;
  /** Mail and the public address, as the hub is configured (the mails the services send). */
  services: Pick<AccountServices, 'mailer' | 'publicUrl'>;
  /** The hub's limits: wrong codes and tokens count with the address's failed authentications. */
  limits: {
    clientAddress(req: IncomingMessage): string;
    authenticationBlocked(address: string): Promise<Refusal | null>;
    authenticationFailed(address: string): Promise<void>;
  };
  /** The hub's MAX_BODY_BYTES (a form gets at most FORM_MAX_BYTES of it). */
  maxBodyBytes: number;
}

/** A form of these pages is a few kilobytes; the hub's body limit is for GraphQL documents. */
const FORM_MAX_BYTES = 32 * 1024;

// No script may run, whatever a name contains; forms post here only; no page may frame this one.
const PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
/**
 * On every answer, pages, download and redirects alike: an address may hold a registration code
 * or a manage token, a redirect the manage token.
 */
const PRIVATE_HEADERS = {
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-robots-tag': 'noindex',
};

/** A request the page does not understand: 400. */
export class BadRequest extends Error {}
/** A POST that is not `application/x-www-form-urlencoded`: 415. */
export class UnsupportedType extends Error {}

// --- The request ----------------------------------------------------------------------------------

/** Query or form parameters: one value each (a repeated one is a bad request), never a NUL. */
export class FormParams {
  constructor(private readonly params: URLSearchParams) {}
  one(name: string): string | undefined {
    const values = this.all(name);
    if (values.length > 1) throw new BadRequest(`"${name}" is given more than once.`);
    return values[0];
  }
  all(name: string): string[] {
    const values = this.params.getAll(name);
    if (values.some((v) => v.includes('\u0000'))) throw new BadRequest(`"${name}" holds a NUL character.`);
    return values;
  }
  has(name: string): boolean {
    return this.all(name).length > 0;
  }
}

/** `lang` asked explicitly, or null; an unknown one is a bad request. */
export function askedLanguage(params: FormParams): EventPageLanguage | null {
  const asked = params.one('lang');
  if (asked === undefined || asked === '') return null;
  const code = asked.trim().toLowerCase();
  if (!isEventPageLanguage(code)) throw new BadRequest(`Unknown language "${asked}".`);
  return code;
}

/** The first page language of Accept-Language, else French. */
export function acceptedLanguage(req: IncomingMessage): EventPageLanguage {
  return parseAcceptLanguage(req.headers['accept-language']).find(isEventPageLanguage) ?? 'fr';
}

/** The posted form, `application/x-www-form-urlencoded` only, of FORM_MAX_BYTES at most. */
export async function readForm(req: IncomingMessage, maxBodyBytes: number): Promise<FormParams> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    req.resume();
    throw new UnsupportedType();
  }
  const body = await readBody(req, Math.min(maxBodyBytes, FORM_MAX_BYTES));
  return new FormParams(new URLSearchParams(body));
}

// --- Answers --------------------------------------------------------------------------------------

/** A status, its message and headers: what a problem page says. */
export interface Problem {
  status: number;
  message: string;
  headers?: Record<string, string>;
}

/** What stops any request of these pages before the page can show; null: the page's to judge. */
export function requestProblemOf(err: unknown, w: ManageStrings): Problem | null {
  if (err instanceof BadRequest) return { status: 400, message: w.badRequest };
  if (err instanceof UnsupportedType) return { status: 415, message: w.unsupportedType };
  if (err instanceof PayloadTooLargeError) {
    return { status: 413, message: w.payloadTooLarge, headers: { connection: 'close' } };
  }
  if (isDatabaseUnavailable(err)) {
    return { status: 503, message: w.unavailable, headers: { 'retry-after': '5' } };
  }
  return null;
}

/** Any answer of these pages, with the private headers (HEAD: no body). */
export function sendPrivate(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  type: string,
  body: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    ...PRIVATE_HEADERS,
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    ...headers,
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** A page: private, in `lang`, under the CSP without script. */
export function sendPage(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  lang: EventPageLanguage,
  page: string,
  headers: Record<string, string> = {},
): void {
  sendPrivate(req, res, status, 'text/html; charset=utf-8', page, {
    'content-security-policy': PAGE_CSP,
    'content-language': lang,
    ...headers,
  });
}

/** 303 to `location` (after a POST, so that a reload does not send it again). */
export function seeOther(res: ServerResponse, location: string): void {
  res.writeHead(303, { ...PRIVATE_HEADERS, location, 'content-length': 0 });
  res.end();
}

/** The page of a problem: its message as title and heading, in the page's style. */
export function sendProblem(
  req: IncomingMessage,
  res: ServerResponse,
  lang: EventPageLanguage,
  style: string,
  { status, message, headers }: Problem,
): void {
  sendPage(
    req,
    res,
    status,
    lang,
    htmlDocument(lang, message, style, html`<main><h1>${message}</h1></main>`),
    headers,
  );
}

/** 405 to a method other than GET, HEAD and POST. */
export function sendMethodNotAllowed(
  req: IncomingMessage,
  res: ServerResponse,
  lang: EventPageLanguage,
  style: string,
): void {
  res.setHeader('allow', 'GET, HEAD, POST');
  sendProblem(req, res, lang, style, { status: 405, message: MANAGE_STRINGS[lang].methodNotAllowed });
}

// --- What the pages show --------------------------------------------------------------------------

/** The edition as both pages show it: its sessions in time order, its venue. */
export type EditionWithSessions = EventEdition & {
  sessions: EventSession[];
  venue: { name: string; street: string | null; postcode: string | null; commune: string } | null;
};

/** The `include` that reads an EditionWithSessions. */
export const EDITION_WITH_SESSIONS = {
  sessions: { orderBy: [{ startsAt: 'asc' }, { id: 'asc' }] },
  venue: { select: { name: true, street: true, postcode: true, commune: true } },
} satisfies Prisma.EventEditionInclude;

/** Confirmed seats and waitlist length of a session. */
export interface SeatCount {
  confirmed: number;
  waiting: number;
}

/** The seats taken in each session of an edition. */
export async function takenSeats(prisma: PrismaClient, editionId: string): Promise<Map<string, SeatCount>> {
  const rows = await prisma.registrationSeat.groupBy({
    by: ['sessionId', 'status'],
    where: { session: { editionId } },
    _count: { _all: true },
  });
  const taken = new Map<string, SeatCount>();
  for (const row of rows) {
    const c = taken.get(row.sessionId) ?? { confirmed: 0, waiting: 0 };
    if (row.status === 'CONFIRMED') c.confirmed = row._count._all;
    else c.waiting = row._count._all;
    taken.set(row.sessionId, c);
  }
  return taken;
}

/** The message of a SessionFullError: the full sessions by title, their waitlists; nothing written. */
export function sessionFullMessage(
  err: SessionFullError,
  sessions: readonly Pick<EventSession, 'id' | 'title'>[],
  lang: EventPageLanguage,
): string {
  const w = MANAGE_STRINGS[lang];
  const title = (id: string) =>
    localize(sessions.find((s) => s.id === id)?.title, [lang])?.text ?? w.sessionsLegend;
  return `${w.sessionFull(err.sessionIds.map(title), err.waitlistLengths)} ${w.nothingWritten}`;
}

/** Formatting in the reader's language, in Luxembourg's time (each page adds its words). */
export class EventWords {
  private readonly range: Intl.DateTimeFormat;
  private readonly day: Intl.DateTimeFormat;
  private readonly time: Intl.DateTimeFormat;
  protected readonly locale: string;

  constructor(readonly lang: EventPageLanguage) {
    const locale = `${lang}-u-ca-gregory-nu-latn`;
    this.locale = locale;
    const timeZone = EVENT_TIME_ZONE;
    this.range = new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeStyle: 'short', timeZone });
    this.day = new Intl.DateTimeFormat(locale, {
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      timeZone,
    });
    this.time = new Intl.DateTimeFormat(locale, {
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZone,
    });
  }
  /** "jeudi 17 novembre 2022, 09:00 – 17:00". */
  span(from: Date, to: Date): string {
    return this.range.formatRange(from, to);
  }
  /** "jeu. 17 nov., 09:30–10:30". */
  slot(from: Date, to: Date): string {
    return `${this.day.format(from)}, ${this.time.format(from)}–${this.time.format(to)}`;
  }
  text(value: unknown, fallback: string): string {
    return localize(value, [this.lang])?.text ?? fallback;
  }
}

/** A whole page: no index, no referrer, the page's style inline. */
export function htmlDocument(lang: EventPageLanguage, title: string, style: string, body: Html): string {
  return html`<!doctype html>
    <html lang="${lang}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <meta name="referrer" content="no-referrer" />
        <title>${title}</title>
        <style>
          ${trusted(style)}
        </style>
      </head>
      <body>
        ${body}
      </body>
    </html> `.value;
}

export const checked = (on: boolean) => (on ? trusted(' checked') : '');

/** A checkbox that posts `yes` when checked. */
export const checkBox = (name: string, on: boolean, label: string) =>
  html`<label class="check"
    ><input type="checkbox" name="${name}" value="yes" ${checked(on)} /> ${label}</label
  >`;

/** The links to the page in the other languages (`href` of each). */
export function languageLinks(w: EventWords, s: ManageStrings, href: (l: EventPageLanguage) => string): Html {
  return html`<nav class="languages" aria-label="${s.otherLanguages}">
    ${s.labelled(s.otherLanguages)}
    ${EVENT_PAGE_LANGUAGES.map(
      (l) =>
        html`<a
          href="${href(l)}"
          hreflang="${l}"
          lang="${l}"
          ${l === w.lang ? trusted('aria-current="page"') : ''}
          >${new Intl.DisplayNames([l], { type: 'language' }).of(l) ?? l}</a
        > `,
    )}
  </nav>`;
}

/** The page's kind, the edition's title, dates and venue, and a link back to its public page. */
export function editionHeading(
  w: EventWords,
  s: ManageStrings,
  edition: EditionWithSessions,
  words: { kicker: string; publicPage: string },
): Html {
  const v = edition.venue;
  const venue = v
    ? [v.name, v.street, [v.postcode, v.commune].filter(Boolean).join(' ')].filter(Boolean)
    : [];
  return html`<p class="kicker">${words.kicker}</p>
    <h1>${w.text(edition.title, edition.slug)}</h1>
    <p class="when">${w.span(edition.startsAt, edition.endsAt)}</p>
    ${venue.length ? html`<p class="venue">${s.labelled(s.venue)}${venue.join(', ')}</p>` : null}
    <p><a href="/events/${encodeURIComponent(edition.slug)}?lang=${w.lang}">${words.publicPage}</a></p>`;
}

/** The consents a person gives, as checked on the form. */
export interface Consents {
  showName: boolean;
  showOrganisation: boolean;
  showFunction: boolean;
  contactable: boolean;
}

/** The consent checkboxes, with what they mean. */
export function consentFieldset(s: ManageStrings, consents: Consents): Html {
  const box = (name: keyof Consents, label: string) => checkBox(name, consents[name], label);
  return html`<fieldset>
    <legend>${s.consentTitle}</legend>
    <p class="note">${s.consentIntro}</p>
    ${box('showName', s.showName)} ${box('showOrganisation', s.showOrganisation)}
    ${box('showFunction', s.showFunction)} ${box('contactable', s.contactable)}
  </fieldset>`;
}

/**
 * A session's checkbox: its time, title and room, and its seats left (or its waitlist). `full`:
 * the service refused it as full; `fullDescribedBy`, the id of the message that says so.
 */
export function sessionChoice(
  s: EventSession,
  w: EventWords,
  strings: ManageStrings,
  taken: SeatCount | undefined,
  state: { checked: boolean; full: boolean; fullDescribedBy?: string },
): Html {
  const { confirmed, waiting } = taken ?? { confirmed: 0, waiting: 0 };
  const seats =
    s.capacity === null
      ? strings.noSeatLimit
      : confirmed >= s.capacity
        ? strings.full(waiting)
        : strings.seatsLeft(s.capacity - confirmed);
  const invalid =
    state.full && state.fullDescribedBy
      ? html` aria-invalid="true" aria-describedby="${state.fullDescribedBy}"`
      : '';
  return html`<li${state.full ? trusted(' class="problem"') : ''}>
    <label
      ><input type="checkbox" name="session" value="${s.id}"${checked(state.checked)}${invalid} />
      <span class="slot">${w.slot(s.startsAt, s.endsAt)}</span> <strong>${w.text(s.title, '')}</strong>${
        s.room ? html` · ${strings.room} ${s.room}` : null
      }
      <small>(${seats})</small></label
    >
  </li>`;
}

/** The start of both pages' style: the page, its title and its header (each page adds its own). */
export const FORM_PAGE_STYLE = `
:root { color: #111; background: #fff; }
body {
  font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans", "DejaVu Sans", Roboto, Arial, sans-serif;
  font-size: 11pt; line-height: 1.45; margin: 0 auto; max-inline-size: 46rem; padding: 1rem;
}
h1 { font-size: 18pt; margin-block: 0 .3em; }
a { color: inherit; }
.kicker { font-weight: 600; margin: 0; }
.when, .venue { margin-block: .2em; }
.languages { font-size: 10pt; margin-block-end: 1em; }
.languages a { margin-inline-end: .6em; }
.languages a[aria-current] { font-weight: bold; text-decoration: none; }`;
