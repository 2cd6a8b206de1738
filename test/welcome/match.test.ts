/**
 * matchOffers over HTTP on a small named catalogue: the ranking, each hard filter and its near-miss
 * line, reason texts in fr and en, distances from a point and from a shelter, bad input, the
 * statement count whatever `first` is, `Referral.matches` for a draft (null otherwise, nothing
 * written) and `Shelter.suggestedOffers` from the residents' profile.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { encodeGlobalID } from '@pothos/plugin-relay';
import {
  MatchOffersDocument,
  ReferralMatchesDocument,
  ShelterSuggestedOffersDocument,
  type MatchCriteriaInput,
  type MatchOffersQuery,
} from '../../clients/generated/graphql.ts';
import {
  createOffer,
  setOfferStatus,
  updateOfferCapacity,
} from '../../src/modules/catalogue/offer.service.ts';
import { createSite } from '../../src/modules/catalogue/site.service.ts';
import { createReferral, stepReferral } from '../../src/modules/referrals/referral.service.ts';
import { openWeekdays, rankOffers, type MatchCandidate } from '../../src/modules/welcome/match.ts';
import { MatchIndex, pruneOfferChanges } from '../../src/modules/welcome/match-index.ts';
import {
  fetchCandidates,
  resolveCriteria,
  type MatchCriteriaInput as ServiceCriteria,
} from '../../src/modules/welcome/match.service.ts';
import { aliceViewer, seedThemes } from '../helpers/catalogue-fixtures.ts';
import { seedScenario, type Scenario } from '../helpers/fixtures.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';

let t: TestHub;
let s: Scenario;
const id = {} as Record<'a' | 'b' | 'c' | 'd' | 'e' | 'f' | 'g' | 'h', string>;
const shelter = {} as Record<'located' | 'unlocated', string>;
let referralId: string;

/** 0.01° north of the Gare site: 1,112 m, 20 minutes on foot. */
const POINT = { latitude: 49.61, longitude: 6.1335 };
const CRITERIA: MatchCriteriaInput = {
  themes: ['language.french'],
  languages: ['ar'],
  audiences: ['REFUGEES'],
  age: 40,
  commune: 'Luxembourg',
  point: POINT,
  placesWanted: 2,
  openOn: [1, 6],
};

