/**
 * An edition's public page (`/events/<slug>?lang=fr|de|en`): one self-contained HTML document, no
 * script, system fonts, an A4 print style sheet. The edition's title, days and venue; the
 * programme by day and time (room, kind, speakers, seats left, or full with its waitlist); the
 * stand directory (project, offers, what worked, the team as consent allows); and the participant
 * list as consent allows, then "and N others". Every value is escaped (html.ts); nothing here
 * reads anything but the public read model (public-event.service.ts), which holds no e-mail.
 */
import type { Localized } from '../modules/catalogue/translations.ts';
import {
  EVENT_TIME_ZONE,
  type PublicEdition,
  type PublicList,
  type PublicParticipant,
  type PublicSession,
  type PublicStand,
  type PublicVenue,
} from '../modules/events/public-event.service.ts';
import { registrationOpen } from '../modules/events/registration.service.ts';
import {
  EVENT_PAGE_LANGUAGES,
  EVENT_PAGE_STRINGS,
  type EventPageLanguage,
  type EventPageStrings,
} from './event-page.strings.ts';
import { REGISTER_STRINGS } from './event-register.strings.ts';
import { html, trusted, type Html } from './html.ts';

export interface EventPageOptions {
  /** Absolute origin of the hub, for the printed link. */
  origin: string;
  lang: EventPageLanguage;
  /** Now, for the footer's date and whether registration is still open. */
  now: Date;
}

/** The page of an edition, in a language. */
export function eventPageUrl(slug: string, lang: EventPageLanguage): string {
  return `/events/${encodeURIComponent(slug)}?lang=${lang}`;
}

/** Formatting in the reader's language, in Luxembourg's time. */
class Words {
  readonly s: EventPageStrings;
  private readonly names: Intl.DisplayNames;
  private readonly dayFormat: Intl.DateTimeFormat;
  private readonly dateFormat: Intl.DateTimeFormat;
  private readonly timeFormat: Intl.DateTimeFormat;
  private readonly keyFormat: Intl.DateTimeFormat;
  private readonly numbers: Intl.NumberFormat;

  constructor(readonly lang: EventPageLanguage) {
    this.s = EVENT_PAGE_STRINGS[lang];
    const locale = `${lang}-u-ca-gregory-nu-latn`;
    const timeZone = EVENT_TIME_ZONE;
    this.names = new Intl.DisplayNames([locale], { type: 'language' });
    this.dayFormat = new Intl.DateTimeFormat(locale, {
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone,
    });
    this.dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone });
    this.timeFormat = new Intl.DateTimeFormat(locale, {
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZone,
    });
    this.keyFormat = new Intl.DateTimeFormat('en-CA', { timeZone }); // YYYY-MM-DD
    this.numbers = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  }

  languageName(code: string): string {
    return this.names.of(code) ?? code;
  }
  /** "jeudi 17 novembre 2022". */
  day(at: Date): string {
    return this.dayFormat.format(at);
  }
  /** "17 novembre 2022". */
  date(at: Date): string {
    return this.dateFormat.format(at);
  }
  /** "09:30". */
  time(at: Date): string {
    return this.timeFormat.format(at);
  }
  /** The local date, to group by day. */
  dayKey(at: Date): string {
    return this.keyFormat.format(at);
  }
  number(n: number): string {
    return this.numbers.format(n);
  }
}

/** A translated text, marked when it is not in the reader's language. */
function text(loc: Localized, w: Words): Html {
  if (!loc.fallback || loc.language === w.lang) return html`${loc.text}`;
  return html`<span lang="${loc.language}">${loc.text}</span>
    <small class="fallback">${w.s.inLanguage(w.languageName(loc.language))}</small>`;
}

const hours = (from: string, to: string) =>
  html`<span class="hours"><time>${from}</time>–<time>${to}</time></span>`;

