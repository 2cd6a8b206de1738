/**
 * Shelters over HTTP: alpha runs a foyer (Alice, its admin), beta works there as a partner (Bob,
 * its admin; Wanda, its Welcome coordinator). Each mutation's happy path, its refusals (which
 * write nothing) and every kind of bad input, and who reads the residents' profile.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { encodeGlobalID } from '@pothos/plugin-relay';
import {
  AddShelterPartnerDocument,
  CreateShelterDocument,
  RemoveShelterPartnerDocument,
  ShelterDocument,
  SheltersDocument,
  UpdateShelterDocument,
  UpdateShelterProfileDocument,
} from '../../clients/generated/graphql.ts';
import type { Role } from '../../src/generated/prisma/enums.ts';
import { signUserToken } from '../../src/modules/accounts/signing-keys.service.ts';
import {
  isLanguageCode,
  luxembourgToday,
  profileProblems,
} from '../../src/modules/welcome/shelter.service.ts';
import { seedAlphaCatalogue, seedThemes } from '../helpers/catalogue-fixtures.ts';
import { seedScenario, type Scenario } from '../helpers/fixtures.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';

let t: TestHub;
let s: Scenario;
let sites: { bonnevoie: string; esch: string };
let wanda: string;
let shelterId: string;

async function member(organisationId: string, name: string, roles: Role[]): Promise<string> {
  const user = await t.db.prisma.user.create({
    data: { email: `${name}@welcome.example`, name, memberships: { create: { organisationId, roles } } },
  });
  return signUserToken(t.db.prisma, user, {
    issuer: t.config.AUTH_ISSUER,
    audience: t.config.AUTH_AUDIENCE,
    ttlSeconds: 600,
  });
}

const profile = (overrides: Record<string, unknown> = {}) => ({
  shelterId,
  asOf: '2025-03-01',
  total: 120,
  languages: [
    { code: 'ar', count: 41 },
    { code: 'ti', count: 30 },
    { code: 'uk', count: 12 },
  ],
  ageBands: [
    { band: 'AGE_0_5' as const, count: 10 },
    { band: 'AGE_18_25' as const, count: 60 },
    { band: 'AGE_26_64' as const, count: 50 },
  ],
  householdTypes: [
    { type: 'SINGLE_ADULT' as const, count: 80 },
    { type: 'FAMILY_WITH_CHILDREN' as const, count: 40 },
  ],
  ...overrides,
});

beforeAll(async () => {
  t = await startTestHub();
  s = await seedScenario(t.db.prisma, t.config);
  await seedThemes(t.db.prisma);
  const catalogue = await seedAlphaCatalogue(t.db.prisma, s);
  sites = {
    bonnevoie: encodeGlobalID('Site', catalogue.sites.bonnevoie.id),
    esch: encodeGlobalID('Site', catalogue.sites.esch.id),
  };
  wanda = await member(s.org.beta.id, 'wanda', ['WELCOME_COORDINATOR']);
});
afterAll(() => t.close());

describe('createShelter', () => {
  it('is refused to another organisation and to a case worker, and writes nothing', async () => {
    const input = { siteId: sites.bonnevoie, kind: 'REFUGEE_HOME' as const };
    const bob = await t.client(await s.token('bob')).request(CreateShelterDocument, { input });
    expect(bob.createShelter).toMatchObject({ __typename: 'ForbiddenError', code: 'common/forbidden' });
    const carol = await t.client(await s.token('carol')).request(CreateShelterDocument, { input });
    expect(carol.createShelter.__typename).toBe('ForbiddenError');
    const unknown = await t.client(await s.token('alice')).request(CreateShelterDocument, {
      input: { siteId: encodeGlobalID('Site', randomUUID()) },
    });
    expect(unknown.createShelter.__typename).toBe('NotFoundError');
    expect(await t.db.prisma.shelter.count()).toBe(0);
  });

  it("makes one of the organisation's sites a shelter it operates, once", async () => {
    const alice = t.client(await s.token('alice'));
    const created = await alice.request(CreateShelterDocument, {
      input: { siteId: sites.bonnevoie, kind: 'REFUGEE_HOME', capacity: 140 },
    });
    if (created.createShelter.__typename !== 'MutationCreateShelterSuccess') throw new Error('create');
    const shelter = created.createShelter.data.shelter;
    expect(shelter).toMatchObject({
      kind: 'REFUGEE_HOME',
      capacity: 140,
      version: 1,
      site: { id: sites.bonnevoie, name: 'Foyer Bonnevoie' },
      organisation: { slug: 'alpha' },
      partners: [],
      residentProfile: null,
    });
    shelterId = shelter.id;
    const again = await alice.request(CreateShelterDocument, { input: { siteId: sites.bonnevoie } });
    expect(again.createShelter).toMatchObject({
      __typename: 'InvalidInputError',
      fields: [{ path: ['input', 'siteId'], message: 'is already a shelter' }],
    });
    const negative = await alice.request(CreateShelterDocument, {
      input: { siteId: sites.esch, capacity: -1 },
    });
    expect(negative.createShelter).toMatchObject({
      __typename: 'InvalidInputError',
      fields: [{ path: ['input', 'capacity'] }],
    });
    expect(await t.db.prisma.shelter.count()).toBe(1);
  });
});

describe('partners', () => {
  it('the operator engages a partner with a translated role, and changes it by adding it again', async () => {
    const alice = t.client(await s.token('alice'));
    const added = await alice.request(AddShelterPartnerDocument, {
      input: {
        shelterId,
        organisationId: s.org.beta.globalId,
        role: [
          { language: 'FR', text: 'Cours de français le mardi' },
          { language: 'EN', text: 'French classes on Tuesdays' },
        ],
      },
      lang: 'DE',
    });
    if (added.addShelterPartner.__typename !== 'MutationAddShelterPartnerSuccess') throw new Error('add');
    expect(added.addShelterPartner.data.shelter.partners).toEqual([
      {
        organisation: { slug: 'beta' },
        role: { text: 'Cours de français le mardi', language: 'FR', fallback: true },
      },
    ]);
    const changed = await alice.request(AddShelterPartnerDocument, {
      input: {
        shelterId,
        organisationId: s.org.beta.globalId,
        role: [{ language: 'EN', text: 'Legal help' }],
      },
      lang: 'EN',
    });
    if (changed.addShelterPartner.__typename !== 'MutationAddShelterPartnerSuccess') throw new Error('add');
    expect(changed.addShelterPartner.data.shelter.partners).toEqual([
      { organisation: { slug: 'beta' }, role: { text: 'Legal help', language: 'EN', fallback: false } },
    ]);
    expect(changed.addShelterPartner.data.shelter.version).toBe(3);
  });

  it('refuses the operator as its own partner, an unknown organisation, and partners acting for the operator', async () => {
    const alice = t.client(await s.token('alice'));
    const self = await alice.request(AddShelterPartnerDocument, {
      input: { shelterId, organisationId: s.org.alpha.globalId },
    });
    expect(self.addShelterPartner).toMatchObject({
      __typename: 'InvalidInputError',
      fields: [{ path: ['input', 'organisationId'] }],
    });
    const unknown = await alice.request(AddShelterPartnerDocument, {
      input: { shelterId, organisationId: encodeGlobalID('Organisation', randomUUID()) },
    });
    expect(unknown.addShelterPartner.__typename).toBe('NotFoundError');
    // Bob sees the shelter (beta is a partner) but partners do not choose the shelter's partners.
    const bob = await t.client(await s.token('bob')).request(AddShelterPartnerDocument, {
      input: { shelterId, organisationId: s.org.hub.globalId },
    });
    expect(bob.addShelterPartner.__typename).toBe('ForbiddenError');
    const notPartner = await alice.request(RemoveShelterPartnerDocument, {
      input: { shelterId, organisationId: s.org.hub.globalId },
    });
    expect(notPartner.removeShelterPartner.__typename).toBe('NotFoundError');
    expect(await t.db.prisma.shelterPartner.count()).toBe(1);
    expect((await t.db.prisma.shelter.findFirstOrThrow()).version).toBe(3);
  });

  it('the operator ends a partnership, and the former partner no longer sees the shelter', async () => {
    const alice = t.client(await s.token('alice'));
    await alice.request(AddShelterPartnerDocument, {
      input: { shelterId, organisationId: s.org.hub.globalId },
    });
    const hubMember = await member(s.org.hub.id, 'harriet', ['CASE_WORKER']);
    expect((await t.client(hubMember).request(ShelterDocument, { id: shelterId })).shelter).not.toBeNull();
    const removed = await alice.request(RemoveShelterPartnerDocument, {
      input: { shelterId, organisationId: s.org.hub.globalId },
    });
    if (removed.removeShelterPartner.__typename !== 'MutationRemoveShelterPartnerSuccess')
      throw new Error('rm');
    expect(removed.removeShelterPartner.data.shelter.partners.map((p) => p.organisation.slug)).toEqual([
      'beta',
    ]);
    expect((await t.client(hubMember).request(ShelterDocument, { id: shelterId })).shelter).toBeNull();
  });
});

describe('updateShelter', () => {
  it('changes kind and capacity with the version read; a stale version changes nothing', async () => {
    const alice = t.client(await s.token('alice'));
    const { version } = await t.db.prisma.shelter.findFirstOrThrow();
    const stale = await alice.request(UpdateShelterDocument, {
      input: { id: shelterId, expectedVersion: version - 1, capacity: 10 },
    });
    expect(stale.updateShelter).toMatchObject({
      __typename: 'VersionConflictError',
      currentVersion: version,
    });
    const ok = await alice.request(UpdateShelterDocument, {
      input: { id: shelterId, expectedVersion: version, kind: 'EMERGENCY', capacity: 150 },
    });
    expect(ok.updateShelter).toMatchObject({
      data: { shelter: { kind: 'EMERGENCY', capacity: 150, version: version + 1 } },
    });
  });
});

describe("the residents' profile", () => {
  it('is recorded by the operator and by a partner’s Welcome coordinator, as a new row each time', async () => {
    const alice = t.client(await s.token('alice'));
    const first = await alice.request(UpdateShelterProfileDocument, { input: profile() });
    expect(first.updateShelterProfile).toMatchObject({
      __typename: 'MutationUpdateShelterProfileSuccess',
      data: {
        profile: {
          asOf: '2025-03-01',
          total: 120,
          languages: [
            { code: 'ar', count: 41 },
            { code: 'ti', count: 30 },
            { code: 'uk', count: 12 },
          ],
          ageBands: [
            { band: 'AGE_0_5', count: 10 },
            { band: 'AGE_18_25', count: 60 },
            { band: 'AGE_26_64', count: 50 },
          ],
        },
      },
    });
    const second = await t.client(wanda).request(UpdateShelterProfileDocument, {
      input: profile({ asOf: '2025-04-01', total: 100, ageBands: [], householdTypes: [] }),
    });
    expect(second.updateShelterProfile.__typename).toBe('MutationUpdateShelterProfileSuccess');
    // Bob administers the partner, but recording the profile is for its Welcome coordinators.
    const bob = await t
      .client(await s.token('bob'))
      .request(UpdateShelterProfileDocument, { input: profile() });
    expect(bob.updateShelterProfile.__typename).toBe('ForbiddenError');
    expect(await t.db.prisma.residentProfile.count()).toBe(2);

    const read = await alice.request(ShelterDocument, { id: shelterId });
    expect(read.shelter?.residentProfile).toMatchObject({ asOf: '2025-04-01', total: 100 });
    expect(read.shelter?.profileHistory?.map((p) => p.asOf)).toEqual(['2025-04-01', '2025-03-01']);
  });

  it('is read by the operator and the partners; hub admins see the shelter without it', async () => {
    for (const token of [await s.token('bob'), wanda]) {
      const read = await t.client(token).request(SheltersDocument, {});
      expect(read.shelters.totalCount).toBe(1);
      expect(read.shelters.edges[0]?.node.residentProfile?.total).toBe(100);
    }
    const hugo = await t.client(await s.token('hugo')).request(ShelterDocument, { id: shelterId });
    expect(hugo.shelter).toMatchObject({ id: shelterId, residentProfile: null, profileHistory: null });
    const carol = await t.client(await s.token('carol')).request(ShelterDocument, { id: shelterId });
    expect(carol.shelter?.residentProfile?.total).toBe(100);
  });

  it('bad input: every invalid field named at once, and nothing written', async () => {
    const alice = t.client(await s.token('alice'));
    const before = await t.db.prisma.residentProfile.count();
    const tomorrow = new Date(Date.now() + 36 * 3600_000).toISOString().slice(0, 10);
    const bad = await alice.request(UpdateShelterProfileDocument, {
      input: profile({
        asOf: tomorrow,
        total: 50,
        languages: [
          { code: 'xx', count: 3 },
          { code: 'ar', count: -2 },
          { code: 'ti', count: 51 },
          { code: 'ti', count: 1 },
        ],
        ageBands: [
          { band: 'AGE_0_5', count: 30 },
          { band: 'AGE_6_11', count: 30 },
        ],
        householdTypes: [{ type: 'COUPLE', count: 1 }],
      }),
    });
    if (bad.updateShelterProfile.__typename !== 'InvalidInputError')
      throw new Error(bad.updateShelterProfile.__typename);
    const paths = bad.updateShelterProfile.fields.map((f) => f.path.join('.'));
    expect(paths).toEqual(
      expect.arrayContaining([
        'input.asOf',
        'input.languages.0.code',
        'input.languages.1.count',
        'input.languages.2.count',
        'input.languages.3',
        'input.ageBands',
      ]),
    );
    expect(bad.updateShelterProfile.message).toMatch(/asOf \(must not be in the future/);
    // A fractional count is not an Int: GraphQL itself refuses it before anything runs.
    const wrongDate = await alice.request(UpdateShelterProfileDocument, {
      input: profile({ asOf: '2025-02-30' }),
    });
    expect(wrongDate.updateShelterProfile).toMatchObject({
      __typename: 'InvalidInputError',
      fields: [{ path: ['input', 'asOf'], message: 'must be a date as YYYY-MM-DD' }],
    });
    expect(await t.db.prisma.residentProfile.count()).toBe(before);
  });
});

describe('profile rules (pure)', () => {
  it('language codes are canonical ISO 639-1', () => {
    expect(['ar', 'fa', 'ti', 'uk', 'ps', 'so', 'ku'].every(isLanguageCode)).toBe(true);
    expect(['xx', 'iw', 'ara', 'AR', 'a'].some(isLanguageCode)).toBe(false);
  });

  it('parts: each language up to the total, age bands and households summed', () => {
    const base = { asOf: '2025-01-01', total: 10, languages: [], ageBands: [], householdTypes: [] };
    expect(
      profileProblems({
        ...base,
        languages: [
          { code: 'ar', count: 10 },
          { code: 'fr', count: 10 },
        ],
      }),
    ).toEqual([]);
    expect(
      profileProblems({
        ...base,
        householdTypes: [
          { type: 'COUPLE', count: 6 },
          { type: 'SINGLE_ADULT', count: 5 },
        ],
      }),
    ).toEqual([{ path: ['input', 'householdTypes'], message: 'add up to 11, more than the total (10)' }]);
    expect(profileProblems({ ...base, asOf: luxembourgToday() })).toEqual([]);
    expect(profileProblems({ ...base, asOf: '2025-01-02' }, '2025-01-01')).toEqual([
      {
        path: ['input', 'asOf'],
        message: 'must not be in the future (today is 2025-01-01)',
        reason: 'FUTURE',
      },
    ]);
  });
});
