/**
 * Stands over HTTP ("who did what"): an invited organisation's admin sets up its own stand with
 * its offers and staff; the edition's organisers set up any and add anyone registered; nobody
 * else. Offers follow the catalogue's rule (another organisation's, or one the caller may not
 * see, is refused; the public sees published ones only), team members must be REGISTERED for
 * the edition, a stand number is unique in it (InvalidInputError on `number`), links the caller
 * may not see stay as they are, a stale version changes nothing, and every refusal writes nothing.
 * Then the directory's order, node visibility, and the comparison of two editions in counts.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { encodeGlobalID } from '@pothos/plugin-relay';
import {
  ConsoleEditionStandsDocument,
  CreateStandDocument,
  EventComparisonDocument,
  PublicEditionOverviewDocument,
  StandByNodeDocument,
  UpdateStandDocument,
  type CreateStandInput,
} from '../../clients/generated/graphql.ts';
import type { ParticipantCategory } from '../../src/generated/prisma/enums.ts';
import { signUserToken } from '../../src/modules/accounts/signing-keys.service.ts';
import { seedScenario, seedThirdOrganisation, type Scenario } from '../helpers/fixtures.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';

let t: TestHub;
let s: Scenario;
type Client = ReturnType<TestHub['client']>;
const as = {} as Record<'olga' | 'alice' | 'carol' | 'bob' | 'gamma' | 'anonymous', Client>;
const ids = {} as Record<'open' | 'draft' | 'old' | 'gamma', string>;
const offers = {} as Record<'published' | 'draft' | 'beta' | 'paused', string>;
const reg = {} as Record<'ana' | 'ben' | 'bea' | 'cid' | 'dan', string>;
let alphaStand = { id: '', version: 0 };
let betaStand = '';
let draftStand = '';

const SERIES = 'assises-sociales';
const at = (iso: string) => new Date(iso);
const gid = {
  edition: (id: string) => encodeGlobalID('EventEdition', id),
  offer: (id: string) => encodeGlobalID('Offer', id),
  reg: (id: string) => encodeGlobalID('Registration', id),
};

async function edition(
  eventId: string,
  organisationId: string,
  slug: string,
  status: 'OPEN' | 'CLOSED' | 'DRAFT',
  year: number,
  invited: string[],
) {
  return t.db.prisma.eventEdition.create({
    data: {
      eventId,
      slug,
      organisationId,
      title: { fr: `Assises sociales ${year}` },
      startsAt: at(`${year}-11-17T07:30:00Z`),
      endsAt: at(`${year}-11-17T16:00:00Z`),
      status,
      invitations: {
        create: invited.map((id) => ({
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
    category?: ParticipantCategory;
    show?: boolean;
    cancelled?: boolean;
  } = {},
) {
  const row = await t.db.prisma.registration.create({
    data: {
      editionId,
      name,
      email: `${name.toLowerCase().replace(/\W+/g, '.')}@example.org`,
      organisationId: opts.organisationId ?? null,
      organisationName: opts.organisationName ?? null,
      function: 'Assistant·e social·e',
      category: opts.category ?? 'PARTNER_STAFF',
      showName: opts.show ?? false,
      showFunction: opts.show ?? false,
      source: 'ORGANISER',
      status: opts.cancelled ? 'CANCELLED' : 'REGISTERED',
      manageTokenHash: randomBytes(32).toString('hex'),
      badgeCode: randomBytes(8).toString('hex').toUpperCase(),
    },
  });
  return row.id;
}

/** Stands and their links as the database holds them: must not move when a change is refused. */
const footprint = () =>
  t.db.prisma.stand.findMany({
    orderBy: { createdAt: 'asc' },
    select: {
      id: true,
      number: true,
      version: true,
      title: true,
      results: true,
      figures: true,
      offers: { select: { id: true }, orderBy: { id: 'asc' } },
      team: { select: { registrationId: true }, orderBy: { registrationId: 'asc' } },
    },
  });

