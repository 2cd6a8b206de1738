/**
 * Guides over HTTP: alpha's admin writes a guide for the foyer it runs (beta is a partner there);
 * slugs, texts per language with the source version each translation was made from, the
 * lifecycle (publish needs a source title and an agreed entry; archive), version checks, and
 * every refusal writing nothing.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { encodeGlobalID } from '@pothos/plugin-relay';
import {
  ArchiveGuideDocument,
  CreateGuideDocument,
  GuideDocument,
  GuideEntriesDocument,
  GuidesDocument,
  PublishGuideDocument,
  UpdateGuideDocument,
} from '../../clients/generated/graphql.ts';
import { slugify } from '../../src/modules/welcome/guide.service.ts';
import { seedAlphaCatalogue, seedThemes } from '../helpers/catalogue-fixtures.ts';
import { seedScenario, seedThirdOrganisation, type Scenario } from '../helpers/fixtures.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';

let t: TestHub;
let s: Scenario;
let shelterId: string;
let offers: { shelter: string; french: string };
let gammaToken: string;
let guide: { id: string; slug: string; version: number };

type Client = ReturnType<TestHub['client']>;
let alice: Client;

/** A guide as the database holds it: must not move when a change is refused. */
const footprint = async () =>
  t.db.prisma.guide.findMany({
    orderBy: { createdAt: 'asc' },
    select: {
      slug: true,
      version: true,
      status: true,
      title: true,
      intro: true,
      textVersion: true,
      translatedFrom: true,
    },
  });

beforeAll(async () => {
  t = await startTestHub();
  s = await seedScenario(t.db.prisma, t.config);
  await seedThemes(t.db.prisma);
  const catalogue = await seedAlphaCatalogue(t.db.prisma, s);
  offers = { shelter: catalogue.offers.shelter.id, french: catalogue.offers.french.id };
  const shelter = await t.db.prisma.shelter.create({
    data: {
      siteId: catalogue.sites.bonnevoie.id,
      organisationId: s.org.alpha.id,
      kind: 'REFUGEE_HOME',
      partners: { create: { organisationId: s.org.beta.id } },
    },
  });
  shelterId = encodeGlobalID('Shelter', shelter.id);
  gammaToken = (await seedThirdOrganisation(t.db.prisma, t.config, ['ORG_ADMIN', 'WELCOME_COORDINATOR']))
    .token;
  alice = t.client(await s.token('alice'));
});
afterAll(() => t.close());