function when(edition: PublicEdition, w: Words): Html {
  const { startsAt, endsAt } = edition;
  const dateTime = html`<time datetime="${startsAt.toISOString()}"></time>`;
  if (w.dayKey(startsAt) === w.dayKey(endsAt)) {
    return html`${dateTime}${w.day(startsAt)}</time>, ${hours(w.time(startsAt), w.time(endsAt))}`;
  }
  return html`${dateTime}${w.day(startsAt)}</time> – <time datetime="${endsAt.toISOString()}"
      >${w.day(endsAt)}</time
    >`;
}

const address = (v: PublicVenue) =>
  [v.name, v.street, [v.postcode, v.commune].filter(Boolean).join(' ')].filter(Boolean).join(', ');

function seats(session: PublicSession, w: Words): Html {
  if (session.capacity === null) return html`<p class="seats">${w.s.noSeatLimit}</p>`;
  const left = Math.max(0, session.capacity - session.seatsTaken);
  return left > 0
    ? html`<p class="seats">${w.s.seatsLeft(left)}</p>`
    : html`<p class="seats full"><strong>${w.s.full(session.waitlistLength)}</strong></p>`;
}

function sessionItem(session: PublicSession, w: Words): Html {
  const speakers = session.speakers.map((sp) => {
    const about = [sp.function, sp.organisation].filter(Boolean).join(', ');
    return html`<li><span class="speaker-name">${sp.name}</span>${about ? html` (${about})` : null}</li>`;
  });
  return html`<li class="session" id="s-${session.id}">
    <p class="when">
      ${hours(w.time(session.startsAt), w.time(session.endsAt))} ·
      <span class="kind">${w.s.kind[session.kind]}</span>${
        session.room ? html` · <span class="room">${w.s.room} ${session.room}</span>` : null
      }
    </p>
    <h4>${text(session.title, w)}</h4>
    ${session.description ? html`<p class="description">${text(session.description, w)}</p>` : null}
    ${
      speakers.length
        ? html`<div class="speakers">
            ${w.s.labelled(w.s.speakers)}
            <ul>
              ${speakers}
            </ul>
          </div>`
        : null
    }
    ${seats(session, w)}
  </li>`;
}

function programme(edition: PublicEdition, w: Words): Html {
  if (edition.sessions.length === 0) return html`<p>${w.s.noSessions}</p>`;
  const days = new Map<string, PublicSession[]>();
  for (const s of edition.sessions) {
    const key = w.dayKey(s.startsAt);
    days.set(key, [...(days.get(key) ?? []), s]);
  }
  return html`${[...days.values()].map(
    (sessions) =>
      html`<h3>${w.day(sessions[0]!.startsAt)}</h3>
        <ol class="sessions">
          ${sessions.map((s) => sessionItem(s, w))}
        </ol>`,
  )}`;
}

/** A person as listed: the fields shown, nothing for the others. */
function person(p: PublicParticipant): Html {
  return html`${p.name ? html`<span class="name">${p.name}</span>` : null}${
    p.function ? html` <span class="function">${p.function}</span>` : null
  }${p.organisation ? html` <span class="organisation">${p.organisation}</span>` : null}`;
}

function team(list: PublicList, w: Words): Html | null {
  if (list.members.length === 0 && list.othersCount === 0) return null;
  return html`<div class="team">
    <h4>${w.s.team}</h4>
    ${
      list.members.length
        ? html`<ul>
            ${list.members.map((m) => html`<li>${person(m)}</li>`)}
          </ul>`
        : null
    }
    ${
      list.othersCount > 0
        ? html`<p class="others">
            ${list.members.length ? w.s.andOthers(list.othersCount) : w.s.registeredPeople(list.othersCount)}
          </p>`
        : null
    }
  </div>`;
}

