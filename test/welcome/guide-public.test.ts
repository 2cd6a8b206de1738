/**
 * What residents get of a published guide without a token (src/http/guides-public.ts): the
 * printable page in French and Arabic, the honest mark of a fallback text, escaping, QR codes (the
 * very modules qrcode computes), 404 for drafts and unknown slugs, 400 for an unknown language;
 * brotli or gzip as the client accepts; the iCalendar feed parsed with another library (ical.js):
 * events, RRULE, EXDATE on public holidays and closures, the time zone, lines folded as
 * ical-generator folds them, the guide's title and intro escaped; GeoJSON; and a constant number
 * of SQL statements whatever the number of entries.
 *
 * The guide is seeded through Prisma directly (not through the GraphQL mutations).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Holidays from 'date-holidays';
import { foldLines } from 'ical-generator';
import ICAL from 'ical.js';
import http from 'node:http';
import zlib from 'node:zlib';
import QRCode from 'qrcode';
import type { GuideItemStatus, OfferStatus } from '../../src/generated/prisma/enums.ts';
import { renderGuideCalendar } from '../../src/http/guide-feeds.ts';
import { entryUrl } from '../../src/http/guide-page.ts';
import { chosenCoding } from '../../src/http/guides-public.ts';
import { publicGuide } from '../../src/modules/welcome/guide-public.service.ts';
import { addDays, localDate } from '../../src/modules/welcome/guide-week.ts';
import { seedScenario, type Scenario } from '../helpers/fixtures.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';

let t: TestHub;
let s: Scenario;
let base: string;
const today = localDate(new Date());
const ids = {} as Record<'daily' | 'french' | 'proposed' | 'declined' | 'paused' | 'noCoords', string>;

const SHUK = { latitude: 49.6285, longitude: 6.162 };
const NOTE_ATTACK = '<script>alert("x")</script> & co';

const daily = [
  {
    freq: 'WEEKLY',
    byday: ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'],
    opensAt: '10:00',
    closesAt: '11:30',
  },
];

async function offer(title: object, status: OfferStatus, siteIds: string[], schedule: object[] = []) {
  return t.db.prisma.offer.create({
    data: {
      organisationId: s.org.alpha.id,
      title,
      status,
      languages: ['fr', 'ar'],
      schedule,
      contactPhone: '+352 000 000 123',
      publishedAt: status === 'PUBLISHED' ? new Date() : null,
      sites: { connect: siteIds.map((id) => ({ id })) },
    },
  });
}

async function guide(slug: string, status: 'DRAFT' | 'PUBLISHED', shelterId: string) {
  return t.db.prisma.guide.create({
    data: {
      slug,
      organisationId: s.org.alpha.id,
      shelterId,
      title: { fr: `Guide ${slug}`, ar: `دليل ${slug}` },
      intro: { fr: 'Les activités près du foyer.', ar: 'الأنشطة القريبة من المأوى.' },
      languages: ['fr', 'ar', 'en'],
      status,
      publishedAt: status === 'PUBLISHED' ? new Date() : null,
    },
  });
}

async function item(
  guideId: string,
  offerId: string,
  status: GuideItemStatus,
  extra: {
    relevanceNote?: object;
    noteTranslatedFrom?: object;
    schedule?: object[];
    closures?: string[];
    position?: number;
  } = {},
) {
  return t.db.prisma.guideItem.create({
    data: {
      guideId,
      offerId,
      providerOrganisationId: s.org.alpha.id,
      status,
      verifiedAt: status === 'CONFIRMED' || status === 'REGULAR' ? new Date('2026-03-02T10:00:00Z') : null,
      ...extra,
    },
  });
}

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${base}${path}`, { headers });

/** A request as node:http sends it: the body as it crossed the wire, not decoded as fetch decodes it. */
function raw(
  path: string,
  headers: Record<string, string>,
  method = 'GET',
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .request(`${base}${path}`, { method, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      })
      .on('error', reject)
      .end();
  });
}

