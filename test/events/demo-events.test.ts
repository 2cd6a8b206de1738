/**
 * The Events demo data (prisma/seed/demo-events*.ts) as seedDemo loads it into a fresh database:
 * the City's social affairs department organising the Assises sociales, the 2021 edition (CLOSED,
 * 15 stands, ~150 participants) and the 2022 edition (OPEN, 36 stands, ~250 participants), with
 * their programme, invitations whose codes open and verify, stands linked to their own
 * organisation's offers, mixed consents, seats with waitlists and check-ins; and a second run that
 * changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EDITION_2021_SLUG, edition2021 } from '../../prisma/seed/demo-events-2021.ts';
import { EDITION_2022_SLUG, edition2022 } from '../../prisma/seed/demo-events-2022.ts';
import { ORGANISER_EMAIL, ORGANISER_SLUG, SERIES_SLUG } from '../../prisma/seed/demo-events-organiser.ts';
import { planParticipants } from '../../prisma/seed/demo-events-people.ts';
import { DEMO_SCANNER } from '../../prisma/seed/demo-events.ts';
import { seedDemo } from '../../prisma/seed/seed.ts';
import { hashSecret, isSecret } from '../../src/modules/accounts/secret-codes.ts';
import { PUBLICLY_LISTED } from '../../src/modules/events/events.access.ts';
import { openDatabase, type Database } from '../../src/shared/db/client.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { configureSecrets, generateSecretsKey, secretPlace, secrets } from '../../src/shared/secrets.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/pg.ts';

let database: TestDatabase;
let t: { db: Database };
let first: Awaited<ReturnType<typeof seedDemo>>;
let second: Awaited<ReturnType<typeof seedDemo>>;
let before: Record<string, number>;

/** Rows of every table the Events seed writes. */
async function tableCounts(): Promise<Record<string, number>> {
  const p = t.db.prisma;
  return {
    organisations: await p.organisation.count(),
    users: await p.user.count(),
    memberships: await p.membership.count(),
    sites: await p.site.count(),
    events: await p.event.count(),
    editions: await p.eventEdition.count(),
    invitations: await p.editionInvitation.count(),
    sessions: await p.eventSession.count(),
    registrations: await p.registration.count(),
    seats: await p.registrationSeat.count(),
    stands: await p.stand.count(),
    standMembers: await p.standMember.count(),
    checkIns: await p.checkIn.count(),
    checkInEvents: await p.outboxEvent.count({ where: { type: 'EVENT_CHECK_IN' } }),
  };
}

beforeAll(async () => {
  // The seed seals invitation codes with the process's box: a key of this test's own.
  configureSecrets({ NODE_ENV: 'test', SECRETS_KEY: generateSecretsKey(), dataDir: '/nonexistent' });
  database = await createTestDatabase();
  t = { db: openDatabase({ url: database.url, poolMax: 3, logger: createLogger('silent') }) };
  first = await seedDemo(t.db.prisma);
  before = await tableCounts();
  second = await seedDemo(t.db.prisma);
}, 120_000);
afterAll(async () => {
  await t.db.close();
  await database.drop();
});

const edition = (slug: string) =>
  t.db.prisma.eventEdition.findUniqueOrThrow({
    where: { slug },
    include: { event: true, organisation: true, venue: true, sessions: { orderBy: { startsAt: 'asc' } } },
  });

describe('the organiser', () => {
  it('is the City’s social affairs department, with an event organiser and the Bonnevoie venue', async () => {
    const org = await t.db.prisma.organisation.findUniqueOrThrow({
      where: { slug: ORGANISER_SLUG },
      include: { sites: true, memberships: { include: { user: true } } },
    });
    expect(org.name).toBe('Ville de Luxembourg – Service des affaires sociales');
    expect(org.legalForm).toBeTruthy();
    const anne = org.memberships.find((m) => m.user.email === ORGANISER_EMAIL);
    expect(anne?.roles).toContain('EVENT_ORGANISER');
    const venue = org.sites.find((s) => s.name === 'Centre culturel de Bonnevoie');
    expect(venue).toMatchObject({ commune: 'Luxembourg', latitude: 49.5969, longitude: 6.1367 });
  });

  it('has every organisation of the network the issue names', async () => {
    const slugs = [
      'caritas-luxembourg',
      'croix-rouge',
      'inter-actions',
      'solina',
      'wunnengshellef',
      'co-labor',
      'mateneen',
      'fondation-eme',
      'microlux',
      'paerds-atelier-liewenshaff',
      'medecins-du-monde',
      'ligue-medico-sociale',
      'kontact-28',
    ];
    const orgs = await t.db.prisma.organisation.findMany({ where: { slug: { in: slugs } } });
    expect(orgs.map((o) => o.slug).sort()).toEqual([...slugs].sort());
  });
});