describe('createGuide', () => {
  it('starts a draft with a slug made from the source title, the languages written, nothing outdated', async () => {
    const res = await alice.request(CreateGuideDocument, {
      input: {
        organisationId: s.org.alpha.globalId,
        shelterId,
        audiences: ['REFUGEES'],
        commune: 'luxembourg',
        texts: [
          {
            language: 'FR',
            title: 'Activités près du Foyer Bonnevoie',
            intro: 'Ce que vous pouvez faire ici.',
          },
          { language: 'AR', title: 'أنشطة قرب مأوى بونفوا' },
        ],
      },
      lang: 'AR',
    });
    if (res.createGuide.__typename !== 'MutationCreateGuideSuccess')
      throw new Error(res.createGuide.__typename);
    const g = res.createGuide.data.guide;
    expect(g).toMatchObject({
      slug: 'activites-pres-du-foyer-bonnevoie',
      status: 'DRAFT',
      version: 1,
      sourceLanguage: 'FR',
      textVersion: 1,
      languages: ['fr', 'ar'],
      audiences: ['REFUGEES'],
      commune: 'Luxembourg',
      organisation: { slug: 'alpha' },
      title: { text: 'أنشطة قرب مأوى بونفوا', language: 'AR', fallback: false, outdated: false },
      intro: { text: 'Ce que vous pouvez faire ici.', language: 'FR', fallback: true, outdated: false },
      shelter: { id: shelterId, residentProfile: null },
      publishedAt: null,
    });
    guide = { id: g.id, slug: g.slug, version: g.version };
  });

  it('makes a unique slug for the same title, and takes a given one', async () => {
    const texts = [{ language: 'FR' as const, title: 'Activités près du Foyer Bonnevoie' }];
    const again = await alice.request(CreateGuideDocument, {
      input: { organisationId: s.org.alpha.globalId, texts },
    });
    expect(again.createGuide).toMatchObject({
      data: { guide: { slug: 'activites-pres-du-foyer-bonnevoie-2' } },
    });
    const given = await alice.request(CreateGuideDocument, {
      input: { organisationId: s.org.alpha.globalId, texts, slug: 'bonnevoie-ete' },
    });
    expect(given.createGuide).toMatchObject({ data: { guide: { slug: 'bonnevoie-ete' } } });
    // A title without Latin letters still gets an address.
    const arabic = await alice.request(CreateGuideDocument, {
      input: { organisationId: s.org.alpha.globalId, texts: [{ language: 'AR', title: 'دليل' }] },
    });
    expect(arabic.createGuide).toMatchObject({ data: { guide: { slug: 'guide', sourceLanguage: 'AR' } } });
    expect(slugify('  L’Épicerie sociale — Esch/Alzette! ')).toBe('lepicerie-sociale-esch-alzette');
  });

  it('bad input and refusals: typed errors naming the field, nothing written', async () => {
    const before = await footprint();
    const texts = [{ language: 'FR' as const, title: 'Un guide' }];
    const taken = await alice.request(CreateGuideDocument, {
      input: { organisationId: s.org.alpha.globalId, texts, slug: 'bonnevoie-ete' },
    });
    expect(taken.createGuide).toMatchObject({
      __typename: 'InvalidInputError',
      fields: [{ path: ['input', 'slug'], message: 'is already used by another guide' }],
    });
    const badSlug = await alice.request(CreateGuideDocument, {
      input: { organisationId: s.org.alpha.globalId, texts, slug: 'Pas Un Slug' },
    });
    expect(badSlug.createGuide).toMatchObject({
      __typename: 'InvalidInputError',
      fields: [{ path: ['input', 'slug'] }],
    });
    const noTitle = await alice.request(CreateGuideDocument, {
      input: { organisationId: s.org.alpha.globalId, texts: [{ language: 'FR', intro: 'Sans titre' }] },
    });
    expect(noTitle.createGuide).toMatchObject({
      __typename: 'InvalidInputError',
      fields: [{ path: ['input', 'texts'], message: 'needs a title in at least one language' }],
    });
    const twice = await alice.request(CreateGuideDocument, {
      input: { organisationId: s.org.alpha.globalId, texts: [...texts, { language: 'FR', title: 'Encore' }] },
    });
    expect(twice.createGuide).toMatchObject({
      __typename: 'InvalidInputError',
      fields: [{ path: ['input', 'texts', '1'] }],
    });
    const commune = await alice.request(CreateGuideDocument, {
      input: { organisationId: s.org.alpha.globalId, texts, commune: 'Atlantis' },
    });
    expect(commune.createGuide).toMatchObject({
      __typename: 'UnknownCommuneError',
      code: 'catalogue/unknown_commune',
    });
    const forBeta = await alice.request(CreateGuideDocument, {
      input: { organisationId: s.org.beta.globalId, texts },
    });
    expect(forBeta.createGuide.__typename).toBe('ForbiddenError');
    const carol = await t.client(await s.token('carol')).request(CreateGuideDocument, {
      input: { organisationId: s.org.alpha.globalId, texts },
    });
    expect(carol.createGuide.__typename).toBe('ForbiddenError');
    // Gamma's coordinator cannot see alpha's shelter: it answers as an unknown one.
    const gamma = t.client(gammaToken);
    const gammaOrg = (await t.db.prisma.organisation.findUniqueOrThrow({ where: { slug: 'gamma' } })).id;
    const hidden = await gamma.request(CreateGuideDocument, {
      input: { organisationId: encodeGlobalID('Organisation', gammaOrg), texts, shelterId },
    });
    const unknown = await gamma.request(CreateGuideDocument, {
      input: {
        organisationId: encodeGlobalID('Organisation', gammaOrg),
        texts,
        shelterId: encodeGlobalID('Shelter', randomUUID()),
      },
    });
    expect(hidden.createGuide).toMatchObject({ __typename: 'NotFoundError' });
    expect(hidden).toEqual(unknown);
    // Hugo sees every shelter, but his organisation does not work at this one.
    await t.db.prisma.membership.updateMany({
      where: { userId: s.user.hugo.id },
      data: { roles: ['HUB_ADMIN', 'WELCOME_COORDINATOR'] },
    });
    const hugo = await t.client(await s.token('hugo')).request(CreateGuideDocument, {
      input: { organisationId: s.org.hub.globalId, texts, shelterId },
    });
    expect(hugo.createGuide.__typename).toBe('ForbiddenError');
    expect(await footprint()).toEqual(before);
  });
});

