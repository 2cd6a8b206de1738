/**
 * A participant's manage page, the link of the confirmation mail (`/events/manage?token=evm_…`):
 * no account and no script. GET reads the registration (edition, details, sessions with seat or
 * waitlist position, consents, contact exchanges); POST (a form, `application/x-www-form-urlencoded`,
 * the token in a hidden field) does one `action`:
 *
 * - `update`: consents, function, accessibility needs and sessions, with `expectedVersion`;
 * - `cancel`; `delete` (a first POST asks "are you sure", a second with `confirm=yes` erases);
 * - `export`: the JSON download of everything held;
 * - `contacts` (search by organisation and theme), `request` (an exchange), `answer` (accept or not).
 *
 * Every rule is the services' (registration.service.ts, contacts.service.ts): this file parses the
 * form, calls them and renders what they answer; their typed errors become a message on the page,
 * nothing written. A change answers 303 to the GET address, so that a reload does not send it
 * again.
 *
 * The token: a wrong or unknown one is the same 404 page and counts as a wrong guess of the
 * client's address, with failed authentications (the GraphQL context's `secretGuesses`, built from
 * the hub's limits); too many, and the address gets 429 for a while, right token or not. The page
 * carries the token in its address and forms, so: `Referrer-Policy: no-referrer` (no link leaks
 * it), `Cache-Control: no-store`, and a CSP without script whose forms post only here.
 *
 * Language: `?lang=` (or the form's `lang`), else the registration's own, else Accept-Language.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SecretGuesses } from '../context.ts';
import { secretGuessesOf } from './rate-limits.ts';
import type {
  EventEdition,
  EventSession,
  PrismaClient,
  Registration,
  SeatStatus,
} from '../generated/prisma/client.ts';
import { localize } from '../modules/catalogue/translations.ts';
import {
  answerContactExchange,
  exchangesOf,
  findContacts,
  requestContactExchange,
  type ContactCard,
} from '../modules/events/contacts.service.ts';
import {
  RegistrationClosedError,
  SessionFullError,
  TooManyTriesError,
} from '../modules/events/events.errors.ts';
import { EVENT_TIME_ZONE } from '../modules/events/public-event.service.ts';
import {
  cancelRegistration,
  deleteRegistration,
  exportRegistration,
  heldRegistration,
  updateRegistration,
  type RegistrationChanges,
} from '../modules/events/registration.service.ts';
import {
  ForbiddenError,
  InvalidInputError,
  InvalidTransitionError,
  NotFoundError,
  VersionConflictError,
} from '../shared/errors.ts';
import {
  acceptedLanguage,
  askedLanguage,
  BadRequest,
  checkBox,
  consentFieldset,
  EDITION_WITH_SESSIONS,
  editionHeading,
  EventWords,
  FORM_PAGE_STYLE,
  FormParams,
  htmlDocument,
  languageLinks,
  readForm,
  requestProblemOf,
  seeOther,
  sendMethodNotAllowed,
  sendPage,
  sendPrivate,
  sendProblem,
  sessionChoice,
  sessionFullMessage,
  takenSeats,
  type EditionWithSessions,
  type EventFormOptions,
  type Problem,
  type SeatCount,
} from './event-forms.ts';
import {
  MANAGE_NOTICES,
  MANAGE_STRINGS,
  type ManageField,
  type ManageNotice,
  type ManageStrings,
} from './event-manage.strings.ts';
import { isEventPageLanguage, type EventPageLanguage } from './event-page.strings.ts';
import { html, trusted, type Html } from './html.ts';

/** The page's address (server.ts routes it before `/events/<slug>`, which would take it). */
export const EVENT_MANAGE_PATH = '/events/manage';

/** As `requestContactExchange`'s GraphQL input and `updateRegistration`'s `sessionIds`. */
const MESSAGE_MAX = 1000;
const SESSIONS_MAX = 50;
const THEME_MAX = 100;
const CONTACTS_SHOWN = 50;

/** Mail, the public address and the hub's limits: wrong tokens count with failed authentications. */
export type EventManageOptions = EventFormOptions;

const localeLanguage = (locale: string): EventPageLanguage => (isEventPageLanguage(locale) ? locale : 'fr');

/** The GET address of the page (what a change redirects to). */
function pageUrl(token: string, asked: EventPageLanguage | null, extra: Record<string, string> = {}): string {
  const query = new URLSearchParams({ token, ...(asked ? { lang: asked } : {}), ...extra });
  return `${EVENT_MANAGE_PATH}?${query.toString()}`;
}