beforeAll(async () => {
  t = await startTestHub();
  s = await seedScenario(t.db.prisma, t.config);
  await seedThemes(t.db.prisma);
  const language = await t.db.prisma.theme.findUniqueOrThrow({ where: { code: 'language' } });
  await t.db.prisma.theme.create({
    data: { code: 'language.german', parentId: language.id, label: { fr: "Cours d'allemand" } },
  });
  const alice = aliceViewer(s);
  const prisma = t.db.prisma;
  const gare = await createSite(prisma, alice, s.org.alpha.id, {
    name: 'Gare',
    commune: 'Luxembourg',
    latitude: 49.6,
    longitude: 6.1335,
    openingHours: [
      { weekday: 1, opens: '09:00', closes: '12:00' },
      { weekday: 3, opens: '09:00', closes: '12:00' },
    ],
  });
  const esch = await createSite(prisma, alice, s.org.alpha.id, {
    name: 'Esch',
    commune: 'Esch-sur-Alzette',
    latitude: 49.4958,
    longitude: 5.9806,
  });
  const unlocated = await createSite(prisma, alice, s.org.alpha.id, {
    name: 'Hollerich',
    commune: 'Luxembourg',
  });
  const make = async (
    title: string,
    fields: Parameters<typeof createOffer>[3] extends infer F ? Omit<F & object, 'title'> : never,
    after?: (offerId: string) => Promise<unknown>,
  ) => {
    const o = await createOffer(prisma, alice, s.org.alpha.id, { title: { fr: title }, ...fields });
    await setOfferStatus(prisma, alice, o.id, 'publish');
    await after?.(o.id);
    return o.id;
  };
  id.a = await make(
    'A: cours de français intensif',
    {
      themeCodes: ['language.french'],
      languages: ['fr', 'ar'],
      audiences: ['REFUGEES'],
      siteIds: [gare.id],
      capacityPlaces: 10,
      schedule: [{ freq: 'WEEKLY', byday: ['MO', 'WE'], opensAt: '09:00', closesAt: '12:00' }],
    },
    (o) => updateOfferCapacity(prisma, alice, o, { free: 10 }),
  );
  id.b = await make('B: école de langues', {
    themeCodes: ['language'],
    languages: ['fr', 'en'],
    audiences: ['ADULTS'],
    siteIds: [unlocated.id],
  });
  id.c = await make('C: cours d’allemand', { themeCodes: ['language.german'], siteIds: [gare.id] });
  id.d = await make('D: français pour jeunes', {
    themeCodes: ['language.french'],
    minAge: 16,
    maxAge: 25,
    siteIds: [gare.id],
  });
  id.e = await make('E: français à Esch', { themeCodes: ['language.french'], siteIds: [esch.id] });
  id.f = await make(
    'F: français complet',
    { themeCodes: ['language.french'], siteIds: [gare.id], capacityPlaces: 5 },
    (o) => updateOfferCapacity(prisma, alice, o, { free: 0 }),
  );
  id.g = await make(
    'G: français, liste d’attente',
    { themeCodes: ['language.french'], siteIds: [gare.id], capacityPlaces: 5, waitlist: true },
    (o) => updateOfferCapacity(prisma, alice, o, { free: 0 }),
  );
  id.h = await make('H: français en pause', { themeCodes: ['language.french'], siteIds: [gare.id] }, (o) =>
    setOfferStatus(prisma, alice, o, 'pause'),
  );
  shelter.located = (
    await prisma.shelter.create({
      data: { siteId: gare.id, organisationId: s.org.alpha.id, kind: 'EMERGENCY' },
    })
  ).id;
  shelter.unlocated = (
    await prisma.shelter.create({ data: { siteId: unlocated.id, organisationId: s.org.alpha.id } })
  ).id;
  await prisma.residentProfile.create({
    data: {
      shelterId: shelter.located,
      asOf: new Date('2026-11-01'),
      total: 60,
      languages: [
        { code: 'ar', count: 40 },
        { code: 'uk', count: 18 },
        { code: 'fa', count: 2 },
      ],
      ageBands: [{ band: 'AGE_26_64', count: 60 }],
      householdTypes: [],
    },
  });
  // Beta's offer, which Carol's draft refers a person to.
  const bob = s.viewer('bob');
  const betaSite = await createSite(prisma, bob, s.org.beta.id, { name: 'Beta', commune: 'Luxembourg' });
  const betaOffer = await createOffer(prisma, bob, s.org.beta.id, {
    title: { fr: 'Accueil beta' },
    themeCodes: ['housing'],
    siteIds: [betaSite.id],
    acceptsReferrals: true,
  });
  await setOfferStatus(prisma, bob, betaOffer.id, 'publish');
  const referral = await createReferral(prisma, s.viewer('carol'), {
    offerId: betaOffer.id,
    needs: 'Apprendre le français',
    needThemes: ['language.french'],
    person: {
      initials: 'N. A.',
      birthYear: new Date().getFullYear() - 40,
      languages: ['ar'],
      contactChannel: 'THROUGH_SENDER',
    },
    consent: { purpose: 'Orientation vers un cours de français' },
  });
  referralId = referral.id;
});

afterAll(async () => {
  await t?.close();
});

type Result = Extract<
  NonNullable<MatchOffersQuery['matchOffers']>,
  { __typename: 'QueryMatchOffersSuccess' }
>['data'];
const raw = (globalId: string) => Buffer.from(globalId, 'base64').toString('utf8').split(':')[1]!;
const letter = (globalId: string) => Object.entries(id).find(([, v]) => v === raw(globalId))?.[0];

async function match(
  criteria: MatchCriteriaInput,
  opts: { first?: number; lang?: 'FR' | 'EN'; token?: string } = {},
) {
  const res = await t.send(
    MatchOffersDocument,
    { criteria, first: opts.first ?? 10, lang: opts.lang ?? null },
    { token: opts.token },
  );
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.matchOffers;
}
async function ranked(criteria: MatchCriteriaInput, opts: Parameters<typeof match>[1] = {}): Promise<Result> {
  const r = await match(criteria, opts);
  if (r.__typename !== 'QueryMatchOffersSuccess')
    throw new Error(`expected a result, got ${JSON.stringify(r)}`);
  return r.data;
}

