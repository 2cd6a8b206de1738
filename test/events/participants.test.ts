/**
 * The organisers' participant list and counts over HTTP: the City's organiser sees every
 * registration of its edition with every filter and page; an organisation's admin sees their own
 * staff only; a case worker, another organisation, another edition's organiser and the public get
 * an empty list and no counts. The page costs the same number of SQL statements at any size.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { encodeGlobalID } from '@pothos/plugin-relay';
import {
  OrganiserParticipantCountsDocument,
  OrganiserParticipantsDocument,
  type OrganiserParticipantsQuery,
  type ParticipantFilter,
} from '../../clients/generated/graphql.ts';
import type { ParticipantCategory } from '../../src/generated/prisma/enums.ts';
import { signUserToken } from '../../src/modules/accounts/signing-keys.service.ts';
import { seedScenario, seedThirdOrganisation, type Scenario } from '../helpers/fixtures.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';

let t: TestHub;
let s: Scenario;
let gamma: Awaited<ReturnType<typeof seedThirdOrganisation>>;
const tokens = { otto: '', olga: '' };
const ids = { workshop: '' };
const SLUG = 'assises-test';

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
      title: { fr: `Édition ${slug}` },
      startsAt: at('2026-10-20T07:00:00Z'),
      endsAt: at('2026-10-20T16:00:00Z'),
      status,
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
    cancelled?: boolean;
    checkedIn?: boolean;
    seat?: { sessionId: string; status: 'CONFIRMED' | 'WAITLISTED' };
  } = {},
) {
  return t.db.prisma.registration.create({
    data: {
      editionId,
      name,
      email: `${name.toLowerCase().replace(/\W+/g, '.')}@example.org`,
      organisationId: opts.organisationId ?? null,
      organisationName: opts.organisationName ?? null,
      category: opts.category ?? 'PARTNER_STAFF',
      source: 'ORGANISER',
      status: opts.cancelled ? 'CANCELLED' : 'REGISTERED',
      accessibilityNeeds: name.startsWith('Ana') ? 'Fauteuil roulant' : null,
      checkedInAt: opts.checkedIn ? at('2026-10-20T07:30:00Z') : null,
      manageTokenHash: randomBytes(32).toString('hex'),
      badgeCode: randomBytes(8).toString('hex').toUpperCase(),
      ...(opts.seat ? { seats: { create: opts.seat } } : {}),
    },
  });
}

beforeAll(async () => {
  t = await startTestHub();
  s = await seedScenario(t.db.prisma, t.config);
  gamma = await seedThirdOrganisation(t.db.prisma, t.config, ['ORG_ADMIN']);
  const ville = await organiser('ville', 'otto@ville.example');
  const other = await organiser('autre', 'olga@autre.example');
  tokens.otto = ville.token;
  tokens.olga = other.token;
  const open = await edition(ville.org.id, SLUG, 'OPEN');
  const workshop = await t.db.prisma.eventSession.create({
    data: {
      editionId: open.id,
      kind: 'WORKSHOP',
      title: { fr: 'Atelier' },
      startsAt: at('2026-10-20T09:00:00Z'),
      endsAt: at('2026-10-20T10:00:00Z'),
      capacity: 1,
    },
  });
  ids.workshop = workshop.id;
  const alpha = s.org.alpha.id;
  const beta = s.org.beta.id;
  await register(open.id, 'Ana Alves', {
    organisationId: alpha,
    checkedIn: true,
    seat: { sessionId: workshop.id, status: 'CONFIRMED' },
  });
  await register(open.id, 'Dan Dupont', {
    organisationId: alpha,
    seat: { sessionId: workshop.id, status: 'WAITLISTED' },
  });
  await register(open.id, 'Zoé Zimmer', { organisationId: alpha, category: 'SPEAKER' });
  await register(open.id, 'Ben Becker', { organisationId: beta, category: 'VOLUNTEER', checkedIn: true });
  await register(open.id, 'Bianca Brun', { organisationId: beta });
  await register(open.id, 'Cléo Costa', { organisationName: 'Le Quotidien', category: 'PRESS' });
  await register(open.id, 'Paul Presse', { organisationName: 'le quotidien ', category: 'PRESS' });
  await register(open.id, 'Gaston Gone', { organisationId: alpha, cancelled: true });
  // Another organiser's edition: never in this list.
  const elsewhere = await edition(other.org.id, 'autre-test', 'OPEN');
  await register(elsewhere.id, 'Inès Ailleurs', { organisationId: alpha });
  const draft = await edition(ville.org.id, 'brouillon-test', 'DRAFT');
  await register(draft.id, 'Dora Draft', { organisationId: alpha });
});
afterAll(() => t.close());

type Connection = NonNullable<OrganiserParticipantsQuery['eventEdition']>['participants'];

async function list(token: string | undefined, filter?: ParticipantFilter, slug = SLUG) {
  const res = await t.send(OrganiserParticipantsDocument, { slug, filter, first: 50 }, { token });
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.eventEdition;
}
const names = async (token: string | undefined, filter?: ParticipantFilter) =>
  (await list(token, filter))?.participants.edges.map((e) => e.node.name);

async function counts(token: string | undefined) {
  const res = await t.send(OrganiserParticipantCountsDocument, { slug: SLUG }, { token });
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.eventEdition?.participantCounts;
}

describe('EventEdition.participants', () => {
  it('gives the organisers every registration, by name, with what only they read', async () => {
    const edition = await list(tokens.otto);
    expect(edition?.participants.totalCount).toBe(7);
    expect(edition?.participants.edges.map((e) => e.node.name)).toEqual([
      'Ana Alves',
      'Ben Becker',
      'Bianca Brun',
      'Cléo Costa',
      'Dan Dupont',
      'Paul Presse',
      'Zoé Zimmer',
    ]);
    const ana = edition!.participants.edges[0]!.node;
    expect(ana).toMatchObject({
      email: 'ana.alves@example.org',
      accessibilityNeeds: 'Fauteuil roulant',
      organisation: { slug: 'alpha' },
      checkedInAt: '2026-10-20T07:30:00.000Z',
      badgeCode: expect.any(String),
    });
  });

  it('filters by organisation, category, session, arrival, status and text', async () => {
    const otto = tokens.otto;
    expect(await names(otto, { organisationId: s.org.alpha.globalId })).toEqual([
      'Ana Alves',
      'Dan Dupont',
      'Zoé Zimmer',
    ]);
    expect(await names(otto, { category: 'PRESS' })).toEqual(['Cléo Costa', 'Paul Presse']);
    // A session's audience: confirmed seats, not its waitlist.
    expect(await names(otto, { sessionId: encodeGlobalID('EventSession', ids.workshop) })).toEqual([
      'Ana Alves',
    ]);
    expect(await names(otto, { checkedIn: true })).toEqual(['Ana Alves', 'Ben Becker']);
    expect(await names(otto, { checkedIn: false })).toHaveLength(5);
    expect(await names(otto, { status: 'CANCELLED' })).toEqual(['Gaston Gone']);
    expect(await names(otto, { text: 'QUOTID' })).toEqual(['Cléo Costa', 'Paul Presse']);
    expect(await names(otto, { text: 'dan.dupont@' })).toEqual(['Dan Dupont']);
    expect(await names(otto, { text: 'Organisation beta' })).toEqual(['Ben Becker', 'Bianca Brun']);
    expect(await names(otto, { organisationId: s.org.alpha.globalId, checkedIn: false })).toEqual([
      'Dan Dupont',
      'Zoé Zimmer',
    ]);
  });

  it('pages with cursors, each participant once', async () => {
    const seen: string[] = [];
    let after: string | null | undefined = null;
    for (let page = 0; page < 5; page++) {
      const res: { body: { data?: OrganiserParticipantsQuery | null } } = await t.send(
        OrganiserParticipantsDocument,
        { slug: SLUG, first: 3, after },
        { token: tokens.otto },
      );
      const connection: Connection = res.body.data!.eventEdition!.participants;
      expect(connection.totalCount).toBe(7);
      seen.push(...connection.edges.map((e) => e.node.name));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(seen).toEqual((await names(tokens.otto))!);
  });

  it('gives an organisation’s admin their own staff only', async () => {
    expect(await names(await s.token('alice'))).toEqual(['Ana Alves', 'Dan Dupont', 'Zoé Zimmer']);
    expect(await names(await s.token('bob'))).toEqual(['Ben Becker', 'Bianca Brun']);
    // Filters narrow what they may see; they never widen it.
    expect(await names(await s.token('bob'), { organisationId: s.org.alpha.globalId })).toEqual([]);
    const alices = await list(await s.token('alice'));
    expect(alices!.participants.edges[0]!.node).toMatchObject({ accessibilityNeeds: null, badgeCode: null });
  });

  it('gives a case worker, another organisation, another organiser and the public nothing', async () => {
    for (const token of [await s.token('carol'), gamma.token, tokens.olga, undefined]) {
      const edition = await list(token);
      expect(edition?.participants).toEqual({
        totalCount: 0,
        pageInfo: { hasNextPage: false, endCursor: null },
        edges: [],
      });
    }
    // A draft edition is not even there for them.
    expect(await list(undefined, undefined, 'brouillon-test')).toBeNull();
    expect((await list(tokens.otto, undefined, 'brouillon-test'))?.participants.totalCount).toBe(1);
  });

  it('costs the same SQL statements for a page of 2 and a page of 7', async () => {
    const statements = async (first: number) => {
      t.resetQueries();
      const res = await t.send(OrganiserParticipantsDocument, { slug: SLUG, first }, { token: tokens.otto });
      expect(res.body.data?.eventEdition?.participants.edges).toHaveLength(first);
      return t.queries.length;
    };
    await statements(2);
    expect(await statements(7)).toBe(await statements(2));
  });
});

describe('EventEdition.participantCounts', () => {
  it('counts the organisers’ edition by category and organisation, arrived or not', async () => {
    const c = await counts(tokens.otto);
    expect(c).toMatchObject({ registered: 7, checkedIn: 2, notCheckedIn: 5, cancelled: 1 });
    expect(c!.byCategory).toEqual([
      { category: 'PARTNER_STAFF', registered: 3, checkedIn: 1 },
      { category: 'VOLUNTEER', registered: 1, checkedIn: 1 },
      { category: 'PUBLIC_SECTOR', registered: 0, checkedIn: 0 },
      { category: 'PRESS', registered: 2, checkedIn: 0 },
      { category: 'SPEAKER', registered: 1, checkedIn: 0 },
      { category: 'ORGANISER', registered: 0, checkedIn: 0 },
      { category: 'OTHER', registered: 0, checkedIn: 0 },
    ]);
    expect(c!.byOrganisation).toEqual([
      {
        organisation: { id: s.org.alpha.globalId, slug: 'alpha' },
        name: 'Organisation alpha',
        registered: 3,
        checkedIn: 1,
      },
      { organisation: null, name: 'Le Quotidien', registered: 2, checkedIn: 0 },
      {
        organisation: { id: s.org.beta.globalId, slug: 'beta' },
        name: 'Organisation beta',
        registered: 2,
        checkedIn: 1,
      },
    ]);
  });

  it('counts an admin’s own staff only, and nothing for the others', async () => {
    const alice = await counts(await s.token('alice'));
    expect(alice).toMatchObject({ registered: 3, checkedIn: 1, cancelled: 1 });
    expect(alice!.byOrganisation.map((o) => o.name)).toEqual(['Organisation alpha']);
    expect(await counts(await s.token('carol'))).toBeNull();
    expect(await counts(tokens.olga)).toBeNull();
    expect(await counts(undefined)).toBeNull();
    // Gamma's admin may see gamma's staff: there is none.
    expect(await counts(gamma.token)).toMatchObject({ registered: 0, byOrganisation: [] });
  });
});