// --- The request ----------------------------------------------------------------------------------

/** Answers a request for `/events/manage`. */
export async function handleEventManage(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  opts: EventManageOptions,
): Promise<void> {
  let lang = acceptedLanguage(req);
  try {
    if (req.method === 'GET' || req.method === 'HEAD') {
      const query = new FormParams(url.searchParams);
      const asked = askedLanguage(query);
      if (asked) lang = asked;
      if (query.one('deleted') === '1' && query.one('token') === undefined) {
        return sendPage(req, res, 200, lang, renderDeletedPage(lang, deletedCounts(query)));
      }
      const guesses = secretGuessesOf(opts.limits, opts.limits.clientAddress(req));
      const token = query.one('token') ?? '';
      const me = await heldRegistration(opts.prisma, { token }, guesses);
      lang = asked ?? localeLanguage(me.locale);
      const done = query.one('done');
      const notice = MANAGE_NOTICES.find((n) => n === done) ?? null;
      const view = await loadView(opts.prisma, me, lang);
      return sendPage(req, res, 200, lang, renderManagePage(view, { token, asked, notice }));
    }
    if (req.method === 'POST') {
      const form = await readForm(req, opts.maxBodyBytes);
      const asked = askedLanguage(form);
      if (asked) lang = asked;
      return await post(req, res, opts, form, asked, (l) => (lang = l));
    }
    return sendMethodNotAllowed(req, res, lang, STYLE);
  } catch (err) {
    const problem = problemOf(err, MANAGE_STRINGS[lang]);
    if (!problem) throw err;
    return sendProblem(req, res, lang, STYLE, problem);
  }
}

/** The page for what stops a request before the manage page can show; null: unexpected. */
function problemOf(err: unknown, w: ManageStrings): Problem | null {
  // Unknown, wrong, malformed or missing token: one page for all (heldRegistration counted it).
  if (err instanceof NotFoundError) return { status: 404, message: w.notFound };
  if (err instanceof TooManyTriesError) {
    const wait = err.retryAfterSeconds;
    return { status: 429, message: w.tooManyTries(wait), headers: { 'retry-after': String(wait) } };
  }
  return requestProblemOf(err, w);
}

/** What one POST works with: the registration held, and how to answer about it. */
interface Posted {
  req: IncomingMessage;
  res: ServerResponse;
  opts: EventManageOptions;
  form: FormParams;
  token: string;
  guesses: SecretGuesses;
  me: Registration;
  lang: EventPageLanguage;
  asked: EventPageLanguage | null;
}

async function post(
  req: IncomingMessage,
  res: ServerResponse,
  opts: EventManageOptions,
  form: FormParams,
  asked: EventPageLanguage | null,
  setLanguage: (lang: EventPageLanguage) => void,
): Promise<void> {
  const guesses = secretGuessesOf(opts.limits, opts.limits.clientAddress(req));
  const token = form.one('token') ?? '';
  // The token first, whatever the action: a wrong one is the 404 page, counted once.
  const me = await heldRegistration(opts.prisma, { token }, guesses);
  const lang = asked ?? localeLanguage(me.locale);
  setLanguage(lang);
  const p: Posted = { req, res, opts, form, token, guesses, me, lang, asked };
  switch (form.one('action')) {
    case 'update':
      return update(p);
    case 'cancel':
      await cancelRegistration(opts.prisma, opts.services, { token }, guesses);
      return seeOther(res, pageUrl(token, asked, { done: 'cancelled' }));
    case 'delete':
      return remove(p);
    case 'export':
      return download(p);
    case 'contacts':
      return searchContacts(p);
    case 'request':
      return requestExchange(p);
    case 'answer':
      return answerExchange(p);
    default:
      throw new BadRequest('Unknown action.');
  }
}

/** The page again, as it stands now, with a message (a change refused: nothing written). */
async function again(p: Posted, status: number, state: Partial<PageState>): Promise<void> {
  const view = await loadView(p.opts.prisma, p.me, p.lang);
  sendPage(
    p.req,
    p.res,
    status,
    p.lang,
    renderManagePage(view, { token: p.token, asked: p.asked, notice: null, ...state }),
  );
}

