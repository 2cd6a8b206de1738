/**
 * The catalogue through the API: visibility of drafts, search, filters, translations, typed errors
 * that change nothing, optimistic locking, the change log, the capacity path, and no N+1.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay';
import {
  CreateOfferDocument,
  OfferChangesDocument,
  OfferDetailDocument,
  OffersDocument,
  OffersWideDocument,
  OfferWideByIdDocument,
  PublishOfferDocument,
  SitesDocument,
  ThemesDocument,
  UpdateOfferCapacityDocument,
  UpdateOfferDocument,
  UpdateSiteDocument,
  WithdrawOfferDocument,
  type OfferFilter,
} from '../../clients/generated/graphql.ts';
import { seedAlphaCatalogue, seedThemes } from '../helpers/catalogue-fixtures.ts';
import { seedScenario, type Scenario } from '../helpers/fixtures.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';

let t: TestHub;
let s: Scenario;
let ids: { shelter: string; french: string; draft: string; bonnevoie: string };

beforeAll(async () => {
  t = await startTestHub();
  s = await seedScenario(t.db.prisma, t.config);
  await seedThemes(t.db.prisma);
  const c = await seedAlphaCatalogue(t.db.prisma, s);
  ids = {
    shelter: encodeGlobalID('Offer', c.offers.shelter.id),
    french: encodeGlobalID('Offer', c.offers.french.id),
    draft: encodeGlobalID('Offer', c.offers.draft.id),
    bonnevoie: encodeGlobalID('Site', c.sites.bonnevoie.id),
  };
});
afterAll(() => t.close());

async function titles(filter: OfferFilter, token?: string) {
  const res = await t.send(OffersDocument, { filter, first: 50 }, { token });
  if (!res.body.data) throw new Error(JSON.stringify(res.body.errors));
  return res.body.data.offers.edges.map((e) => e.node.title.text).sort();
}

describe('reading the catalogue', () => {
  it('the published catalogue is public; drafts are for the owning organisation only', async () => {
    expect(await titles({})).toEqual([
      'Cours de français pour nouveaux arrivants',
      "Logement d'urgence pour familles",
    ]);
    const alice = await s.token('alice');
    expect(await titles({ statuses: ['DRAFT'] }, alice)).toEqual(['Permanence santé (brouillon)']);
    expect(await titles({ statuses: ['DRAFT'] }, await s.token('bob'))).toEqual([]);
    expect(await titles({ statuses: ['DRAFT', 'PAUSED'] })).toEqual([]);

    const forBob = await t.send(OfferDetailDocument, { id: ids.draft }, { token: await s.token('bob') });
    const unknown = await t.send(
      OfferDetailDocument,
      { id: encodeGlobalID('Offer', crypto.randomUUID()) },
      { token: await s.token('bob') },
    );
    expect(forBob.body).toEqual({ data: { node: null } });
    expect(unknown.body).toEqual(forBob.body);
  });

  it('searches accent- and case-insensitively, with French and German stemming', async () => {
    expect(await titles({ text: 'logements' })).toEqual(["Logement d'urgence pour familles"]);
    expect(await titles({ text: 'FRANCAIS' })).toEqual(['Cours de français pour nouveaux arrivants']);
    expect(await titles({ text: 'Wohnung' })).toEqual(["Logement d'urgence pour familles"]);
    expect(await titles({ text: 'newcomers' })).toEqual(['Cours de français pour nouveaux arrivants']);
    expect(await titles({ text: 'piscine' })).toEqual([]);
  });

  it('filters by theme (sub-themes included), commune (site or service area), audience, language', async () => {
    expect(await titles({ themes: ['housing'] })).toEqual(["Logement d'urgence pour familles"]);
    expect(await titles({ communes: ['esch sur alzette'] })).toEqual([
      'Cours de français pour nouveaux arrivants',
    ]);
    expect(await titles({ communes: ['Dudelange'] })).toEqual(['Cours de français pour nouveaux arrivants']);
    expect(await titles({ audiences: ['REFUGEES'] })).toEqual(["Logement d'urgence pour familles"]);
    expect(await titles({ languages: ['uk'] })).toEqual(['Cours de français pour nouveaux arrivants']);
    expect(await titles({ acceptsReferrals: true, organisation: s.org.alpha.globalId })).toEqual([
      "Logement d'urgence pour familles",
    ]);
  });

  it('answers in the language asked (argument, else Accept-Language), and says so', async () => {
    const byArg = await t.send(OfferDetailDocument, { id: ids.shelter, lang: 'DE' });
    expect(byArg.body.data?.node).toMatchObject({
      title: { text: 'Notunterkunft für Familien', language: 'DE', fallback: false },
    });
    const byHeader = await t.send(
      OfferDetailDocument,
      { id: ids.shelter },
      { headers: { 'accept-language': 'de-LU, fr;q=0.5' } },
    );
    expect(byHeader.body.data?.node).toMatchObject({ title: { language: 'DE' } });
    const fallback = await t.send(OfferDetailDocument, { id: ids.shelter, lang: 'LB' });
    expect(fallback.body.data?.node).toMatchObject({ title: { language: 'FR', fallback: true } });
  });

  it('editors see which translations an offer lacks; others may not ask', async () => {
    const forAlice = await t.send(
      OfferDetailDocument,
      { id: ids.shelter },
      { token: await s.token('alice') },
    );
    expect(forAlice.body.data?.node).toMatchObject({
      missingTranslations: expect.arrayContaining([{ field: 'title', languages: ['lb', 'en'] }]),
    });
    const anonymous = await t.send(OfferDetailDocument, { id: ids.shelter });
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('sites are public and can be listed by commune', async () => {
    const res = await t.send(SitesDocument, { commune: 'luxembourg', first: 10 });
    expect(res.body.data?.sites.edges.map((e) => e.node.name)).toEqual(['Foyer Bonnevoie']);
    const unknown = await t.send(SitesDocument, { commune: 'Atlantis' });
    expect(unknown.body.errors?.[0]?.extensions?.code).toBe('catalogue/unknown_commune');
  });

  it('themes come as a tree', async () => {
    const res = await t.send(ThemesDocument);
    const housing = res.body.data?.themes.find((th) => th.code === 'housing');
    expect(housing?.children.map((c) => c.code)).toEqual(['housing.emergency_shelter']);
  });

  it('bad search input is a clear client error, never a 500', async () => {
    const cases: [OfferFilter | undefined, Record<string, unknown>, string][] = [
      [{ themes: ['nope'] }, {}, 'common/unknown_theme'],
      [{ communes: ['Atlantis'] }, {}, 'catalogue/unknown_commune'],
      [undefined, { first: 101 }, 'common/invalid_input'],
      [undefined, { after: 'not-a-cursor' }, 'BAD_USER_INPUT'],
    ];
    for (const [filter, page, code] of cases) {
      const res = await t.send(OffersDocument, { filter, ...page });
      expect(res.status).toBe(200);
      expect(res.body.errors?.[0]?.extensions?.code).toBe(code);
    }
  });
});

describe('changing the catalogue', () => {
  it('creates a draft, refuses to publish it incomplete, publishes it once complete', async () => {
    const alice = t.client(await s.token('alice'));
    const created = await alice.request(CreateOfferDocument, {
      input: { organisationId: s.org.alpha.globalId, title: [{ language: 'FR', text: 'Atelier numérique' }] },
    });
    if (created.createOffer.__typename !== 'MutationCreateOfferSuccess')
      throw new Error(created.createOffer.__typename);
    const offer = created.createOffer.data.offer;
    expect(offer).toMatchObject({ status: 'DRAFT', version: 1 });

    const refused = await alice.request(PublishOfferDocument, { input: { id: offer.id } });
    expect(refused.publishOffer).toMatchObject({
      __typename: 'OfferNotPublishableError',
      code: 'catalogue/not_publishable',
    });
    if (refused.publishOffer.__typename !== 'OfferNotPublishableError') throw new Error();
    expect(refused.publishOffer.fields.map((f) => f.path.join('.'))).toEqual(['themes', 'sites']);

    const updated = await alice.request(UpdateOfferDocument, {
      input: { id: offer.id, expectedVersion: 1, themes: ['language'], serviceArea: ['Mersch'] },
    });
    expect(updated.updateOffer).toMatchObject({ __typename: 'MutationUpdateOfferSuccess' });
    const published = await alice.request(PublishOfferDocument, {
      input: { id: offer.id, expectedVersion: 2 },
    });
    expect(published.publishOffer).toMatchObject({ data: { offer: { status: 'PUBLISHED', version: 3 } } });
  });

  it('a stale version is a typed conflict and changes nothing; the change log says who changed what', async () => {
    const alice = t.client(await s.token('alice'));
    const ok = await alice.request(UpdateOfferDocument, {
      input: { id: ids.french, expectedVersion: 2, minAge: 16 },
    });
    expect(ok.updateOffer.__typename).toBe('MutationUpdateOfferSuccess');
    const stale = await alice.request(UpdateOfferDocument, {
      input: { id: ids.french, expectedVersion: 2, minAge: 18 },
    });
    expect(stale.updateOffer).toMatchObject({ __typename: 'VersionConflictError', currentVersion: 3 });

    const log = await alice.request(OfferChangesDocument, { id: ids.french });
    if (log.node?.__typename !== 'Offer') throw new Error('no offer');
    const last = log.node.changes.edges[0]!.node;
    expect(last).toMatchObject({
      action: 'UPDATE',
      fields: ['minAge', 'version'],
      actor: { email: 'alice@alpha.example' },
    });
    expect(JSON.parse(last.before!)).toEqual({ minAge: null, version: 2 });
    expect(JSON.parse(last.after!)).toEqual({ minAge: 16, version: 3 });
    expect(log.node.changes.edges.map((e) => e.node.action)).toEqual(['UPDATE', 'PUBLISH', 'CREATE']);

    const forBob = await t.send(OfferChangesDocument, { id: ids.french }, { token: await s.token('bob') });
    expect(forBob.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it("another organisation's editor cannot change the offers, nor learn about drafts", async () => {
    const bob = t.client(await s.token('bob'));
    const onDraft = await bob.request(UpdateOfferDocument, {
      input: { id: ids.draft, expectedVersion: 1, minAge: 3 },
    });
    const onUnknown = await bob.request(UpdateOfferDocument, {
      input: { id: encodeGlobalID('Offer', crypto.randomUUID()), expectedVersion: 1, minAge: 3 },
    });
    expect(onDraft).toEqual(onUnknown);
    expect(onDraft.updateOffer.__typename).toBe('NotFoundError');
    const onPublished = await bob.request(WithdrawOfferDocument, { input: { id: ids.shelter } });
    expect(onPublished.withdrawOffer.__typename).toBe('ForbiddenError');
    const carol = t.client(await s.token('carol'));
    const notEditor = await carol.request(WithdrawOfferDocument, { input: { id: ids.shelter } });
    expect(notEditor.withdrawOffer.__typename).toBe('ForbiddenError');
    const row = await t.db.prisma.offer.findFirstOrThrow({
      where: { title: { path: ['fr'], equals: "Logement d'urgence pour familles" } },
    });
    expect(row.status).toBe('PUBLISHED');
  });

  it('bad input (unknown theme or commune, invalid schedule) is typed and writes nothing', async () => {
    const alice = t.client(await s.token('alice'));
    const before = await t.db.prisma.offer.count();
    const base = { organisationId: s.org.alpha.globalId, title: [{ language: 'FR' as const, text: 'X' }] };
    const theme = await alice.request(CreateOfferDocument, {
      input: { ...base, themes: ['housing', 'nope'] },
    });
    expect(theme.createOffer).toMatchObject({
      __typename: 'UnknownThemeError',
      codes: ['nope'],
      field: ['input', 'themes'],
    });
    const commune = await alice.request(CreateOfferDocument, { input: { ...base, serviceArea: ['Gotham'] } });
    expect(commune.createOffer).toMatchObject({
      __typename: 'UnknownCommuneError',
      communes: ['Gotham'],
      field: ['input', 'serviceArea'],
    });
    const schedule = await alice.request(CreateOfferDocument, {
      input: { ...base, schedule: [{ freq: 'WEEKLY', byday: ['MO'], opensAt: '18:00', closesAt: '09:00' }] },
    });
    expect(schedule.createOffer).toMatchObject({ __typename: 'InvalidInputError' });
    if (schedule.createOffer.__typename !== 'InvalidInputError') throw new Error();
    expect(schedule.createOffer.fields[0]?.path).toContain('closesAt');
    expect(await t.db.prisma.offer.count()).toBe(before);
  });

  it('search follows changes to themes, sites and their communes', async () => {
    const alice = t.client(await s.token('alice'));
    const moved = await alice.request(UpdateSiteDocument, {
      input: { id: ids.bonnevoie, expectedVersion: 1, commune: 'Hesperange' },
    });
    expect(moved.updateSite.__typename).toBe('MutationUpdateSiteSuccess');
    expect(await titles({ communes: ['Hesperange'] })).toEqual(["Logement d'urgence pour familles"]);
    const { version } = await t.db.prisma.offer.findUniqueOrThrow({
      where: { id: decodeGlobalID(ids.french).id },
    });
    const retagged = await alice.request(UpdateOfferDocument, {
      input: { id: ids.french, expectedVersion: version, themes: ['health'] },
    });
    expect(retagged.updateOffer.__typename).toBe('MutationUpdateOfferSuccess');
    expect(await titles({ themes: ['language'] })).not.toContain('Cours de français pour nouveaux arrivants');
    expect(await titles({ themes: ['health'] })).toContain('Cours de français pour nouveaux arrivants');
  });

  it('the capacity path updates free places without bumping the version', async () => {
    const alice = t.client(await s.token('alice'));
    const res = await alice.request(UpdateOfferCapacityDocument, { input: { id: ids.shelter, free: 3 } });
    expect(res.updateOfferCapacity).toMatchObject({
      data: { offer: { version: 2, capacity: { places: 10, free: 3, waitlist: false } } },
    });
    expect(await titles({ hasFreePlaces: true })).toEqual(["Logement d'urgence pour familles"]);
    const tooMany = await alice.request(UpdateOfferCapacityDocument, {
      input: { id: ids.shelter, free: 11 },
    });
    expect(tooMany.updateOfferCapacity.__typename).toBe('InvalidInputError');
  });
});

describe('search results read like the objects themselves', () => {
  it('every field of an offer found by search equals the same field read by id', async () => {
    const found = await t.send(OffersWideDocument, { first: 50 });
    const nodes = found.body.data?.offers.edges.map((e) => e.node) ?? [];
    expect(found.body.errors).toBeUndefined();
    expect(nodes.length).toBeGreaterThan(1);
    for (const node of nodes) {
      const byId = await t.send(OfferWideByIdDocument, { id: node.id });
      expect(node).toEqual(byId.body.data?.node);
    }
  });
});

describe('no N+1', () => {
  it('a page of offers with organisation, sites, themes and schedule costs the same SQL whatever its size', async () => {
    const alice = await s.token('alice');
    for (let i = 0; i < 50; i++) {
      await t.db.prisma.offer.create({
        data: {
          organisationId: s.org[i % 2 ? 'alpha' : 'beta'].id,
          title: { fr: `Offre ${i}` },
          status: 'PUBLISHED',
          themes: { connect: [{ code: 'health' }] },
          serviceArea: ['Luxembourg'],
        },
      });
    }
    const count = async (first: number) => {
      t.resetQueries();
      const res = await t.send(OffersDocument, { first }, { token: alice });
      expect(res.body.data?.offers.edges.length).toBe(first);
      return t.queries.length;
    };
    const small = await count(2);
    const large = await count(50);
    expect(large).toBe(small);
    expect(large).toBeLessThanOrEqual(8);
  });
});