describe('matchOffers', () => {
  it('ranks published offers by their reasons, without a token', async () => {
    const r = await ranked(CRITERIA);
    expect(r.matches.map((m) => letter(m.offer.id))).toEqual(['a', 'g', 'b']);
    expect(r.totalCount).toBe(3);
    const a = r.matches[0]!;
    expect(a.score).toBeCloseTo(2.156, 6);
    expect(a.offer.organisation.slug).toBe('alpha');
    expect(a.offer.themes.map((th) => th.code)).toEqual(['language.french']);
    expect(a.offer.sites.map((site) => site.name)).toEqual(['Gare']);
    // The sibling theme (German courses) is neither a match nor a near miss.
    expect([...r.matches, ...r.excluded].map((m) => letter(m.offer.id))).not.toContain('c');
  });

  it('measures distance and walking minutes from a point to the nearest site', async () => {
    const r = await ranked(CRITERIA);
    const a = r.matches[0]!;
    // 0.01° of latitude: 1,111.95 m; × 1.3 at 4.5 km/h = 19.3 → 20 minutes.
    expect(a.distanceMeters).toBe(1112);
    expect(a.walkingMinutes).toBe(20);
    const b = r.matches.find((m) => letter(m.offer.id) === 'b')!;
    expect(b.distanceMeters).toBeNull();
    expect(b.walkingMinutes).toBeNull();
  });

  it('explains each result in one line per factor, in French by default and in English', async () => {
    const fr = await ranked(CRITERIA);
    expect(fr.matches[0]!.reasons).toEqual([
      { factor: 'THEME', weight: 1, text: 'thème\u00a0: Cours de français +1' },
      { factor: 'LANGUAGE', weight: 0.3, text: 'parle arabe +0,3' },
      { factor: 'AUDIENCE', weight: 0.2, text: 'pour réfugiés +0,2' },
      { factor: 'DISTANCE', weight: 0.356, text: '1,1 km, 20 min à pied +0,36' },
      { factor: 'FREE_PLACES', weight: 0.2, text: '10 places libres +0,2' },
      { factor: 'OPEN_DAYS', weight: 0.1, text: 'ouvert lundi\u202f; fermé samedi +0,1' },
    ]);
    expect(fr.matches[1]!.reasons.map((x) => x.text)).toEqual([
      'thème\u00a0: Cours de français +1',
      'ne parle pas arabe \u22120,3',
      'ouvert à tous +0,1',
      '1,1 km, 20 min à pied +0,36',
      "complet\u00a0: liste d'attente \u22120,2",
      'ouvert lundi\u202f; fermé samedi +0,1',
    ]);
    expect(fr.matches[2]!.reasons.map((x) => x.text)).toEqual([
      'thème plus large\u00a0: Langues +0,4',
      'ne parle pas arabe \u22120,3',
      'destiné à\u00a0: adultes \u22120,1',
      'aucun lieu avec coordonnées +0',
      'places libres non indiquées +0',
      'horaires non indiqués +0',
    ]);
    const en = await ranked(CRITERIA, { lang: 'EN' });
    expect(en.matches.map((m) => m.reasons.map((x) => x.text))).toEqual([
      [
        'theme: Cours de français +1',
        'speaks Arabic +0.3',
        'for refugees +0.2',
        '1.1 km, 20 min on foot +0.36',
        '10 free places +0.2',
        'open Monday; closed Saturday +0.1',
      ],
      [
        'theme: Cours de français +1',
        'does not speak Arabic \u22120.3',
        'open to everyone +0.1',
        '1.1 km, 20 min on foot +0.36',
        'no free place: waitlist \u22120.2',
        'open Monday; closed Saturday +0.1',
      ],
      [
        'broader theme: Languages +0.4',
        'does not speak Arabic \u22120.3',
        'meant for: adults \u22120.1',
        'no site with coordinates +0',
        'free places not reported +0',
        'opening times not given +0',
      ],
    ]);
  });

  it('lists the near misses with the hard filter that dropped each, in fr and en', async () => {
    const fr = await ranked(CRITERIA);
    const byLetter = (r: Result): Record<string, { filter: string; text: string }> =>
      Object.fromEntries(
        r.excluded.map((e) => [letter(e.offer.id) ?? '?', { filter: e.filter, text: e.text }]),
      );
    // The paused offer is not public: the public does not hear of it.
    expect(byLetter(fr)).toEqual({
      d: { filter: 'AGE', text: 'âge\u00a0: 16 à 25 ans (demandé\u00a0: 40)' },
      e: { filter: 'AREA', text: 'ne dessert pas Luxembourg' },
      f: { filter: 'FULL', text: "complet, sans liste d'attente" },
    });
    const en = await ranked(CRITERIA, { lang: 'EN' });
    expect(byLetter(en)).toEqual({
      d: { filter: 'AGE', text: 'age: 16 to 25 (asked: 40)' },
      e: { filter: 'AREA', text: 'does not serve Luxembourg' },
      f: { filter: 'FULL', text: 'full, no waitlist' },
    });
    // Its own organisation sees its paused offer as a near miss, never as a match.
    const own = await ranked(CRITERIA, { token: await s.token('alice') });
    expect(byLetter(own).h).toEqual({ filter: 'NOT_PUBLISHED', text: 'offre non publiée\u00a0: en pause' });
    expect(own.matches.map((m) => letter(m.offer.id))).toEqual(['a', 'g', 'b']);
    // Without the criteria behind them, the same offers are matches.
    const loose = await ranked({ themes: ['language.french'] }, { first: 50 });
    expect(loose.matches.map((m) => letter(m.offer.id)).sort()).toEqual(['a', 'b', 'd', 'e', 'g']);
    expect(loose.excluded.map((e) => letter(e.offer.id))).toEqual(['f']);
  });

  it('sends a constant number of SQL statements whatever `first` is', async () => {
    await ranked(CRITERIA);
    const count = async (first: number) => {
      t.resetQueries();
      const r = await ranked(CRITERIA, { first });
      expect(r.matches).toHaveLength(Math.min(first, 3));
      return t.queries.length;
    };
    const small = await count(2);
    const large = await count(50);
    console.log(`matchOffers: ${large} statements`);
    expect(large).toBe(small);
    expect(large).toBeLessThanOrEqual(12);
  });

  it('measures from a shelter the caller sees; an unseen one reads as unknown', async () => {
    const alice = await s.token('alice');
    const located = encodeGlobalID('Shelter', shelter.located);
    const r = await ranked({ themes: ['language.french'], shelterId: located }, { token: alice });
    const a = r.matches.find((m) => letter(m.offer.id) === 'a')!;
    expect(a.distanceMeters).toBe(0);
    expect(a.reasons.find((x) => x.factor === 'DISTANCE')!.text).toBe('0 m, 0 min à pied +0,4');
    for (const shelterId of [located, encodeGlobalID('Shelter', '00000000-0000-7000-8000-000000000000')]) {
      const hidden = await match({ themes: ['language.french'], shelterId });
      expect(hidden).toMatchObject({ __typename: 'NotFoundError', code: 'common/not_found' });
    }
    const bob = await match(
      { themes: ['language.french'], shelterId: located },
      { token: await s.token('bob') },
    );
    expect(bob.__typename).toBe('NotFoundError');
  });

  it('refuses a shelter without coordinates, naming the field', async () => {
    const r = await match(
      { themes: ['language.french'], shelterId: encodeGlobalID('Shelter', shelter.unlocated) },
      { token: await s.token('alice') },
    );
    expect(r.__typename).toBe('InvalidInputError');
    if (r.__typename !== 'InvalidInputError') return;
    expect(r.fields).toEqual([
      { path: ['criteria', 'shelterId'], message: expect.stringContaining('no coordinates') },
    ]);
  });

  it('refuses unknown theme, language and commune codes', async () => {
    const theme = await match({ themes: ['language.french', 'nope'] });
    expect(theme).toMatchObject({
      __typename: 'UnknownThemeError',
      code: 'common/unknown_theme',
      codes: ['nope'],
      field: ['criteria', 'themes'],
    });
    const language = await match({ themes: ['language.french'], languages: ['ar', 'xx'] });
    expect(language.__typename).toBe('InvalidInputError');
    if (language.__typename === 'InvalidInputError') {
      expect(language.fields).toEqual([
        { path: ['criteria', 'languages', '1'], message: expect.stringContaining('ISO 639-1') },
      ]);
    }
    const commune = await match({ themes: ['language.french'], commune: 'Atlantis' });
    expect(commune).toMatchObject({
      __typename: 'UnknownCommuneError',
      communes: ['Atlantis'],
      field: ['criteria', 'commune'],
    });
    const days = await match({ themes: ['language.french'], openOn: [8] });
    expect(days.__typename).toBe('InvalidInputError');
    if (days.__typename === 'InvalidInputError')
      expect(days.fields[0]!.path).toEqual(['criteria', 'openOn', '0']);
  });
});