async function update(p: Posted): Promise<void> {
  const { form, me } = p;
  const fn = form.one('function');
  const needs = form.one('accessibilityNeeds');
  const expectedVersion = Number(form.one('expectedVersion'));
  if (!Number.isSafeInteger(expectedVersion)) throw new BadRequest('"expectedVersion" is not a number.');
  const asked = form.all('session');
  if (asked.length > SESSIONS_MAX) throw new BadRequest('Too many sessions.');
  // A session taken off the programme since the page was read (`cancelSession`) is no longer
  // chosen: its seats went with it, and the rest of the form still counts.
  const programme = await p.opts.prisma.eventSession.findMany({
    where: { editionId: me.editionId },
    select: { id: true },
  });
  const offered = new Set(programme.map((x) => x.id));
  const sessionIds = asked.filter((id) => offered.has(id));
  const draft: Draft = {
    showName: form.has('showName'),
    showOrganisation: form.has('showOrganisation'),
    showFunction: form.has('showFunction'),
    contactable: form.has('contactable'),
    function: fn ?? me.function ?? '',
    accessibilityNeeds: needs ?? me.accessibilityNeeds ?? '',
    sessionIds: new Set(sessionIds),
    waitlist: form.has('waitlist'),
  };
  // Sessions go to the service only when they change: consent may change after registration closed.
  const held = await p.opts.prisma.registrationSeat.findMany({
    where: { registrationId: me.id },
    select: { sessionId: true },
  });
  const sessionsChanged =
    held.length !== draft.sessionIds.size || held.some((s) => !draft.sessionIds.has(s.sessionId));
  const changes: RegistrationChanges = {
    expectedVersion,
    showName: draft.showName,
    showOrganisation: draft.showOrganisation,
    showFunction: draft.showFunction,
    contactable: draft.contactable,
    ...(fn === undefined ? {} : { function: fn.trim() || null }),
    ...(needs === undefined ? {} : { accessibilityNeeds: needs.trim() || null }),
    ...(sessionsChanged ? { sessionIds: [...draft.sessionIds], waitlist: draft.waitlist } : {}),
  };
  try {
    await updateRegistration(p.opts.prisma, p.opts.services, { token: p.token }, changes, p.guesses);
  } catch (err) {
    const w = MANAGE_STRINGS[p.lang];
    if (err instanceof SessionFullError) {
      const sessions = await p.opts.prisma.eventSession.findMany({
        where: { id: { in: err.sessionIds }, editionId: me.editionId },
        select: { id: true, title: true },
      });
      return again(p, 409, {
        error: sessionFullMessage(err, sessions, p.lang),
        draft,
        fullSessionIds: new Set(err.sessionIds),
      });
    }
    // Changed meanwhile: the page as it is now, the form with its current values.
    if (err instanceof VersionConflictError) return again(p, 409, { error: w.versionConflict });
    if (err instanceof RegistrationClosedError) {
      return again(p, 409, { error: `${w.registrationClosed} ${w.nothingWritten}`, draft });
    }
    if (err instanceof InvalidInputError) {
      const fields = [...new Set(err.fields.map((f) => fieldOf(f.path)))].map((f) => w.fieldName[f]);
      return again(p, 422, { error: `${w.invalid(fields)} ${w.nothingWritten}`, draft });
    }
    if (err instanceof InvalidTransitionError) return again(p, 409, { error: w.cancelledCannotChange });
    throw err;
  }
  seeOther(p.res, pageUrl(p.token, p.asked, { done: 'updated' }));
}

function fieldOf(path: readonly string[]): ManageField {
  const last = path.at(-1);
  if (last === 'function' || last === 'accessibilityNeeds') return last;
  if (last === 'sessionIds') return 'sessions';
  return 'other';
}

/** What a deletion erases, counted before it does. */
interface Erasure {
  seats: number;
  exchanges: number;
  stands: number;
}

async function remove(p: Posted): Promise<void> {
  const { prisma } = p.opts;
  const id = p.me.id;
  const [seats, exchanges, stands] = await Promise.all([
    prisma.registrationSeat.count({ where: { registrationId: id } }),
    prisma.contactExchange.count({ where: { OR: [{ fromId: id }, { toId: id }] } }),
    prisma.standMember.count({ where: { registrationId: id } }),
  ]);
  const erasure: Erasure = { seats, exchanges, stands };
  if (p.form.one('confirm') !== 'yes') {
    const edition = await prisma.eventEdition.findUniqueOrThrow({ where: { id: p.me.editionId } });
    return sendPage(
      p.req,
      p.res,
      200,
      p.lang,
      renderConfirmDeletePage(p.lang, { token: p.token, asked: p.asked, edition, erasure }),
    );
  }
  await deleteRegistration(prisma, p.opts.services, { token: p.token }, p.guesses);
  // The token opens nothing now: the page that says what was erased is reached without it.
  const query = new URLSearchParams({
    deleted: '1',
    seats: String(seats),
    exchanges: String(exchanges),
    stands: String(stands),
    ...(p.asked ? { lang: p.asked } : {}),
  });
  seeOther(p.res, `${EVENT_MANAGE_PATH}?${query.toString()}`);
}

