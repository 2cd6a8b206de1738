/**
 * The public registration form of an edition (`/events/<edition-slug>/register`): a person
 * registers with their organisation's registration code (`evc_…`, mailed to them), without an
 * account and without script. GET shows the form while registration is open (the code prefilled
 * from `?code=`), or says that it is closed; POST (`application/x-www-form-urlencoded`) calls
 * `registerWithCode`, the service behind GraphQL's `registerForEvent`, and answers 303 to the
 * person's manage page (`/events/manage?token=…`), whose link the service mails.
 *
 * Every rule is the service's (registration.service.ts): this file parses the form, calls it and
 * renders what it answers. Its typed errors become a message on the page, next to the field
 * concerned (`aria-invalid`, `aria-describedby`), with the form refilled; nothing is written. A
 * wrong code counts as a wrong guess of the client's address, as in GraphQL and on the manage
 * page (`secretGuessesOf`); too many, and the address gets 429 for a while.
 *
 * The page may carry a code in its address and the answer a manage token in its Location, so, as
 * the manage page: `Cache-Control: no-store`, `Referrer-Policy: no-referrer`, and a CSP without
 * script whose forms post only here.
 *
 * Language: `?lang=` (or the form's `lang`), else Accept-Language; French first, German, English.
 * The registration takes the page's language (its mails are written in it).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EventSession, PrismaClient } from '../generated/prisma/client.ts';
import { ParticipantCategory } from '../generated/prisma/enums.ts';
import { visibleEditionsWhere } from '../modules/events/events.access.ts';
import {
  AlreadyRegisteredError,
  InvitationCodeError,
  RegistrationClosedError,
  SessionFullError,
  TooManyTriesError,
} from '../modules/events/events.errors.ts';
import {
  registerWithCode,
  registrationOpen,
  type RegistrationFields,
} from '../modules/events/registration.service.ts';
import { InvalidInputError, NotFoundError } from '../shared/errors.ts';
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
  htmlDocument,
  languageLinks,
  readForm,
  seeOther,
  sendMethodNotAllowed,
  sendPage,
  sendProblem,
  sessionChoice,
  sessionFullMessage,
  takenSeats,
  FormParams,
  requestProblemOf,
  type EditionWithSessions,
  type EventFormOptions,
  type Problem,
  type SeatCount,
} from './event-forms.ts';
import { EVENT_MANAGE_PATH } from './event-manage.ts';
import { MANAGE_STRINGS, type ManageStrings } from './event-manage.strings.ts';
import { EVENT_PAGE_STRINGS, type EventPageLanguage } from './event-page.strings.ts';
import { REGISTER_STRINGS, type RegisterField, type RegisterStrings } from './event-register.strings.ts';
import { html, trusted, type Html } from './html.ts';
import { secretGuessesOf } from './rate-limits.ts';

/** `/events/<edition-slug>/register` (server.ts routes it before `/events/<slug>`). */
export const EVENT_REGISTER_PATH = /^\/events\/([a-z0-9](?:[a-z0-9-]{0,98}[a-z0-9])?)\/register$/;

/** As `RegistrationFieldsInput.sessionIds` in GraphQL. */
const SESSIONS_MAX = 50;
/** The categories the form offers (the organisers' own is theirs to give). */
const OFFERED_CATEGORIES = Object.values(ParticipantCategory).filter((c) => c !== 'ORGANISER');

/** Mail, the public address and the hub's limits: wrong codes count with failed authentications. */
export type EventRegisterOptions = EventFormOptions;

class EditionNotFound extends Error {}

const formPath = (slug: string) => `/events/${encodeURIComponent(slug)}/register`;

// --- The request ----------------------------------------------------------------------------------

