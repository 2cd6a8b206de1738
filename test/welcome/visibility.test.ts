/**
 * Every way to reach another organisation's draft guide, shelter and residents' profile, tried by
 * those who must not see them — a coordinator and admin of a third organisation, API clients
 * without GUIDES_READ (the owner's own included) or of a third organisation, a hub admin, an
 * anonymous caller — who must get exactly what an unknown ID gives (null, an empty list,
 * NotFoundError) and change nothing. A published guide is public, but never its shelter's
 * profile, nor its attendance or alerts.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { parse } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import {
  CreateGuideDocument,
  GuideDocument,
  GuideEntriesDocument,
  GuideNodeDocument,
  GuidesDocument,
  NodesDocument,
  OrganisationGuidesDocument,
  ShelterDocument,
  ShelterGuidesDocument,
  ShelterNodeDocument,
  SheltersDocument,
} from '../../clients/generated/graphql.ts';
import { createApiClient } from '../../src/modules/accounts/api-client.service.ts';
import { seedAlphaCatalogue, seedThemes } from '../helpers/catalogue-fixtures.ts';
import { seedScenario, seedThirdOrganisation, type Scenario } from '../helpers/fixtures.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';

let t: TestHub;
let s: Scenario;
let shelter: { id: string; rawId: string };
let draft: { id: string; slug: string };
let published: { id: string; slug: string };
let gamma: Awaited<ReturnType<typeof seedThirdOrganisation>>;
/** Callers who must not see the draft, the shelter or the profile, by name. */
const outsiders: Record<string, string | undefined> = {};
/** Alpha's API client with GUIDES_READ: sees what alpha's members see (the control). */
let alphaReader: string;
const HUGO = 'hugo (hub admin)';

beforeAll(async () => {
  t = await startTestHub();
  s = await seedScenario(t.db.prisma, t.config);
  await seedThemes(t.db.prisma);
  const catalogue = await seedAlphaCatalogue(t.db.prisma, s);
  const p = t.db.prisma;
  const row = await p.shelter.create({
    data: {
      siteId: catalogue.sites.bonnevoie.id,
      organisationId: s.org.alpha.id,
      kind: 'REFUGEE_HOME',
      partners: { create: { organisationId: s.org.beta.id, role: { fr: 'Cours de français' } } },
      profiles: {
        create: {
          asOf: new Date('2025-03-01'),
          total: 80,
          languages: [{ code: 'ar', count: 40 }],
          ageBands: [],
          householdTypes: [],
        },
      },
    },
  });
  shelter = { id: encodeGlobalID('Shelter', row.id), rawId: row.id };
  const guide = (slug: string, status: 'DRAFT' | 'PUBLISHED') =>
    p.guide.create({
      data: {
        slug,
        organisationId: s.org.alpha.id,
        shelterId: row.id,
        title: { fr: `Guide ${slug}` },
        languages: ['fr'],
        status,
        publishedAt: status === 'PUBLISHED' ? new Date() : null,
        items: {
          create: [
            {
              offerId: catalogue.offers.shelter.id,
              providerOrganisationId: s.org.alpha.id,
              status: 'CONFIRMED',
            },
            {
              offerId: catalogue.offers.french.id,
              providerOrganisationId: s.org.alpha.id,
              status: 'PROPOSED',
            },
          ],
        },
      },
    });
  const d = await guide('brouillon-bonnevoie', 'DRAFT');
  const pub = await guide('publie-bonnevoie', 'PUBLISHED');
  draft = { id: encodeGlobalID('Guide', d.id), slug: d.slug };
  published = { id: encodeGlobalID('Guide', pub.id), slug: pub.slug };

  gamma = await seedThirdOrganisation(p, t.config, ['ORG_ADMIN', 'WELCOME_COORDINATOR']);
  outsiders['gina (third organisation)'] = gamma.token;
  outsiders['API client of the third organisation, with GUIDES_READ'] = (
    await createApiClient(p, gamma.viewer, {
      organisationId: gamma.organisation.id,
      name: 'Gamma CRM',
      scopes: ['GUIDES_READ'],
    })
  ).key;
  outsiders['API client of alpha without GUIDES_READ'] = (
    await createApiClient(p, s.viewer('alice'), {
      organisationId: s.org.alpha.id,
      name: 'Alpha CRM',
      scopes: ['CATALOGUE_READ', 'REFERRALS_READ'],
    })
  ).key;
  outsiders[HUGO] = await s.token('hugo');
  outsiders['anonymous'] = undefined;
  alphaReader = (
    await createApiClient(p, s.viewer('alice'), {
      organisationId: s.org.alpha.id,
      name: 'Alpha guides',
      scopes: ['GUIDES_READ'],
    })
  ).key;
});
afterAll(() => t.close());