function deletedCounts(query: FormParams): Erasure {
  const count = (name: string) => {
    const n = Number(query.one(name));
    return Number.isSafeInteger(n) && n >= 0 && n < 10_000 ? n : 0;
  };
  return { seats: count('seats'), exchanges: count('exchanges'), stands: count('stands') };
}

async function download(p: Posted): Promise<void> {
  const data = await exportRegistration(p.opts.prisma, p.token, p.guesses);
  const edition = await p.opts.prisma.eventEdition.findUniqueOrThrow({
    where: { id: p.me.editionId },
    select: { slug: true },
  });
  const body = `${JSON.stringify(data, null, 2)}\n`;
  sendPrivate(p.req, p.res, 200, 'application/json; charset=utf-8', body, {
    'content-disposition': `attachment; filename="registration-${edition.slug.replace(/[^a-z0-9-]/g, '')}.json"`,
  });
}

async function searchContacts(p: Posted): Promise<void> {
  const organisationId = p.form.one('organisation') || null;
  const theme = p.form.one('theme') || null;
  if (theme && theme.length > THEME_MAX) throw new BadRequest('"theme" is too long.');
  const w = MANAGE_STRINGS[p.lang];
  try {
    const results = await findContacts(
      p.opts.prisma,
      p.token,
      { organisationId, theme, first: CONTACTS_SHOWN },
      p.guesses,
    );
    return again(p, 200, { search: { organisationId, theme, results } });
  } catch (err) {
    if (err instanceof ForbiddenError) return again(p, 403, { error: w.contactsNotContactable });
    throw err;
  }
}

async function requestExchange(p: Posted): Promise<void> {
  const contactId = p.form.one('contactId') ?? '';
  const message = p.form.one('message')?.trim() ?? '';
  const w = MANAGE_STRINGS[p.lang];
  if (message.length > MESSAGE_MAX) {
    return again(p, 422, { error: `${w.invalid([w.fieldName.message])} ${w.nothingWritten}` });
  }
  try {
    await requestContactExchange(
      p.opts.prisma,
      p.opts.services,
      p.token,
      contactId,
      message || null,
      p.guesses,
    );
  } catch (err) {
    // The token was checked above: not found here is the other person.
    if (err instanceof NotFoundError) return again(p, 404, { error: w.contactNotFound });
    if (err instanceof ForbiddenError) return again(p, 403, { error: w.contactsNotContactable });
    throw err;
  }
  seeOther(p.res, pageUrl(p.token, p.asked, { done: 'requested' }));
}

async function answerExchange(p: Posted): Promise<void> {
  const exchangeId = p.form.one('exchangeId') ?? '';
  const accept = p.form.one('accept');
  if (accept !== 'yes' && accept !== 'no') throw new BadRequest('"accept" is yes or no.');
  const w = MANAGE_STRINGS[p.lang];
  try {
    await answerContactExchange(p.opts.prisma, p.token, exchangeId, accept === 'yes', p.guesses);
  } catch (err) {
    if (err instanceof NotFoundError) return again(p, 404, { error: w.exchangeNotFound });
    if (err instanceof ForbiddenError) return again(p, 403, { error: w.badRequest });
    if (err instanceof InvalidTransitionError) return again(p, 409, { error: w.alreadyAnswered });
    throw err;
  }
  seeOther(p.res, pageUrl(p.token, p.asked, { done: 'answered' }));
}

// --- What the page shows --------------------------------------------------------------------------

interface SeatView {
  status: SeatStatus;
  /** 1: next to be promoted; null with a seat. */
  position: number | null;
}

interface ManageView {
  me: Registration;
  edition: EditionWithSessions;
  seats: Map<string, SeatView>;
  /** Confirmed seats and waitlist length of each session of the edition. */
  taken: Map<string, SeatCount>;
  exchanges: Awaited<ReturnType<typeof exchangesOf>>;
  /** For the contacts search (registered and contactable only). */
  organisations: { id: string; name: string }[];
  themes: { code: string; label: string; depth: number }[];
}

/** The form's values, as sent (shown again when the change is refused) or as stored. */
interface Draft {
  showName: boolean;
  showOrganisation: boolean;
  showFunction: boolean;
  contactable: boolean;
  function: string;
  accessibilityNeeds: string;
  sessionIds: Set<string>;
  waitlist: boolean;
}