/** Answers a request for `/events/<slug>/register`. */
export async function handleEventRegister(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  opts: EventRegisterOptions,
): Promise<void> {
  const slug = EVENT_REGISTER_PATH.exec(url.pathname)?.[1] ?? '';
  let lang = acceptedLanguage(req);
  try {
    if (req.method === 'GET' || req.method === 'HEAD') {
      const query = new FormParams(url.searchParams);
      lang = askedLanguage(query) ?? lang;
      const code = query.one('code') ?? '';
      const view = await loadView(opts.prisma, slug);
      if (!registrationOpen(view.edition, new Date())) {
        return sendPage(req, res, 200, lang, renderClosedPage(view, lang));
      }
      const draft: Draft = { ...EMPTY_DRAFT, code: code.trim(), sessionIds: new Set() };
      return sendPage(
        req,
        res,
        200,
        lang,
        renderFormPage(view, { lang, draft, problems: {}, linkCode: code }),
      );
    }
    if (req.method === 'POST') {
      const form = await readForm(req, opts.maxBodyBytes);
      lang = askedLanguage(form) ?? lang;
      return await post(req, res, opts, slug, form, lang);
    }
    return sendMethodNotAllowed(req, res, lang, STYLE);
  } catch (err) {
    const problem = problemOf(err, lang);
    if (!problem) throw err;
    return sendProblem(req, res, lang, STYLE, problem);
  }
}

/** The page for what stops a request before the form can show; null: unexpected. */
function problemOf(err: unknown, lang: EventPageLanguage): Problem | null {
  if (err instanceof EditionNotFound || err instanceof NotFoundError) {
    return { status: 404, message: EVENT_PAGE_STRINGS[lang].notFound };
  }
  return requestProblemOf(err, MANAGE_STRINGS[lang]);
}

/** The form's values, as sent (shown again when the registration is refused). */
interface Draft {
  code: string;
  name: string;
  email: string;
  function: string;
  category: ParticipantCategory;
  accessibilityNeeds: string;
  showName: boolean;
  showOrganisation: boolean;
  showFunction: boolean;
  contactable: boolean;
  sessionIds: Set<string>;
  waitlist: boolean;
}

const EMPTY_DRAFT: Omit<Draft, 'sessionIds'> = {
  code: '',
  name: '',
  email: '',
  function: '',
  category: 'PARTNER_STAFF',
  accessibilityNeeds: '',
  showName: false,
  showOrganisation: false,
  showFunction: false,
  contactable: false,
  waitlist: false,
};

function draftOf(form: FormParams): Draft {
  const category = form.one('category') ?? '';
  if (!(Object.values(ParticipantCategory) as string[]).includes(category)) {
    throw new BadRequest('Unknown category.');
  }
  const sessionIds = form.all('session');
  if (sessionIds.length > SESSIONS_MAX) throw new BadRequest('Too many sessions.');
  return {
    code: form.one('code')?.trim() ?? '',
    name: form.one('name') ?? '',
    email: form.one('email') ?? '',
    function: form.one('function') ?? '',
    category: category as ParticipantCategory,
    accessibilityNeeds: form.one('accessibilityNeeds') ?? '',
    showName: form.has('showName'),
    showOrganisation: form.has('showOrganisation'),
    showFunction: form.has('showFunction'),
    contactable: form.has('contactable'),
    sessionIds: new Set(sessionIds),
    waitlist: form.has('waitlist'),
  };
}

async function post(
  req: IncomingMessage,
  res: ServerResponse,
  opts: EventRegisterOptions,
  slug: string,
  form: FormParams,
  lang: EventPageLanguage,
): Promise<void> {
  const draft = draftOf(form);
  const view = await loadView(opts.prisma, slug);
  // Closed: refused before the code is read (nothing to guess); the service would refuse too.
  if (!registrationOpen(view.edition, new Date())) {
    return sendPage(req, res, 409, lang, renderClosedPage(view, lang));
  }
  const fields: RegistrationFields = {
    name: draft.name,
    email: draft.email,
    function: draft.function.trim() || null,
    category: draft.category,
    accessibilityNeeds: draft.accessibilityNeeds.trim() || null,
    showName: draft.showName,
    showOrganisation: draft.showOrganisation,
    showFunction: draft.showFunction,
    contactable: draft.contactable,
    sessionIds: [...draft.sessionIds],
    waitlist: draft.waitlist,
    locale: lang,
  };
  const guesses = secretGuessesOf(opts.limits, opts.limits.clientAddress(req));
  let manageToken: string;
  try {
    ({ manageToken } = await registerWithCode(opts.prisma, opts.services, slug, draft.code, fields, guesses));
  } catch (err) {
    const refused = refusalOf(err, view, lang);
    if (!refused) throw err;
    if (refused === 'closed') return sendPage(req, res, 409, lang, renderClosedPage(view, lang));
    const { status, headers, ...state } = refused;
    return sendPage(
      req,
      res,
      status,
      lang,
      renderFormPage(view, { lang, draft, linkCode: '', ...state }),
      headers,
    );
  }
  seeOther(
    res,
    `${EVENT_MANAGE_PATH}?${new URLSearchParams({ token: manageToken, done: 'registered' }).toString()}`,
  );
}

