/**
 * The Welcome demo data (prisma/seed/demo-welcome.ts) as seedDemo loads it: the SHUK with its
 * operator, partners and residents' profile (counts only), its published guide by Inter-Actions
 * (20+ entries of the demo catalogue, notes in fr, en, uk, ar), a Caritas foyer's guide, the
 * coordinators who act on them; and a second run that adds nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { seedDemo } from '../../prisma/seed/seed.ts';
import { FOYER_GUIDE_SLUG } from '../../prisma/seed/demo-welcome-foyer.ts';
import { SHUK_GUIDE_SLUG } from '../../prisma/seed/demo-welcome-shuk.ts';
import { PUBLIC_ITEM_STATUSES } from '../../src/modules/welcome/welcome.access.ts';
import { openDatabase, type Database } from '../../src/shared/db/client.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/pg.ts';

let database: TestDatabase;
let t: { db: Database };
let first: Awaited<ReturnType<typeof seedDemo>>;
let second: Awaited<ReturnType<typeof seedDemo>>;
let before: Record<string, number>;

/** Rows of every table the Welcome seed writes, and of those it reads. */
async function tableCounts(): Promise<Record<string, number>> {
  const p = t.db.prisma;
  return {
    organisations: await p.organisation.count(),
    users: await p.user.count(),
    memberships: await p.membership.count(),
    sites: await p.site.count(),
    shelters: await p.shelter.count(),
    shelterPartners: await p.shelterPartner.count(),
    residentProfiles: await p.residentProfile.count(),
    guides: await p.guide.count(),
    guideItems: await p.guideItem.count(),
    guideAttendance: await p.guideAttendance.count(),
    guideAlerts: await p.guideAlert.count(),
  };
}