interface PageState {
  token: string;
  /** The language asked explicitly (kept in forms and links). */
  asked: EventPageLanguage | null;
  notice: ManageNotice | null;
  error?: string;
  draft?: Draft;
  fullSessionIds?: Set<string>;
  search?: { organisationId: string | null; theme: string | null; results: ContactCard[] };
}

async function loadView(
  prisma: PrismaClient,
  me: Registration,
  lang: EventPageLanguage,
): Promise<ManageView> {
  const meets = me.status === 'REGISTERED' && me.contactable;
  const [edition, seats, taken, exchanges, organisations, themes] = await Promise.all([
    prisma.eventEdition.findUniqueOrThrow({
      where: { id: me.editionId },
      include: EDITION_WITH_SESSIONS,
    }),
    // A waitlist position in promotion order (registration.service.ts#promote: queuedAt, then id),
    // compared in the database at the column's microsecond precision.
    prisma.$queryRaw<{ sessionId: string; status: SeatStatus; position: number | null }[]>`
      SELECT s."sessionId"::text AS "sessionId", s.status,
        CASE WHEN s.status = 'WAITLISTED' THEN 1 + (
          SELECT count(*)::int FROM "RegistrationSeat" o
          WHERE o."sessionId" = s."sessionId" AND o.status = 'WAITLISTED'
            AND (o."queuedAt", o."registrationId") < (s."queuedAt", s."registrationId")
        ) END AS position
      FROM "RegistrationSeat" s WHERE s."registrationId" = ${me.id}::uuid`,
    takenSeats(prisma, me.editionId),
    exchangesOf(prisma, me),
    meets ? prisma.organisation.findMany({ select: { id: true, name: true }, orderBy: { name: 'asc' } }) : [],
    meets ? prisma.theme.findMany({ orderBy: [{ position: 'asc' }, { code: 'asc' }] }) : [],
  ]);
  // Themes as a tree, parents first.
  const children = new Map<string | null, typeof themes>();
  for (const t of themes) children.set(t.parentId, [...(children.get(t.parentId) ?? []), t]);
  const tree: ManageView['themes'] = [];
  const walk = (parentId: string | null, depth: number) => {
    for (const t of children.get(parentId) ?? []) {
      tree.push({ code: t.code, label: localize(t.label, [lang])?.text ?? t.code, depth });
      if (depth < 5) walk(t.id, depth + 1);
    }
  };
  walk(null, 0);
  return {
    me,
    edition,
    seats: new Map(seats.map((s) => [s.sessionId, { status: s.status, position: s.position }])),
    taken,
    exchanges,
    organisations,
    themes: tree,
  };
}

// --- Rendering ------------------------------------------------------------------------------------

/** The page's words, and dates. */
class Words extends EventWords {
  readonly s: ManageStrings;
  private readonly date: Intl.DateTimeFormat;

  constructor(lang: EventPageLanguage) {
    super(lang);
    this.s = MANAGE_STRINGS[lang];
    this.date = new Intl.DateTimeFormat(this.locale, { dateStyle: 'long', timeZone: EVENT_TIME_ZONE });
  }
  dateOf(at: Date): string {
    return this.date.format(at);
  }
}

/** The hidden fields every form of the page carries. */
const holder = (state: { token: string; asked: EventPageLanguage | null }, action: string) =>
  html`<input type="hidden" name="token" value="${state.token}" /><input
      type="hidden"
      name="action"
      value="${action}"
    />${state.asked ? html`<input type="hidden" name="lang" value="${state.asked}" />` : null}`;