beforeAll(async () => {
  t = await startTestHub({ OUTBOX_POLL_MS: '60000' });
  s = await seedScenario(t.db.prisma, t.config);
  const prisma = t.db.prisma;
  const gamma = await seedThirdOrganisation(prisma, t.config, ['ORG_ADMIN']);
  ids.gamma = gamma.organisation.id;
  const city = await prisma.organisation.create({
    data: { slug: 'ville', name: 'Ville de Luxembourg', kind: 'COMMUNE_SOCIAL_OFFICE' },
  });
  const olga = await prisma.user.create({
    data: {
      email: 'olga@ville.example',
      name: 'Olga',
      memberships: { create: { organisationId: city.id, roles: ['EVENT_ORGANISER'] } },
    },
  });
  const olgaToken = await signUserToken(prisma, olga, {
    issuer: t.config.AUTH_ISSUER,
    audience: t.config.AUTH_AUDIENCE,
    ttlSeconds: 600,
  });
  as.olga = t.client(olgaToken);
  as.alice = t.client(await s.token('alice'));
  as.carol = t.client(await s.token('carol'));
  as.bob = t.client(await s.token('bob'));
  as.gamma = t.client(gamma.token);
  as.anonymous = t.client();

  const series = await prisma.event.create({
    data: { slug: SERIES, organisationId: city.id, name: { fr: 'Assises sociales' } },
  });
  const alpha = s.org.alpha.id;
  const beta = s.org.beta.id;
  const old = await edition(series.id, city.id, 'assises-2021', 'CLOSED', 2021, [alpha]);
  const open = await edition(series.id, city.id, 'assises-2022', 'OPEN', 2022, [alpha, beta]);
  const draft = await edition(series.id, city.id, 'assises-2030', 'DRAFT', 2030, [alpha]);
  ids.open = open.id;
  ids.old = old.id;
  ids.draft = draft.id;

  const offer = async (organisationId: string, title: string, status: 'PUBLISHED' | 'DRAFT' | 'PAUSED') =>
    (
      await prisma.offer.create({
        data: {
          organisationId,
          title: { fr: title },
          status,
          publishedAt: status === 'PUBLISHED' ? new Date() : null,
        },
      })
    ).id;
  offers.published = await offer(alpha, 'Permanence logement', 'PUBLISHED');
  offers.draft = await offer(alpha, 'Projet en préparation', 'DRAFT');
  offers.paused = await offer(alpha, 'Atelier en pause', 'PAUSED');
  offers.beta = await offer(beta, 'Cuisine solidaire', 'PUBLISHED');

  reg.ana = await register(open.id, 'Ana Alves', { organisationId: alpha, show: true });
  reg.ben = await register(open.id, 'Ben Bauer', { organisationId: alpha });
  reg.bea = await register(open.id, 'Bea Berg', { organisationId: beta, show: true });
  reg.cid = await register(open.id, 'Cid Cancelled', { organisationId: alpha, cancelled: true });
  reg.dan = await register(old.id, 'Dan Deux-mille-vingt-et-un', { organisationId: alpha });
  // For the comparison: free-text organisations, other categories.
  await register(open.id, 'Pia Presse', { organisationName: 'Luxemburger Wort', category: 'PRESS' });
  await register(open.id, 'Vic Volontaire', { organisationName: 'luxemburger wort ', category: 'VOLUNTEER' });
  await register(old.id, 'Eve Ehrenamt', { organisationName: 'Caritas', category: 'VOLUNTEER' });
  await register(old.id, 'Zed Cancelled', { organisationName: 'Solina', category: 'PRESS', cancelled: true });
  await prisma.stand.create({
    data: { editionId: old.id, organisationId: alpha, number: '1', title: { fr: 'Stand 2021' } },
  });
  draftStand = (
    await prisma.stand.create({
      data: {
        editionId: draft.id,
        organisationId: alpha,
        number: '1',
        title: { fr: 'Stand en préparation' },
      },
    })
  ).id;
}, 120_000);

afterAll(async () => {
  await t?.close();
});