beforeAll(async () => {
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

const shukGuide = () =>
  t.db.prisma.guide.findUniqueOrThrow({
    where: { slug: SHUK_GUIDE_SLUG },
    include: {
      organisation: true,
      shelter: { include: { site: true, organisation: true } },
      items: { include: { offer: true, attendance: true, alerts: true }, orderBy: { position: 'asc' } },
    },
  });

describe('the SHUK', () => {
  it('is an emergency shelter at Kirchberg, run by the ONA, with its partners and their roles', async () => {
    const guide = await shukGuide();
    const shelter = guide.shelter!;
    expect(shelter.kind).toBe('EMERGENCY');
    expect(shelter.organisation).toMatchObject({ slug: 'ona', kind: 'PUBLIC_AGENCY' });
    expect(shelter.site).toMatchObject({ commune: 'Luxembourg', quarter: 'Kirchberg' });
    expect(shelter.site.organisationId).toBe(shelter.organisationId);
    expect(shelter.site.latitude).toBeCloseTo(49.63, 1);
    expect(shelter.site.longitude).toBeCloseTo(6.17, 1);
    const partners = await t.db.prisma.shelterPartner.findMany({
      where: { shelterId: shelter.id },
      include: { organisation: { select: { slug: true } } },
    });
    expect(partners.map((p) => p.organisation.slug).sort()).toEqual(
      ['caritas-luxembourg', 'croix-rouge', 'inter-actions', 'passerelles-nouveaux-arrivants'].sort(),
    );
    for (const p of partners) expect(Object.keys(p.role as object).sort()).toEqual(['de', 'en', 'fr']);
  });

  it('has a residents’ profile of counts only, recent, within its total', async () => {
    const guide = await shukGuide();
    const profiles = await t.db.prisma.residentProfile.findMany({
      where: { shelterId: guide.shelterId! },
      orderBy: { asOf: 'desc' },
    });
    expect(profiles.length).toBeGreaterThanOrEqual(1);
    const latest = profiles[0]!;
    const ageDays = (Date.now() - latest.asOf.getTime()) / 86_400_000;
    expect(ageDays).toBeGreaterThanOrEqual(0);
    expect(ageDays).toBeLessThan(14);
    const parts = {
      languages: ['code', 'count'],
      ageBands: ['band', 'count'],
      householdTypes: ['type', 'count'],
    } as const;
    for (const profile of profiles) {
      for (const [part, keys] of Object.entries(parts)) {
        const list = profile[part as keyof typeof parts] as Record<string, unknown>[];
        expect(list.length).toBeGreaterThan(0);
        for (const entry of list) {
          expect(Object.keys(entry).sort()).toEqual([...keys].sort());
          expect(Number.isInteger(entry.count) && (entry.count as number) >= 0).toBe(true);
        }
        const sum = list.reduce((n, e) => n + (e.count as number), 0);
        expect(sum).toBeLessThanOrEqual(profile.total);
      }
    }
    const codes = (latest.languages as { code: string }[]).map((l) => l.code);
    expect(codes).toEqual(expect.arrayContaining(['ar', 'fa', 'ti', 'uk', 'ps', 'ku', 'so']));
  });
});

describe('the SHUK guide', () => {
  it('is published by Inter-Actions in fr, en, uk and ar, with 20 entries or more', async () => {
    const guide = await shukGuide();
    expect(guide).toMatchObject({ status: 'PUBLISHED', sourceLanguage: 'fr' });
    expect(guide.organisation.slug).toBe('inter-actions');
    expect(guide.publishedAt).not.toBeNull();
    expect(guide.languages).toEqual(['fr', 'en', 'uk', 'ar']);
    for (const lang of guide.languages) {
      expect((guide.title as Record<string, string>)[lang]).toBeTruthy();
      expect((guide.intro as Record<string, string>)[lang]).toBeTruthy();
    }
    expect((guide.title as Record<string, string>).fr).toBe('Activités près du SHUK');
    expect(guide.items.length).toBeGreaterThanOrEqual(20);
  });

  it('gives every entry the residents see a note in fr, en, uk and ar, verified by its provider', async () => {
    const guide = await shukGuide();
    const visible = guide.items.filter((i) => (PUBLIC_ITEM_STATUSES as readonly string[]).includes(i.status));
    expect(visible.length).toBeGreaterThanOrEqual(17);
    for (const item of visible) {
      const note = item.relevanceNote as Record<string, string>;
      const langs = ['fr', 'en', 'uk', 'ar'].filter((l) => note[l]?.trim());
      expect({ offer: item.offer.hsdsId, langs }).toEqual({
        offer: item.offer.hsdsId,
        langs: ['fr', 'en', 'uk', 'ar'],
      });
      expect(item.verifiedAt).not.toBeNull();
      expect(item.decidedAt).not.toBeNull();
      expect(item.audiences.length).toBeGreaterThan(0);
      expect(item.languages.length).toBeGreaterThan(0);
    }
    // Entries of the demo catalogue, of several organisations, each addressed to the offer's own.
    for (const item of guide.items) {
      expect(item.offer.hsdsId).toMatch(/^demo:/);
      expect(item.providerOrganisationId).toBe(item.offer.organisationId);
    }
    const providers = new Set(guide.items.map((i) => i.providerOrganisationId));
    expect(providers.size).toBeGreaterThanOrEqual(8);
    expect(
      guide.items.filter((i) => i.providerOrganisationId === guide.organisationId).length,
    ).toBeGreaterThan(3);
  });

  it('shows every step of an entry: mostly agreed, two proposals, one decline with its reason', async () => {
    const guide = await shukGuide();
    const by = (status: string) => guide.items.filter((i) => i.status === status);
    expect(by('PROPOSED')).toHaveLength(2);
    expect(by('DECLINED')).toHaveLength(1);
    expect(by('DECLINED')[0]!.declineReason).toMatch(/\S{10}/);
    for (const item of by('PROPOSED')) expect(item.decidedAt).toBeNull();
    expect(by('CONFIRMED').length + by('REGULAR').length).toBe(guide.items.length - 3);
    // Regular arrangements have their own weekly schedule, one with closures ahead.
    const regular = by('REGULAR');
    expect(regular.length).toBeGreaterThanOrEqual(3);
    for (const item of regular) expect(Array.isArray(item.schedule) && item.schedule.length > 0).toBe(true);
    const today = new Date().toISOString().slice(0, 10);
    const closures = regular.flatMap((i) => i.closures);
    expect(closures.length).toBeGreaterThan(0);
    for (const date of closures) expect(date > today).toBe(true);
    expect(guide.items.filter((i) => i.placesPerWeek !== null && i.weekday !== null).length).toBeGreaterThan(
      3,
    );
  });

  it('keeps one translation older than its source, to show as outdated', async () => {
    const guide = await shukGuide();
    const outdated = guide.items.filter((i) => {
      const from = i.noteTranslatedFrom as Record<string, number>;
      return Object.values(from).some((v) => v < i.noteVersion);
    });
    expect(outdated).toHaveLength(1);
    expect(outdated[0]!.noteTranslatedFrom).toEqual({ en: 2, uk: 2, ar: 1 });
    const current = guide.items.filter((i) => i !== outdated[0]);
    for (const item of current) {
      const note = item.relevanceNote as Record<string, string>;
      const expected = Object.fromEntries(
        Object.keys(note)
          .filter((l) => l !== 'fr')
          .map((l) => [l, item.noteVersion]),
      );
      expect(item.noteTranslatedFrom).toEqual(expected);
    }
    expect(guide.translatedFrom).toEqual({ de: 1, en: 1, uk: 1, ar: 1 });
  });

  it('has weekly attendance counts over the last 8 weeks, on Mondays, none in the future', async () => {
    const guide = await shukGuide();
    const rows = guide.items.flatMap((i) => i.attendance);
    expect(guide.items.filter((i) => i.attendance.length === 8).length).toBeGreaterThanOrEqual(5);
    const now = Date.now();
    for (const row of rows) {
      expect(row.weekStart.getUTCDay()).toBe(1);
      expect(row.weekStart.getTime()).toBeLessThan(now);
      expect(now - row.weekStart.getTime()).toBeLessThan(9 * 7 * 86_400_000);
      expect(Number.isInteger(row.count) && row.count >= 0).toBe(true);
    }
  });

  it('has one open alert: an agreed activity its provider paused', async () => {
    const guide = await shukGuide();
    const alerted = guide.items.filter((i) => i.alerts.length > 0);
    expect(alerted).toHaveLength(1);
    expect(alerted[0]!.offer.status).toBe('PAUSED');
    expect(alerted[0]!.alerts[0]).toMatchObject({ kind: 'OFFER_PAUSED', resolvedAt: null });
  });

  it('has coordinators: Inter-Actions’ Welcome coordinator writes it; the ONA has an admin', async () => {
    const guide = await shukGuide();
    const coordinators = await t.db.prisma.membership.findMany({
      where: { organisationId: guide.organisationId, roles: { has: 'WELCOME_COORDINATOR' } },
      include: { user: true },
    });
    expect(coordinators.map((m) => m.user.id)).toContain(guide.createdById);
    const operator = await t.db.prisma.membership.count({
      where: { organisationId: guide.shelter!.organisationId, roles: { has: 'ORG_ADMIN' } },
    });
    expect(operator).toBeGreaterThan(0);
  });
});

describe('the Caritas foyer', () => {
  it('is a youth foyer with a guide of about eight entries for young people, in fr, en, ar and fa', async () => {
    const guide = await t.db.prisma.guide.findUniqueOrThrow({
      where: { slug: FOYER_GUIDE_SLUG },
      include: { organisation: true, shelter: true, items: true },
    });
    expect(guide.organisation.slug).toBe('caritas-luxembourg');
    expect(guide.shelter).toMatchObject({ kind: 'YOUTH_FOYER', organisationId: guide.organisationId });
    expect(guide.items.length).toBeGreaterThanOrEqual(7);
    for (const item of guide.items) {
      expect(item.audiences).toContain('YOUTH');
      const note = item.relevanceNote as Record<string, string>;
      expect([note.fr, note.en, note.ar, note.fa].every(Boolean)).toBe(true);
    }
    const olena = await t.db.prisma.user.findUniqueOrThrow({
      where: { email: 'olena.kovalenko@caritas.example' },
    });
    expect(guide.createdById).toBe(olena.id);
  });
});

describe('seeding again', () => {
  it('adds nothing and changes no count', async () => {
    expect(await tableCounts()).toEqual(before);
    // What each run loads (the invitation is sent once only).
    expect({ ...second, invitations: 0 }).toEqual({ ...first, invitations: 0 });
    expect(first).toMatchObject({ shelters: 2, guides: 2 });
    expect(before.guideItems).toBe(first.guideItems);
    expect(before.sites).toBe(first.sites);
  });
});