function details(view: ManageView, w: Words): Html {
  const { me, edition } = view;
  const row = (label: string, value: string | null) =>
    html`<div>
      <dt>${label}</dt>
      <dd>${value || w.s.none}</dd>
    </div>`;
  const chosen = edition.sessions.filter((s) => view.seats.has(s.id));
  const consent = (label: string, on: boolean) =>
    html`<li>${w.s.labelled(label)}<strong>${on ? w.s.yes : w.s.no}</strong></li>`;
  return html`<section id="registration">
    <h2>${w.s.yourDetails}</h2>
    <dl class="details">
      ${row(w.s.name, me.name)} ${row(w.s.email, me.email)} ${row(w.s.organisation, me.organisationName)}
      ${row(w.s.function, me.function)} ${row(w.s.category, w.s.categories[me.category])}
      ${row(
        w.s.status,
        me.status === 'REGISTERED' ? w.s.registered : w.s.cancelled(w.dateOf(me.cancelledAt ?? me.updatedAt)),
      )}
      ${me.status === 'REGISTERED' ? row(w.s.badgeCode, me.badgeCode) : null}
      ${me.accessibilityNeeds ? row(w.s.accessibilityNeeds, me.accessibilityNeeds) : null}
    </dl>
    <h3>${w.s.yourSessions}</h3>
    ${
      chosen.length
        ? html`<ul class="my-sessions">
            ${chosen.map((s) => {
              const seat = view.seats.get(s.id)!;
              return html`<li class="${seat.status === 'WAITLISTED' ? 'waiting' : 'seat'}">
                <span class="slot">${w.slot(s.startsAt, s.endsAt)}</span>
                <strong>${w.text(s.title, '')}</strong>${s.room ? html` · ${w.s.room} ${s.room}` : null} —
                ${seat.status === 'WAITLISTED' ? w.s.waitlistPosition(seat.position ?? 1) : w.s.seatConfirmed}
              </li>`;
            })}
          </ul>`
        : html`<p>${w.s.noSessions}</p>`
    }
    <h3>${w.s.consentTitle}</h3>
    <ul class="consents">
      ${consent(w.s.showName, me.showName)} ${consent(w.s.showOrganisation, me.showOrganisation)}
      ${consent(w.s.showFunction, me.showFunction)} ${consent(w.s.contactable, me.contactable)}
    </ul>
  </section>`;
}

function sessionChoiceOf(s: EventSession, view: ManageView, draft: Draft, full: Set<string>, w: Words): Html {
  return sessionChoice(s, w, w.s, view.taken.get(s.id), {
    checked: draft.sessionIds.has(s.id),
    full: full.has(s.id),
  });
}

function changeForm(view: ManageView, state: PageState, w: Words): Html {
  const { me } = view;
  const draft: Draft = state.draft ?? {
    showName: me.showName,
    showOrganisation: me.showOrganisation,
    showFunction: me.showFunction,
    contactable: me.contactable,
    function: me.function ?? '',
    accessibilityNeeds: me.accessibilityNeeds ?? '',
    sessionIds: new Set(view.seats.keys()),
    waitlist: false,
  };
  const full = state.fullSessionIds ?? new Set<string>();
  return html`<section id="change">
    <h2>${w.s.changeTitle}</h2>
    <form method="post" action="${EVENT_MANAGE_PATH}">
      ${holder(state, 'update')}
      <input type="hidden" name="expectedVersion" value="${me.version}" />
      ${consentFieldset(w.s, draft)}
      <label class="field"
        >${w.s.function} <input type="text" name="function" maxlength="200" value="${draft.function}"
      /></label>
      <label class="field"
        >${w.s.accessibilityNeeds} <small>${w.s.accessibilityNote}</small>
        <textarea name="accessibilityNeeds" maxlength="2000" rows="3">${draft.accessibilityNeeds}</textarea>
      </label>
      ${
        view.edition.sessions.length
          ? html`<fieldset>
              <legend>${w.s.sessionsLegend}</legend>
              <ul class="choices">
                ${view.edition.sessions.map((s) => sessionChoiceOf(s, view, draft, full, w))}
              </ul>
              ${checkBox('waitlist', draft.waitlist, w.s.waitlist)}
            </fieldset>`
          : null
      }
      <p><button type="submit">${w.s.save}</button></p>
    </form>
  </section>`;
}

/** "Name (function, organisation)", with what the person agreed to show. */
function cardText(card: ContactCard, w: Words): string {
  const about = [card.function, card.organisation].filter(Boolean).join(', ');
  return `${card.name ?? w.s.unnamed}${about ? ` (${about})` : ''}`;
}