/** The dark modules an SVG path of qrcode's (`M x y`, `m dx 0`, `h n`) draws, as "x,y". */
function modulesDrawn(d: string): Set<string> {
  const drawn = new Set<string>();
  let x = 0;
  let y = 0;
  for (const [, cmd, a, b] of d.matchAll(/([Mmh])(-?[\d.]+)(?: (-?[\d.]+))?/g)) {
    if (cmd === 'M') [x, y] = [Number(a), Math.floor(Number(b))];
    else if (cmd === 'm') x += Number(a);
    else for (let end = x + Number(a); x < end; x++) drawn.add(`${x},${y}`);
  }
  return drawn;
}

beforeAll(async () => {
  t = await startTestHub({ OUTBOX_POLL_MS: '60000' });
  base = `http://127.0.0.1:${t.hub.port}`;
  s = await seedScenario(t.db.prisma, t.config);
  const prisma = t.db.prisma;
  const home = await prisma.site.create({
    data: {
      organisationId: s.org.beta.id,
      name: 'SHUK',
      street: '2 rue de la Fondation',
      postcode: '1229',
      commune: 'Luxembourg',
      ...SHUK,
    },
  });
  const shelter = await prisma.shelter.create({
    data: { siteId: home.id, organisationId: s.org.beta.id, kind: 'EMERGENCY' },
  });
  const near = await prisma.site.create({
    data: {
      organisationId: s.org.alpha.id,
      name: 'Maison des jeunes',
      street: '5 rue <Kirchberg>',
      postcode: '1855',
      commune: 'Luxembourg',
      latitude: 49.62,
      longitude: 6.145,
    },
  });
  const nowhere = await prisma.site.create({
    data: { organisationId: s.org.alpha.id, name: 'Local sans coordonnées', commune: 'Luxembourg' },
  });

  const published = await guide('shuk-welcome', 'PUBLISHED', shelter.id);
  const dailyOffer = await offer({ fr: 'Café des langues', ar: 'مقهى اللغات' }, 'PUBLISHED', [near.id]);
  const frenchOffer = await offer(
    { fr: 'Cours de français du lundi' },
    'PUBLISHED',
    [near.id],
    [{ freq: 'WEEKLY', byday: ['MO'], opensAt: '09:00', closesAt: '11:00' }],
  );
  const proposedOffer = await offer({ fr: 'Atelier proposé seulement' }, 'PUBLISHED', [near.id], daily);
  const declinedOffer = await offer({ fr: 'Atelier refusé' }, 'PUBLISHED', [near.id], daily);
  const pausedOffer = await offer({ fr: 'Atelier en pause' }, 'PAUSED', [near.id], daily);
  const noCoordsOffer = await offer({ fr: 'Permanence sociale' }, 'PUBLISHED', [nowhere.id]);

  ids.daily = (
    await item(published.id, dailyOffer.id, 'REGULAR', {
      position: 1,
      schedule: daily,
      closures: [addDays(today, 10), addDays(today, 400)],
      relevanceNote: { fr: NOTE_ATTACK, ar: 'للتدرّب على الفرنسية' },
      noteTranslatedFrom: { ar: 1 },
    })
  ).id;
  ids.french = (
    await item(published.id, frenchOffer.id, 'CONFIRMED', {
      position: 2,
      relevanceNote: { fr: 'Niveau A1, sans inscription.' },
    })
  ).id;
  ids.proposed = (await item(published.id, proposedOffer.id, 'PROPOSED')).id;
  ids.declined = (await item(published.id, declinedOffer.id, 'DECLINED')).id;
  ids.paused = (await item(published.id, pausedOffer.id, 'CONFIRMED')).id;
  ids.noCoords = (await item(published.id, noCoordsOffer.id, 'CONFIRMED', { position: 3 })).id;

  const draft = await guide('draft-guide', 'DRAFT', shelter.id);
  await item(draft.id, dailyOffer.id, 'CONFIRMED');

  // Two more published guides, of 2 and 8 entries, for the statement count.
  const small = await guide('small-guide', 'PUBLISHED', shelter.id);
  const large = await guide('large-guide', 'PUBLISHED', shelter.id);
  for (let i = 0; i < 8; i++) {
    const o = await offer({ fr: `Activité ${i}` }, 'PUBLISHED', [near.id, nowhere.id], daily);
    if (i < 2) await item(small.id, o.id, 'CONFIRMED');
    await item(large.id, o.id, i % 2 ? 'REGULAR' : 'CONFIRMED', { closures: [addDays(today, i)] });
  }
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe('the printable guide', () => {
  it('renders the public entries in French, with times, walks, QR codes and "verified on"', async () => {
    const res = await get('/guides/shuk-welcome?lang=fr');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    expect(res.headers.get('content-language')).toBe('fr');
    const page = await res.text();
    expect(page).toContain('<html lang="fr" dir="ltr">');
    expect(page).toContain('@page { size: A4;');
    expect(page).toMatch(/<h1>\s*Guide shuk-welcome\s*<\/h1>/);
    for (const title of ['Café des langues', 'Cours de français du lundi', 'Permanence sociale']) {
      expect(page).toContain(title);
    }
    // Not agreed by the provider, or the offer is no longer published: not public.
    for (const title of ['Atelier proposé seulement', 'Atelier refusé', 'Atelier en pause']) {
      expect(page).not.toContain(title);
    }
    for (const id of [ids.proposed, ids.declined, ids.paused]) expect(page).not.toContain(id);
    // One entry article and one QR code per public entry, linking to its live entry.
    expect(page.match(/<article class="entry"/g)).toHaveLength(3);
    expect(page.match(/<svg class="qr-code"/g)).toHaveLength(3);
    expect(page).toContain(`id="e-${ids.french}"`);
    expect(page).toMatch(/\d,\d km · \d+ min à pied/);
    expect(page).toContain('Vérifié le 2 mars 2026 par Organisation alpha');
    expect(page).toMatch(/Point de départ\u00a0: <bdi>SHUK<\/bdi>/);
    expect(page).toMatch(/Téléphone\u00a0: <bdi dir="ltr">\+352 000 000 123<\/bdi>/);
    // The week timetable: seven days, the Monday course on Monday.
    expect(page.match(/<th scope="col"/g)).toHaveLength(7);
    expect(page).toMatch(/<span class="hours" dir="ltr"><time>09:00<\/time>–<time>11:00<\/time><\/span>/);
    // Language links to the guide's languages.
    expect(page).toMatch(/href="\/guides\/shuk-welcome\?lang=ar"\s+hreflang="ar"\s+lang="ar"\s+dir="rtl"/);
  });

  it('marks public holidays in the week asked for (the week of 1 May 2026)', async () => {
    const page = await (await get('/guides/shuk-welcome?lang=fr&week=2026-05-01')).text();
    expect(page).toContain('Semaine du 27 avril 2026');
    expect(page).toMatch(
      /<th scope="col" class="holiday">\s*vendredi 1 mai<br \/><small>1er mai<\/small>\s*<\/th>/,
    );
    expect(page).toMatch(/<li class="slot cancelled">[^]*?Café des langues[^]*?Jour férié/);
  });

  it('lays Arabic out right to left and marks texts that fall back to French', async () => {
    const res = await get('/guides/shuk-welcome?lang=ar');
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('<html lang="ar" dir="rtl">');
    expect(page).toMatch(/<h1>\s*دليل shuk-welcome\s*<\/h1>/);
    expect(page).toContain('مقهى اللغات');
    expect(page).toContain('للتدرّب على الفرنسية');
    // No Arabic title for the course: the French one, in its own language and direction, said so.
    expect(page).toMatch(
      /<span lang="fr" dir="ltr">Cours de français du lundi<\/span>\s*<small class="fallback">\(باللغة الفرنسية\)<\/small>/,
    );
    expect(page).toMatch(/دقيقة سيرًا على الأقدام/);
    expect(page).toContain('تم التحقق في');
    expect(page).toContain(':lang(ar), :lang(fa)');
    expect(page).toContain('padding-inline-start');
    expect(page).not.toContain('ترجمة لنسخة سابقة');
  });

  it('marks a translation made from an older version of its source text', async () => {
    // The French note changed since the Arabic one was written.
    await t.db.prisma.guideItem.update({ where: { id: ids.daily }, data: { noteVersion: 2 } });
    try {
      const page = await (await get('/guides/shuk-welcome?lang=ar')).text();
      expect(page).toMatch(
        /للتدرّب على الفرنسية\s*<small class="fallback outdated">\(ترجمة لنسخة سابقة\)<\/small>/,
      );
      // The source itself is never outdated.
      expect(await (await get('/guides/shuk-welcome?lang=fr')).text()).not.toContain('outdated');
    } finally {
      await t.db.prisma.guideItem.update({ where: { id: ids.daily }, data: { noteVersion: 1 } });
    }
  });

  it('escapes every text: a script in a note is shown, never run', async () => {
    const res = await get('/guides/shuk-welcome?lang=fr');
    const page = await res.text();
    expect(page).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co');
    expect(page).toContain('5 rue &lt;Kirchberg&gt;');
    expect(page).not.toMatch(/<script/i);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
  });

  it('answers 404 for a draft or unknown guide and 400 for an unknown language or week', async () => {
    for (const path of ['/guides/draft-guide', '/guides/no-such-guide', '/guides/draft-guide.ics']) {
      const res = await get(path);
      expect(res.status).toBe(404);
      expect(await res.text()).not.toContain('Café des langues');
    }
    const draftPage = await get('/guides/draft-guide?lang=fr');
    expect(await draftPage.text()).toContain('Aucun guide publié à cette adresse.');
    const geo = await get('/guides/draft-guide.geojson');
    expect(geo.status).toBe(404);
    expect(await geo.json()).toEqual({ error: 'No published guide at this address.' });

    const lang = await get('/guides/shuk-welcome.geojson?lang=xx');
    expect(lang.status).toBe(400);
    expect(await lang.json()).toEqual({
      error:
        'Unknown language "xx" in query parameter "lang": expected one of fr, de, lb, en, pt, uk, ar, fa.',
      parameter: 'lang',
    });
    const week = await get('/guides/shuk-welcome?week=2026-02-30');
    expect(week.status).toBe(400);
    expect(await week.text()).toContain('Query parameter &quot;week&quot; must be a date as YYYY-MM-DD');
    const post = await fetch(`${base}/guides/shuk-welcome`, { method: 'POST' });
    expect(post.status).toBe(405);
  });

  it("draws each entry's QR code exactly as qrcode computes it for the entry's live address", async () => {
    const page = await (await get('/guides/shuk-welcome?lang=ar')).text();
    const articles = [...page.matchAll(/<article class="entry" id="e-([^"]+)"[^]*?<\/article>/g)];
    expect(articles).toHaveLength(3);
    for (const [article, id] of articles) {
      const svg = /<svg class="qr-code"[^>]*>(.*?)<\/svg>/.exec(article)!;
      // One path, no background, the size the print style sheet gives it.
      expect(svg[0]).toMatch(/^<svg class="qr-code" role="img" aria-label="QR" width="96" height="96" /);
      expect(svg[1]).toMatch(/^<path stroke="#000000" d="[^"]+"\/>$/);
      const symbol = QRCode.create(entryUrl(base, 'shuk-welcome', 'ar', id!), { errorCorrectionLevel: 'M' });
      const size = symbol.modules.size;
      expect(svg[0]).toContain(`viewBox="0 0 ${size} ${size}"`);
      const expected = new Set<string>();
      for (let i = 0; i < size * size; i++) {
        if (symbol.modules.data[i]) expected.add(`${i % size},${Math.floor(i / size)}`);
      }
      expect(modulesDrawn(/ d="([^"]+)"/.exec(svg[1]!)![1]!)).toEqual(expected);
    }
  });

  it('speaks the first known language of Accept-Language without ?lang', async () => {
    const res = await get('/guides/shuk-welcome', { 'accept-language': 'fa-IR, ar;q=0.8' });
    expect(res.headers.get('content-language')).toBe('fa');
    const page = await res.text();
    expect(page).toContain('<html lang="fa" dir="rtl">');
    // No Persian texts at all: the title falls back to French, marked in Persian.
    expect(page).toContain('<span lang="fr" dir="ltr">Guide shuk-welcome</span>');
    expect(page).toContain('(به زبان فرانسوی)');
  });
});

describe('compression', () => {
  it('chooses brotli or gzip by the weights of Accept-Encoding, brotli on a tie', () => {
    expect(chosenCoding(undefined)).toBeNull();
    expect(chosenCoding('')).toBeNull();
    expect(chosenCoding('identity')).toBeNull();
    expect(chosenCoding('deflate')).toBeNull();
    expect(chosenCoding('gzip, deflate')).toBe('gzip');
    expect(chosenCoding('gzip, deflate, br, zstd')).toBe('br');
    expect(chosenCoding('BR;q=0.5, gzip;q=0.8')).toBe('gzip');
    expect(chosenCoding('br;q=0, gzip')).toBe('gzip');
    expect(chosenCoding('gzip;q=0, br;q=0')).toBeNull();
    expect(chosenCoding('x-gzip')).toBe('gzip');
    expect(chosenCoding('*')).toBe('br');
    expect(chosenCoding('*;q=0.1, gzip')).toBe('gzip');
    expect(chosenCoding('*, br;q=0')).toBe('gzip');
  });

  it('sends the page, the feed and the GeoJSON compressed as the client accepts, the same text', async () => {
    for (const path of [
      '/guides/shuk-welcome?lang=ar',
      '/guides/shuk-welcome.ics?lang=ar',
      '/guides/shuk-welcome.geojson?lang=ar',
    ]) {
      const plain = await raw(path, { 'accept-encoding': 'identity' });
      expect(plain.status).toBe(200);
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.headers['content-length']).toBe(String(plain.body.length));
      expect(plain.headers.vary).toBe('Accept-Language, Accept-Encoding');
      const text = plain.body.toString('utf8');

      const br = await raw(path, { 'accept-encoding': 'gzip, deflate, br' });
      expect(br.headers['content-encoding']).toBe('br');
      expect(br.headers['content-length']).toBe(String(br.body.length));
      expect(br.headers.vary).toBe('Accept-Language, Accept-Encoding');
      expect(zlib.brotliDecompressSync(br.body).toString('utf8')).toBe(text);
      expect(br.body.length).toBeLessThan(plain.body.length / 2);

      const gzip = await raw(path, { 'accept-encoding': 'gzip, deflate' });
      expect(gzip.headers['content-encoding']).toBe('gzip');
      expect(zlib.gunzipSync(gzip.body).toString('utf8')).toBe(text);

      const head = await raw(path, { 'accept-encoding': 'gzip, deflate, br' }, 'HEAD');
      expect(head.headers['content-encoding']).toBe('br');
      expect(head.headers['content-length']).toBe(br.headers['content-length']);
      expect(head.body.length).toBe(0);
    }
  });

  it('sends small answers as they are', async () => {
    const res = await raw('/guides/draft-guide.geojson', { 'accept-encoding': 'gzip, br' });
    expect(res.status).toBe(404);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers.vary).toBeUndefined();
    expect(JSON.parse(res.body.toString('utf8'))).toEqual({ error: 'No published guide at this address.' });
  });
});

