/**
 * The organisers' downloads over real HTTP: the participant list as CSV (RFC 4180, UTF-8 with a
 * byte order mark, streamed in batches: more than two batches here, with namesakes across batch
 * ends), the badges as CSV for a mail merge and as a printable page with one QR code each. Only
 * the edition's organisers get them; everyone else gets the 404 of an unknown edition. The CSV is
 * read back with a small RFC 4180 reader written here (csv-parse is not a dependency).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { ParticipantCategory } from '../../src/generated/prisma/enums.ts';
import { signUserToken } from '../../src/modules/accounts/signing-keys.service.ts';
import { seedScenario, seedThirdOrganisation, type Scenario } from '../helpers/fixtures.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';

let t: TestHub;
let s: Scenario;
let gamma: Awaited<ReturnType<typeof seedThirdOrganisation>>;
const tokens = { otto: '', olga: '' };
const ids = { plenary: '', elodie: '' };
const SLUG = 'assises-test';
/** Bulk participants: more than two export batches of 500. */
const BULK = 1_050;
const NAMESAKES = 30;
const ELODIE = 'Élodie "Lou" Müller, née Ferreira';

const at = (iso: string) => new Date(iso);

async function organiser(slug: string, email: string) {
  const org = await t.db.prisma.organisation.create({ data: { slug, name: `Organisation ${slug}` } });
  const user = await t.db.prisma.user.create({
    data: {
      email,
      name: email.split('@')[0]!,
      memberships: { create: { organisationId: org.id, roles: ['EVENT_ORGANISER'] } },
    },
  });
  const token = await signUserToken(t.db.prisma, user, {
    issuer: t.config.AUTH_ISSUER,
    audience: t.config.AUTH_AUDIENCE,
    ttlSeconds: 600,
  });
  return { org, token };
}

async function edition(organisationId: string, slug: string, status: 'OPEN' | 'DRAFT') {
  const event = await t.db.prisma.event.create({
    data: { slug: `${slug}-series`, organisationId, name: { fr: `Série ${slug}` } },
  });
  return t.db.prisma.eventEdition.create({
    data: {
      eventId: event.id,
      slug,
      organisationId,
      title: { fr: `Édition ${slug}`, en: `Edition ${slug}` },
      startsAt: at('2026-10-20T07:00:00Z'),
      endsAt: at('2026-10-20T16:00:00Z'),
      status,
    },
  });
}

const row = (
  editionId: string,
  name: string,
  extra: {
    organisationId?: string;
    organisationName?: string;
    category?: ParticipantCategory;
    function?: string;
    cancelled?: boolean;
  } = {},
) => ({
  editionId,
  name,
  email: `${randomBytes(6).toString('hex')}@example.org`,
  organisationId: extra.organisationId ?? null,
  organisationName: extra.organisationName ?? null,
  function: extra.function ?? null,
  category: extra.category ?? ('OTHER' as const),
  source: 'SELF' as const,
  status: extra.cancelled ? ('CANCELLED' as const) : ('REGISTERED' as const),
  manageTokenHash: randomBytes(32).toString('hex'),
  badgeCode: randomBytes(5).toString('hex').toUpperCase(),
});