function contacts(view: ManageView, state: PageState, w: Words): Html | null {
  const { me } = view;
  if (me.status !== 'REGISTERED') return null;
  if (!me.contactable) {
    return html`<section id="contacts">
      <h2>${w.s.contactsTitle}</h2>
      <p>${w.s.contactsNotContactable}</p>
    </section>`;
  }
  const search = state.search;
  const asked = new Set(view.exchanges.map((x) => x.other.id));
  return html`<section id="contacts">
    <h2>${w.s.contactsTitle}</h2>
    <p class="note">${w.s.contactsIntro}</p>
    <form method="post" action="${EVENT_MANAGE_PATH}" class="search">
      ${holder(state, 'contacts')}
      <label
        >${w.s.organisation}
        <select name="organisation">
          <option value="">${w.s.anyOrganisation}</option>
          ${view.organisations.map(
            (o) =>
              html`<option value="${o.id}" ${search?.organisationId === o.id ? trusted(' selected') : ''}>
                ${o.name}
              </option>`,
          )}
        </select></label
      >
      <label
        >${w.s.theme}
        <select name="theme">
          <option value="">${w.s.anyTheme}</option>
          ${view.themes.map(
            (t) =>
              html`<option value="${t.code}" ${search?.theme === t.code ? trusted(' selected') : ''}>
                ${'\u00a0\u00a0'.repeat(t.depth)}${t.label}
              </option>`,
          )}
        </select></label
      >
      <button type="submit">${w.s.search}</button>
    </form>
    ${
      search
        ? html`<h3>${w.s.results}</h3>
            ${
              search.results.length
                ? html`<ul class="cards">
                    ${search.results.map(
                      (c) =>
                        html`<li class="card">
                          <p>${cardText(c, w)}</p>
                          ${
                            asked.has(c.id)
                              ? html`<p class="note">${w.s.alreadyAsked}</p>`
                              : html`<form method="post" action="${EVENT_MANAGE_PATH}">
                                  ${holder(state, 'request')}
                                  <input type="hidden" name="contactId" value="${c.id}" />
                                  <label class="field"
                                    >${w.s.messageLabel}
                                    <textarea name="message" maxlength="${MESSAGE_MAX}" rows="2"></textarea>
                                  </label>
                                  <button type="submit">${w.s.request}</button>
                                </form>`
                          }
                        </li>`,
                    )}
                  </ul>`
                : html`<p>${w.s.noResults}</p>`
            }`
        : null
    }
  </section>`;
}

function exchanges(view: ManageView, state: PageState, w: Words): Html {
  return html`<section id="exchanges">
    <h2>${w.s.exchangesTitle}</h2>
    ${
      view.exchanges.length
        ? html`<ul class="cards">
            ${view.exchanges.map((x) => {
              const who = cardText(x.other, w);
              return html`<li class="card exchange-${x.status.toLowerCase()}">
                <p>
                  ${x.direction === 'SENT' ? w.s.sent(who) : w.s.received(who)} —
                  <em>${w.s.exchangeStatus[x.status]}</em>
                </p>
                ${x.message ? html`<blockquote>${x.message}</blockquote>` : null}
                ${
                  x.email
                    ? html`<p class="email">
                        ${w.s.labelled(w.s.emailOf)}<a href="mailto:${x.email}">${x.email}</a>
                      </p>`
                    : null
                }
                ${
                  x.direction === 'RECEIVED' && x.status === 'REQUESTED' && view.me.status === 'REGISTERED'
                    ? html`<form method="post" action="${EVENT_MANAGE_PATH}" class="answer">
                        ${holder(state, 'answer')}
                        <input type="hidden" name="exchangeId" value="${x.id}" />
                        <button type="submit" name="accept" value="yes">${w.s.accept}</button>
                        <button type="submit" name="accept" value="no">${w.s.decline}</button>
                      </form>`
                    : null
                }
              </li>`;
            })}
          </ul>`
        : html`<p>${w.s.noExchanges}</p>`
    }
  </section>`;
}

function yourData(view: ManageView, state: PageState, w: Words): Html {
  return html`<section id="data">
    <h2>${w.s.dataTitle}</h2>
    <form method="post" action="${EVENT_MANAGE_PATH}">
      ${holder(state, 'export')}
      <p>${w.s.exportIntro}</p>
      <button type="submit">${w.s.exportButton}</button>
    </form>
    ${
      view.me.status === 'REGISTERED'
        ? html`<form method="post" action="${EVENT_MANAGE_PATH}">
            ${holder(state, 'cancel')}
            <p>${w.s.cancelIntro}</p>
            <button type="submit">${w.s.cancelButton}</button>
          </form>`
        : null
    }
    <form method="post" action="${EVENT_MANAGE_PATH}">
      ${holder(state, 'delete')}
      <p>${w.s.deleteIntro}</p>
      <button type="submit" class="danger">${w.s.deleteButton}</button>
    </form>
  </section>`;
}