function standArticle(stand: PublicStand, w: Words): Html {
  return html`<article class="stand" id="stand-${stand.id}">
    <h3>
      ${stand.number ? html`<span class="number">${w.s.standNumber(stand.number)}</span> ` : null}<span
        class="stand-organisation"
        >${stand.organisation.name}</span
      >
    </h3>
    <p class="project">${text(stand.title, w)}</p>
    ${stand.description ? html`<p class="description">${text(stand.description, w)}</p>` : null}
    ${
      stand.offers.length
        ? html`<div class="offers">
            <h4>${w.s.offers}</h4>
            <ul>
              ${stand.offers.map((o) => html`<li>${text(o.title, w)}</li>`)}
            </ul>
          </div>`
        : null
    }
    ${
      stand.results || stand.figures.length
        ? html`<div class="results">
            <h4>${w.s.results}</h4>
            ${stand.results ? html`<p>${text(stand.results, w)}</p>` : null}
            ${
              stand.figures.length
                ? html`<dl class="figures">
                    ${stand.figures.map(
                      (f) =>
                        html`<div>
                          <dt>${text(f.label, w)}</dt>
                          <dd>${w.number(f.value)}</dd>
                        </div>`,
                    )}
                  </dl>`
                : null
            }
          </div>`
        : null
    }
    ${team(stand.team, w)}
  </article>`;
}

