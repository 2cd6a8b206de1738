/**
 * The printable guide (`/guides/<slug>?lang=…`): one self-contained HTML page, no script, system
 * fonts, an A4 print style sheet. A week timetable (Monday to Sunday; mirrored in right-to-left
 * languages, since the page's `dir` orders the table's columns), then every entry with its times,
 * the dates it does not take place, address and walk from the shelter, a QR code to its live
 * entry, and "verified on … by …". A text that falls back to another language says so, in the
 * reader's language, and carries its own `lang` and `dir`.
 */
import QRCode from 'qrcode';
import type { Localized } from '../modules/catalogue/translations.ts';
import {
  addDays,
  cancelledDates,
  weekTimetable,
  type Exception,
  type Slot,
} from '../modules/welcome/guide-week.ts';
import type { PublicEntry, PublicGuide, PublicSite } from '../modules/welcome/guide-public.service.ts';
import {
  HOLIDAY_NAME_LANGUAGES,
  intlLocale,
  PAGE_STRINGS,
  RTL_LANGUAGES,
  type PageStrings,
} from './guide-page.strings.ts';
import { html as escaped, trusted, type Html, type HtmlPart } from './html.ts';

/** How far ahead an entry lists the dates it does not take place. */
export const EXCEPTIONS_WEEKS = 8;

export interface PageOptions {
  /** Absolute origin of the hub (`https://maillage.example`), for QR codes and printed links. */
  origin: string;
  /** The Monday of the week the timetable shows. */
  monday: string;
  /** Today (local date), printed in the footer. */
  today: string;
}

/** The live address of an entry (what its QR code opens): the guide, in the reader's language. */
export function entryUrl(origin: string, slug: string, lang: string, entryId: string): string {
  return `${origin}/guides/${encodeURIComponent(slug)}?lang=${lang}#e-${entryId}`;
}

/**
 * `html` of html.ts (it escapes every value), less the indentation of the templates below: ~10 % of
 * a 100-entry page was leading spaces. A run of white space renders as one space (there is no
 * `pre` here), so a line break alone says the same. Done once per template, not per request.
 */
const compacted = new WeakMap<TemplateStringsArray, TemplateStringsArray>();
function html(strings: TemplateStringsArray, ...values: HtmlPart[]): Html {
  let tight = compacted.get(strings);
  if (tight === undefined) {
    tight = Object.assign(
      strings.map((s) => s.replace(/\n\s+/g, '\n')),
      { raw: strings.raw },
    );
    compacted.set(strings, tight);
  }
  return escaped(tight, ...values);
}

// QR codes cost ~4 ms each to draw; the same address always gives the same picture, and an address
// is public (a published guide's entry), so this process keeps the most recent ones, as markup
// ready for the page.
const QR_CACHE_SIZE = 2_000;
const qrCache = new Map<string, string>();

/**
 * qrcode's SVG (one path of horizontal runs, its own format) for the page: no background path (the
 * page is white, print included), no `xmlns` (HTML puts an inline `svg` in the SVG namespace), our
 * class, size and label. Half of a page's characters are QR codes: every attribute counts.
 */
async function qrSvg(url: string): Promise<string> {
  const hit = qrCache.get(url);
  if (hit !== undefined) {
    qrCache.delete(url);
    qrCache.set(url, hit);
    return hit;
  }
  const drawn = await QRCode.toString(url, {
    type: 'svg',
    margin: 0,
    errorCorrectionLevel: 'M',
    color: { dark: '#000000', light: '#0000' },
  });
  const svg = drawn
    .trim()
    .replace(
      '<svg xmlns="http://www.w3.org/2000/svg" ',
      '<svg class="qr-code" role="img" aria-label="QR" width="96" height="96" ',
    );
  qrCache.set(url, svg);
  if (qrCache.size > QR_CACHE_SIZE) qrCache.delete(qrCache.keys().next().value!);
  return svg;
}

/**
 * Formatting in the reader's language. Building Intl formatters costs more than using them (~3 % of
 * a page), and they hold no data: one per language for the life of the process (`wordsIn`).
 */
