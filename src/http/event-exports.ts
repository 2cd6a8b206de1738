/**
 * What an edition's organisers download, with `Authorization: Bearer <token>`:
 *
 * - `/events/<edition-slug>/participants.csv`: the participant list (RFC 4180: CRLF, quotes
 *   doubled; UTF-8 with a byte order mark so that Excel reads the accents), accessibility needs
 *   included: only organisers get it;
 * - `/events/<edition-slug>/badges.csv`: one line per badge for a mail merge (name, organisation,
 *   function, category, badge code, the QR code's URL);
 * - `/events/<edition-slug>/badges.html`: printable badges, eight to an A4 sheet, each with its
 *   QR code as inline SVG; no script (CSP).
 *
 * Query parameters filter as `EventEdition.participants` does: `organisationId` and `sessionId`
 * (global IDs), `category`, `checkedIn` (true|false), `status` (default REGISTERED), `text`; and
 * `lang` (fr|de|en, else Accept-Language, else fr) for headers, labels and session titles.
 *
 * Anyone but the edition's organisers (anonymous, another organisation, an organisation's admin)
 * gets 404, exactly as for an unknown edition; an invalid token 401. Rows are read in batches
 * and written as they come (participants.service.ts#participantBatches), never built in memory;
 * a client that goes away stops the reading. Answers are `Cache-Control: no-store`: personal data.
 *
 * Badges show the person's name and organisation whatever their consent to the *public* list:
 * a badge is worn at the event, to be read by the people met there, not published (issue 12).
 * Cells that a spreadsheet would run as a formula (starting with = + - @, a tab or CR) are
 * written with a leading apostrophe (OWASP "CSV injection"): names come from public registration.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodeGlobalID } from '@pothos/plugin-relay';
import { DateTime } from 'luxon';
import QRCode from 'qrcode';
import type { PrismaClient } from '../generated/prisma/client.ts';
import {
  ParticipantCategory,
  RegistrationStatus,
  type RegistrationSource,
} from '../generated/prisma/enums.ts';
import { localize } from '../modules/catalogue/translations.ts';
import {
  editionSessions,
  exportableEdition,
  participantBatches,
  PARTICIPANT_TEXT_MAX,
  type ParticipantFilter,
  type ParticipantRow,
} from '../modules/events/participants.service.ts';
import {
  answerFailure,
  BadRequest,
  bearerViewer,
  drained,
  gone,
  languageParam,
  param,
  problem,
  writeCsv,
  type BearerOptions,
} from './bearer-files.ts';
import { escapeHtml, html, trusted, type Html, PRINTABLE_PAGE_CSP } from './html.ts';

/** `/events/<edition-slug>/<file>`: what this module answers (server.ts routes by it). */
export const EVENT_EXPORT_PATH =
  /^\/events\/([a-z0-9](?:[a-z0-9-]{0,98}[a-z0-9])?)\/(participants\.csv|badges\.csv|badges\.html)$/;

export interface EventExportsOptions extends BearerOptions {
  prisma: PrismaClient;
  /** Whether X-Forwarded-Proto may be believed (TRUSTED_PROXY_HOPS > 0), for the QR codes' URLs. */
  trustProxy: boolean;
}