describe('the iCalendar feed', () => {
  async function calendar(lang = 'fr') {
    const res = await get(`/guides/shuk-welcome.ics?lang=${lang}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    const text = await res.text();
    return { text, root: new ICAL.Component(ICAL.parse(text) as unknown[]) };
  }

  it('holds one event per schedule entry with RRULE, TZID and a VTIMEZONE', async () => {
    const { root } = await calendar();
    const zone = root.getFirstSubcomponent('vtimezone')!;
    expect(zone.getFirstPropertyValue('tzid')).toBe('Europe/Luxembourg');
    const events = root.getAllSubcomponents('vevent');
    // The daily café and the Monday course; the permanence has no schedule.
    expect(events.map((e) => e.getFirstPropertyValue('uid')).sort()).toEqual(
      [`${ids.daily}-0@maillage`, `${ids.french}-0@maillage`].sort(),
    );
    const course = events.find((e) => e.getFirstPropertyValue('uid') === `${ids.french}-0@maillage`)!;
    const rule = course.getFirstPropertyValue('rrule') as ICAL.Recur;
    expect(rule.freq).toBe('WEEKLY');
    expect(rule.parts.BYDAY).toEqual(['MO']);
    const start = course.getFirstProperty('dtstart')!;
    expect(start.getParameter('tzid')).toBe('Europe/Luxembourg');
    expect((start.getFirstValue() as ICAL.Time).toString()).toMatch(/T09:00:00$/);
    expect(course.getFirstPropertyValue('summary')).toBe('Cours de français du lundi');
    expect(course.getFirstPropertyValue('location')).toContain('Maison des jeunes');
    expect(course.getFirstPropertyValue('url')).toBe(`${base}/guides/shuk-welcome?lang=fr#e-${ids.french}`);
    // DTSTAMP in UTC, as RFC 5545 requires.
    expect((course.getFirstPropertyValue('dtstamp') as ICAL.Time).zone?.tzid).toBe('UTC');
  });

  it("excludes every Luxembourg public holiday of the next 12 months and the entry's closures", async () => {
    const { root } = await calendar();
    const cafe = root
      .getAllSubcomponents('vevent')
      .find((e) => e.getFirstPropertyValue('uid') === `${ids.daily}-0@maillage`)!;
    const excluded = cafe.getAllProperties('exdate').flatMap((p) => {
      expect(p.getParameter('tzid')).toBe('Europe/Luxembourg');
      return p.getValues().map((v) => (v as ICAL.Time).toString());
    });
    const calendarLu = new Holidays('LU');
    const year = Number(today.slice(0, 4));
    const holidays = [year, year + 1]
      .flatMap((y) => calendarLu.getHolidays(y))
      .filter((h) => h.type === 'public')
      .map((h) => h.date.slice(0, 10))
      .filter((d) => d >= today && d < addDays(today, 360));
    expect(holidays.length).toBeGreaterThanOrEqual(10);
    for (const date of holidays) expect(excluded).toContain(`${date}T10:00:00`);
    expect(excluded).toContain(`${addDays(today, 10)}T10:00:00`);
    // A closure beyond the next 12 months is not listed.
    expect(excluded).not.toContain(`${addDays(today, 400)}T10:00:00`);

    // Expanded by ical.js with the feed's own VTIMEZONE: no occurrence on a holiday, and 10:00 on
    // Luxembourg's clock in winter (09:00 UTC) and summer (08:00 UTC) alike.
    ICAL.TimezoneService.register(root.getFirstSubcomponent('vtimezone')!);
    const occurrences = new ICAL.Event(cafe).iterator();
    const seen: ICAL.Time[] = [];
    for (let next = occurrences.next(); next && seen.length < 370; next = occurrences.next()) seen.push(next);
    const days = seen.map((time) => time.toString().slice(0, 10));
    for (const date of holidays) expect(days).not.toContain(date);
    const utcHours = new Set(seen.map((time) => time.toJSDate().getUTCHours()));
    expect([...utcHours].sort()).toEqual([8, 9]);
  });

  it('gives the same UIDs and text on every fetch (a subscribed calendar updates, never doubles)', async () => {
    const first = await calendar();
    const second = await calendar();
    expect(second.text).toBe(first.text);
    const arabic = await calendar('ar');
    expect(
      arabic.root
        .getAllSubcomponents('vevent')
        .map((e) => e.getFirstPropertyValue('uid'))
        .sort(),
    ).toEqual(
      first.root
        .getAllSubcomponents('vevent')
        .map((e) => e.getFirstPropertyValue('uid'))
        .sort(),
    );
    const summaries = arabic.root
      .getAllSubcomponents('vevent')
      .map((e) => e.getFirstPropertyValue('summary'));
    expect(summaries).toContain('مقهى اللغات');
    expect(summaries).toContain('Cours de français du lundi (باللغة الفرنسية)');
    // Folded by ical-fold.ts exactly as ical-generator folds: refolding the unfolded text changes
    // nothing, and no line is over 75 octets.
    expect(arabic.text).toBe(foldLines(arabic.text.replace(/\r\n /g, '')));
    expect(arabic.text).toMatch(/\r\n /);
    for (const line of arabic.text.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
  });
});

describe('the iCalendar feed, escaping', () => {
  it("escapes the guide's title and intro: a line break cannot end their line", async () => {
    const guide = (await publicGuide(t.db.prisma, 'shuk-welcome', 'fr'))!;
    const text = renderGuideCalendar(
      {
        ...guide,
        title: { ...guide.title, text: 'Guide, SHUK; été' },
        intro: { ...guide.intro!, text: 'Ligne 1\nBEGIN:VEVENT\nUID:injected\nEND:VEVENT' },
      },
      { origin: base, today },
    );
    expect(text).toContain('\r\nX-WR-CALNAME:Guide\\, SHUK\\; été\r\n');
    expect(text).toContain('\r\nX-WR-CALDESC:Ligne 1\\nBEGIN:VEVENT\\nUID:injected\\nEND:VEVENT\r\n');
    const root = new ICAL.Component(ICAL.parse(text) as unknown[]);
    expect(root.getAllSubcomponents('vevent').map((e) => e.getFirstPropertyValue('uid'))).not.toContain(
      'injected',
    );
  });
});

describe('GeoJSON', () => {
  it("maps the entries' sites around the shelter", async () => {
    const res = await get('/guides/shuk-welcome.geojson?lang=ar');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/geo+json');
    const doc = (await res.json()) as {
      type: string;
      features: {
        type: string;
        geometry: { type: string; coordinates: number[] };
        properties: Record<string, unknown>;
      }[];
    };
    expect(doc.type).toBe('FeatureCollection');
    const [shelter, ...entries] = doc.features;
    expect(shelter).toMatchObject({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [SHUK.longitude, SHUK.latitude] },
      properties: { kind: 'shelter', name: 'SHUK' },
    });
    // The site without coordinates has no point; hidden entries none either.
    expect(entries.map((f) => f.properties.entryId).sort()).toEqual([ids.daily, ids.french].sort());
    const cafe = entries.find((f) => f.properties.entryId === ids.daily)!;
    expect(cafe.geometry).toEqual({ type: 'Point', coordinates: [6.145, 49.62] });
    expect(cafe.properties).toMatchObject({
      kind: 'entry',
      title: 'مقهى اللغات',
      titleLanguage: 'ar',
      titleFallback: false,
      organisation: 'Organisation alpha',
      site: 'Maison des jeunes',
    });
    const meters = cafe.properties.distanceMeters as number;
    expect(meters).toBeGreaterThan(1300);
    expect(meters).toBeLessThan(1600);
    expect(cafe.properties.walkingMinutes).toBeGreaterThanOrEqual(Math.ceil(meters / 84));
    const course = entries.find((f) => f.properties.entryId === ids.french)!;
    expect(course.properties).toMatchObject({ titleLanguage: 'fr', titleFallback: true });
  });
});

describe('SQL statements', () => {
  async function statements(slug: string) {
    t.resetQueries();
    const guide = await publicGuide(t.db.prisma, slug, 'fr');
    const sent = t.queries.filter((q) => !/Outbox|Webhook/.test(q));
    return { guide, count: sent.length };
  }

  it('reads a guide in the same number of statements whatever its number of entries', async () => {
    const small = await statements('small-guide');
    const large = await statements('large-guide');
    expect(small.guide?.entries).toHaveLength(2);
    expect(large.guide?.entries).toHaveLength(8);
    expect(large.count).toBe(small.count);
    // One statement per relation: guide, its organisation, shelter, site, operator, items, providers,
    // offers, their sites.
    expect(small.count).toBeLessThanOrEqual(9);
  });
});