class Words {
  readonly s: PageStrings;
  readonly dir: 'rtl' | 'ltr';
  private readonly names: Intl.DisplayNames;
  private readonly dayMonth: Intl.DateTimeFormat;
  private readonly fullDate: Intl.DateTimeFormat;
  private readonly weekdayName: Intl.DateTimeFormat;
  private readonly km: Intl.NumberFormat;
  private readonly lists: Intl.ListFormat;
  private readonly nameOf = new Map<string, string>();

  constructor(readonly lang: PublicGuide['lang']) {
    this.s = PAGE_STRINGS[lang];
    this.dir = RTL_LANGUAGES.has(lang) ? 'rtl' : 'ltr';
    const locale = intlLocale(lang);
    this.names = new Intl.DisplayNames([locale], { type: 'language' });
    this.dayMonth = new Intl.DateTimeFormat(locale, {
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      timeZone: 'UTC',
    });
    this.fullDate = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' });
    this.weekdayName = new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' });
    this.km = new Intl.NumberFormat(locale, { maximumFractionDigits: 1, minimumFractionDigits: 1 });
    this.lists = new Intl.ListFormat(locale, { type: 'conjunction' });
  }

  languageName(code: string): string {
    let name = this.nameOf.get(code);
    if (name === undefined) {
      name = this.names.of(code) ?? code;
      // Codes come from stored entries: keep a bounded number of them.
      if (this.nameOf.size < 500) this.nameOf.set(code, name);
    }
    return name;
  }
  /** 'YYYY-MM-DD' → "lundi 4 mai". */
  day(date: string): string {
    return this.dayMonth.format(new Date(`${date}T00:00:00Z`));
  }
  /** 'YYYY-MM-DD' → "4 mai 2026". */
  date(date: string): string {
    return this.fullDate.format(new Date(`${date}T00:00:00Z`));
  }
  /** ISO weekday → "lundi" (2024-01-01 was a Monday). */
  weekday(iso: number): string {
    return this.weekdayName.format(new Date(Date.UTC(2024, 0, iso)));
  }
  /** "lundi, mercredi et vendredi", "الاثنين والأربعاء والجمعة". */
  list(items: string[]): string {
    return this.lists.format(items);
  }
  kilometres(meters: number): string {
    return this.km.format(meters / 1000);
  }
}

const wordsByLanguage = new Map<PublicGuide['lang'], Words>();
function wordsIn(lang: PublicGuide['lang']): Words {
  let w = wordsByLanguage.get(lang);
  if (w === undefined) {
    w = new Words(lang);
    wordsByLanguage.set(lang, w);
  }
  return w;
}

/** A language's name in itself ("français", "العربية"), for the links to the other languages. */
const endonyms = new Map<string, string>();
function endonym(code: string): string {
  let name = endonyms.get(code);
  if (name === undefined) {
    name = new Intl.DisplayNames([code], { type: 'language' }).of(code) ?? code;
    endonyms.set(code, name);
  }
  return name;
}

/** A translated text, marked when it is not in the reader's language or was made from an older source. */
function text(loc: Localized & { outdated?: boolean }, w: Words): Html {
  if (loc.outdated) {
    return html`${loc.text} <small class="fallback outdated">${w.s.outdatedTranslation}</small>`;
  }
  if (loc.language === w.lang) return html`${loc.text}`;
  const dir = RTL_LANGUAGES.has(loc.language) ? 'rtl' : 'ltr';
  return html`<span lang="${loc.language}" dir="${dir}">${loc.text}</span>
    <small class="fallback">${w.s.inLanguage(w.languageName(loc.language))}</small>`;
}

const times = (opensAt: string, closesAt: string) =>
  // The whole range left to right (an Arabic page would otherwise show "11:30–10:00").
  html`<span class="hours" dir="ltr"><time>${opensAt}</time>–<time>${closesAt}</time></span>`;

function address(site: PublicSite, w: Words): Html {
  const street = [site.street, [site.postcode, site.commune].filter(Boolean).join(' ')]
    .filter(Boolean)
    .join(', ');
  const walk =
    site.distanceMeters !== null && site.walkingMinutes !== null
      ? html` <span class="walk">${w.s.onFoot(w.kilometres(site.distanceMeters), site.walkingMinutes)}</span>`
      : null;
  return html`<li>
    <bdi>${site.name}</bdi> — <bdi>${street}</bdi>${walk}${
      site.wheelchairAccessible ? html` <span class="a11y">♿ ${w.s.wheelchair}</span>` : null
    }
  </li>`;
}