describe('updateGuide: texts per language and their source version', () => {
  it('editing the source makes a new text version; the other languages show as outdated', async () => {
    const res = await alice.request(UpdateGuideDocument, {
      input: {
        id: guide.id,
        expectedVersion: guide.version,
        texts: [{ language: 'FR', title: 'Activités autour du Foyer Bonnevoie' }],
      },
      lang: 'AR',
    });
    if (res.updateGuide.__typename !== 'MutationUpdateGuideSuccess')
      throw new Error(res.updateGuide.__typename);
    const g = res.updateGuide.data.guide;
    expect(g).toMatchObject({
      version: 2,
      textVersion: 2,
      slug: guide.slug,
      title: { language: 'AR', outdated: true },
    });
    expect(g.translations).toEqual([
      {
        language: 'FR',
        title: 'Activités autour du Foyer Bonnevoie',
        intro: 'Ce que vous pouvez faire ici.',
        source: true,
        translatedFromVersion: 2,
        outdated: false,
      },
      {
        language: 'AR',
        title: 'أنشطة قرب مأوى بونفوا',
        intro: null,
        source: false,
        translatedFromVersion: 1,
        outdated: true,
      },
    ]);
    guide.version = g.version;
  });

  it('writing a translation records the current source version; writing the same source text changes none', async () => {
    const res = await alice.request(UpdateGuideDocument, {
      input: {
        id: guide.id,
        expectedVersion: guide.version,
        texts: [
          { language: 'FR', title: 'Activités autour du Foyer Bonnevoie' },
          { language: 'AR', title: 'أنشطة حول مأوى بونفوا' },
          { language: 'EN', title: 'Activities around the Bonnevoie home', intro: 'What you can do here.' },
        ],
      },
      lang: 'AR',
    });
    if (res.updateGuide.__typename !== 'MutationUpdateGuideSuccess')
      throw new Error(res.updateGuide.__typename);
    const g = res.updateGuide.data.guide;
    expect(g).toMatchObject({ textVersion: 2, languages: ['fr', 'en', 'ar'], title: { outdated: false } });
    expect(g.translations.map((tr) => [tr.language, tr.translatedFromVersion, tr.outdated])).toEqual([
      ['FR', 2, false],
      ['EN', 2, false],
      ['AR', 2, false],
    ]);
    guide.version = g.version;
  });

  it('removes a translation, never the source; a stale version and bad input change nothing', async () => {
    const before = await footprint();
    const stale = await alice.request(UpdateGuideDocument, {
      input: { id: guide.id, expectedVersion: guide.version - 1, audiences: ['YOUTH'] },
    });
    expect(stale.updateGuide).toMatchObject({
      __typename: 'VersionConflictError',
      currentVersion: guide.version,
    });
    const source = await alice.request(UpdateGuideDocument, {
      input: { id: guide.id, expectedVersion: guide.version, removeLanguages: ['FR'] },
    });
    expect(source.updateGuide).toMatchObject({
      __typename: 'InvalidInputError',
      fields: [{ path: ['input', 'removeLanguages', '0'], message: 'is the source language' }],
    });
    const emptyTitle = await alice.request(UpdateGuideDocument, {
      input: { id: guide.id, expectedVersion: guide.version, texts: [{ language: 'EN', title: '  ' }] },
    });
    expect(emptyTitle.updateGuide).toMatchObject({
      __typename: 'InvalidInputError',
      fields: [{ path: ['input', 'texts', '0', 'title'] }],
    });
    const bob = await t.client(await s.token('bob')).request(UpdateGuideDocument, {
      input: { id: guide.id, expectedVersion: guide.version, audiences: ['YOUTH'] },
    });
    // Bob sees the draft (beta works at the shelter) but only alpha edits it.
    expect(bob.updateGuide.__typename).toBe('ForbiddenError');
    expect(await footprint()).toEqual(before);

    const removed = await alice.request(UpdateGuideDocument, {
      input: { id: guide.id, expectedVersion: guide.version, removeLanguages: ['AR'] },
    });
    expect(removed.updateGuide).toMatchObject({ data: { guide: { languages: ['fr', 'en'] } } });
    guide.version += 1;
  });
});