type Lang = 'fr' | 'de' | 'en';
const LANGS: readonly Lang[] = ['fr', 'de', 'en'];
const TIME_ZONE = 'Europe/Luxembourg';
const SHEET = 8;
const HOST = /^(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

interface Words {
  participantColumns: [string, string, string, string, string, string, string, string, string, string];
  badgeColumns: [string, string, string, string, string, string];
  category: Record<ParticipantCategory, string>;
  source: Record<RegistrationSource, string>;
  waitlisted: string;
  badges: string;
}

const WORDS: Record<Lang, Words> = {
  fr: {
    participantColumns: [
      'Nom',
      'E-mail',
      'Organisation',
      'Fonction',
      'Catégorie',
      'Sessions',
      'Arrivée',
      'Inscription',
      'Source',
      'Besoins d’accessibilité',
    ],
    badgeColumns: ['Nom', 'Organisation', 'Fonction', 'Catégorie', 'Code du badge', 'URL du code QR'],
    category: {
      PARTNER_STAFF: 'Personnel d’un partenaire',
      VOLUNTEER: 'Bénévole',
      PUBLIC_SECTOR: 'Commune ou ministère',
      PRESS: 'Presse',
      SPEAKER: 'Intervenant·e',
      ORGANISER: 'Organisation',
      OTHER: 'Autre',
    },
    source: {
      SELF: 'Inscription individuelle',
      ORGANISATION: 'Par son organisation',
      ORGANISER: 'Par les organisateurs',
    },
    waitlisted: 'liste d’attente',
    badges: 'Badges',
  },
  de: {
    participantColumns: [
      'Name',
      'E-Mail',
      'Organisation',
      'Funktion',
      'Kategorie',
      'Programmpunkte',
      'Angekommen',
      'Angemeldet',
      'Anmeldung',
      'Barrierefreiheit',
    ],
    badgeColumns: ['Name', 'Organisation', 'Funktion', 'Kategorie', 'Badge-Code', 'URL des QR-Codes'],
    category: {
      PARTNER_STAFF: 'Mitarbeitende eines Partners',
      VOLUNTEER: 'Ehrenamtlich',
      PUBLIC_SECTOR: 'Gemeinde oder Ministerium',
      PRESS: 'Presse',
      SPEAKER: 'Referent·in',
      ORGANISER: 'Veranstalter',
      OTHER: 'Andere',
    },
    source: {
      SELF: 'Selbst angemeldet',
      ORGANISATION: 'Durch die Organisation',
      ORGANISER: 'Durch die Veranstalter',
    },
    waitlisted: 'Warteliste',
    badges: 'Namensschilder',
  },
  en: {
    participantColumns: [
      'Name',
      'E-mail',
      'Organisation',
      'Function',
      'Category',
      'Sessions',
      'Checked in at',
      'Registered at',
      'Source',
      'Accessibility needs',
    ],
    badgeColumns: ['Name', 'Organisation', 'Function', 'Category', 'Badge code', 'QR payload URL'],
    category: {
      PARTNER_STAFF: 'Partner staff',
      VOLUNTEER: 'Volunteer',
      PUBLIC_SECTOR: 'Commune or ministry',
      PRESS: 'Press',
      SPEAKER: 'Speaker',
      ORGANISER: 'Organiser',
      OTHER: 'Other',
    },
    source: {
      SELF: 'Self (invitation code)',
      ORGANISATION: 'By their organisation',
      ORGANISER: 'By the organisers',
    },
    waitlisted: 'waitlist',
    badges: 'Badges',
  },
};

const language = (url: URL, req: IncomingMessage) => languageParam(url, req, LANGS);

function globalIdParam(url: URL, name: string, typename: string): string | null {
  const raw = param(url, name);
  if (raw === undefined || raw === '') return null;
  try {
    const decoded = decodeGlobalID(raw);
    if (decoded.typename === typename) return decoded.id;
  } catch {
    // reported below
  }
  throw new BadRequest(name, `Query parameter "${name}" must be the global ID of a ${typename}.`);
}

function enumParam<T extends string>(url: URL, name: string, values: readonly T[]): T | null {
  const raw = param(url, name);
  if (raw === undefined || raw === '') return null;
  if (!(values as readonly string[]).includes(raw)) {
    throw new BadRequest(name, `Query parameter "${name}" must be one of ${values.join(', ')}.`);
  }
  return raw as T;
}

/** The filter of `EventEdition.participants`, from the query string. */
function filterOf(url: URL): ParticipantFilter {
  const checkedIn = param(url, 'checkedIn');
  if (checkedIn !== undefined && checkedIn !== '' && checkedIn !== 'true' && checkedIn !== 'false') {
    throw new BadRequest('checkedIn', 'Query parameter "checkedIn" must be true or false.');
  }
  const text = param(url, 'text');
  if (text !== undefined && (text.length > PARTICIPANT_TEXT_MAX || text.includes('\u0000'))) {
    throw new BadRequest(
      'text',
      `Query parameter "text" must be at most ${PARTICIPANT_TEXT_MAX} characters.`,
    );
  }
  return {
    organisationId: globalIdParam(url, 'organisationId', 'Organisation'),
    sessionId: globalIdParam(url, 'sessionId', 'EventSession'),
    category: enumParam(url, 'category', Object.values(ParticipantCategory)),
    status: enumParam(url, 'status', Object.values(RegistrationStatus)),
    checkedIn: checkedIn === 'true' ? true : checkedIn === 'false' ? false : null,
    text: text || null,
  };
}

function origin(req: IncomingMessage, trustProxy: boolean): string {
  const host = req.headers.host;
  const forwarded = req.headers['x-forwarded-proto'];
  const https = trustProxy && typeof forwarded === 'string' && forwarded.split(',')[0]!.trim() === 'https';
  return `${https ? 'https' : 'http'}://${host && HOST.test(host) ? host : 'localhost'}`;
}

/**
 * What a badge's QR code holds: the edition's public page, the badge's code in the fragment. A
 * phone's camera opens the programme (the fragment never reaches a server or its logs); the
 * organisers' scanner reads `badge=` from it and sends it to `checkInParticipant`.
 */
export function badgeQrUrl(base: string, editionSlug: string, badgeCode: string): string {
  return `${base}/events/${encodeURIComponent(editionSlug)}#badge=${encodeURIComponent(badgeCode)}`;
}

const localTime = (d: Date | null) =>
  d ? DateTime.fromJSDate(d, { zone: TIME_ZONE }).toFormat('yyyy-MM-dd HH:mm') : '';

/** Answers a request for `/events/<slug>/participants.csv`, `badges.csv` or `badges.html`. */
export async function handleEventExports(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  opts: EventExportsOptions,
): Promise<void> {
  const match = EVENT_EXPORT_PATH.exec(url.pathname);
  if (!match) return problem(res, 404, 'Nothing at this address.');
  const [, slug, file] = match as unknown as [string, string, string];
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return problem(res, 405, `Method ${req.method} not allowed: exports are read-only.`, {
      headers: { allow: 'GET, HEAD' },
    });
  }
  try {
    const lang = language(url, req);
    const filter = filterOf(url);
    const viewer = await bearerViewer(req, res, opts);
    if (viewer === undefined) return;
    const edition = await exportableEdition(opts.prisma, viewer, slug);
    // Not an organiser: the same answer as an unknown edition.
    if (!edition) return problem(res, 404, 'No event edition at this address.');
    const headers = {
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'content-language': lang,
    };
    const name = (kind: string, ext: string) => `attachment; filename="${edition.slug}-${kind}.${ext}"`;
    const rows = () => participantBatches(opts.prisma, viewer, edition.id, filter);
    const words = WORDS[lang];
    if (file === 'badges.html') {
      res.writeHead(200, {
        ...headers,
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': PRINTABLE_PAGE_CSP,
      });
      if (req.method === 'HEAD') return void res.end();
      const title = localize(edition.title, [lang])?.text ?? edition.slug;
      return await writeBadgePage(res, rows(), {
        lang,
        words,
        title,
        slug,
        base: origin(req, opts.trustProxy),
      });
    }
    res.writeHead(200, {
      ...headers,
      'content-type': 'text/csv; charset=utf-8; header=present',
      'content-disposition': file === 'badges.csv' ? name('badges', 'csv') : name('participants', 'csv'),
    });
    if (req.method === 'HEAD') return void res.end();
    if (file === 'badges.csv') {
      const base = origin(req, opts.trustProxy);
      return await writeCsv(res, words.badgeColumns, rows(), (r) => [
        r.name,
        r.organisation ?? '',
        r.function ?? '',
        words.category[r.category],
        r.badgeCode,
        badgeQrUrl(base, slug, r.badgeCode),
      ]);
    }
    const sessions = await editionSessions(opts.prisma, edition.id);
    const sessionTitle = (id: string) => localize(sessions.get(id)?.title, [lang])?.text ?? '?';
    return await writeCsv(res, words.participantColumns, rows(), (r) => [
      r.name,
      r.email,
      r.organisation ?? '',
      r.function ?? '',
      words.category[r.category],
      r.seats
        .filter((s) => sessions.has(s.sessionId))
        .sort(
          (a, b) =>
            sessions.get(a.sessionId)!.startsAt.getTime() - sessions.get(b.sessionId)!.startsAt.getTime(),
        )
        .map((s) => sessionTitle(s.sessionId) + (s.status === 'WAITLISTED' ? ` (${words.waitlisted})` : ''))
        .join('; '),
      localTime(r.checkedInAt),
      localTime(r.registeredAt),
      words.source[r.source],
      r.accessibilityNeeds ?? '',
    ]);
  } catch (err) {
    answerFailure(res, err);
  }
}