describe('the series and its editions', () => {
  it('has fr, de and en names, a closed 2021 and an open 2022 at the Bonnevoie cultural centre', async () => {
    const series = await t.db.prisma.event.findUniqueOrThrow({
      where: { slug: SERIES_SLUG },
      include: { organisation: true, editions: { orderBy: { startsAt: 'asc' } } },
    });
    expect(Object.keys(series.name as object).sort()).toEqual(['de', 'en', 'fr']);
    expect(series.organisation.slug).toBe(ORGANISER_SLUG);
    expect(series.editions.map((e) => [e.slug, e.status])).toEqual([
      [EDITION_2021_SLUG, 'CLOSED'],
      [EDITION_2022_SLUG, 'OPEN'],
    ]);
    const e2022 = await edition(EDITION_2022_SLUG);
    expect(e2022.venue?.name).toBe('Centre culturel de Bonnevoie');
    expect(e2022.organisationId).toBe(series.organisationId);
    // The day is past, the registration still open: the demo can be tried.
    expect(e2022.startsAt.toISOString()).toBe('2022-11-24T07:30:00.000Z');
    expect(e2022.registrationClosesAt!.getTime()).toBeGreaterThan(Date.now() + 300 * 86_400_000);
    const e2021 = await edition(EDITION_2021_SLUG);
    expect(e2021.registrationClosesAt!.getTime()).toBeLessThan(e2021.startsAt.getTime());
  });

  it('has a programme: a plenary, two round tables and four workshops of 30 places, with speakers', async () => {
    const { sessions } = await edition(EDITION_2022_SLUG);
    const kinds = sessions.map((s) => s.kind);
    expect(kinds.filter((k) => k === 'PLENARY')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'ROUND_TABLE')).toHaveLength(2);
    const workshops = sessions.filter((s) => s.kind === 'WORKSHOP');
    expect(workshops.map((w) => w.capacity)).toEqual([30, 30, 30, 30]);
    for (const s of sessions) {
      expect(s.room).toBeTruthy();
      expect((s.speakers as unknown[]).length).toBeGreaterThan(0);
      expect(Object.keys(s.title as object)).toEqual(expect.arrayContaining(['fr', 'de', 'en']));
    }
  });

  it('never seats more than a session holds; two workshops are full with a waitlist, in order', async () => {
    const { sessions } = await edition(EDITION_2022_SLUG);
    let full = 0;
    for (const s of sessions) {
      const seats = await t.db.prisma.registrationSeat.findMany({
        where: { sessionId: s.id },
        include: { registration: { select: { status: true } } },
        orderBy: { queuedAt: 'asc' },
      });
      const confirmed = seats.filter((x) => x.status === 'CONFIRMED');
      const waiting = seats.filter((x) => x.status === 'WAITLISTED');
      if (s.capacity !== null) expect(confirmed.length).toBeLessThanOrEqual(s.capacity);
      if (waiting.length > 0) {
        full++;
        expect(confirmed.length).toBe(s.capacity);
        // Everyone waiting queued after every confirmed seat.
        expect(waiting[0]!.queuedAt.getTime()).toBeGreaterThan(confirmed.at(-1)!.queuedAt.getTime());
      }
      for (const seat of seats) expect(seat.registration.status).toBe('REGISTERED');
    }
    expect(full).toBe(2);
  });
});