beforeAll(async () => {
  t = await startTestHub();
  s = await seedScenario(t.db.prisma, t.config);
  gamma = await seedThirdOrganisation(t.db.prisma, t.config, ['ORG_ADMIN']);
  const ville = await organiser('ville', 'otto@ville.example');
  const other = await organiser('autre', 'olga@autre.example');
  tokens.otto = ville.token;
  tokens.olga = other.token;
  const open = await edition(ville.org.id, SLUG, 'OPEN');
  const session = (title: string, hour: number, kind: 'PLENARY' | 'WORKSHOP') =>
    t.db.prisma.eventSession.create({
      data: {
        editionId: open.id,
        kind,
        title: { fr: title, en: `${title} (en)` },
        startsAt: at(`2026-10-20T${String(hour).padStart(2, '0')}:00:00Z`),
        endsAt: at(`2026-10-20T${String(hour + 1).padStart(2, '0')}:00:00Z`),
      },
    });
  // Created in the reverse of their time order: the export sorts them by time.
  const workshop = await session('Atelier', 9, 'WORKSHOP');
  const plenary = await session('Plénière', 7, 'PLENARY');
  ids.plenary = plenary.id;
  const elodie = await t.db.prisma.registration.create({
    data: {
      ...row(open.id, ELODIE, {
        organisationId: s.org.alpha.id,
        organisationName: 'Organisation alpha',
        category: 'PARTNER_STAFF',
        function: 'Cheffe de projet',
      }),
      email: 'elodie@example.org',
      source: 'ORGANISATION',
      accessibilityNeeds: 'Boucle magnétique',
      checkedInAt: at('2026-10-20T07:30:00Z'),
      seats: {
        create: [
          { sessionId: workshop.id, status: 'WAITLISTED' },
          { sessionId: plenary.id, status: 'CONFIRMED' },
        ],
      },
    },
  });
  ids.elodie = elodie.id;
  await t.db.prisma.registration.createMany({
    data: [
      row(open.id, '=HYPERLINK("http://evil.example")', { category: 'PRESS', organisationName: '@Presse' }),
      row(open.id, '<script>alert(1)</script> Sam', { category: 'SPEAKER', organisationName: 'A & B' }),
      row(open.id, 'Olaf Oublié', { category: 'PRESS', cancelled: true }),
      ...Array.from({ length: 10 }, (_, i) => row(open.id, `Volunteer ${i}`, { category: 'VOLUNTEER' })),
      ...Array.from({ length: BULK }, (_, i) => row(open.id, `Participant ${String(i).padStart(4, '0')}`)),
      // Namesakes straddle the first batch's end (sorted by name, then id).
      ...Array.from({ length: NAMESAKES }, () => row(open.id, 'Participant 0490')),
    ],
  });
  await edition(other.org.id, 'autre-test', 'OPEN');
  await edition(other.org.id, 'brouillon-test', 'DRAFT');
});
afterAll(() => t.close());

const REGISTERED = 1 + 2 + 10 + BULK + NAMESAKES;

function get(path: string, token?: string, init: RequestInit = {}) {
  return fetch(`${t.hub.url.replace('localhost', '127.0.0.1')}${path}`, {
    ...init,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.headers ?? {}) },
  });
}

/** RFC 4180: records end with CRLF, fields with comma, quote or line breaks are quoted, quotes doubled. */
function readCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i++;
    } else if (c === '\n' || c === '\r') throw new Error(`bare line break in record ${records.length + 1}`);
    else field += c;
  }
  if (field !== '' || record.length > 0) throw new Error('the last record has no CRLF');
  return records;
}

async function csvOf(path: string, token = tokens.otto) {
  const res = await get(path, token);
  expect(res.status).toBe(200);
  const bytes = Buffer.from(await res.arrayBuffer());
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  return { res, records: readCsv(bytes.subarray(3).toString('utf8')) };
}