function participants(list: PublicList, w: Words): Html {
  if (list.members.length === 0 && list.othersCount === 0) return html`<p>${w.s.noParticipants}</p>`;
  return html`<p class="consent">${w.s.consentNote}</p>
    ${
      list.members.length
        ? html`<table class="participants">
            <thead>
              <tr>
                <th scope="col">${w.s.organisation}</th>
                <th scope="col">${w.s.name}</th>
                <th scope="col">${w.s.function}</th>
              </tr>
            </thead>
            <tbody>
              ${list.members.map(
                (p) =>
                  html`<tr>
                    <td class="organisation">${p.organisation}</td>
                    <td class="name">${p.name}</td>
                    <td class="function">${p.function}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`
        : null
    }
    ${
      list.othersCount > 0
        ? html`<p class="others">
            ${list.members.length ? w.s.andOthers(list.othersCount) : w.s.registeredPeople(list.othersCount)}
          </p>`
        : null
    }`;
}

/** The page as one HTML document. */
export function renderEventPage(edition: PublicEdition, opts: EventPageOptions): string {
  const w = new Words(opts.lang);
  const base = `/events/${encodeURIComponent(edition.slug)}`;
  const ics = `${base}.ics?lang=${opts.lang}`;
  const page = html`<!doctype html>
    <html lang="${opts.lang}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${edition.title.text}</title>
        <link rel="alternate" type="text/calendar" href="${ics}" />
        ${EVENT_PAGE_LANGUAGES.map(
          (l) => html`<link rel="alternate" hreflang="${l}" href="${eventPageUrl(edition.slug, l)}" /> `,
        )}
        <style>
          ${trusted(STYLE)}
        </style>
      </head>
      <body>
        <header class="cover">
          <nav class="languages" aria-label="${w.s.otherLanguages}">
            ${w.s.labelled(w.s.otherLanguages)}
            ${EVENT_PAGE_LANGUAGES.map(
              (l) =>
                html`<a
                  href="${eventPageUrl(edition.slug, l)}"
                  hreflang="${l}"
                  lang="${l}"
                  ${l === opts.lang ? trusted(' aria-current="page"') : ''}
                  >${new Intl.DisplayNames([l], { type: 'language' }).of(l) ?? l}</a
                > `,
            )}
          </nav>
          ${edition.event.name ? html`<p class="series">${text(edition.event.name, w)}</p>` : null}
          <h1>${text(edition.title, w)}</h1>
          <p class="when">${when(edition, w)}</p>
          ${edition.venue ? html`<p class="venue">${w.s.labelled(w.s.venue)}<span>${address(edition.venue)}</span></p>` : null}
          <p class="by">${w.s.organisedBy(edition.organisation.name)}</p>
          <p class="status">
            ${
              registrationOpen(edition, opts.now)
                ? html`${w.s.registrationOpenUntil(w.date(edition.registrationClosesAt ?? edition.startsAt))}
                    ·
                    <a class="register" href="${base}/register?lang=${opts.lang}"
                      >${REGISTER_STRINGS[opts.lang].linkFromEventPage}</a
                    >`
                : w.s.registrationClosed
            }
          </p>
          ${edition.description ? html`<p class="intro">${text(edition.description, w)}</p>` : null}
          <p class="feeds"><a href="${ics}">${w.s.calendar}</a></p>
        </header>
        <section class="programme" id="programme">
          <h2>${w.s.programme}</h2>
          ${programme(edition, w)}
        </section>
        <section class="stands" id="stands">
          <h2>${w.s.stands}</h2>
          ${edition.stands.length ? edition.stands.map((s) => standArticle(s, w)) : html`<p>${w.s.noStands}</p>`}
        </section>
        <section class="participants" id="participants">
          <h2>${w.s.participants}</h2>
          ${participants(edition.participants, w)}
        </section>
        <footer>
          <p>${w.s.printed(w.date(opts.now), `${opts.origin}${eventPageUrl(edition.slug, opts.lang)}`)}</p>
        </footer>
      </body>
    </html> `;
  return page.value;
}

/** A small page for an edition that is not there (404) or a bad request (400). */
export function renderEventProblem(lang: EventPageLanguage, message: string): string {
  return html`<!doctype html>
    <html lang="${lang}">
      <head>
        <meta charset="utf-8" />
        <title>${message}</title>
        <style>
          ${trusted(STYLE)}
        </style>
      </head>
      <body>
        <main><h1>${message}</h1></main>
      </body>
    </html> `.value;
}

// Fonts the reader's system has (no download); logical properties, as the guides' page.
const STYLE = `
@page { size: A4; margin: 14mm 12mm 16mm; }
:root { color: #111; background: #fff; }
body {
  font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans", "DejaVu Sans", Roboto, Arial, sans-serif;
  font-size: 11pt; line-height: 1.4; margin: 0 auto; max-inline-size: 60rem; padding: 1rem;
}
h1 { font-size: 20pt; margin-block: 0 .3em; }
h2 { font-size: 14pt; border-block-end: 2px solid #111; padding-block-end: .2em; margin-block-start: 1.5em; }
h3 { font-size: 12pt; margin-block: 1em .3em; }
h4 { font-size: 11pt; margin-block: .2em; }
a { color: inherit; }
.languages { font-size: 10pt; margin-block-end: 1em; }
.languages a { margin-inline-end: .6em; }
.languages a[aria-current] { font-weight: bold; text-decoration: none; }
.series { font-weight: 600; margin: 0; }
.when, .venue, .by, .status, .feeds { margin-block: .2em; }
.status { font-weight: 600; }
.fallback { color: #555; font-style: italic; font-size: .85em; }
.sessions { list-style: none; padding: 0; margin: 0; }
.session { border-block-end: 1px solid #ccc; padding-block: .5em; break-inside: avoid; }
.session .when { color: #333; }
.hours { white-space: nowrap; }
.kind { font-weight: 600; }
.speakers ul { display: inline; padding: 0; }
.speakers li { display: inline; }
.speakers li + li::before { content: "; "; }
.seats { font-size: 10pt; margin-block: .2em; }
.seats.full { color: #8a1c1c; }
.stand { border-block-end: 1px solid #ccc; padding-block: .6em; break-inside: avoid; }
.stand .number { display: inline-block; border: 1px solid #111; padding-inline: .3em; margin-inline-end: .3em; }
.project { font-weight: 600; margin-block: .2em; }
.figures { display: flex; flex-wrap: wrap; gap: .5em 1.5em; margin: .3em 0; }
.figures dt { font-size: 9.5pt; color: #444; }
.figures dd { margin: 0; font-size: 14pt; font-weight: 600; }
.team ul { padding-inline-start: 1.2em; margin-block: .2em; }
.function, .organisation { color: #444; }
.team .function::before, .team .organisation::before { content: "· "; }
table.participants { inline-size: 100%; border-collapse: collapse; font-size: 10pt; }
table.participants th, table.participants td { border-block-end: 1px solid #ddd; padding: .2em .4em; text-align: start; }
.others, .consent { color: #444; font-size: 10pt; }
footer { margin-block-start: 2em; font-size: 9pt; color: #444; }
@media print {
  body { padding: 0; max-inline-size: none; }
  .languages, .feeds { display: none; }
  section.stands, section.participants { break-before: page; }
  a { text-decoration: none; }
}
`;