function slotLine(slot: Slot, w: Words, lang: string): Html {
  const days = slot.weekdays.map((d) => w.weekday(d));
  const when = w.list(slot.freq === 'MONTHLY' ? days.map((d) => w.s.monthly(d)) : days);
  const validity = [
    slot.validFrom ? w.s.since(w.date(slot.validFrom)) : null,
    slot.validTo ? w.s.until(w.date(slot.validTo)) : null,
  ].filter(Boolean);
  const descriptions = Object.keys(slot.description).length
    ? localizeDescription(slot.description, lang)
    : null;
  return html`<li>
    ${when}
    ${times(slot.opensAt, slot.closesAt)}${
      validity.length ? html` <span class="validity">(${validity.join(', ')})</span>` : null
    }${descriptions ? html` — ${text(descriptions, w)}` : null}
  </li>`;
}

function localizeDescription(value: Slot['description'], lang: string): Localized | null {
  const order = [lang, 'fr', 'de', 'en', ...Object.keys(value)];
  for (const l of order) {
    const t = value[l as keyof typeof value];
    if (t !== undefined) return { text: t, language: l as Localized['language'], fallback: l !== lang };
  }
  return null;
}

function exceptionLabel(e: Exception, w: Words): string {
  if (e.kind === 'CLOSURE') return w.s.closed;
  return HOLIDAY_NAME_LANGUAGES.has(w.lang) ? `${w.s.labelled(w.s.holiday)}${e.name}` : w.s.holiday;
}

function upcomingExceptions(entry: PublicEntry, monday: string, w: Words): Exception[] {
  const to = addDays(monday, EXCEPTIONS_WEEKS * 7 - 1);
  const byDate = new Map<string, Exception>();
  for (const slot of entry.slots) {
    for (const e of cancelledDates(slot, entry.closures, monday, to, w.lang)) byDate.set(e.date, e);
  }
  return [...byDate.values()].sort((a, b) => a.date.localeCompare(b.date));
}

async function entryArticle(
  guide: PublicGuide,
  entry: PublicEntry,
  opts: PageOptions,
  w: Words,
): Promise<Html> {
  const svg = await qrSvg(entryUrl(opts.origin, guide.slug, guide.lang, entry.id));
  const exceptions = upcomingExceptions(entry, opts.monday, w);
  return html`<article class="entry" id="e-${entry.id}">
    <div class="entry-body">
      <h3>${text(entry.title, w)}</h3>
      <p class="organisation"><bdi>${entry.organisation.name}</bdi></p>
      ${entry.note ? html`<p class="note">${text(entry.note, w)}</p>` : null}
      <ul class="times">
        ${
          entry.slots.length
            ? entry.slots.map((s) => slotLine(s, w, guide.lang))
            : html`<li>${w.s.noFixedTime}</li>`
        }
      </ul>
      ${
        exceptions.length
          ? html`<p class="exceptions">
              ${w.s.labelled(w.s.notOn)}
              ${exceptions.map(
                (e, i) =>
                  html`${i ? ', ' : ''}<span class="exception"
                      >${w.day(e.date)} (${exceptionLabel(e, w)})</span
                    >`,
              )}
            </p>`
          : null
      }
      ${
        entry.sites.length
          ? html`<ul class="sites">
              ${entry.sites.map((s) => address(s, w))}
            </ul>`
          : null
      }
      ${
        entry.languages.length
          ? html`<p class="languages">
              ${w.s.labelled(w.s.languages)}${w.list(entry.languages.map((l) => w.languageName(l)))}
            </p>`
          : null
      }
      ${entry.phone ? html`<p class="phone">${w.s.labelled(w.s.phone)}<bdi dir="ltr">${entry.phone}</bdi></p>` : null}
      ${
        entry.verified
          ? html`<p class="verified">
              ${w.s.verified(w.date(entry.verified.at.toISOString().slice(0, 10)), entry.verified.by)}
            </p>`
          : null
      }
    </div>
    <figure class="qr">
      ${trusted(svg)}
      <figcaption>${w.s.scan}</figcaption>
    </figure>
  </article>`;
}

