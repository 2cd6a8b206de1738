/**
 * The public side of an edition over real HTTP (src/http/events-public.ts, public-event.*.ts):
 * the page `/events/<slug>` in French, German and English (programme with seats left and full
 * sessions, the stand directory, the participant list as consent allows, "and N others"), never
 * an e-mail; a DRAFT edition is 404 and null in GraphQL for the public and for an organisation
 * that is not invited, while an invited organisation's members see it; consent per field in the
 * page and in GraphQL alike; a withdrawal or a cancellation takes effect at the next request; the
 * iCalendar programme parsed with ical.js; the series' address redirects to its newest edition.
 *
 * Editions, registrations and stands are seeded through Prisma directly.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'graphql';
import ICAL from 'ical.js';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import {
  PublicEditionOverviewDocument,
  PublicEditionParticipantsDocument,
} from '../../clients/generated/graphql.ts';
import type { Registration } from '../../src/generated/prisma/client.ts';
import type { ParticipantCategory } from '../../src/generated/prisma/enums.ts';
import { signUserToken } from '../../src/modules/accounts/signing-keys.service.ts';
import { seedScenario, seedThirdOrganisation, type Scenario } from '../helpers/fixtures.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';

let t: TestHub;
let s: Scenario;
let base: string;
const tokens = { olga: '', alice: '', carol: '', gamma: '' };
const people = {} as Record<'nina' | 'otto' | 'alice' | 'harry' | 'wanda' | 'carla' | 'fred', Registration>;
const sessions = {} as Record<'plenary' | 'workshop' | 'roundTable', string>;
let standId = '';

const SERIES = 'assises-sociales';
const OPEN = 'assises-2022';
const CLOSED = 'assises-2021';
const DRAFT = 'assises-2023';
const ATTACK = '<script>alert("x")</script> & co';

const at = (iso: string) => new Date(iso);
const get = (path: string, headers: Record<string, string> = {}) => fetch(`${base}${path}`, { headers });

async function edition(
  eventId: string,
  organisationId: string,
  slug: string,
  status: 'OPEN' | 'CLOSED' | 'DRAFT',
  day: string,
  extra: { venueSiteId?: string; invited?: string[] } = {},
) {
  return t.db.prisma.eventEdition.create({
    data: {
      eventId,
      slug,
      organisationId,
      title: { fr: `Assises sociales ${day.slice(0, 4)}`, de: `Sozialforum ${day.slice(0, 4)}` },
      description: { fr: 'La journée du réseau social de la Ville.' },
      startsAt: at(`${day}T07:30:00Z`),
      endsAt: at(`${day}T16:00:00Z`),
      status,
      venueSiteId: extra.venueSiteId ?? null,
      invitations: {
        create: (extra.invited ?? []).map((id) => ({
          organisationId: id,
          codeHash: randomBytes(32).toString('hex'),
          codeSealed: 'sealed-in-tests',
          expiresAt: at('2030-01-01T00:00:00Z'),
        })),
      },
    },
  });
}

async function register(
  editionId: string,
  name: string,
  opts: {
    organisationId?: string;
    organisationName?: string;
    function?: string;
    category?: ParticipantCategory;
    show?: ('name' | 'organisation' | 'function')[];
    cancelled?: boolean;
    seats?: { sessionId: string; status: 'CONFIRMED' | 'WAITLISTED' }[];
  } = {},
) {
  const show = new Set(opts.show ?? []);
  return t.db.prisma.registration.create({
    data: {
      editionId,
      name,
      email: `${name.toLowerCase().replace(/\W+/g, '.')}@example.org`,
      organisationId: opts.organisationId ?? null,
      organisationName: opts.organisationName ?? null,
      function: opts.function ?? null,
      category: opts.category ?? 'PARTNER_STAFF',
      showName: show.has('name'),
      showOrganisation: show.has('organisation'),
      showFunction: show.has('function'),
      source: 'ORGANISER',
      status: opts.cancelled ? 'CANCELLED' : 'REGISTERED',
      manageTokenHash: randomBytes(32).toString('hex'),
      badgeCode: randomBytes(8).toString('hex').toUpperCase(),
      ...(opts.seats ? { seats: { create: opts.seats } } : {}),
    },
  });
}

beforeAll(async () => {
  t = await startTestHub({ OUTBOX_POLL_MS: '60000' });
  base = `http://127.0.0.1:${t.hub.port}`;
  s = await seedScenario(t.db.prisma, t.config);
  const prisma = t.db.prisma;
  tokens.alice = await s.token('alice');
  tokens.carol = await s.token('carol');
  tokens.gamma = (await seedThirdOrganisation(prisma, t.config, ['ORG_ADMIN'])).token;

  const city = await prisma.organisation.create({
    data: { slug: 'ville', name: 'Ville de Luxembourg — Affaires sociales', kind: 'COMMUNE_SOCIAL_OFFICE' },
  });
  const olga = await prisma.user.create({
    data: {
      email: 'olga@ville.example',
      name: 'Olga',
      memberships: { create: { organisationId: city.id, roles: ['EVENT_ORGANISER'] } },
    },
  });
  tokens.olga = await signUserToken(prisma, olga, {
    issuer: t.config.AUTH_ISSUER,
    audience: t.config.AUTH_AUDIENCE,
    ttlSeconds: 600,
  });
  const venue = await prisma.site.create({
    data: {
      organisationId: city.id,
      name: 'Centre culturel de Bonnevoie',
      street: '2 rue des Ardennes',
      postcode: '1133',
      commune: 'Luxembourg',
    },
  });
  const series = await prisma.event.create({
    data: { slug: SERIES, organisationId: city.id, name: { fr: 'Assises sociales', de: 'Sozialforum' } },
  });
  await edition(series.id, city.id, CLOSED, 'CLOSED', '2021-11-18');
  const open = await edition(series.id, city.id, OPEN, 'OPEN', '2022-11-17', {
    venueSiteId: venue.id,
    invited: [s.org.alpha.id, s.org.beta.id],
  });
  const draft = await edition(series.id, city.id, DRAFT, 'DRAFT', '2030-11-21', {
    invited: [s.org.alpha.id],
  });
  await prisma.eventSession.create({
    data: {
      editionId: draft.id,
      kind: 'PLENARY',
      title: { fr: 'Séance secrète du brouillon' },
      startsAt: at('2030-11-21T08:00:00Z'),
      endsAt: at('2030-11-21T09:00:00Z'),
    },
  });

  const session = (
    kind: 'PLENARY' | 'WORKSHOP' | 'ROUND_TABLE',
    title: object,
    from: string,
    to: string,
    extra: object,
  ) =>
    prisma.eventSession.create({
      data: { editionId: open.id, kind, title, startsAt: at(from), endsAt: at(to), ...extra },
    });
  sessions.plenary = (
    await session(
      'PLENARY',
      { fr: 'Ouverture par l’échevine', de: 'Eröffnung durch die Schöffin' },
      '2022-11-17T08:00:00Z',
      '2022-11-17T09:00:00Z',
      {
        room: 'Grande salle',
        speakers: [
          { name: 'Marie Muller', function: 'Échevine aux affaires sociales', organisation: 'Ville' },
        ],
      },
    )
  ).id;
  sessions.workshop = (
    await session('WORKSHOP', { fr: 'Atelier logement' }, '2022-11-17T09:30:00Z', '2022-11-17T11:00:00Z', {
      room: 'Salle 2',
      capacity: 1,
    })
  ).id;
  sessions.roundTable = (
    await session('ROUND_TABLE', { fr: ATTACK }, '2022-11-17T13:00:00Z', '2022-11-17T14:30:00Z', {
      room: 'Salle 1',
      capacity: 30,
    })
  ).id;

  const alpha = s.org.alpha.id;
  people.alice = await register(open.id, 'Alice Complete', {
    organisationId: alpha,
    function: 'Coordinatrice',
    show: ['name', 'organisation', 'function'],
    seats: [
      { sessionId: sessions.workshop, status: 'CONFIRMED' },
      { sessionId: sessions.roundTable, status: 'CONFIRMED' },
    ],
  });
  people.nina = await register(open.id, 'Nina Nameonly', {
    organisationId: alpha,
    function: 'Assistante sociale',
    show: ['name'],
    seats: [{ sessionId: sessions.workshop, status: 'WAITLISTED' }],
  });
  people.otto = await register(open.id, 'Otto Orgonly', {
    organisationName: 'Caritas Luxembourg',
    function: 'Éducateur de rue',
    show: ['organisation'],
    seats: [{ sessionId: sessions.workshop, status: 'WAITLISTED' }],
  });
  people.fred = await register(open.id, 'Fred Functiononly', {
    organisationName: 'Croix-Rouge',
    function: 'Infirmier',
    show: ['function'],
  });
  people.harry = await register(open.id, 'Harry Hidden', { organisationId: alpha, function: 'Juriste' });
  people.wanda = await register(open.id, 'Wanda Withdraws', {
    organisationName: 'Inter-Actions',
    category: 'VOLUNTEER',
    show: ['name', 'organisation'],
  });
  people.carla = await register(open.id, 'Carla Cancelled', {
    organisationId: alpha,
    show: ['name', 'organisation'],
    cancelled: true,
  });

  const published = await prisma.offer.create({
    data: {
      organisationId: alpha,
      title: { fr: 'Permanence logement' },
      status: 'PUBLISHED',
      publishedAt: new Date(),
    },
  });
  const draftOffer = await prisma.offer.create({
    data: { organisationId: alpha, title: { fr: 'Projet encore en brouillon' }, status: 'DRAFT' },
  });
  standId = (
    await prisma.stand.create({
      data: {
        editionId: open.id,
        organisationId: alpha,
        number: '12',
        title: { fr: 'Un toit d’abord', en: 'Housing first' },
        description: { fr: ATTACK },
        results: { fr: '40 personnes logées en un an.' },
        figures: [{ label: { fr: 'Personnes rencontrées', en: 'People met' }, value: 120 }],
        offers: { connect: [{ id: published.id }, { id: draftOffer.id }] },
        team: {
          create: [people.alice, people.nina, people.harry].map((r) => ({ registrationId: r.id })),
        },
      },
    })
  ).id;
  await prisma.stand.create({
    data: {
      editionId: open.id,
      organisationId: s.org.beta.id,
      number: '2',
      title: { fr: 'Cuisine solidaire' },
    },
  });
}, 120_000);

afterAll(async () => {
  await t?.close();
});

/** Every registration's e-mail and ID: none may appear on a public page. */
function secrets(): string[] {
  return Object.values(people).flatMap((r) => [r.email, r.id, r.badgeCode]);
}
interface TypeFields {
  __type: { fields: { name: string }[] } | null;
}
const TypeFieldsDocument = parse(
  '{ __type(name: "PublicParticipant") { fields { name } } }',
) as TypedDocumentNode<TypeFields, Record<string, never>>;
const EMAIL = /[a-z0-9._%+-]+@[a-z0-9-]+\.[a-z]{2,}/i;