interface Refused {
  status: number;
  headers?: Record<string, string>;
  problems: Partial<Record<RegisterField, string>>;
  error?: string;
  fullSessionIds?: Set<string>;
}

/** What the form says about the service's typed errors; 'closed': the closed page; null: unexpected. */
function refusalOf(err: unknown, view: RegisterView, lang: EventPageLanguage): Refused | 'closed' | null {
  const r = REGISTER_STRINGS[lang];
  const m = MANAGE_STRINGS[lang];
  if (err instanceof InvalidInputError) {
    const problems: Refused['problems'] = {};
    let other = false;
    for (const f of err.fields) {
      const field = fieldOf(f.path);
      if (field) problems[field] = r.problem[field];
      else other = true;
    }
    return { status: 422, problems, error: other ? `${r.otherProblem} ${m.nothingWritten}` : r.checkFields };
  }
  if (err instanceof InvitationCodeError) {
    const message =
      err.reason === 'EXPIRED'
        ? r.codeExpired
        : err.reason === 'WITHDRAWN'
          ? r.codeWithdrawn
          : r.problem.code;
    return { status: 403, problems: { code: message }, error: r.checkFields };
  }
  if (err instanceof AlreadyRegisteredError) {
    return { status: 409, problems: { email: r.alreadyRegistered }, error: r.checkFields };
  }
  if (err instanceof SessionFullError) {
    return {
      status: 409,
      problems: {},
      error: sessionFullMessage(err, view.edition.sessions, lang),
      fullSessionIds: new Set(err.sessionIds),
    };
  }
  if (err instanceof TooManyTriesError) {
    const wait = err.retryAfterSeconds;
    return {
      status: 429,
      headers: { 'retry-after': String(wait) },
      problems: {},
      error: `${m.tooManyTries(wait)} ${m.nothingWritten}`,
    };
  }
  if (err instanceof RegistrationClosedError) return 'closed';
  return null;
}

function fieldOf(path: readonly string[]): RegisterField | null {
  const last = path.at(-1);
  if (last === 'name' || last === 'email' || last === 'function' || last === 'accessibilityNeeds')
    return last;
  if (last === 'sessionIds') return 'sessions';
  return null;
}

// --- What the page shows --------------------------------------------------------------------------

interface RegisterView {
  edition: EditionWithSessions;
  /** Confirmed seats and waitlist length of each session of the edition. */
  taken: Map<string, SeatCount>;
}

/** The edition as the public may see it (the module's rule, for the anonymous viewer). */
async function loadView(prisma: PrismaClient, slug: string): Promise<RegisterView> {
  const edition = slug
    ? await prisma.eventEdition.findFirst({
        where: { slug, AND: [visibleEditionsWhere(null)] },
        include: EDITION_WITH_SESSIONS,
      })
    : null;
  if (!edition) throw new EditionNotFound();
  const taken =
    edition.sessions.length > 0 ? await takenSeats(prisma, edition.id) : new Map<string, SeatCount>();
  return { edition, taken };
}

interface FormState {
  lang: EventPageLanguage;
  draft: Draft;
  problems: Partial<Record<RegisterField, string>>;
  error?: string;
  fullSessionIds?: Set<string>;
  /** The code of the GET address, kept in the language links. */
  linkCode: string;
}

/** The form's words and the ones it shares with the manage page, and dates. */
class Words extends EventWords {
  readonly r: RegisterStrings;
  readonly m: ManageStrings;