function timetable(guide: PublicGuide, opts: PageOptions, w: Words): Html {
  const byId = new Map(guide.entries.map((e) => [e.id, e]));
  const days = weekTimetable(
    guide.entries.map((e) => ({ key: e.id, slots: e.slots, closures: e.closures })),
    opts.monday,
    guide.lang,
  );
  return html`<table class="timetable">
    <thead>
      <tr>
        ${days.map(
          (d) =>
            html`<th scope="col" class="${d.holiday !== null ? 'holiday' : ''}">
              ${w.day(d.date)}${
                d.holiday !== null
                  ? html`<br /><small>${HOLIDAY_NAME_LANGUAGES.has(w.lang) ? d.holiday : w.s.holiday}</small>`
                  : null
              }
            </th>`,
        )}
      </tr>
    </thead>
    <tbody>
      <tr>
        ${days.map(
          (d) =>
            html`<td data-day="${w.day(d.date)}">
              ${
                d.slots.length
                  ? html`<ul>
                      ${d.slots.map((slot) => {
                        const entry = byId.get(slot.key)!;
                        return html`<li class="slot${slot.cancelled ? ' cancelled' : ''}">
                          ${times(slot.opensAt, slot.closesAt)}
                          <a href="#e-${entry.id}">${text(entry.title, w)}</a>${
                            slot.cancelled
                              ? html` <strong class="cancel"
                                  >${slot.cancelled.kind === 'HOLIDAY' ? w.s.holiday : w.s.closed}</strong
                                >`
                              : null
                          }
                        </li>`;
                      })}
                    </ul>`
                  : html`<p class="nothing">${w.s.nothing}</p>`
              }
            </td>`,
        )}
      </tr>
    </tbody>
  </table>`;
}

/** The page as one HTML document. */
export async function renderGuidePage(guide: PublicGuide, opts: PageOptions): Promise<string> {
  const w = wordsIn(guide.lang);
  const base = `/guides/${encodeURIComponent(guide.slug)}`;
  const articles = await Promise.all(guide.entries.map((e) => entryArticle(guide, e, opts, w)));
  const shelter = guide.shelter;
  const live = `${opts.origin}${base}?lang=${guide.lang}`;
  const page = html`<!doctype html>
    <html lang="${guide.lang}" dir="${w.dir}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${guide.title.text}</title>
        <link rel="alternate" type="text/calendar" href="${base}.ics?lang=${guide.lang}" />
        <link rel="alternate" type="application/geo+json" href="${base}.geojson?lang=${guide.lang}" />
        ${guide.languages.map((l) => html`<link rel="alternate" hreflang="${l}" href="${base}?lang=${l}" /> `)}
        <style>
          ${trusted(STYLE)}
        </style>
      </head>
      <body>
        <header class="cover">
          ${
            guide.languages.length > 1
              ? html`<nav class="languages" aria-label="${w.s.otherLanguages}">
                  ${w.s.labelled(w.s.otherLanguages)}
                  ${guide.languages.map(
                    (l) =>
                      html`<a
                        href="${base}?lang=${l}"
                        hreflang="${l}"
                        lang="${l}"
                        dir="${RTL_LANGUAGES.has(l) ? 'rtl' : 'ltr'}"
                        ${l === guide.lang ? trusted(' aria-current="page"') : ''}
                        >${endonym(l)}</a
                      > `,
                  )}
                </nav>`
              : null
          }
          <h1>${text(guide.title, w)}</h1>
          ${guide.intro ? html`<p class="intro">${text(guide.intro, w)}</p>` : null}
          ${
            shelter
              ? html`<p class="home">
                  ${w.s.labelled(w.s.startingPoint)}<bdi>${shelter.name}</bdi>,
                  <bdi
                    >${[shelter.street, [shelter.postcode, shelter.commune].filter(Boolean).join(' ')]
                      .filter(Boolean)
                      .join(', ')}</bdi
                  >
                </p>`
              : null
          }
          <p class="by">${w.s.by(guide.organisation.name)}</p>
          <p class="feeds">
            <a href="${base}.ics?lang=${guide.lang}">${w.s.calendar}</a> ·
            <a href="${base}.geojson?lang=${guide.lang}">${w.s.map}</a>
          </p>
        </header>
        <section class="week">
          <h2>${w.s.timetable} — ${w.s.weekOf(w.date(opts.monday))}</h2>
          ${guide.entries.length ? timetable(guide, opts, w) : html`<p>${w.s.empty}</p>`}
        </section>
        <section class="directory">
          <h2>${w.s.activities}</h2>
          ${articles}
        </section>
        <footer><p>${w.s.printed(w.date(opts.today), live)}</p></footer>
      </body>
    </html> `;
  return page.value;
}