function renderManagePage(view: ManageView, state: PageState): string {
  const w = new Words(state.asked ?? localeLanguage(view.me.locale));
  const registered = view.me.status === 'REGISTERED';
  return htmlDocument(
    w.lang,
    `${w.s.pageTitle} – ${w.text(view.edition.title, view.edition.slug)}`,
    STYLE,
    html`<header>
        ${languageLinks(w, w.s, (l) => pageUrl(state.token, l))}
        ${editionHeading(w, w.s, view.edition, { kicker: w.s.pageTitle, publicPage: w.s.publicPage })}
      </header>
      <p class="private">${w.s.privateNote}</p>
      ${state.notice ? html`<p class="notice" role="status">${w.s.notice[state.notice]}</p>` : null}
      ${state.error ? html`<p class="error" role="alert">${state.error}</p>` : null}
      <main>
        ${details(view, w)} ${registered ? changeForm(view, state, w) : null} ${contacts(view, state, w)}
        ${exchanges(view, state, w)} ${yourData(view, state, w)}
      </main>`,
  );
}

/** What a deletion erases: the person's details always, then what there was of the rest. */
function erasureList(w: Words, e: Erasure): Html {
  return html`<ul>
    <li>${w.s.erasedPersonal}</li>
    ${e.seats ? html`<li>${w.s.seatsFreed(e.seats)}</li>` : null}
    ${e.exchanges ? html`<li>${w.s.exchangesDeleted(e.exchanges)}</li>` : null}
    ${e.stands ? html`<li>${w.s.standTeamsLeft(e.stands)}</li>` : null}
  </ul>`;
}

function renderConfirmDeletePage(
  lang: EventPageLanguage,
  page: { token: string; asked: EventPageLanguage | null; edition: EventEdition; erasure: Erasure },
): string {
  const w = new Words(lang);
  return htmlDocument(
    lang,
    w.s.confirmDeleteTitle,
    STYLE,
    html`<main>
      <p class="kicker">${w.text(page.edition.title, page.edition.slug)}</p>
      <h1>${w.s.confirmDeleteTitle}</h1>
      <p>${w.s.confirmDeleteIntro}</p>
      <p>${w.s.willErase}</p>
      ${erasureList(w, page.erasure)}
      <p>${w.s.whatStays}</p>
      <form method="post" action="${EVENT_MANAGE_PATH}">
        ${holder(page, 'delete')}
        <input type="hidden" name="confirm" value="yes" />
        <button type="submit" class="danger">${w.s.confirmDeleteButton}</button>
      </form>
      <p><a href="${pageUrl(page.token, page.asked)}">${w.s.back}</a></p>
    </main>`,
  );
}

function renderDeletedPage(lang: EventPageLanguage, erasure: Erasure): string {
  const w = new Words(lang);
  return htmlDocument(
    lang,
    w.s.deletedTitle,
    STYLE,
    html`<main>
      <h1>${w.s.deletedTitle}</h1>
      <p>${w.s.deletedIntro}</p>
      <p>${w.s.erased}</p>
      ${erasureList(w, erasure)}
      <p>${w.s.whatStays}</p>
    </main>`,
  );
}

const STYLE = `${FORM_PAGE_STYLE}
h2 { font-size: 13pt; border-block-end: 2px solid #111; padding-block-end: .2em; margin-block-start: 1.6em; }
h3 { font-size: 11.5pt; margin-block: 1em .3em; }
.private { font-size: 10pt; color: #444; border-inline-start: 3px solid #999; padding-inline-start: .6em; }
.notice, .error { padding: .6em .8em; border-radius: 4px; }
.notice { background: #e6f4ea; border: 1px solid #2e7d32; }
.error { background: #fdecea; border: 1px solid #b3261e; }
.details { display: grid; grid-template-columns: max-content 1fr; gap: .2em 1em; margin: 0; }
.details div { display: contents; }
.details dt { color: #444; }
.details dd { margin: 0; overflow-wrap: anywhere; }
.my-sessions, .choices, .cards { list-style: none; padding: 0; margin: 0; }
.my-sessions li, .choices li { padding-block: .25em; }
.my-sessions .waiting { color: #8a4b00; }
.choices .problem { background: #fdecea; }
.slot { color: #444; white-space: nowrap; }
fieldset { border: 1px solid #ccc; margin-block: .8em; }
.check, .field { display: block; margin-block: .4em; }
.field input, .field textarea, select { display: block; inline-size: 100%; box-sizing: border-box; font: inherit; }
.note, small { color: #444; font-size: 10pt; }
.search label { display: block; margin-block: .4em; }
.card { border: 1px solid #ddd; padding: .5em .7em; margin-block: .5em; }
.card p { margin-block: .2em; }
blockquote { margin: .3em 0; padding-inline-start: .6em; border-inline-start: 3px solid #ccc; color: #333; }
button { font: inherit; padding: .3em .9em; cursor: pointer; }
button.danger { border-color: #b3261e; color: #b3261e; }
form + form { margin-block-start: 1em; }
`;
