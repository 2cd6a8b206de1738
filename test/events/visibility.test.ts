/**
 * Every way to reach an organisation's draft edition and a participant's registration, tried by
 * those who must not see them — an admin of a third organisation, a member of the organising
 * organisation without the organiser's role, a hub admin, an anonymous caller — who must get
 * exactly what an unknown ID gives (null, an empty list, NotFoundError) and change nothing. The
 * invited organisation's member sees the draft edition, but not the other organisations' codes
 * nor their people.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { parse } from 'graphql';
import { seedScenario, seedThirdOrganisation, type Scenario } from '../helpers/fixtures.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';

let t: TestHub;
let s: Scenario;
const ids = {} as Record<'event' | 'edition' | 'session' | 'registration' | 'unknownEdition', string>;
const outsiders: Record<string, string | undefined> = {};
let bob: string;
let alice: string;

const doc = (text: string) =>
  parse(text) as TypedDocumentNode<Record<string, unknown>, Record<string, unknown>>;

beforeAll(async () => {
  t = await startTestHub();
  s = await seedScenario(t.db.prisma, t.config);
  const p = t.db.prisma;
  const event = await p.event.create({
    data: { slug: 'assises-brouillon', organisationId: s.org.alpha.id, name: { fr: 'Assises' } },
  });
  const start = new Date(Date.now() + 20 * 24 * 3600 * 1000);
  const edition = await p.eventEdition.create({
    data: {
      slug: 'assises-brouillon-2026',
      eventId: event.id,
      organisationId: s.org.alpha.id,
      title: { fr: 'Assises (brouillon)' },
      startsAt: start,
      endsAt: new Date(start.getTime() + 3600 * 1000 * 8),
      invitations: {
        create: [
          { organisationId: s.org.beta.id, codeHash: 'h-beta', codeSealed: 'clear-beta', expiresAt: start },
        ],
      },
      sessions: {
        create: { kind: 'WORKSHOP', title: { fr: 'Atelier' }, startsAt: start, endsAt: start, capacity: 10 },
      },
    },
    include: { sessions: true },
  });
  const registration = await p.registration.create({
    data: {
      editionId: edition.id,
      name: 'Nadia Benali',
      email: 'nadia@alpha.example',
      organisationId: s.org.alpha.id,
      organisationName: 'Organisation alpha',
      category: 'PARTNER_STAFF',
      source: 'ORGANISER',
      manageTokenHash: 'hash-nadia',
      badgeCode: 'NADIA00001',
      showName: true,
    },
  });
  ids.event = encodeGlobalID('Event', event.id);
  ids.edition = encodeGlobalID('EventEdition', edition.id);
  ids.session = encodeGlobalID('EventSession', edition.sessions[0]!.id);
  ids.registration = encodeGlobalID('Registration', registration.id);
  ids.unknownEdition = encodeGlobalID('EventEdition', '00000000-0000-7000-8000-000000000000');
  alice = await s.token('alice');
  bob = await s.token('bob');
  const gamma = await seedThirdOrganisation(p, t.config, ['ORG_ADMIN', 'EVENT_ORGANISER']);
  outsiders['gina (third organisation, admin and organiser)'] = gamma.token;
  outsiders['carol (organising organisation, no organiser role)'] = await s.token('carol');
  outsiders['hugo (hub admin)'] = await s.token('hugo');
  outsiders.anonymous = undefined;
});

afterAll(async () => {
  await t?.close();
});

async function ask(text: string, variables: Record<string, unknown>, token: string | undefined) {
  const res = await t.send(doc(text), variables, { token });
  expect(res.body.errors).toBeUndefined();
  return res.body.data!;
}

describe('a draft edition', () => {
  const reads: [string, string, Record<string, unknown>][] = [
    ['events', '{ events { id } }', {}],
    ['event(slug)', '{ event(slug: "assises-brouillon") { id } }', {}],
    ['eventEdition(slug)', '{ eventEdition(slug: "assises-brouillon-2026") { id } }', {}],
    ['node(edition)', 'query($id: ID!) { node(id: $id) { id } }', { id: 'edition' }],
    ['node(event)', 'query($id: ID!) { node(id: $id) { id } }', { id: 'event' }],
    ['node(session)', 'query($id: ID!) { node(id: $id) { id } }', { id: 'session' }],
    ['node(registration)', 'query($id: ID!) { node(id: $id) { id } }', { id: 'registration' }],
    [
      'nodes',
      'query($ids: [ID!]!) { nodes(ids: $ids) { id } }',
      { ids: ['edition', 'session', 'registration'] },
    ],
  ];
  const withIds = (v: Record<string, unknown>) =>
    Object.fromEntries(
      Object.entries(v).map(([k, x]) => [
        k,
        Array.isArray(x) ? x.map((i) => ids[i as keyof typeof ids]) : ids[x as keyof typeof ids],
      ]),
    );
  /** What each read gives for an unknown object. */
  const unknown = { events: [], event: null, eventEdition: null, node: null, nodes: [null, null, null] };

  it('reads as unknown to every outsider, by every path', async () => {
    for (const [who, token] of Object.entries(outsiders)) {
      for (const [what, text, vars] of reads) {
        const data = await ask(text, withIds(vars), token);
        const key = Object.keys(data)[0] as keyof typeof unknown;
        expect([who, what, data[key]]).toEqual([who, what, unknown[key]]);
      }
    }
  });

  it('is seen by the invited organisation’s member, without others’ codes or people', async () => {
    const data = await ask(
      '{ eventEdition(slug: "assises-brouillon-2026") { id invitations { organisation { slug } code } } }',
      {},
      bob,
    );
    expect(data.eventEdition).toEqual({
      id: ids.edition,
      invitations: [{ organisation: { slug: 'beta' }, code: expect.any(String) }],
    });
    const registration = await ask('query($id: ID!) { node(id: $id) { id } }', { id: ids.registration }, bob);
    expect(registration.node).toBeNull();
  });

  it('is the organisers’ whole', async () => {
    const data = await ask(
      'query($id: ID!) { node(id: $id) { ... on Registration { name accessibilityNeeds badgeCode } } }',
      { id: ids.registration },
      alice,
    );
    expect(data.node).toEqual({ name: 'Nadia Benali', accessibilityNeeds: null, badgeCode: 'NADIA00001' });
  });

  it('refuses every change by an outsider as if it did not exist, writing nothing', async () => {
    const before = await Promise.all([
      t.db.prisma.eventSession.count(),
      t.db.prisma.registration.count(),
      t.db.prisma.eventEdition.findMany({ select: { version: true, status: true } }),
      t.db.prisma.editionInvitation.count(),
    ]);
    const changes: [string, string, Record<string, unknown>][] = [
      [
        'updateEventEdition',
        'mutation($id: ID!) { updateEventEdition(input: { id: $id, expectedVersion: 1, status: OPEN }) { __typename } }',
        { id: ids.edition },
      ],
      [
        'createSession',
        'mutation($id: ID!) { createSession(input: { editionId: $id, kind: WORKSHOP, title: [{ language: FR, text: "x" }], startsAt: "2030-01-01T10:00:00Z", endsAt: "2030-01-01T11:00:00Z" }) { __typename } }',
        { id: ids.edition },
      ],
      [
        'inviteOrganisations',
        'mutation($id: ID!, $org: ID!) { inviteOrganisations(input: { editionId: $id, organisationIds: [$org] }) { __typename } }',
        { id: ids.edition, org: s.org.beta.globalId },
      ],
      [
        'registerParticipant',
        'mutation($id: ID!) { registerParticipant(input: { editionId: $id, participant: { name: "X", email: "x@x.example", category: OTHER } }) { __typename } }',
        { id: ids.edition },
      ],
      [
        'updateRegistration',
        'mutation($id: ID!) { updateRegistration(input: { id: $id, expectedVersion: 1, showName: false }) { __typename } }',
        { id: ids.registration },
      ],
      [
        'cancelRegistration',
        'mutation($id: ID!) { cancelRegistration(input: { id: $id }) { __typename } }',
        { id: ids.registration },
      ],
    ];
    const answer = async (text: string, vars: Record<string, unknown>, token: string | undefined) => {
      const res = await t.send(doc(text), vars, { token });
      // Anonymous callers are refused before anything is read (the same for any ID).
      if (res.body.errors) return res.body.errors.map((e) => e.message);
      return (Object.values(res.body.data!)[0] as { __typename: string }).__typename;
    };
    for (const [who, token] of Object.entries(outsiders)) {
      for (const [what, text, vars] of changes) {
        const got = await answer(text, vars, token);
        const unknownId =
          vars.id === ids.registration
            ? encodeGlobalID('Registration', '00000000-0000-7000-8000-000000000000')
            : ids.unknownEdition;
        const control = await answer(text, { ...vars, id: unknownId }, token);
        expect([who, what, got]).toEqual([who, what, control]);
        if (token) expect([who, what, got]).toEqual([who, what, 'NotFoundError']);
      }
    }
    const after = await Promise.all([
      t.db.prisma.eventSession.count(),
      t.db.prisma.registration.count(),
      t.db.prisma.eventEdition.findMany({ select: { version: true, status: true } }),
      t.db.prisma.editionInvitation.count(),
    ]);
    expect(after).toEqual(before);
  });
});