describe('stands', () => {
  it('counts 15 in 2021 and 36 in 2022, each with a team of its own organisation', async () => {
    for (const [slug, count] of [
      [EDITION_2021_SLUG, 15],
      [EDITION_2022_SLUG, 36],
    ] as const) {
      const stands = await t.db.prisma.stand.findMany({
        where: { edition: { slug } },
        include: { team: { include: { registration: true } } },
      });
      expect(stands).toHaveLength(count);
      expect(new Set(stands.map((s) => s.number)).size).toBe(count);
      for (const stand of stands) {
        expect((stand.title as Record<string, string>).fr).toBeTruthy();
        expect((stand.figures as unknown[]).length).toBeGreaterThan(0);
        expect(stand.team.length).toBeGreaterThanOrEqual(1);
        for (const m of stand.team) {
          expect(m.registration).toMatchObject({
            editionId: stand.editionId,
            organisationId: stand.organisationId,
            status: 'REGISTERED',
          });
        }
      }
    }
  });

  it('links only published offers of the stand’s own organisation, one or two when it has some', async () => {
    const stands = await t.db.prisma.stand.findMany({
      where: { edition: { slug: EDITION_2022_SLUG } },
      include: { offers: true },
    });
    for (const stand of stands) {
      expect(stand.offers.length).toBeLessThanOrEqual(2);
      for (const offer of stand.offers) {
        expect({ stand: stand.number, org: offer.organisationId, status: offer.status }).toEqual({
          stand: stand.number,
          org: stand.organisationId,
          status: 'PUBLISHED',
        });
      }
      const published = await t.db.prisma.offer.count({
        where: { organisationId: stand.organisationId, status: 'PUBLISHED' },
      });
      if (published > 0)
        expect({ stand: stand.number, linked: stand.offers.length > 0 }).toEqual({
          stand: stand.number,
          linked: true,
        });
    }
    const translated = stands.filter((s) => (s.title as Record<string, string>).de);
    expect(translated.length).toBeGreaterThanOrEqual(8);
  });
});

describe('participants', () => {
  const registered = (slug: string) =>
    t.db.prisma.registration.findMany({ where: { edition: { slug }, status: 'REGISTERED' } });

  it('number about 250 in 2022 and about 150 in 2021, mostly partner staff, every category present', async () => {
    const r2022 = await registered(EDITION_2022_SLUG);
    const r2021 = await registered(EDITION_2021_SLUG);
    expect(r2022.length).toBeGreaterThanOrEqual(240);
    expect(r2022.length).toBeLessThanOrEqual(260);
    expect(r2021.length).toBeGreaterThanOrEqual(140);
    expect(r2021.length).toBeLessThanOrEqual(160);
    const cancelled = await t.db.prisma.registration.count({ where: { status: 'CANCELLED' } });
    expect(cancelled).toBeGreaterThan(0);
    const byCategory = new Map<string, number>();
    for (const r of r2022) byCategory.set(r.category, (byCategory.get(r.category) ?? 0) + 1);
    expect([...byCategory.keys()].sort()).toEqual(
      ['ORGANISER', 'OTHER', 'PARTNER_STAFF', 'PRESS', 'PUBLIC_SECTOR', 'SPEAKER', 'VOLUNTEER'].sort(),
    );
    expect(byCategory.get('PARTNER_STAFF')! / r2022.length).toBeGreaterThan(0.5);
    // Organisations of the hub, and a few others by name only.
    expect(new Set(r2022.map((r) => r.organisationId).filter(Boolean)).size).toBeGreaterThanOrEqual(15);
    expect(r2022.filter((r) => r.organisationId === null && r.organisationName).length).toBeGreaterThan(5);
    for (const r of r2022) expect(r.email).toMatch(/@[a-z0-9.-]+\.example$/);
  });

  it('mix their consents: about half name and organisation, some organisation only, some nothing', async () => {
    const r2022 = await registered(EDITION_2022_SLUG);
    const share = (f: (r: (typeof r2022)[number]) => boolean) => r2022.filter(f).length / r2022.length;
    expect(share((r) => r.showName && r.showOrganisation)).toBeGreaterThan(0.4);
    expect(share((r) => r.showName && r.showOrganisation)).toBeLessThan(0.65);
    expect(share((r) => !r.showName && r.showOrganisation)).toBeGreaterThan(0.1);
    expect(share((r) => !r.showName && !r.showOrganisation && !r.showFunction)).toBeGreaterThan(0.1);
    expect(share((r) => r.contactable)).toBeGreaterThan(0.25);
    expect(share((r) => r.contactable)).toBeLessThan(0.45);
    const listed = await t.db.prisma.registration.count({
      where: { edition: { slug: EDITION_2022_SLUG }, ...PUBLICLY_LISTED },
    });
    expect(listed).toBeLessThan(r2022.length);
    // Accessibility needs: a few in 2022, none left in 2021 (erased after the event).
    expect(r2022.filter((r) => r.accessibilityNeeds).length).toBeGreaterThan(0);
    expect((await registered(EDITION_2021_SLUG)).filter((r) => r.accessibilityNeeds)).toEqual([]);
  });

  it('have a manage token stored as a hash only and a unique random badge code', async () => {
    const all = await t.db.prisma.registration.findMany({
      select: { manageTokenHash: true, badgeCode: true },
    });
    expect(new Set(all.map((r) => r.manageTokenHash)).size).toBe(all.length);
    expect(new Set(all.map((r) => r.badgeCode)).size).toBe(all.length);
    for (const r of all) {
      expect(r.manageTokenHash).toMatch(/^[0-9a-f]{64}$/);
      expect(r.badgeCode).toMatch(/^[0-9A-Z]{10}$/);
    }
  });

  it('were checked in at the door by the demo scanner, each scan with its outbox row', async () => {
    const e = await edition(EDITION_2022_SLUG);
    const regs = await t.db.prisma.registration.findMany({
      where: { editionId: e.id },
      include: { checkIns: { orderBy: { scannedAt: 'asc' } } },
    });
    const arrived = regs.filter((r) => r.checkedInAt);
    expect(arrived.length / regs.length).toBeGreaterThan(0.5);
    expect(arrived.length).toBeLessThan(regs.length);
    for (const r of regs) {
      const last = r.checkIns.at(-1);
      // The state follows the latest scan; the time kept is the first arrival's.
      expect({ id: r.id, checkedInAt: r.checkedInAt }).toEqual({
        id: r.id,
        checkedInAt: last?.arrived ? r.checkIns.find((c) => c.arrived)!.scannedAt : null,
      });
      if (r.status === 'CANCELLED') expect(r.checkIns).toEqual([]);
      for (const c of r.checkIns) expect(c.scannerKey).toBe(DEMO_SCANNER);
    }
    // One badge scanned by mistake and undone.
    expect(regs.filter((r) => r.checkIns.some((c) => !c.arrived))).toHaveLength(1);
    const scans = await t.db.prisma.checkIn.count();
    expect(await t.db.prisma.outboxEvent.count({ where: { type: 'EVENT_CHECK_IN' } })).toBe(scans);
  });

  it('are drawn the same every time (a reproducible seed)', () => {
    for (const plan of [edition2021, edition2022]) {
      expect(planParticipants(plan)).toEqual(planParticipants(plan));
    }
  });
});