describe('candidate fetching', () => {
  /** What ranking reads of a candidate, in a stable order. */
  const normal = (list: MatchCandidate[]) =>
    list
      .map((c) => ({
        ...c,
        themePath: [...c.themePath].sort(),
        audiences: [...c.audiences].sort(),
        communes: [...c.communes].sort(),
        schedule: [...(openWeekdays({ schedule: c.schedule, sites: [] }) ?? [])].sort(),
        sites: c.sites.map((x) => JSON.stringify(x)).sort(),
      }))
      .sort((a, b) => (a.id < b.id ? -1 : 1));

  const NEEDS: ServiceCriteria[] = [
    { ...CRITERIA, point: POINT } as ServiceCriteria,
    { themes: ['language'] },
    { themes: ['language.german', 'housing.emergency_shelter'] },
    { themes: ['language.french'], commune: 'Esch-sur-Alzette', age: 18 },
  ];
  /** The index's candidates against their Prisma form, for each viewer and need. */
  async function expectSameAsPrisma(index: MatchIndex) {
    await index.fresh();
    for (const viewer of [null, s.viewer('alice'), s.viewer('bob')]) {
      for (const need of NEEDS) {
        const { criteria, tree } = await resolveCriteria(t.db.prisma, viewer, need);
        const viaPrisma = await fetchCandidates(t.db.prisma, viewer, criteria, tree);
        const viaIndex = index.candidates(viewer, criteria, tree);
        expect(viaIndex.length).toBeGreaterThan(0);
        expect(normal(viaIndex)).toEqual(normal(viaPrisma));
        expect(rankOffers(criteria, viaIndex, tree, 50)).toEqual(rankOffers(criteria, viaPrisma, tree, 50));
      }
    }
  }

  it('finds the same candidates in the match index as in their Prisma form, for each viewer', async () => {
    await expectSameAsPrisma(new MatchIndex(t.db.sql));
  });

  it('follows every change committed behind its back, and reloads all when its log was pruned', async () => {
    const index = new MatchIndex(t.db.sql);
    await expectSameAsPrisma(index);
    const sql = (text: string, values: unknown[] = []) => t.db.pool.query(text, values);
    const gare = await t.db.prisma.site.findFirstOrThrow({ where: { name: 'Gare' } });
    // Bulk SQL, as an import or a database administrator would: each kind of change in turn.
    await sql(`update "Offer" set status = 'PAUSED' where id = $1`, [id.a]);
    await expectSameAsPrisma(index);
    // The hub's own index too, at the next request.
    expect((await ranked(CRITERIA)).matches.map((m) => letter(m.offer.id))).not.toContain('a');
    await sql(`update "Offer" set status = 'PUBLISHED', languages = '{uk}', "minAge" = 30 where id = $1`, [
      id.a,
    ]);
    await expectSameAsPrisma(index);
    await sql(`update "Site" set latitude = 49.5 where id = $1`, [gare.id]);
    await expectSameAsPrisma(index);
    await sql(`delete from "_OfferToSite" where "A" = $1`, [id.d]);
    await expectSameAsPrisma(index);
    // A change rolled back is not seen; nor is one made in the same transaction and undone.
    const client = await t.db.pool.connect();
    try {
      await client.query('begin');
      await client.query(`update "Offer" set waitlist = not waitlist where id = $1`, [id.e]);
      await client.query('rollback');
    } finally {
      client.release();
    }
    await expectSameAsPrisma(index);
    // The change log pruned past what the index read: it reloads everything.
    await sql(`update "Offer" set "capacityFree" = 1 where id = $1`, [id.f]);
    await sql(`delete from "OfferChange"`);
    await sql(`update "Offer" set "maxAge" = 99 where id = $1`, [id.d]);
    await expectSameAsPrisma(index);
    // Put back what the other tests read.
    await sql(`update "Offer" set languages = '{fr,ar}', "minAge" = null where id = $1`, [id.a]);
    await sql(`update "Offer" set "maxAge" = 25 where id = $1`, [id.d]);
    await sql(`update "Offer" set "capacityFree" = 0 where id = $1`, [id.f]);
    await sql(`update "Site" set latitude = 49.6 where id = $1`, [gare.id]);
    await sql(`insert into "_OfferToSite" ("A", "B") values ($1, $2)`, [id.d, gare.id]);
    await expectSameAsPrisma(index);
    expect((await ranked(CRITERIA)).matches.map((m) => letter(m.offer.id))).toEqual(['a', 'g', 'b']);
  });

  it('prunes change rows over a day old, and an index behind them reloads everything', async () => {
    const index = new MatchIndex(t.db.sql);
    await index.fresh();
    await t.db.pool.query(`update "Offer" set "maxAge" = 70 where id = $1`, [id.b]);
    await t.db.pool.query(`update "OfferChange" set at = now() - interval '25 hours'`);
    await t.db.pool.query(`update "Offer" set "maxAge" = null where id = $1`, [id.b]);
    const before = await t.db.prisma.offerChange.count();
    expect(await pruneOfferChanges(t.db.sql)).toBe(before - 1);
    await expectSameAsPrisma(index);
  });
});