describe('participants.csv', () => {
  it('streams every registered participant as RFC 4180 UTF-8 with a BOM, read back exactly', async () => {
    const { res, records } = await csvOf(`/events/${SLUG}/participants.csv`);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${SLUG}-participants.csv"`);
    expect(res.headers.get('cache-control')).toBe('no-store');
    // Streamed: no length known in advance.
    expect(res.headers.get('content-length')).toBeNull();
    expect(res.headers.get('transfer-encoding')).toBe('chunked');
    const [header, ...rows] = records;
    expect(header).toEqual([
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
    ]);
    expect(rows).toHaveLength(REGISTERED);
    expect(new Set(rows.map((r) => r[1])).size).toBe(REGISTERED);
    const elodie = rows.find((r) => r[1] === 'elodie@example.org');
    expect(elodie).toEqual([
      ELODIE,
      'elodie@example.org',
      'Organisation alpha',
      'Cheffe de projet',
      'Personnel d’un partenaire',
      'Plénière; Atelier (liste d’attente)',
      '2026-10-20 09:30',
      expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/),
      'Par son organisation',
      'Boucle magnétique',
    ]);
    expect(rows.filter((r) => r[0] === 'Participant 0490')).toHaveLength(NAMESAKES + 1);
    // A cell a spreadsheet would run is written as text.
    expect(rows.find((r) => r[0]!.includes('HYPERLINK'))?.slice(0, 3)).toEqual([
      `'=HYPERLINK("http://evil.example")`,
      expect.any(String),
      `'@Presse`,
    ]);
    expect(rows.some((r) => r[0] === 'Olaf Oublié')).toBe(false);
  });

  it('filters as the participant list does, and speaks English when asked', async () => {
    const names = async (query: string) =>
      (await csvOf(`/events/${SLUG}/participants.csv?${query}`)).records.slice(1).map((r) => r[0]);
    expect(await names('checkedIn=true')).toEqual([ELODIE]);
    expect(await names(`organisationId=${encodeURIComponent(s.org.alpha.globalId)}`)).toEqual([ELODIE]);
    expect(
      await names(`sessionId=${encodeURIComponent(encodeGlobalID('EventSession', ids.plenary))}`),
    ).toEqual([ELODIE]);
    expect(await names('category=VOLUNTEER')).toHaveLength(10);
    expect(await names('status=CANCELLED')).toEqual(['Olaf Oublié']);
    expect(await names('text=m%C3%BCller')).toEqual([ELODIE]);
    const { records } = await csvOf(`/events/${SLUG}/participants.csv?lang=en&checkedIn=true`);
    expect(records[0]).toEqual([
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
    ]);
    expect(records[1]?.[5]).toBe('Plénière (en); Atelier (en) (waitlist)');
  });

  it('names the parameter it cannot read', async () => {
    for (const [query, parameter] of [
      ['category=NOPE', 'category'],
      [`organisationId=${encodeURIComponent(encodeGlobalID('EventSession', ids.plenary))}`, 'organisationId'],
      ['checkedIn=yes', 'checkedIn'],
      ['lang=xx', 'lang'],
      ['status=REGISTERED&status=CANCELLED', 'status'],
    ]) {
      const res = await get(`/events/${SLUG}/participants.csv?${query}`, tokens.otto);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ parameter });
    }
  });

  it('is the organisers’ only: anyone else gets the answer of an unknown edition', async () => {
    const unknown = await get('/events/nothing-here/participants.csv', tokens.otto);
    expect(unknown.status).toBe(404);
    const expected = await unknown.json();
    for (const token of [
      undefined,
      await s.token('alice'),
      await s.token('carol'),
      gamma.token,
      tokens.olga,
    ]) {
      for (const file of ['participants.csv', 'badges.csv', 'badges.html']) {
        const res = await get(`/events/${SLUG}/${file}`, token);
        expect(res.status).toBe(404);
        expect(await res.json()).toEqual(expected);
      }
    }
    const draft = await get('/events/brouillon-test/participants.csv', tokens.otto);
    expect(draft.status).toBe(404);
    const bad = await get(`/events/${SLUG}/participants.csv`, 'not-a-token');
    expect(bad.status).toBe(401);
    expect(bad.headers.get('www-authenticate')).toMatch(/invalid_token/);
    const post = await get(`/events/${SLUG}/participants.csv`, tokens.otto, { method: 'POST' });
    expect(post.status).toBe(405);
    const head = await get(`/events/${SLUG}/participants.csv`, tokens.otto, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect((await head.arrayBuffer()).byteLength).toBe(0);
  });
});

describe('badges', () => {
  it('badges.csv: one line per badge for a mail merge, with the QR code’s URL', async () => {
    const { res, records } = await csvOf(`/events/${SLUG}/badges.csv`);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${SLUG}-badges.csv"`);
    expect(records[0]).toEqual([
      'Nom',
      'Organisation',
      'Fonction',
      'Catégorie',
      'Code du badge',
      'URL du code QR',
    ]);
    expect(records).toHaveLength(1 + REGISTERED);
    const code = (await t.db.prisma.registration.findUniqueOrThrow({ where: { id: ids.elodie } })).badgeCode;
    expect(records.find((r) => r[0] === ELODIE)).toEqual([
      ELODIE,
      'Organisation alpha',
      'Cheffe de projet',
      'Personnel d’un partenaire',
      code,
      `${t.hub.url.replace('localhost', '127.0.0.1')}/events/${SLUG}#badge=${code}`,
    ]);
  });

  it('badges.html: printable, no script, one QR code per badge, eight badges a sheet', async () => {
    const res = await get(`/events/${SLUG}/badges.html?category=VOLUNTEER&lang=en`, tokens.otto);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).not.toMatch(/script-src/);
    const page = await res.text();
    expect(page).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(page).toMatch(/<title>Badges – Edition assises-test<\/title>/);
    expect(page.match(/<article class="badge">/g)).toHaveLength(10);
    expect(page.match(/<svg /g)).toHaveLength(10);
    expect(page.match(/<section class="sheet">/g)).toHaveLength(2);
    expect(page).toMatch(/<\/html>\n$/);

    const others = await (await get(`/events/${SLUG}/badges.html?category=SPEAKER`, tokens.otto)).text();
    expect(others.match(/<svg /g)).toHaveLength(1);
    expect(others).not.toMatch(/<script/);
    expect(others).toContain('&lt;script&gt;alert(1)&lt;/script&gt; Sam');
    expect(others).toContain('A &amp; B');
    expect(others).toContain('Intervenant·e');
  });
});