/** A small page for a guide that is not there (404) or a bad request (400). */
export function renderGuideProblem(lang: PublicGuide['lang'], message: string): string {
  const dir = RTL_LANGUAGES.has(lang) ? 'rtl' : 'ltr';
  return html`<!doctype html>
    <html lang="${lang}" dir="${dir}">
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

// Logical properties only (margin-inline-start, text-align: start…), so that `dir="rtl"` mirrors
// the whole page; fonts the reader's system has (no download).
const STYLE = `
@page { size: A4; margin: 14mm 12mm 16mm; }
:root { color: #111; background: #fff; }
body {
  font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans", "DejaVu Sans", Roboto, Arial, sans-serif;
  font-size: 11pt; line-height: 1.4; margin: 0 auto; max-inline-size: 60rem; padding: 1rem;
}
:lang(ar), :lang(fa) {
  font-family: "Noto Naskh Arabic", "Noto Sans Arabic", Vazirmatn, Tahoma, "Segoe UI", "DejaVu Sans", sans-serif;
}
:lang(uk) { font-family: system-ui, "Noto Sans", "DejaVu Sans", Arial, sans-serif; }
h1 { font-size: 20pt; margin-block: 0 .3em; }
h2 { font-size: 14pt; border-block-end: 2px solid #111; padding-block-end: .2em; }
h3 { font-size: 12pt; margin-block: 0 .2em; }
a { color: inherit; }
.languages { font-size: 10pt; margin-block-end: 1em; }
.languages a { margin-inline-end: .6em; }
.languages a[aria-current] { font-weight: bold; text-decoration: none; }
.fallback { color: #555; font-style: italic; font-size: .85em; }
.intro { font-size: 12pt; }
.home, .by, .feeds { margin-block: .2em; }
.timetable { inline-size: 100%; border-collapse: collapse; table-layout: fixed; font-size: 8.5pt; }
.timetable th, .timetable td { border: 1px solid #999; padding: .25em; vertical-align: top; text-align: start; }
.timetable th.holiday { background: #eee; }
.timetable ul { list-style: none; margin: 0; padding: 0; }
.timetable li { margin-block-end: .35em; }
.timetable a { text-decoration: none; }
.slot.cancelled a, .slot.cancelled time { text-decoration: line-through; }
.cancel { display: block; font-size: .9em; }
.nothing { color: #666; margin: 0; }
.entry {
  display: grid; grid-template-columns: 1fr auto; gap: 1em; align-items: start;
  border-block-end: 1px solid #ccc; padding-block: .6em; break-inside: avoid;
}
.entry .organisation { font-weight: 600; margin-block: 0 .3em; }
.entry p, .entry ul { margin-block: .2em; }
.entry ul { padding-inline-start: 1.2em; }
.walk { white-space: nowrap; font-weight: 600; }
.exceptions { font-size: 10pt; }
.verified { color: #444; font-size: 9.5pt; }
.qr { margin: 0; text-align: center; inline-size: 96px; }
.qr-code { display: block; inline-size: 96px; block-size: 96px; }
.qr figcaption { font-size: 7.5pt; }
footer { margin-block-start: 2em; font-size: 9pt; color: #444; }
.hours { unicode-bidi: isolate; white-space: nowrap; }
@media screen and (max-width: 44rem) {
  .timetable, .timetable thead, .timetable tbody, .timetable tr, .timetable th, .timetable td { display: block; }
  .timetable thead { display: none; }
  .timetable td::before { content: attr(data-day); font-weight: bold; }
}
@media print {
  body { padding: 0; max-inline-size: none; }
  .languages, .feeds { display: none; }
  section { break-before: page; }
  section.week { break-before: auto; }
  a { text-decoration: none; }
}
`;