/** A QR code as inline SVG, sized for a badge. */
async function qrSvg(text: string): Promise<Html> {
  const svg = await QRCode.toString(text, { type: 'svg', margin: 0, errorCorrectionLevel: 'M' });
  return trusted(svg.replace('<svg ', '<svg class="qr" role="img" aria-label="QR" '));
}

async function badge(r: ParticipantRow, words: Words, base: string, slug: string): Promise<Html> {
  return html`<article class="badge">
    <div class="who">
      <p class="name">${r.name}</p>
      ${r.organisation ? html`<p class="org">${r.organisation}</p>` : ''}
      ${r.function ? html`<p class="fn">${r.function}</p>` : ''}
    </div>
    <div class="qr-box">
      ${await qrSvg(badgeQrUrl(base, slug, r.badgeCode))}
      <p class="code">${r.badgeCode}</p>
    </div>
    <p class="cat cat-${r.category.toLowerCase()}">${words.category[r.category]}</p>
  </article>`;
}

const STYLE = `
@page { size: A4; margin: 10mm; }
* { box-sizing: border-box; }
body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #111; }
/* Eight 90 × 62 mm badges fit the 190 × 277 mm inside the page's margins. */
.sheet { display: grid; grid-template-columns: 90mm 90mm; grid-auto-rows: 62mm; gap: 4mm;
  justify-content: center; page-break-after: always; break-after: page; }
.sheet:last-child { page-break-after: auto; break-after: auto; }
.badge { border: 0.3mm dashed #999; padding: 5mm; display: grid; grid-template-columns: 1fr 28mm;
  grid-template-rows: 1fr auto; gap: 2mm; overflow: hidden; break-inside: avoid; }
.who { min-width: 0; }
.name { font-size: 17pt; font-weight: 700; margin: 0 0 2mm; overflow-wrap: anywhere; }
.org { font-size: 11pt; margin: 0 0 1mm; overflow-wrap: anywhere; }
.fn { font-size: 9pt; margin: 0; color: #444; overflow-wrap: anywhere; }
.qr-box { text-align: center; }
.qr { width: 26mm; height: 26mm; }
.code { font: 7pt ui-monospace, monospace; margin: 1mm 0 0; overflow-wrap: anywhere; }
.cat { grid-column: 1 / -1; margin: 0; padding: 1.5mm 3mm; font-size: 10pt; font-weight: 600;
  background: #e8e8e8; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.cat-speaker { background: #ffd8a8; } .cat-press { background: #c5f6fa; }
.cat-organiser { background: #b2f2bb; } .cat-public_sector { background: #d0bfff; }
.cat-volunteer { background: #ffec99; }
@media screen { body { background: #f4f4f4; } .sheet { margin: 0 auto 8mm; background: #fff; width: 210mm; } }
`;