/** What the database holds of the Welcome module: must not move when outsiders try things. */
async function footprint() {
  const p = t.db.prisma;
  return {
    guides: await p.guide.findMany({ orderBy: { slug: 'asc' } }),
    items: await p.guideItem.findMany({ orderBy: { id: 'asc' } }),
    shelters: await p.shelter.findMany(),
    partners: await p.shelterPartner.findMany(),
    profiles: await p.residentProfile.count(),
  };
}

const unknownGuide = () => encodeGlobalID('Guide', randomUUID());
const unknownShelter = () => encodeGlobalID('Shelter', randomUUID());

describe('the control: those who work on them see the draft, the shelter and the profile', () => {
  it.each([
    ['alice (alpha admin)', () => s.token('alice')],
    ['bob (partner at the shelter)', () => s.token('bob')],
    ["alpha's API client with GUIDES_READ", () => Promise.resolve(alphaReader)],
  ])('%s', async (_who, token) => {
    const c = t.client(await token());
    expect((await c.request(GuideNodeDocument, { id: draft.id })).node).toMatchObject({ slug: draft.slug });
    expect((await c.request(GuideDocument, { slug: draft.slug })).guide?.shelter?.residentProfile).toEqual({
      total: 80,
    });
    expect((await c.request(GuidesDocument, {})).guides.totalCount).toBe(2);
    expect((await c.request(ShelterGuidesDocument, { id: shelter.id })).shelter?.guides.totalCount).toBe(2);
    expect(
      (await c.request(OrganisationGuidesDocument, { slug: 'alpha' })).organisation?.guides.totalCount,
    ).toBe(2);
    expect((await c.request(GuideEntriesDocument, { slug: draft.slug })).guide?.items.totalCount).toBe(2);
    expect((await c.request(ShelterDocument, { id: shelter.id })).shelter?.profileHistory).toHaveLength(1);
  });
});