describe('publishGuide and archiveGuide', () => {
  it('publishing needs an entry the provider agreed to, and a title in the source language', async () => {
    const before = await footprint();
    await t.db.prisma.guideItem.create({
      data: {
        guideId: (await t.db.prisma.guide.findUniqueOrThrow({ where: { slug: guide.slug } })).id,
        offerId: offers.french,
        providerOrganisationId: s.org.alpha.id,
        status: 'PROPOSED',
      },
    });
    const early = await alice.request(PublishGuideDocument, { input: { id: guide.id } });
    expect(early.publishGuide).toMatchObject({
      __typename: 'GuideNotPublishableError',
      code: 'welcome/guide_not_publishable',
      fields: [{ path: ['items'] }],
    });
    // A guide written in English whose declared source is French has no source title.
    const english = await alice.request(CreateGuideDocument, {
      input: {
        organisationId: s.org.alpha.globalId,
        sourceLanguage: 'FR',
        texts: [{ language: 'EN', title: 'Summer' }],
      },
    });
    if (english.createGuide.__typename !== 'MutationCreateGuideSuccess') throw new Error('create');
    const untitled = await alice.request(PublishGuideDocument, {
      input: { id: english.createGuide.data.guide.id },
    });
    expect(untitled.publishGuide).toMatchObject({
      __typename: 'GuideNotPublishableError',
      fields: [{ path: ['title', 'fr'] }, { path: ['items'] }],
    });
    expect((await footprint()).slice(0, before.length)).toEqual(before);
  });

  it('publishes once an entry is confirmed; the public then reads the guide and its agreed entries', async () => {
    await t.db.prisma.guideItem.create({
      data: {
        guideId: (await t.db.prisma.guide.findUniqueOrThrow({ where: { slug: guide.slug } })).id,
        offerId: offers.shelter,
        providerOrganisationId: s.org.alpha.id,
        status: 'CONFIRMED',
      },
    });
    expect((await t.send(GuideDocument, { slug: guide.slug })).body).toEqual({ data: { guide: null } });
    const stale = await alice.request(PublishGuideDocument, { input: { id: guide.id, expectedVersion: 1 } });
    expect(stale.publishGuide.__typename).toBe('VersionConflictError');
    const res = await alice.request(PublishGuideDocument, {
      input: { id: guide.id, expectedVersion: guide.version },
    });
    if (res.publishGuide.__typename !== 'MutationPublishGuideSuccess')
      throw new Error(res.publishGuide.__typename);
    expect(res.publishGuide.data.guide).toMatchObject({ status: 'PUBLISHED', version: guide.version + 1 });
    expect(res.publishGuide.data.guide.publishedAt).not.toBeNull();
    guide.version += 1;

    const pub = await t.client().request(GuideDocument, { slug: guide.slug, lang: 'EN' });
    expect(pub.guide).toMatchObject({
      status: 'PUBLISHED',
      title: { text: 'Activities around the Bonnevoie home', language: 'EN' },
      shelter: null,
    });
    const entries = await t.client().request(GuideEntriesDocument, { slug: guide.slug });
    expect(entries.guide?.items.edges.map((e) => e.node.status)).toEqual(['CONFIRMED']);
    const inside = await alice.request(GuideEntriesDocument, { slug: guide.slug });
    expect(inside.guide?.items.totalCount).toBe(2);
    const proposed = await alice.request(GuideEntriesDocument, { slug: guide.slug, status: ['PROPOSED'] });
    expect(proposed.guide?.items.edges.map((e) => e.node.status)).toEqual(['PROPOSED']);
    const published = await t.client().request(GuidesDocument, { filter: { status: ['PUBLISHED'] } });
    expect(published.guides.edges.map((e) => e.node.slug)).toEqual([guide.slug]);

    const again = await alice.request(PublishGuideDocument, { input: { id: guide.id } });
    expect(again.publishGuide).toMatchObject({ __typename: 'InvalidTransitionError', status: 'PUBLISHED' });
  });

  it('archiving takes it out of public view; an archived guide is not edited, and may be published again', async () => {
    const res = await alice.request(ArchiveGuideDocument, { input: { id: guide.id } });
    expect(res.archiveGuide).toMatchObject({ data: { guide: { status: 'ARCHIVED' } } });
    guide.version += 1;
    expect((await t.send(GuideDocument, { slug: guide.slug })).body).toEqual({ data: { guide: null } });
    const twice = await alice.request(ArchiveGuideDocument, { input: { id: guide.id } });
    expect(twice.archiveGuide).toMatchObject({ __typename: 'InvalidTransitionError', status: 'ARCHIVED' });
    const edit = await alice.request(UpdateGuideDocument, {
      input: { id: guide.id, expectedVersion: guide.version, commune: 'Esch-sur-Alzette' },
    });
    expect(edit.updateGuide).toMatchObject({ __typename: 'InvalidTransitionError', status: 'ARCHIVED' });
    const back = await alice.request(PublishGuideDocument, { input: { id: guide.id } });
    expect(back.publishGuide).toMatchObject({ data: { guide: { status: 'PUBLISHED' } } });
  });

  it('lists and filters what each caller may see', async () => {
    const all = await alice.request(GuidesDocument, { filter: { organisationId: s.org.alpha.globalId } });
    expect(all.guides.totalCount).toBe(5);
    const forShelter = await alice.request(GuidesDocument, { filter: { shelterId } });
    expect(forShelter.guides.edges.map((e) => e.node.slug)).toEqual([guide.slug]);
    const drafts = await t
      .client(await s.token('bob'))
      .request(GuidesDocument, { filter: { status: ['DRAFT'] } });
    expect(drafts.guides.totalCount).toBe(0);
    const anonymous = await t.client().request(GuidesDocument, {});
    expect(anonymous.guides.totalCount).toBe(1);
  });
});