const standInput = (over: Partial<CreateStandInput> = {}): CreateStandInput => ({
  editionId: gid.edition(ids.open),
  organisationId: s.org.alpha.globalId,
  number: '12',
  title: [
    { language: 'FR', text: 'Un toit d’abord' },
    { language: 'DE', text: 'Housing First' },
  ],
  description: [{ language: 'FR', text: 'Du logement d’abord, l’accompagnement ensuite.' }],
  offerIds: [gid.offer(offers.published), gid.offer(offers.draft)],
  teamRegistrationIds: [gid.reg(reg.ana), gid.reg(reg.ben)],
  ...over,
});

describe('createStand', () => {
  it('lets an invited organisation’s admin set up its stand with its offers and staff', async () => {
    const res = await as.alice.request(CreateStandDocument, { input: standInput(), lang: 'DE' });
    if (res.createStand.__typename !== 'MutationCreateStandSuccess') throw new Error(JSON.stringify(res));
    const stand = res.createStand.data.stand;
    expect(stand).toMatchObject({
      number: '12',
      version: 1,
      youMayEdit: true,
      organisation: { slug: 'alpha' },
      title: { text: 'Housing First', language: 'DE', fallback: false },
      description: { language: 'FR' },
      results: null,
      figures: [],
      // Alice sees her organisation's draft offer; the public will not.
      offers: [
        { status: 'PUBLISHED', title: { text: 'Permanence logement' } },
        { status: 'DRAFT', title: { text: 'Projet en préparation' } },
      ],
      team: { members: [{ name: 'Ana Alves', function: 'Assistant·e social·e' }], othersCount: 1 },
    });
    expect(stand.teamRegistrations.map((r) => r.name)).toEqual(['Ana Alves', 'Ben Bauer']);
    alphaStand = { id: stand.id, version: stand.version };
  });

  it('lets the organisers set up any organisation’s stand, with anyone registered', async () => {
    const res = await as.olga.request(CreateStandDocument, {
      input: standInput({
        organisationId: s.org.beta.globalId,
        number: '2',
        title: [{ language: 'FR', text: 'Cuisine solidaire' }],
        description: null,
        offerIds: [gid.offer(offers.beta)],
        teamRegistrationIds: [gid.reg(reg.bea), gid.reg(reg.ana)],
      }),
    });
    if (res.createStand.__typename !== 'MutationCreateStandSuccess') throw new Error(JSON.stringify(res));
    expect(res.createStand.data.stand.teamRegistrations.map((r) => r.name)).toEqual([
      'Ana Alves',
      'Bea Berg',
    ]);
    betaStand = res.createStand.data.stand.id;
  });

  it('says whom each caller may set up a stand for, by the rule createStand applies', async () => {
    const mayStand = async (client: Client) =>
      (
        await client.request(ConsoleEditionStandsDocument, { slug: 'assises-2022' })
      ).eventEdition?.standOrganisations.map((o) => o.slug);
    expect(await mayStand(as.olga)).toEqual(['alpha', 'beta']);
    expect(await mayStand(as.alice)).toEqual(['alpha']);
    // A member without the admin role, an admin of an organisation not invited, the public.
    for (const client of [as.carol, as.gamma, as.anonymous]) expect(await mayStand(client)).toEqual([]);
  });

  it('refuses anyone else, and writes nothing', async () => {
    const before = await footprint();
    const cases: [Client, Partial<CreateStandInput>, string][] = [
      // Another organisation's stand, by an admin who is not an organiser.
      [
        as.alice,
        { organisationId: s.org.beta.globalId, number: '30', offerIds: [], teamRegistrationIds: [] },
        'ForbiddenError',
      ],
      // A member without the admin role.
      [as.carol, { number: '31', offerIds: [], teamRegistrationIds: [] }, 'ForbiddenError'],
      // An admin of an organisation that is not invited (the edition is public, so seen).
      [
        as.gamma,
        {
          organisationId: encodeGlobalID('Organisation', ids.gamma),
          number: '32',
          offerIds: [],
          teamRegistrationIds: [],
        },
        'ForbiddenError',
      ],
      // An edition it may not see reads as unknown.
      [
        as.gamma,
        {
          editionId: gid.edition(ids.draft),
          organisationId: encodeGlobalID('Organisation', ids.gamma),
          number: '33',
          offerIds: [],
          teamRegistrationIds: [],
        },
        'NotFoundError',
      ],
    ];
    for (const [client, over, type] of cases) {
      const res = await client.request(CreateStandDocument, { input: standInput(over) });
      expect(res.createStand).toMatchObject({ __typename: type });
    }
    expect(await footprint()).toEqual(before);
  });

  it('names every bad field at once: a taken number, foreign or hidden offers, team members of no use', async () => {
    const before = await footprint();
    const res = await as.alice.request(CreateStandDocument, {
      input: standInput({
        number: '12',
        offerIds: [
          gid.offer(offers.beta),
          encodeGlobalID('Offer', '00000000-0000-7000-8000-000000000000'),
          gid.offer(offers.published),
        ],
        teamRegistrationIds: [gid.reg(reg.bea), gid.reg(reg.cid), gid.reg(reg.dan), gid.reg(reg.ana)],
      }),
    });
    if (res.createStand.__typename !== 'InvalidInputError') throw new Error(JSON.stringify(res));
    expect(res.createStand.code).toBe('common/invalid_input');
    expect(res.createStand.fields).toEqual([
      {
        path: ['input', 'number'],
        message: 'is already the number of another stand of this edition',
        reason: 'TAKEN',
      },
      {
        path: ['input', 'offerIds', '0'],
        message: 'is an offer of another organisation than the stand’s',
        reason: 'OTHER_ORGANISATION',
      },
      { path: ['input', 'offerIds', '1'], message: 'no offer with this ID', reason: 'NOT_FOUND' },
      // Beta's registration is not Alice's to see: it reads as unknown, as the other edition's.
      {
        path: ['input', 'teamRegistrationIds', '0'],
        message: 'no registration for this edition with this ID',
        reason: 'NOT_FOUND',
      },
      {
        path: ['input', 'teamRegistrationIds', '1'],
        message: 'this registration is cancelled',
        reason: 'CANCELLED',
      },
      {
        path: ['input', 'teamRegistrationIds', '2'],
        message: 'no registration for this edition with this ID',
        reason: 'NOT_FOUND',
      },
    ]);
    expect(await footprint()).toEqual(before);

    // Another organisation's draft offer is not Olga's to see: unknown, as a missing one.
    const hidden = await as.olga.request(CreateStandDocument, {
      input: standInput({ number: '40', offerIds: [gid.offer(offers.draft)], teamRegistrationIds: [] }),
    });
    expect(hidden.createStand).toMatchObject({
      __typename: 'InvalidInputError',
      fields: [{ path: ['input', 'offerIds', '0'], message: 'no offer with this ID' }],
    });
    // A malformed number and an empty title are caught with the input.
    const malformed = await as.alice.request(CreateStandDocument, {
      input: standInput({ number: 'B 4 <x>', title: [] }),
    });
    expect(malformed.createStand).toMatchObject({ __typename: 'InvalidInputError' });
    if (malformed.createStand.__typename !== 'InvalidInputError') throw new Error();
    expect(malformed.createStand.fields.map((f) => `${f.path.join('.')} ${f.reason}`).sort()).toEqual([
      'input.number FORMAT',
      'input.title REQUIRED',
    ]);
    expect(await footprint()).toEqual(before);
  });

  it('gives one of two stands created at once with the same number an error on `number`', async () => {
    const before = await footprint();
    const results = await Promise.all(
      [as.olga, as.alice].map((c) =>
        c.request(CreateStandDocument, {
          input: standInput({ number: '77', offerIds: [], teamRegistrationIds: [] }),
        }),
      ),
    );
    const types = results.map((r) => r.createStand.__typename).sort();
    expect(types).toEqual(['InvalidInputError', 'MutationCreateStandSuccess']);
    const failed = results.find((r) => r.createStand.__typename === 'InvalidInputError')!.createStand;
    expect(failed).toMatchObject({ fields: [{ path: ['input', 'number'] }] });
    expect((await footprint()).length).toBe(before.length + 1);
    await t.db.prisma.stand.deleteMany({ where: { number: '77' } });
  });
});