describe('the page /events/<slug>', () => {
  it('shows the edition, the programme by time with seats, the stands and the participants, in French', async () => {
    const res = await get(`/events/${OPEN}?lang=fr`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-language')).toBe('fr');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const page = await res.text();
    expect(page).toContain('<html lang="fr">');
    expect(page).toMatch(/<h1>\s*Assises sociales 2022\s*<\/h1>/);
    expect(page).toContain('jeudi 17 novembre 2022');
    // 07:30–16:00 UTC is 08:30–17:00 in Luxembourg (winter time).
    expect(page).toMatch(/<time>08:30<\/time>–<time>17:00<\/time>/);
    // A label's colon as French sets it: after a no-break space (`labelled`).
    expect(page).toMatch(
      /Lieu\u00a0: <span>Centre culturel de Bonnevoie, 2 rue des Ardennes, 1133 Luxembourg/,
    );
    expect(page).toMatch(/Intervenant[^]{0,20}\u00a0:\s*<ul>/);
    // OPEN, but its day is past: registration closed with it (registrationOpen), no form link.
    expect(page).toContain('Inscriptions closes');
    expect(page).not.toContain('/register');
    expect(page).toContain('@page { size: A4;');
    expect(page).toContain('@media print');

    // The programme, by time: plenary, workshop, round table.
    const order = [sessions.plenary, sessions.workshop, sessions.roundTable].map((id) =>
      page.indexOf(`id="s-${id}"`),
    );
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(page).toMatch(/<time>09:00<\/time>–<time>10:00<\/time>/);
    expect(page).toContain('Séance plénière');
    expect(page).toContain('Salle Grande salle');
    expect(page).toContain('Marie Muller');
    expect(page).toContain('Échevine aux affaires sociales');
    expect(page).toContain('Places non limitées');
    expect(page).toContain('Complet — liste d’attente (2 en attente)');
    expect(page).toContain('29 places restantes');

    // The stand directory: by number ("2" before "12"), only published offers, what worked.
    expect(page.indexOf('Stand 2<')).toBeLessThan(page.indexOf('Stand 12<'));
    expect(page).toContain('Un toit d’abord');
    expect(page).toContain('Permanence logement');
    expect(page).not.toContain('Projet encore en brouillon');
    expect(page).toContain('40 personnes logées en un an.');
    expect(page).toMatch(/<dt>\s*Personnes rencontrées\s*<\/dt>\s*<dd>120<\/dd>/);
  });

  it('lists each participant with the fields they agreed to, and the others as a number', async () => {
    const page = await (await get(`/events/${OPEN}?lang=fr`)).text();
    const table = page.slice(page.indexOf('<table class="participants">'));
    const rows = [
      ...table.matchAll(
        /<tr>\s*<td class="organisation">(.*?)<\/td>\s*<td class="name">(.*?)<\/td>\s*<td class="function">(.*?)<\/td>/g,
      ),
    ].map((m) => m.slice(1, 4));
    // By organisation shown, then name; what is not shown sorts last and is empty.
    expect(rows).toEqual([
      ['Caritas Luxembourg', '', ''],
      ['Inter-Actions', 'Wanda Withdraws', ''],
      ['Organisation alpha', 'Alice Complete', 'Coordinatrice'],
      ['', 'Nina Nameonly', ''],
      ['', '', 'Infirmier'],
    ]);
    // Harry agreed to nothing: counted. Carla cancelled: neither listed nor counted.
    expect(page).toContain('et 1 autre personne');
    for (const hidden of [
      'Harry Hidden',
      'Juriste',
      'Otto Orgonly',
      'Éducateur de rue',
      'Assistante sociale',
      'Croix-Rouge',
      'Carla',
    ]) {
      expect(page).not.toContain(hidden);
    }
    // The team of stand 12: Alice in full, Nina by name, Harry among "others".
    const stand = page.slice(
      page.indexOf(`id="stand-${standId}"`),
      page.indexOf('</article>', page.indexOf(`id="stand-${standId}"`)),
    );
    expect(stand).toContain('Alice Complete');
    expect(stand).toContain('Nina Nameonly');
    expect(stand).not.toContain('Harry');
    expect(stand).toContain('et 1 autre personne');
  });

  it('never shows an e-mail address, a registration ID or a badge code, and escapes every text', async () => {
    for (const lang of ['fr', 'de', 'en']) {
      const page = await (await get(`/events/${OPEN}?lang=${lang}`)).text();
      expect(page).not.toMatch(EMAIL);
      for (const secret of secrets()) expect(page).not.toContain(secret);
      expect(page).not.toMatch(/<script/i);
      expect(page).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co');
    }
  });

  it('speaks German and English, marks French fallbacks, and follows Accept-Language', async () => {
    const de = await (await get(`/events/${OPEN}?lang=de`)).text();
    expect(de).toContain('<html lang="de">');
    expect(de).toMatch(/<h1>\s*Sozialforum 2022\s*<\/h1>/);
    expect(de).toContain('Donnerstag, 17. November 2022');
    expect(de).toMatch(/Ort: <span>Centre culturel de Bonnevoie/);
    expect(de).toContain('Eröffnung durch die Schöffin');
    expect(de).toMatch(
      /<span lang="fr">Atelier logement<\/span>\s*<small class="fallback">\(auf Französisch\)<\/small>/,
    );
    expect(de).toContain('Ausgebucht — Warteliste (2 wartend)');
    expect(de).toContain('und 1 weitere Person');

    const en = await get(`/events/${OPEN}`, { 'accept-language': 'en-GB, fr;q=0.5' });
    expect(en.headers.get('content-language')).toBe('en');
    const english = await en.text();
    expect(english).toContain('Housing first');
    expect(english).toContain('Full — waitlist (2 waiting)');
    expect(english).toContain('29 seats left');
    expect(english).toContain('and 1 other');
    // Luxembourgish is not a language of these pages: French, without ?lang.
    const lb = await get(`/events/${OPEN}`, { 'accept-language': 'lb' });
    expect(lb.headers.get('content-language')).toBe('fr');
  });

  it('answers 404 for a draft or unknown edition, 400 for an unknown language, 405 for a POST', async () => {
    for (const path of [
      `/events/${DRAFT}`,
      `/events/${DRAFT}?lang=de`,
      '/events/no-such-event',
      `/events/${DRAFT}.ics`,
    ]) {
      const res = await get(path);
      expect(res.status).toBe(404);
      const body = await res.text();
      expect(body).not.toContain('Séance secrète');
      expect(body).not.toContain('2030');
    }
    expect(await (await get(`/events/${DRAFT}`)).text()).toContain('Aucun événement public à cette adresse.');
    // Unknown and draft read alike.
    const [draft, unknown] = await Promise.all([
      get(`/events/${DRAFT}.ics`),
      get('/events/no-such-event.ics'),
    ]);
    expect(await draft.json()).toEqual(await unknown.json());

    const lang = await get(`/events/${OPEN}.ics?lang=lb`);
    expect(lang.status).toBe(400);
    expect(await lang.json()).toEqual({
      error: 'Unknown language "lb" in query parameter "lang": expected one of fr, de, en.',
      parameter: 'lang',
    });
    const post = await fetch(`${base}/events/${OPEN}`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('redirects the series’ address to its newest public edition (never the draft)', async () => {
    const page = await fetch(`${base}/events/${SERIES}?lang=de`, { redirect: 'manual' });
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toBe(`/events/${OPEN}?lang=de`);
    const feed = await fetch(`${base}/events/${SERIES}.ics`, { redirect: 'manual' });
    expect(feed.headers.get('location')).toBe(`/events/${OPEN}.ics`);
    // The closed edition keeps its own page.
    expect((await get(`/events/${CLOSED}`)).status).toBe(200);
  });
});

describe('the iCalendar programme', () => {
  async function calendar(lang = 'fr') {
    const res = await get(`/events/${OPEN}.ics?lang=${lang}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    const text = await res.text();
    return { text, root: new ICAL.Component(ICAL.parse(text) as unknown[]) };
  }

  it('holds one VEVENT per session in Europe/Luxembourg, with the room and the venue', async () => {
    const { root, text } = await calendar();
    expect(root.getFirstSubcomponent('vtimezone')!.getFirstPropertyValue('tzid')).toBe('Europe/Luxembourg');
    const events = root.getAllSubcomponents('vevent');
    expect(events.map((e) => e.getFirstPropertyValue('uid')).sort()).toEqual(
      Object.values(sessions)
        .map((id) => `${id}@maillage`)
        .sort(),
    );
    const plenary = events.find((e) => e.getFirstPropertyValue('uid') === `${sessions.plenary}@maillage`)!;
    const start = plenary.getFirstProperty('dtstart')!;
    expect(start.getParameter('tzid')).toBe('Europe/Luxembourg');
    expect((start.getFirstValue() as ICAL.Time).toString()).toBe('2022-11-17T09:00:00');
    expect((plenary.getFirstPropertyValue('dtend') as ICAL.Time).toString()).toBe('2022-11-17T10:00:00');
    expect(plenary.getFirstPropertyValue('summary')).toBe('Ouverture par l’échevine');
    expect(plenary.getFirstPropertyValue('location')).toBe(
      'Salle Grande salle, Centre culturel de Bonnevoie, 2 rue des Ardennes, 1133 Luxembourg',
    );
    expect(plenary.getFirstPropertyValue('description')).toContain('Marie Muller');
    expect(plenary.getFirstPropertyValue('url')).toBe(`${base}/events/${OPEN}?lang=fr#s-${sessions.plenary}`);
    expect((plenary.getFirstPropertyValue('dtstamp') as ICAL.Time).zone?.tzid).toBe('UTC');
    // Expanded with the feed's own zone: 09:00 in Luxembourg is 08:00 UTC in November.
    ICAL.TimezoneService.register(root.getFirstSubcomponent('vtimezone')!);
    expect(new ICAL.Event(plenary).startDate.toJSDate().toISOString()).toBe('2022-11-17T08:00:00.000Z');
    // A text with a script stays a text.
    const round = events.find((e) => e.getFirstPropertyValue('uid') === `${sessions.roundTable}@maillage`)!;
    expect(round.getFirstPropertyValue('summary')).toBe(ATTACK);
    // The programme only: nobody's name, e-mail or ID.
    for (const secret of secrets()) expect(text).not.toContain(secret);
    for (const name of ['Alice Complete', 'Nina Nameonly', 'Wanda']) expect(text).not.toContain(name);
  });

  it('gives the same text on every fetch, and German titles in German', async () => {
    const first = await calendar();
    expect((await calendar()).text).toBe(first.text);
    const de = await calendar('de');
    const summaries = de.root.getAllSubcomponents('vevent').map((e) => e.getFirstPropertyValue('summary'));
    expect(summaries).toContain('Eröffnung durch die Schöffin');
    expect(summaries).toContain('Atelier logement (auf Französisch)');
  });
});

describe('in GraphQL', () => {
  interface EditionOnly {
    eventEdition: { slug: string; status: string } | null;
  }
  const EditionOnlyDocument = parse(
    'query ($slug: String!) { eventEdition(slug: $slug) { slug status } }',
  ) as TypedDocumentNode<EditionOnly, { slug: string }>;

  it('hides a draft edition from the public and from an organisation not invited; invited members see it', async () => {
    const asked = async (token?: string) =>
      (await t.send(EditionOnlyDocument, { slug: DRAFT }, token ? { token } : {})).body.data?.eventEdition ??
      null;
    expect(await asked()).toBeNull();
    expect(await asked(tokens.gamma)).toBeNull();
    expect(await asked(tokens.alice)).toEqual({ slug: DRAFT, status: 'DRAFT' });
    expect(await asked(tokens.carol)).toEqual({ slug: DRAFT, status: 'DRAFT' });
    expect(await asked(tokens.olga)).toEqual({ slug: DRAFT, status: 'DRAFT' });
    // The open one: anyone.
    expect(
      (await t.send(PublicEditionOverviewDocument, { slug: OPEN })).body.data?.eventEdition?.status,
    ).toBe('OPEN');
  });

  it('has no ID and no e-mail on a public participant', async () => {
    const res = await t.send(TypeFieldsDocument, {});
    expect(res.body.data?.__type?.fields.map((f) => f.name).sort()).toEqual([
      'function',
      'hubOrganisation',
      'name',
      'organisation',
    ]);
  });

  it('lists participants as the page does, per field, sorted, paged, with "N others"', async () => {
    const res = await t.send(PublicEditionParticipantsDocument, { slug: OPEN, first: 3 });
    const list = res.body.data!.eventEdition!.publicParticipants;
    expect(list).toMatchObject({ totalCount: 5, othersCount: 1, pageInfo: { hasNextPage: true } });
    expect(list.edges.map((e) => e.node)).toEqual([
      { name: null, organisation: 'Caritas Luxembourg', function: null, hubOrganisation: null },
      { name: 'Wanda Withdraws', organisation: 'Inter-Actions', function: null, hubOrganisation: null },
      {
        name: 'Alice Complete',
        organisation: 'Organisation alpha',
        function: 'Coordinatrice',
        hubOrganisation: { slug: 'alpha' },
      },
    ]);
    const next = await t.send(PublicEditionParticipantsDocument, {
      slug: OPEN,
      first: 3,
      after: list.pageInfo.endCursor,
    });
    const rest = next.body.data!.eventEdition!.publicParticipants;
    expect(rest.pageInfo.hasNextPage).toBe(false);
    expect(rest.edges.map((e) => e.node)).toEqual([
      // Nina shows her name only: her organisation (a hub one) is not linked either.
      { name: 'Nina Nameonly', organisation: null, function: null, hubOrganisation: null },
      { name: null, organisation: null, function: 'Infirmier', hubOrganisation: null },
    ]);
    const body = JSON.stringify([res.body, next.body]);
    for (const secret of secrets()) expect(body).not.toContain(secret);
    expect(body).not.toMatch(EMAIL);
  });

  it('shows the stand team as consent allows', async () => {
    const res = await t.send(PublicEditionOverviewDocument, { slug: OPEN, lang: 'FR' });
    const stands = res.body.data!.eventEdition!.stands;
    expect(stands.map((st) => st.number)).toEqual(['2', '12']);
    const stand = stands[1]!;
    expect(stand.team).toEqual({
      members: [
        {
          name: 'Alice Complete',
          organisation: 'Organisation alpha',
          function: 'Coordinatrice',
          hubOrganisation: { slug: 'alpha' },
        },
        { name: 'Nina Nameonly', organisation: null, function: null, hubOrganisation: null },
      ],
      othersCount: 1,
    });
    // The public sees no registration; the published offer only.
    expect(stand.teamRegistrations).toEqual([]);
    expect(stand.offers.map((o) => o.title.text)).toEqual(['Permanence logement']);
    expect(stand.youMayEdit).toBe(false);
  });
});

describe('withdrawing consent, cancelling', () => {
  it('takes the participant off the page and the API at the next request', async () => {
    const prisma = t.db.prisma;
    const before = await (await get(`/events/${OPEN}?lang=fr`)).text();
    expect(before).toContain('Wanda Withdraws');
    try {
      // What the manage link does, as a plain row update: nothing is cached anywhere.
      await prisma.registration.update({
        where: { id: people.wanda.id },
        data: { showName: false, showOrganisation: false },
      });
      const page = await (await get(`/events/${OPEN}?lang=fr`)).text();
      expect(page).not.toContain('Wanda');
      expect(page).not.toContain('Inter-Actions');
      expect(page).toContain('et 2 autres personnes');
      const api = (await t.send(PublicEditionParticipantsDocument, { slug: OPEN, first: 50 })).body.data!
        .eventEdition!.publicParticipants;
      expect(api.othersCount).toBe(2);
      expect(api.edges.map((e) => e.node.name)).not.toContain('Wanda Withdraws');

      // Nina cancels: gone from the list, the team and the counts.
      await prisma.registration.update({ where: { id: people.nina.id }, data: { status: 'CANCELLED' } });
      const after = await (await get(`/events/${OPEN}?lang=fr`)).text();
      expect(after).not.toContain('Nina');
      expect(after).toContain('et 2 autres personnes');
      const overview = await t.send(PublicEditionOverviewDocument, { slug: OPEN });
      const team = overview.body.data!.eventEdition!.stands.find((st) => st.number === '12')!.team;
      expect(team.members.map((m) => m.name)).toEqual(['Alice Complete']);
      expect(team.othersCount).toBe(1);
    } finally {
      await prisma.registration.update({
        where: { id: people.wanda.id },
        data: { showName: true, showOrganisation: true },
      });
      await prisma.registration.update({ where: { id: people.nina.id }, data: { status: 'REGISTERED' } });
    }
  });
});

describe('SQL statements', () => {
  it('reads the page in a constant number of statements', async () => {
    const count = async () => {
      t.resetQueries();
      expect((await get(`/events/${OPEN}?lang=fr`)).status).toBe(200);
      const sent = t.queries.filter((q) => !/Outbox|Webhook/.test(q));
      return sent.length;
    };
    const small = await count();
    const edition = await t.db.prisma.eventEdition.findUniqueOrThrow({ where: { slug: OPEN } });
    const extra = await Promise.all(
      ['Xavier Extra', 'Yves Extra', 'Zoé Extra'].map((name) =>
        register(edition.id, name, { organisationName: 'Solina', show: ['name', 'organisation'] }),
      ),
    );
    try {
      await t.db.prisma.stand.create({
        data: {
          editionId: edition.id,
          organisationId: s.org.beta.id,
          number: '40',
          title: { fr: 'Stand de plus' },
          team: { create: extra.map((r) => ({ registrationId: r.id })) },
        },
      });
      expect(await count()).toBe(small);
      // One per relation: edition, series, organiser, venue, sessions, stands, their organisations,
      // offers, members, registrations and theirs; seats; the list, its organisations, the count.
      expect(small).toBeLessThanOrEqual(15);
    } finally {
      await t.db.prisma.stand.deleteMany({ where: { number: '40' } });
      await t.db.prisma.registration.deleteMany({ where: { id: { in: extra.map((r) => r.id) } } });
    }
  });
});