  constructor(lang: EventPageLanguage) {
    super(lang);
    this.r = REGISTER_STRINGS[lang];
    this.m = MANAGE_STRINGS[lang];
  }
}

function header(view: RegisterView, w: Words, linkCode: string): Html {
  const { edition } = view;
  const link = (l: EventPageLanguage) =>
    `${formPath(edition.slug)}?${new URLSearchParams({ lang: l, ...(linkCode ? { code: linkCode } : {}) }).toString()}`;
  return html`<header>
    ${languageLinks(w, w.m, link)}
    ${editionHeading(w, w.m, edition, { kicker: w.r.pageTitle, publicPage: w.r.backToEvent })}
  </header>`;
}

/** The id of a field's control, and the ids that describe it (its hint, its problem). */
/** A control of the form: one that may have a problem, or the category (a choice in a list). */
type Control = RegisterField | 'category';
const controlId = (name: Control) => `f-${name}`;
const problemId = (name: Control) => `f-${name}-problem`;
const hintId = (name: Control) => `f-${name}-hint`;
const problemOfField = (state: FormState, name: Control) =>
  name === 'category' ? undefined : state.problems[name];

/** `aria-invalid` and `aria-describedby` of a control: its problem first, then its hint. */
function described(state: FormState, name: Control, hint: boolean): Html {
  const problem = problemOfField(state, name);
  const ids = [problem ? problemId(name) : null, hint ? hintId(name) : null].filter(Boolean).join(' ');
  return html`${problem ? trusted(' aria-invalid="true"') : ''}${ids ? html` aria-describedby="${ids}"` : ''}`;
}

/** A labelled field: its label (with "required"), its control, its hint and its problem. */
function field(
  w: Words,
  state: FormState,
  name: Control,
  label: string,
  control: Html,
  opts: { required?: boolean; hint?: string } = {},
): Html {
  const problem = problemOfField(state, name);
  return html`<div class="field${problem ? ' invalid' : ''}">
    <label for="${controlId(name)}"
      >${label}${opts.required ? html` <span class="required">${w.r.required}</span>` : null}</label
    >
    ${opts.hint ? html`<small id="${hintId(name)}">${opts.hint}</small>` : null} ${control}
    ${problem ? html`<p class="problem" id="${problemId(name)}">${problem}</p>` : null}
  </div>`;
}

function sessionChoiceOf(s: EventSession, view: RegisterView, state: FormState, w: Words): Html {
  return sessionChoice(s, w, w.m, view.taken.get(s.id), {
    checked: state.draft.sessionIds.has(s.id),
    full: state.fullSessionIds?.has(s.id) ?? false,
    fullDescribedBy: 'form-error',
  });
}