describe('Referral.matches', () => {
  const referral = () => encodeGlobalID('Referral', referralId);
  const counts = () =>
    Promise.all([
      t.db.prisma.personDataAccess.count(),
      t.db.prisma.referralEvent.count(),
      t.db.prisma.outboxEvent.count(),
      t.db.prisma.referral.findUniqueOrThrow({ where: { id: referralId }, select: { version: true } }),
    ]);

  it('ranks offers for a draft from its needs, the person’s languages and age, writing nothing', async () => {
    const carol = await s.token('carol');
    const before = await counts();
    t.resetQueries();
    const res = await t.send(
      ReferralMatchesDocument,
      { id: referral(), commune: 'Luxembourg', lang: 'EN' },
      { token: carol },
    );
    expect(res.body.errors).toBeUndefined();
    const m = res.body.data!.referral!.matches!;
    expect(m.__typename).toBe('ReferralMatchesSuccess');
    if (m.__typename !== 'ReferralMatchesSuccess') return;
    expect(m.data.matches.map((x) => letter(x.offer.id))).toEqual(['a', 'g', 'b']);
    expect(m.data.matches[0]!.reasons.map((x) => x.text)).toContain('speaks Arabic +0.3');
    // Age 40 from the birth year; the commune asked for; Carol's own organisation's paused offer.
    expect(Object.fromEntries(m.data.excluded.map((e) => [letter(e.offer.id), e.filter]))).toEqual({
      d: 'AGE',
      e: 'AREA',
      f: 'FULL',
      h: 'NOT_PUBLISHED',
    });
    expect(t.queries.filter((q) => /^\s*(insert|update|delete)\b/i.test(q))).toEqual([]);
    expect(await counts()).toEqual(before);
  });

  it('is null once the referral is sent, and for the receiving side', async () => {
    const carol = await s.token('carol');
    const referralRow = await t.db.prisma.referral.findUniqueOrThrow({ where: { id: referralId } });
    await stepReferral(t.db, s.viewer('carol'), referralId, 'send', {
      expectedVersion: referralRow.version,
    });
    const sender = await t.send(ReferralMatchesDocument, { id: referral() }, { token: carol });
    expect(sender.body.data!.referral).toMatchObject({ status: 'SENT', matches: null });
    const receiver = await t.send(
      ReferralMatchesDocument,
      { id: referral() },
      { token: await s.token('bob') },
    );
    expect(receiver.body.data!.referral).toMatchObject({ status: 'SENT', matches: null });
  });
});

describe('Shelter.suggestedOffers', () => {
  it('ranks offers for the residents’ languages from the shelter, for its operator', async () => {
    const res = await t.send(
      ShelterSuggestedOffersDocument,
      { id: encodeGlobalID('Shelter', shelter.located), themes: ['language.french'] },
      { token: await s.token('alice') },
    );
    expect(res.body.errors).toBeUndefined();
    const node = res.body.data!.node as {
      suggestedOffers: { __typename: string; data: Result };
    };
    expect(node.suggestedOffers.__typename).toBe('ShelterSuggestedOffersSuccess');
    const top = node.suggestedOffers.data.matches[0]!;
    expect(letter(top.offer.id)).toBe('a');
    // Arabic and Ukrainian are spoken by more than a tenth of the residents; Persian is not.
    expect(top.reasons.find((x) => x.factor === 'LANGUAGE')!.text).toBe('parle arabe +0,3');
    expect(top.reasons.find((x) => x.factor === 'DISTANCE')!.text).toBe('0 m, 0 min à pied +0,4');
    expect(top.reasons.find((x) => x.factor === 'AUDIENCE')!.text).toBe(
      'destiné à\u00a0: réfugiés \u22120,1',
    );
  });
});