describe('updateStand', () => {
  it('records what worked, in words and figures, and moves the version on', async () => {
    const res = await as.alice.request(UpdateStandDocument, {
      input: {
        id: alphaStand.id,
        expectedVersion: alphaStand.version,
        results: [
          { language: 'FR', text: '40 personnes logées en un an.' },
          { language: 'EN', text: '40 people housed in a year.' },
        ],
        figures: [
          { label: [{ language: 'FR', text: 'Personnes rencontrées' }], value: 120 },
          { label: [{ language: 'FR', text: 'Taux de maintien' }], value: 0.85 },
        ],
        description: null,
      },
      lang: 'EN',
    });
    if (res.updateStand.__typename !== 'MutationUpdateStandSuccess') throw new Error(JSON.stringify(res));
    const stand = res.updateStand.data.stand;
    expect(stand).toMatchObject({
      version: 2,
      number: '12',
      results: { text: '40 people housed in a year.', language: 'EN' },
      description: null,
      figures: [
        { label: { text: 'Personnes rencontrées' }, value: 120 },
        { label: { text: 'Taux de maintien' }, value: 0.85 },
      ],
    });
    // Left out: unchanged.
    expect(stand.offers).toHaveLength(2);
    expect(stand.teamRegistrations).toHaveLength(2);
    alphaStand.version = stand.version;
  });

  it('refuses a stale version, a taken number and strangers, and writes nothing', async () => {
    const before = await footprint();
    const stale = await as.alice.request(UpdateStandDocument, {
      input: { id: alphaStand.id, expectedVersion: 1, results: [{ language: 'FR', text: 'Écrasé ?' }] },
    });
    expect(stale.updateStand).toMatchObject({
      __typename: 'VersionConflictError',
      code: 'common/version_conflict',
      expectedVersion: 1,
      currentVersion: alphaStand.version,
    });
    const taken = await as.alice.request(UpdateStandDocument, {
      input: { id: alphaStand.id, expectedVersion: alphaStand.version, number: '2' },
    });
    expect(taken.updateStand).toMatchObject({
      __typename: 'InvalidInputError',
      fields: [
        { path: ['input', 'number'], message: 'is already the number of another stand of this edition' },
      ],
    });
    for (const client of [as.bob, as.carol, as.gamma]) {
      const res = await client.request(UpdateStandDocument, {
        input: { id: alphaStand.id, expectedVersion: alphaStand.version, number: '99' },
      });
      expect(res.updateStand).toMatchObject({ __typename: 'ForbiddenError' });
    }
    // A stand of a draft edition gamma may not see: unknown, like one that does not exist.
    for (const id of [
      encodeGlobalID('Stand', draftStand),
      encodeGlobalID('Stand', '00000000-0000-7000-8000-000000000000'),
    ]) {
      const res = await as.gamma.request(UpdateStandDocument, {
        input: { id, expectedVersion: 1, number: '5' },
      });
      expect(res.updateStand).toMatchObject({
        __typename: 'NotFoundError',
        message: 'No stand with this ID.',
      });
    }
    expect(await footprint()).toEqual(before);
  });

  it('keeps the links the caller may not see when it replaces the team and the offers', async () => {
    // The organisers add Bea (beta) to alpha's team; Alice cannot see Bea's registration.
    const olga = await as.olga.request(UpdateStandDocument, {
      input: {
        id: alphaStand.id,
        expectedVersion: alphaStand.version,
        teamRegistrationIds: [gid.reg(reg.ana), gid.reg(reg.ben), gid.reg(reg.bea)],
        // Olga does not see the draft offer either: replacing the offers keeps it.
        offerIds: [gid.offer(offers.published)],
      },
    });
    if (olga.updateStand.__typename !== 'MutationUpdateStandSuccess') throw new Error(JSON.stringify(olga));
    expect(olga.updateStand.data.stand.offers.map((o) => o.title.text)).toEqual(['Permanence logement']);
    const links = (await footprint()).find((f) => f.number === '12')!;
    expect(links.offers.map((o) => o.id).sort()).toEqual([offers.published, offers.draft].sort());

    const alice = await as.alice.request(UpdateStandDocument, {
      input: {
        id: alphaStand.id,
        expectedVersion: olga.updateStand.data.stand.version,
        teamRegistrationIds: [gid.reg(reg.ana)],
      },
    });
    if (alice.updateStand.__typename !== 'MutationUpdateStandSuccess') throw new Error(JSON.stringify(alice));
    expect(alice.updateStand.data.stand.teamRegistrations.map((r) => r.name)).toEqual(['Ana Alves']);
    alphaStand.version = alice.updateStand.data.stand.version;
    const seenByOlga = await as.olga.request(StandByNodeDocument, { id: alphaStand.id });
    if (seenByOlga.node?.__typename !== 'Stand') throw new Error('no stand');
    expect(seenByOlga.node.teamRegistrations.map((r) => r.name)).toEqual(['Ana Alves', 'Bea Berg']);
    // As the public sees it: Ana and Bea agreed to show their names.
    expect(seenByOlga.node.team).toMatchObject({
      members: [{ name: 'Ana Alves' }, { name: 'Bea Berg' }],
      othersCount: 0,
    });
  });
});