function renderFormPage(view: RegisterView, state: FormState): string {
  const w = new Words(state.lang);
  const { draft } = state;
  const { edition } = view;
  const sessionsProblem = state.problems.sessions;
  return htmlDocument(
    w.lang,
    `${w.r.pageTitle} – ${w.text(edition.title, edition.slug)}`,
    STYLE,
    html`${header(view, w, state.linkCode)}
      <main>
        ${state.error ? html`<p class="error" id="form-error" role="alert">${state.error}</p>` : null}
        <p>${w.r.intro}</p>
        <form method="post" action="${formPath(edition.slug)}">
          <input type="hidden" name="lang" value="${w.lang}" />
          ${field(
            w,
            state,
            'code',
            w.r.code,
            html`<input
              id="${controlId('code')}"
              type="text"
              name="code"
              required
              maxlength="200"
              autocomplete="off"
              autocapitalize="none"
              spellcheck="false"
              value="${draft.code}"
              ${described(state, 'code', true)}
            />`,
            { required: true, hint: w.r.codeHint },
          )}
          <fieldset>
            <legend>${w.r.yourDetails}</legend>
            ${field(
              w,
              state,
              'name',
              w.m.name,
              html`<input
                id="${controlId('name')}"
                type="text"
                name="name"
                required
                maxlength="200"
                autocomplete="name"
                value="${draft.name}"
                ${described(state, 'name', false)}
              />`,
              { required: true },
            )}
            ${field(
              w,
              state,
              'email',
              w.m.email,
              html`<input
                id="${controlId('email')}"
                type="email"
                name="email"
                required
                maxlength="320"
                autocomplete="email"
                value="${draft.email}"
                ${described(state, 'email', true)}
              />`,
              { required: true, hint: w.r.emailHint },
            )}
            ${field(
              w,
              state,
              'function',
              w.m.function,
              html`<input
                id="${controlId('function')}"
                type="text"
                name="function"
                maxlength="200"
                autocomplete="organization-title"
                value="${draft.function}"
                ${described(state, 'function', false)}
              />`,
            )}
            ${field(
              w,
              state,
              'category',
              w.m.category,
              html`<select id="${controlId('category')}" name="category" required autocomplete="off">
                ${OFFERED_CATEGORIES.map(
                  (c) =>
                    html`<option value="${c}" ${draft.category === c ? trusted(' selected') : ''}>
                      ${w.m.categories[c]}
                    </option>`,
                )}
              </select>`,
              { required: true },
            )}
            ${field(
              w,
              state,
              'accessibilityNeeds',
              w.m.accessibilityNeeds,
              html`<textarea
                id="${controlId('accessibilityNeeds')}"
                name="accessibilityNeeds"
                maxlength="2000"
                rows="3"
                autocomplete="off"
                ${described(state, 'accessibilityNeeds', true)}
              >
${draft.accessibilityNeeds}</textarea>`,
              { hint: w.m.accessibilityNote },
            )}
          </fieldset>
          ${consentFieldset(w.m, draft)}
          ${
            edition.sessions.length
              ? html`<fieldset${
                  sessionsProblem ? html` aria-describedby="${problemId('sessions')}"` : ''
                }${sessionsProblem ? trusted(' class="invalid"') : ''}>
                  <legend>${w.m.sessionsLegend}</legend>
                  <p class="note">${w.r.sessionsIntro}</p>
                  ${sessionsProblem ? html`<p class="problem" id="${problemId('sessions')}">${sessionsProblem}</p>` : null}
                  <ul class="choices">
                    ${edition.sessions.map((s) => sessionChoiceOf(s, view, state, w))}
                  </ul>
                  ${checkBox('waitlist', draft.waitlist, w.m.waitlist)}
                </fieldset>`
              : null
          }
          <p class="note">${w.r.afterwards}</p>
          <p><button type="submit">${w.r.submit}</button></p>
        </form>
      </main>`,
  );
}

function renderClosedPage(view: RegisterView, lang: EventPageLanguage): string {
  const w = new Words(lang);
  return htmlDocument(
    lang,
    `${w.r.pageTitle} – ${w.text(view.edition.title, view.edition.slug)}`,
    STYLE,
    html`${header(view, w, '')}
      <main>
        <p class="closed" role="status">${w.r.closed}</p>
      </main>`,
  );
}

const STYLE = `${FORM_PAGE_STYLE}
.error, .closed { padding: .6em .8em; border-radius: 4px; }
.error { background: #fdecea; border: 1px solid #b3261e; }
.closed { background: #f3f3f3; border: 1px solid #777; font-weight: 600; }
fieldset { border: 1px solid #ccc; margin-block: .8em; }
fieldset.invalid { border-color: #b3261e; }
.field { margin-block: .6em; }
.field label { display: block; font-weight: 600; }
.field small { display: block; }
.field input, .field textarea, .field select {
  display: block; inline-size: 100%; box-sizing: border-box; font: inherit; margin-block-start: .2em;
}
.field.invalid input, .field.invalid textarea, .field.invalid select { border: 2px solid #b3261e; }
.required { font-weight: normal; color: #444; font-size: 10pt; }
.problem { color: #b3261e; font-weight: 600; margin-block: .2em; }
.check { display: block; margin-block: .4em; }
.choices { list-style: none; padding: 0; margin: 0; }
.choices li { padding-block: .25em; }
.choices li.problem { background: #fdecea; font-weight: normal; }
.slot { color: #444; white-space: nowrap; }
.note, small { color: #444; font-size: 10pt; }
button { font: inherit; padding: .4em 1.2em; cursor: pointer; }
`;