describe('everybody else gets exactly what an unknown ID gives', () => {
  it('draft guide: node, nodes, guide(slug), guides, organisation → guides, shelter → guides', async () => {
    const before = await footprint();
    for (const [who, token] of Object.entries(outsiders)) {
      const node = await t.send(GuideNodeDocument, { id: draft.id }, { token });
      expect([who, node.body]).toEqual([who, { data: { node: null } }]);
      expect((await t.send(GuideNodeDocument, { id: unknownGuide() }, { token })).body).toEqual(node.body);
      const nodes = await t.send(NodesDocument, { ids: [draft.id, unknownGuide(), shelter.id] }, { token });
      const shelterSeen = who === HUGO ? { __typename: 'Shelter', id: shelter.id } : null;
      expect([who, nodes.body]).toEqual([who, { data: { nodes: [null, null, shelterSeen] } }]);
      const bySlug = await t.send(GuideDocument, { slug: draft.slug }, { token });
      expect([who, bySlug.body]).toEqual([who, { data: { guide: null } }]);
      const list = await t.send(GuidesDocument, {}, { token });
      expect([who, list.body.data?.guides.edges.map((e) => e.node.slug)]).toEqual([who, [published.slug]]);
      const byShelter = await t.send(GuidesDocument, { filter: { shelterId: shelter.id } }, { token });
      expect([who, byShelter.body.data?.guides.totalCount]).toEqual([who, 1]);
      const viaOrg = await t.send(OrganisationGuidesDocument, { slug: 'alpha' }, { token });
      expect([who, viaOrg.body.data?.organisation?.guides]).toEqual([
        who,
        { totalCount: 1, edges: [{ node: { slug: published.slug, status: 'PUBLISHED' } }] },
      ]);
      const items = await t.send(GuideEntriesDocument, { slug: draft.slug }, { token });
      expect([who, items.body]).toEqual([who, { data: { guide: null } }]);
    }
    expect(await footprint()).toEqual(before);
  });

  it('shelter and profile: hidden like an unknown shelter; a hub admin sees the shelter, never the profile', async () => {
    for (const [who, token] of Object.entries(outsiders)) {
      const byId = await t.send(ShelterDocument, { id: shelter.id }, { token });
      const node = await t.send(ShelterNodeDocument, { id: shelter.id }, { token });
      const viaGuide = await t.send(GuideDocument, { slug: published.slug }, { token });
      const list = await t.send(SheltersDocument, {}, { token });
      const guides = await t.send(ShelterGuidesDocument, { id: shelter.id }, { token });
      if (who === HUGO) {
        expect(byId.body.data?.shelter).toMatchObject({
          id: shelter.id,
          residentProfile: null,
          profileHistory: null,
        });
        expect(node.body.data?.node).toMatchObject({ __typename: 'Shelter', residentProfile: null });
        expect(viaGuide.body.data?.guide?.shelter).toEqual({ id: shelter.id, residentProfile: null });
        expect(list.body.data?.shelters.edges.map((e) => e.node.residentProfile)).toEqual([null]);
        // The draft stays hidden from a hub admin even through the shelter he sees.
        expect(guides.body.data?.shelter?.guides).toEqual({
          totalCount: 1,
          edges: [{ node: { slug: published.slug, status: 'PUBLISHED' } }],
        });
      } else {
        expect([who, byId.body]).toEqual([who, { data: { shelter: null } }]);
        expect((await t.send(ShelterDocument, { id: unknownShelter() }, { token })).body).toEqual(byId.body);
        expect([who, node.body]).toEqual([who, { data: { node: null } }]);
        expect([who, viaGuide.body.data?.guide?.shelter]).toEqual([who, null]);
        expect([who, list.body.data?.shelters.totalCount, list.body.data?.shelters.edges]).toEqual([
          who,
          0,
          [],
        ]);
        expect([who, guides.body]).toEqual([who, { data: { shelter: null } }]);
      }
      expect(JSON.stringify([byId.body, node.body, viaGuide.body, list.body])).not.toContain('"total":80');
    }
  });

  it("a published guide is public, with only its agreed entries and never the shelter's profile", async () => {
    for (const [who, token] of Object.entries(outsiders)) {
      const res = await t.send(GuideDocument, { slug: published.slug }, { token });
      expect([who, res.body.data?.guide?.status, res.body.data?.guide?.title.text]).toEqual([
        who,
        'PUBLISHED',
        'Guide publie-bonnevoie',
      ]);
      const items = await t.send(GuideEntriesDocument, { slug: published.slug }, { token });
      expect([who, items.body.data?.guide?.items.edges.map((e) => e.node.status)]).toEqual([
        who,
        ['CONFIRMED'],
      ]);
      const proposed = await t.send(
        GuideEntriesDocument,
        { slug: published.slug, status: ['PROPOSED'] },
        { token },
      );
      expect([who, proposed.body.data?.guide?.items.totalCount]).toEqual([who, 0]);
    }
  });

  it('attendance and alerts of a published guide are never public', async () => {
    const introspect = parse('{ __type(name: "Guide") { fields { name } } }') as TypedDocumentNode<
      { __type: { fields: { name: string }[] } | null },
      Record<string, never>
    >;
    const fields = new Set((await t.send(introspect, {})).body.data?.__type?.fields.map((f) => f.name));
    const inside = ['alerts', 'attendanceSummary'].filter((f) => fields.has(f));
    for (const field of inside) {
      const doc = parse(
        `query($slug: String!) { guide(slug: $slug) { ${field} { __typename } } }`,
      ) as TypedDocumentNode<{ guide: Record<string, unknown> | null }, { slug: string }>;
      const res = await t.send(doc, { slug: published.slug });
      const value = res.body.data?.guide?.[field];
      expect([field, value === null || (Array.isArray(value) && value.length === 0)]).toEqual([field, true]);
    }
    // Nor through the shelter or its profile (above), nor any other field of the type.
    expect(['profile', 'residentProfile', 'attendance'].filter((f) => fields.has(f))).toEqual([]);
  });

  /** Every guide and shelter mutation, with the input it needs (the id is filled in). */
  const MUTATIONS: Record<
    string,
    { type: string; on: 'guide' | 'shelter'; input: () => Record<string, unknown> }
  > = {
    updateGuide: {
      type: 'UpdateGuideInput',
      on: 'guide',
      input: () => ({ expectedVersion: 1, audiences: ['YOUTH'] }),
    },
    publishGuide: { type: 'GuideStatusInput', on: 'guide', input: () => ({}) },
    archiveGuide: { type: 'GuideStatusInput', on: 'guide', input: () => ({ expectedVersion: 1 }) },
    updateShelter: {
      type: 'UpdateShelterInput',
      on: 'shelter',
      input: () => ({ expectedVersion: 1, capacity: 3 }),
    },
    addShelterPartner: {
      type: 'AddShelterPartnerInput',
      on: 'shelter',
      input: () => ({
        organisationId: gamma.organisation && encodeGlobalID('Organisation', gamma.organisation.id),
      }),
    },
    removeShelterPartner: {
      type: 'RemoveShelterPartnerInput',
      on: 'shelter',
      input: () => ({ organisationId: s.org.beta.globalId }),
    },
    updateShelterProfile: {
      type: 'UpdateShelterProfileInput',
      on: 'shelter',
      input: () => ({ asOf: '2025-04-01', total: 1, languages: [], ageBands: [], householdTypes: [] }),
    },
  };

  it('through every mutation: as for an unknown ID, and nothing written', async () => {
    const before = await footprint();
    for (const [name, { type, on, input }] of Object.entries(MUTATIONS)) {
      const document = parse(
        `mutation M($input: ${type}!) { ${name}(input: $input) { __typename ... on Error { code message } } }`,
      ) as TypedDocumentNode<Record<string, { __typename: string }>, { input: Record<string, unknown> }>;
      const key = on === 'guide' ? 'id' : name === 'updateShelter' ? 'id' : 'shelterId';
      const target = on === 'guide' ? draft.id : shelter.id;
      const unknown = on === 'guide' ? unknownGuide() : unknownShelter();
      for (const [who, token] of Object.entries(outsiders)) {
        const onIt = await t.send(document, { input: { ...input(), [key]: target } }, { token });
        const onUnknown = await t.send(document, { input: { ...input(), [key]: unknown } }, { token });
        if (token === undefined) {
          // Anonymous callers are refused before any lookup, identically for both IDs.
          expect([name, onIt.body.errors?.[0]?.extensions?.code]).toEqual([name, 'FORBIDDEN']);
        } else if (who === HUGO && on === 'shelter') {
          // A hub admin sees every shelter (welcome.access.ts): told he may not change it.
          expect([name, onIt.body.data?.[name]?.__typename]).toEqual([name, 'ForbiddenError']);
          expect([name, onUnknown.body.data?.[name]?.__typename]).toEqual([name, 'NotFoundError']);
          continue;
        } else {
          expect([name, who, onIt.body.data?.[name]?.__typename]).toEqual([name, who, 'NotFoundError']);
        }
        expect([name, who, onIt.body]).toEqual([name, who, onUnknown.body]);
      }
    }
    // A guide for a shelter one may not see: as for an unknown shelter.
    const gina = t.client(gamma.token);
    const texts = [{ language: 'FR' as const, title: 'Guide de Gamma' }];
    const organisationId = encodeGlobalID('Organisation', gamma.organisation.id);
    const hidden = await gina.request(CreateGuideDocument, {
      input: { organisationId, texts, shelterId: shelter.id },
    });
    const unknown = await gina.request(CreateGuideDocument, {
      input: { organisationId, texts, shelterId: unknownShelter() },
    });
    expect(hidden.createGuide.__typename).toBe('NotFoundError');
    expect(hidden).toEqual(unknown);
    expect(await footprint()).toEqual(before);
  });
});