describe('invitations', () => {
  it('give each invited organisation a code that opens, verifies by hash, and lasts while registration is open', async () => {
    for (const slug of [EDITION_2021_SLUG, EDITION_2022_SLUG]) {
      const e = await edition(slug);
      const invitations = await t.db.prisma.editionInvitation.findMany({ where: { editionId: e.id } });
      const registeredOrgs = await t.db.prisma.registration.findMany({
        where: { editionId: e.id, organisationId: { not: e.organisationId } },
        distinct: ['organisationId'],
        select: { organisationId: true },
      });
      expect(invitations.map((i) => i.organisationId).sort()).toEqual(
        registeredOrgs.flatMap((r) => (r.organisationId ? [r.organisationId] : [])).sort(),
      );
      for (const invitation of invitations) {
        const code = secrets().open(
          invitation.codeSealed,
          secretPlace.editionCode(e.id, invitation.organisationId),
        );
        expect(isSecret('evc', code)).toBe(true);
        expect(hashSecret(code)).toBe(invitation.codeHash);
        expect(invitation.expiresAt.getTime()).toBeGreaterThanOrEqual(
          Math.max(e.endsAt.getTime(), e.registrationClosesAt!.getTime()),
        );
      }
    }
  });
});

describe('seeding again', () => {
  it('adds nothing and changes no count', async () => {
    expect(await tableCounts()).toEqual(before);
    expect({ ...second, invitations: 0 }).toEqual({ ...first, invitations: 0 });
    expect(first).toMatchObject({ events: 1, eventEditions: 2, stands: 51 });
    expect(before.registrations).toBe(first.eventRegistrations);
    expect(before.sites).toBe(first.sites);
  });
});