describe('the stand directory', () => {
  it('lists the stands of a public edition by number for anyone, with the offers the public may see', async () => {
    const res = await as.anonymous.request(PublicEditionOverviewDocument, {
      slug: 'assises-2022',
      lang: 'FR',
    });
    const stands = res.eventEdition!.stands;
    expect(stands.map((st) => st.number)).toEqual(['2', '12']);
    const alpha = stands[1]!;
    expect(alpha.offers.map((o) => o.title.text)).toEqual(['Permanence logement']);
    expect(alpha.teamRegistrations).toEqual([]);
    expect(alpha.youMayEdit).toBe(false);
    expect(alpha.results?.text).toBe('40 personnes logées en un an.');
  });

  it('answers a stand of a draft edition as unknown to those who may not see the edition', async () => {
    const id = encodeGlobalID('Stand', draftStand);
    expect((await as.anonymous.request(StandByNodeDocument, { id })).node).toBeNull();
    expect((await as.gamma.request(StandByNodeDocument, { id })).node).toBeNull();
    expect((await as.carol.request(StandByNodeDocument, { id })).node).toMatchObject({ __typename: 'Stand' });
    expect((await as.bob.request(StandByNodeDocument, { id: betaStand })).node).toMatchObject({
      youMayEdit: true,
    });
  });
});