/** Writes the badge page sheet by sheet (eight badges each) as the batches come. */
async function writeBadgePage(
  res: ServerResponse,
  batches: AsyncGenerator<ParticipantRow[]>,
  page: { lang: Lang; words: Words; title: string; slug: string; base: string },
): Promise<void> {
  const write = async (part: Html | string) => {
    if (!res.write(String(part))) await drained(res, res);
  };
  // Written as plain lines: the document stays open while the sheets stream in.
  await write(
    [
      '<!doctype html>',
      `<html lang="${page.lang}">`,
      '<head>',
      '<meta charset="utf-8">',
      '<meta name="robots" content="noindex">',
      `<title>${escapeHtml(`${page.words.badges} – ${page.title}`)}</title>`,
      `<style>${STYLE}</style>`,
      '</head>',
      '<body>',
      '',
    ].join('\n'),
  );
  let sheet: Html[] = [];
  const flush = async () => {
    if (sheet.length) await write(html`<section class="sheet">${sheet}</section> `);
    sheet = [];
  };
  for await (const batch of batches) {
    for (const r of batch) {
      if (gone(res)) return;
      sheet.push(await badge(r, page.words, page.base, page.slug));
      if (sheet.length === SHEET) await flush();
    }
  }
  await flush();
  if (!gone(res)) res.end('</body>\n</html>\n');
}