describe('comparing editions', () => {
  it('gives teams, organisations and participants by category per edition, oldest first', async () => {
    const res = await as.anonymous.request(EventComparisonDocument, { slug: SERIES });
    const byCategory = (rows: { category: string; count: number }[]) =>
      Object.fromEntries(rows.filter((r) => r.count > 0).map((r) => [r.category, r.count]));
    const [old, open, ...rest] = res.event!.comparison;
    // The draft is not the public's.
    expect(rest).toEqual([]);
    expect(old).toMatchObject({
      edition: { slug: 'assises-2021' },
      teams: 1,
      organisations: 2,
      participants: 2,
    });
    expect(byCategory(old!.participantsByCategory)).toEqual({ PARTNER_STAFF: 1, VOLUNTEER: 1 });
    // alpha, beta, and "Luxemburger Wort" written twice; Cid cancelled.
    expect(open).toMatchObject({
      edition: { slug: 'assises-2022' },
      teams: 2,
      organisations: 3,
      participants: 5,
    });
    expect(byCategory(open!.participantsByCategory)).toEqual({ PARTNER_STAFF: 3, PRESS: 1, VOLUNTEER: 1 });
    expect(open!.participantsByCategory.map((c) => c.category)).toEqual([
      'PARTNER_STAFF',
      'VOLUNTEER',
      'PUBLIC_SECTOR',
      'PRESS',
      'SPEAKER',
      'ORGANISER',
      'OTHER',
    ]);
    // Alpha is invited to the draft: its members compare three editions.
    const invited = await as.carol.request(EventComparisonDocument, { slug: SERIES });
    expect(invited.event!.comparison.map((c) => c.edition.slug)).toEqual([
      'assises-2021',
      'assises-2022',
      'assises-2030',
    ]);
    expect(invited.event!.comparison[2]).toMatchObject({ teams: 1, organisations: 1, participants: 0 });
  });
});
